/**
 * Provisioning a province: its units from the offices' CSV (the root first), the reference
 * checklist, and its first administrator. `npm run provision` runs it against a deployed stage
 * with the caller's AWS credentials; `npm start` seeds its demo data through the same function.
 * Everything goes through the use cases, audited as the caller (`provision:<principal ARN>`),
 * and each step is idempotent: a re-run with the same inputs changes nothing.
 */

import { ConflictError } from '#domain/errors.ts';
import { sameTemplateDocument, type TemplateDocument, templateDocumentSchema } from '#domain/template.ts';
import type { Account, IdentityDirectory } from '#ports/staff.ts';
import type { Deps } from './deps.ts';
import { addStaff } from './staff.ts';
import type { Caller } from './support.ts';
import { publishTemplate } from './templates.ts';
import {
  type ImportReport,
  importUnits,
  type ParsedUnitFile,
  type RowOutcome,
  type UnitRow,
} from './unit-import.ts';

export interface ProvisionInput {
  /** Who runs it, as audit entries name them (`provision:<principal ARN>`, `local-seed`). */
  actor: string;
  units: ParsedUnitFile;
  /** The checklist to publish (the reference one), if any. */
  template?: { templateId: string; document: unknown } | undefined;
  /** The first admin, created in the root unit (the account and its staff record). */
  admin?: { email: string; name: string } | undefined;
  dryRun?: boolean;
  onRow?: (done: number, total: number, row: UnitRow, outcome: RowOutcome | 'refused') => void;
}

export interface ProvisionReport {
  rootUnitId: string | null;
  units: ImportReport;
  template: {
    templateId: string;
    version: number | null;
    outcome: 'published' | 'unchanged' | 'would-publish';
  } | null;
  admin: {
    account: Account | null;
    outcome: 'created' | 'exists' | 'would-create';
    /**
     * Whether the staff record (what the staff screen lists) is there: false when the pool holds
     * an account of that e-mail with other details (made by hand), which provisioning leaves alone.
     */
    listed: boolean;
  } | null;
}

/** The root row of the file is the province; without one nothing can be provisioned. */
export class NoRootUnitError extends Error {}

export async function provision(
  deps: Pick<Deps, 'clock' | 'idempotency' | 'staff' | 'templates' | 'units'>,
  directory: IdentityDirectory | null,
  input: ProvisionInput,
): Promise<ProvisionReport> {
  const root = input.units.rows[0];
  if (!root || root.input.parentId !== null) {
    throw new NoRootUnitError(
      'the file has no root unit: one row (the province) must have an empty parent code',
    );
  }
  // An admin of the root: the only caller that may create the root and everything under it.
  const caller: Caller = { sub: input.actor, name: input.actor, roles: ['admin'], unitId: root.unitId };
  const units = await importUnits(deps, caller, input.units, {
    dryRun: input.dryRun ?? false,
    ...(input.onRow ? { onRow: input.onRow } : {}),
  });
  const rootRefused = units.refused.some((refusal) => refusal.row === root.row);

  let template: ProvisionReport['template'] = null;
  if (input.template && !rootRefused) {
    const document: TemplateDocument = templateDocumentSchema.parse(input.template.document);
    const { templateId } = input.template;
    if (input.dryRun) {
      const latest = await deps.templates.getLatestTemplate(templateId, true);
      template =
        latest && sameTemplateDocument(latest, document)
          ? { templateId, version: latest.version, outcome: 'unchanged' }
          : { templateId, version: (latest?.version ?? 0) + 1, outcome: 'would-publish' };
    } else {
      const published = await publishTemplate(deps, caller, templateId, document, null);
      template = {
        templateId,
        version: published.body.version,
        outcome: published.status === 201 ? 'published' : 'unchanged',
      };
    }
  }

  let admin: ProvisionReport['admin'] = null;
  if (input.admin && directory && !rootRefused) {
    const email = input.admin.email.trim().toLowerCase();
    if (input.dryRun) {
      const existing = await directory.getAccount(email);
      const listed = (await deps.staff.staffIdByEmail(email)) !== null;
      admin = { account: existing, outcome: existing ? 'exists' : 'would-create', listed };
    } else {
      const staffInput = {
        email,
        name: input.admin.name.normalize('NFC').trim(),
        role: 'admin' as const,
        unitId: root.unitId,
      };
      // Through the staff use case, so the first admin has a record like everyone added later.
      try {
        const { status, record } = await addStaff({ ...deps, directory }, caller, staffInput, null);
        admin = {
          account: await directory.getAccount(record.userId),
          outcome: status === 201 ? 'created' : 'exists',
          listed: true,
        };
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
        admin = { account: await directory.getAccount(email), outcome: 'exists', listed: false };
      }
    }
  }
  return { rootUnitId: root.unitId, units, template, admin };
}
