import { Duration } from 'aws-cdk-lib';
import { type IEventBus, Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { eventSource, eventTypes } from '#routes/integration.ts';
import { workers } from '#routes/table.ts';
import type { AccessTargets } from '../access.ts';
import { bundledFilesOf } from '../bundling.ts';
import { deadLetterQueue } from '../stacks/stateful-stack.ts';
import { ProjectFunction } from './project-function.ts';

/** The event that starts an export and the one the ranking system receives (defined once). */
export { eventSource } from '#routes/integration.ts';
export const exportRequestedType = eventTypes.exportRequested;
export const recordRequestedType = eventTypes.recordRequested;
export const scoresPublishedType = eventTypes.scoresPublished;

/** How often EventBridge runs the route table's `schedule` workers (the outbox sweeper). */
export const scheduleRate = Duration.minutes(5);

/** The construct ID of the stack's `Workers` (see the class). */
export const workersId = 'Default';

export interface WorkersProps {
  /** The bus that carries ExportRequested. */
  readonly eventBus: IEventBus;
  /** The table, bucket and bus the workers' `access` declarations refer to. */
  readonly targets: AccessTargets;
  /** The environment every worker gets. */
  readonly environment: Record<string, string>;
}

/** A worker's function with the queue that keeps the invocations it failed. */
export interface Worker {
  readonly name: string;
  readonly fn: ProjectFunction;
  readonly deadLettersName: string;
  readonly deadLetters: Queue;
}

/**
 * The route table's event and schedule workers of the API stack: the findings export (on
 * ExportRequested) and the scheduled sweepers, each with its dead-letter queue.
 *
 * Give it the ID `workersId` ("Default"): CDK leaves a `Default` out of construct paths when it
 * makes logical IDs and unique names, and a rule target's Lambda permission and dead-letter
 * policy statement are named after the function's and the rule's unique names, which a
 * `LogicalGroup` cannot hide. So these resources kept their names when they moved out of the
 * stack's constructor.
 */
export class Workers extends Construct {
  /** The export worker. */
  readonly exporter: Worker;
  /** The inspection record worker. */
  readonly recorder: Worker;
  /** The scheduled workers (outbox sweeper, visit repair). */
  readonly scheduled: readonly Worker[];

  constructor(scope: Construct, id: string, props: WorkersProps) {
    super(scope, id);
    const { targets, environment } = props;

    // Exports: POST /v1/exports emits ExportRequested, this worker writes the CSV.
    const runExport = workers.find((worker) => worker.trigger === 'export-requested');
    if (!runExport) throw new Error('The route table has no export-requested worker');
    const exportDeadLetters = deadLetterQueue(this, 'ExportDeadLetters');
    const exporter = new ProjectFunction(this, runExport.name, {
      entry: runExport.handler,
      access: runExport.access,
      targets,
      environment,
      description: runExport.summary,
      // Pages through findings and streams a multipart upload: large exports take minutes.
      timeout: Duration.minutes(15),
      memorySize: 1024,
      deadLetterQueue: exportDeadLetters,
    });
    new Rule(this, 'ExportRequestedRule', {
      eventBus: props.eventBus,
      description: 'Runs the findings export worker',
      eventPattern: { source: [eventSource], detailType: [exportRequestedType] },
      targets: [
        new LambdaFunction(exporter.function, {
          deadLetterQueue: exportDeadLetters,
          retryAttempts: 4,
          maxEventAge: Duration.hours(2),
        }),
      ],
    });
    this.exporter = {
      name: runExport.name,
      fn: exporter,
      deadLettersName: 'ExportDeadLetters',
      deadLetters: exportDeadLetters,
    };

    // Inspection records: POST /v1/visits/{visitId}/record emits RecordRequested, this worker
    // draws the PDF and DOCX.
    const buildRecord = workers.find((worker) => worker.trigger === 'record-requested');
    if (!buildRecord) throw new Error('The route table has no record-requested worker');
    const recordDeadLetters = deadLetterQueue(this, 'RecordDeadLetters');
    const recorder = new ProjectFunction(this, buildRecord.name, {
      entry: buildRecord.handler,
      access: buildRecord.access,
      targets,
      environment,
      description: buildRecord.summary,
      // Decodes and downscales each photo in turn (pure JavaScript): seconds per photo at most.
      timeout: Duration.minutes(5),
      memorySize: 1536,
      deadLetterQueue: recordDeadLetters,
      // The Tinos faces pdfkit embeds, beside the handler (a bundle has no node_modules).
      bundledFiles: bundledFilesOf(buildRecord.name),
    });
    new Rule(this, 'RecordRequestedRule', {
      eventBus: props.eventBus,
      description: 'Runs the inspection record worker',
      eventPattern: { source: [eventSource], detailType: [recordRequestedType] },
      targets: [
        new LambdaFunction(recorder.function, {
          deadLetterQueue: recordDeadLetters,
          retryAttempts: 2,
          maxEventAge: Duration.hours(1),
        }),
      ],
    });
    this.recorder = {
      name: buildRecord.name,
      fn: recorder,
      deadLettersName: 'RecordDeadLetters',
      deadLetters: recordDeadLetters,
    };

    // Scheduled workers (the ScoresPublished outbox sweeper): a rule on the default bus, where
    // schedules live, invokes each one every few minutes.
    this.scheduled = workers
      .filter((worker) => worker.trigger === 'schedule')
      .map((worker) => {
        const id = worker.name.charAt(0).toUpperCase() + worker.name.slice(1);
        const deadLetters = deadLetterQueue(this, `${id}DeadLetters`);
        const fn = new ProjectFunction(this, worker.name, {
          entry: worker.handler,
          access: worker.access,
          targets,
          environment,
          description: worker.summary,
          // One bounded page of sends; far below the interval, so two sweeps never overlap.
          timeout: Duration.minutes(2),
          deadLetterQueue: deadLetters,
          // The next scheduled run is the retry: a failed sweep loses nothing (the outbox keeps it).
          retryAttempts: 0,
        });
        new Rule(this, `${id}Schedule`, {
          description: `Runs ${worker.name} every ${scheduleRate.toMinutes()} minutes`,
          schedule: Schedule.rate(scheduleRate),
          targets: [
            new LambdaFunction(fn.function, {
              deadLetterQueue: deadLetters,
              retryAttempts: 2,
              // A sweep not started within the interval is superseded by the next one.
              maxEventAge: Duration.minutes(5),
            }),
          ],
        });
        return { name: worker.name, fn, deadLettersName: `${id}DeadLetters`, deadLetters };
      });
  }

  /** Every worker of this group, the event workers first. */
  get all(): readonly Worker[] {
    return [this.exporter, this.recorder, ...this.scheduled];
  }
}
