import { approvals, findings, templates, units, visits } from '#adapters/dynamodb/parts.ts';
import { files } from '#adapters/s3/parts.ts';
import { clock, wire } from '#adapters/wiring.ts';
import { repairPendingWork } from '#app/review.ts';
import { asWorker } from '#config/invocation.ts';
import { logger } from '#http/logger.ts';

const deps = wire({ units, templates, visits, approvals, findings, files, clock });

/**
 * The scheduled repair (an EventBridge schedule in AWS, `npm start`'s timer locally): rolls
 * forward approvals left pending past their lease, rolls back to `submitted` those the domain
 * refuses, completes revocations whose findings are not all dismissed, and deletes the photo
 * objects whose records a request deleted without them.
 *
 * A rollback, or work it could not do, makes the run fail after logging, so the function's error
 * alarm tells operators: a rolled-back approval needs a manager to return the visit, and work
 * left behind is retried by the next run.
 */
export const handler = asWorker('repairVisits', async (_event: unknown): Promise<void> => {
  const report = await repairPendingWork(deps());
  for (const rolledBack of report.rolledBack) {
    logger.error('Pending approval rolled back to submitted', { ...rolledBack });
  }
  if (report.failed.length > 0)
    logger.error('Visit repair left work for the next run', { failed: report.failed });
  if (report.rolledForward > 0 || report.revocationsCompleted > 0 || report.objectsDeleted > 0)
    logger.info('Visit repair', { ...report });
  if (report.rolledBack.length > 0 || report.failed.length > 0) {
    throw new Error(
      `${report.rolledBack.length} approval(s) rolled back, ${report.failed.length} left for the next run`,
    );
  }
});
