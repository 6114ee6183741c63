/**
 * Findings exports: an API Gateway response stops at 6 MB and a Lambda answer at 30 s, so a
 * large export runs in the background. POST records the job and emits `ExportRequested`; the
 * worker walks the findings page by page with the creator's scope (the same use case as
 * GET /v1/findings) and streams a CSV to object storage with flat memory; GET reports the job
 * and, when ready, a short-lived download URL.
 */
import { z } from 'zod';
import {
  ConflictError,
  DomainError,
  ForbiddenError,
  NotFoundError,
  UnavailableError,
  UnknownReferenceError,
} from '#domain/errors.ts';
import { type FindingStatus, findingStatusSchema } from '#domain/finding.ts';
import { itemCodeSchema, unitIdSchema } from '#domain/ids.ts';
import { localDate, periodSchema } from '#domain/period.ts';
import { problem } from '#domain/problems.ts';
import { type Severity, severitySchema } from '#domain/template.ts';
import { StaleWriteError } from '#ports/errors.ts';
import type { ExportRecord, VisitRecord } from '#ports/records.ts';
import { eventTypes } from '#routes/integration.ts';
import { csvLine, utf8Bom } from './csv.ts';
import type { Deps } from './deps.ts';
import { type FindingQuery, type FindingView, findingListFilter, listFindings } from './findings.ts';
import { type Outcome, once } from './idempotency.ts';
import { type Caller, canonical, nameBasedId, newId, notFound } from './support.ts';

/** The event's detail-type; its detail is `{ exportId }`. */
export const exportRequested = eventTypes.exportRequested;

/** Download URLs live at most this long (API.md: within 300 s). */
export const downloadSeconds = 300;

/**
 * A job still running after this long has died with its worker (a Lambda runs at most 15
 * minutes): it is reported as failed, so nobody polls for ever.
 */
export const staleAfterMs = 20 * 60 * 1000;

// Findings per page of the worker's walk: one Query and one BatchGet each.
const exportPageSize = 250;

/** Body of POST /v1/exports, parsed. */
export interface ExportInput {
  kind: 'findings';
  filters: FindingQuery;
}

/** What POST /v1/exports answers (202). */
export interface ExportStarted {
  exportId: string;
  status: 'running';
}

/** What GET /v1/exports/{exportId} answers. */
export interface ExportView {
  exportId: string;
  status: 'running' | 'ready' | 'failed';
  rowCount?: number;
  downloadUrl?: string;
  expiresAt?: string;
}

const exportNotFound = () => notFound({ vi: 'Không tìm thấy bản xuất dữ liệu.', en: 'Export not found.' });

/** Filters as an export record keeps them: text, as a query string would carry them. */
function storedFilters(filters: FindingQuery): Record<string, string> {
  const stored: Record<string, string> = {};
  for (const [name, value] of Object.entries(filters)) {
    if (value !== undefined) stored[name] = String(value);
  }
  return stored;
}

const storedFiltersSchema = z.strictObject({
  unitId: unitIdSchema.optional(),
  period: periodSchema.optional(),
  status: findingStatusSchema.optional(),
  severity: severitySchema.optional(),
  sectionCode: itemCodeSchema.optional(),
  itemCode: itemCodeSchema.optional(),
  overdue: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .optional(),
});

/**
 * POST /v1/exports: checks the filters against the caller's scope (a unit outside it is 422
 * `unknown_reference`), records the job with the creator's scope and language, and emits
 * `ExportRequested`. If the event cannot be sent the job is marked failed and the answer is 503
 * (retry later).
 *
 * With an Idempotency-Key the job's ID comes from the caller, the key and the request, and the
 * job is created only if absent: a retry that reruns this (its first answer was never
 * remembered) finds the first attempt's job instead of starting a second. A job found running
 * is announced again (its attempt may have died before the event went out; the worker skips a
 * job no longer running); one found failed, dead or older than the key's 24 hours starts over
 * under the same ID.
 */
export async function createExport(
  deps: Deps,
  caller: Caller,
  input: ExportInput,
  language: 'vi' | 'en',
  idempotencyKey: string | null,
): Promise<Outcome<ExportStarted>> {
  return once(deps.idempotency, `createExport#${caller.sub}`, idempotencyKey, input, async () => {
    if (caller.unitId === null) {
      throw new ForbiddenError({
        vi: 'Tài khoản không gắn với đơn vị nào.',
        en: 'Your account names no unit.',
      });
    }
    try {
      await findingListFilter(deps, caller, input.filters);
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      throw new UnknownReferenceError({ vi: 'Đơn vị không tồn tại.', en: 'The unit does not exist.' }, [
        problem(
          'filters.unitId',
          `Không có đơn vị "${input.filters.unitId}" trong phạm vi của bạn.`,
          `There is no unit "${input.filters.unitId}" in your jurisdiction.`,
        ),
      ]);
    }
    const now = deps.clock.now().toISOString();
    const fresh: ExportRecord = {
      exportId:
        idempotencyKey === null
          ? newId()
          : nameBasedId(`createExport#${caller.sub}#${idempotencyKey}#${canonical(input)}`),
      kind: input.kind,
      status: 'running',
      filters: storedFilters(input.filters),
      language,
      createdBy: caller.sub,
      scope: { unitId: caller.unitId, roles: [...caller.roles], sub: caller.sub },
      rowCount: null,
      objectKey: null,
      error: null,
      createdAt: now,
      updatedAt: now,
    };
    const record = await startJob(deps, fresh);
    const started = { status: 202, body: { exportId: record.exportId, status: 'running' as const } };
    if (record.status === 'ready') return started;
    try {
      await deps.events.publish({ type: exportRequested, detail: { exportId: record.exportId } });
    } catch (error) {
      // A job found running may have been announced by its own attempt and be under way: it is
      // left running (GET reports it failed once it is stale, and a retry then starts it over).
      if (record === fresh) {
        const reason = error instanceof Error ? error.message : String(error);
        await deps.exports.saveExport({ ...record, status: 'failed', error: `Not started: ${reason}` });
      }
      throw new UnavailableError({
        vi: 'Không thể bắt đầu xuất dữ liệu lúc này; vui lòng thử lại sau.',
        en: 'The export could not be started now; please try again later.',
      });
    }
    return started;
  });
}

/** How long an Idempotency-Key is remembered: a job older than that is not its retry's. */
const keyLifetimeMs = 24 * 3600 * 1000;

/**
 * Stores `fresh` unless a job with its ID exists (only a keyed request's ID can repeat), and
 * answers the job to announce: `fresh`, the existing one if it still runs or is ready, or
 * `fresh` in place of an existing one that failed, died or outlived its key.
 */
async function startJob(deps: Deps, fresh: ExportRecord): Promise<ExportRecord> {
  try {
    await deps.exports.saveExport(fresh, null);
    return fresh;
  } catch (error) {
    if (!(error instanceof StaleWriteError)) throw error;
  }
  const existing = await deps.exports.getExport(fresh.exportId);
  // Only its creator's keyed request names this ID, so the job is that creator's.
  if (existing) {
    const age = Date.parse(fresh.createdAt) - Date.parse(existing.createdAt);
    const alive = existing.status === 'ready' || (existing.status === 'running' && age <= staleAfterMs);
    if (alive && age <= keyLifetimeMs) return existing;
    try {
      await deps.exports.saveExport(fresh, existing.updatedAt);
      return fresh;
    } catch (error) {
      if (!(error instanceof StaleWriteError)) throw error;
    }
  }
  // Changed under us: a twin retry holding the key after our lease ran out got there first.
  throw new ConflictError({
    vi: 'Bản xuất dữ liệu này vừa được một yêu cầu khác bắt đầu; hãy thử lại.',
    en: 'This export was just started by another request; try again.',
  });
}

/**
 * GET /v1/exports/{exportId}: only its creator sees it (404 for anyone else). When ready, a
 * download URL valid for 300 s and its expiry.
 */
export async function getExport(deps: Deps, caller: Caller, exportId: string): Promise<ExportView> {
  const record = await deps.exports.getExport(exportId);
  if (!record || record.createdBy !== caller.sub) throw exportNotFound();
  if (record.status === 'ready' && record.objectKey !== null) {
    const download = await deps.files.presignDownload(record.objectKey, downloadSeconds, {
      fileName: `findings-${localDate(record.createdAt)}-${record.exportId.slice(0, 8)}.csv`,
    });
    return {
      exportId: record.exportId,
      status: 'ready',
      rowCount: record.rowCount ?? 0,
      downloadUrl: download.url,
      expiresAt: download.expiresAt,
    };
  }
  const age = deps.clock.now().getTime() - new Date(record.createdAt).getTime();
  if (record.status === 'running' && age <= staleAfterMs)
    return { exportId: record.exportId, status: 'running' };
  return { exportId: record.exportId, status: 'failed' };
}

/** How a run of the worker ended. */
export type ExportRun =
  | { outcome: 'ready'; rowCount: number }
  | { outcome: 'failed'; error: unknown }
  | { outcome: 'skipped'; reason: string };

/**
 * The worker: lists the findings with the creator's scope and filters, page by page, and
 * streams them as CSV into `exports/<exportId>.csv`, then marks the job ready with its row count
 * (or failed with the reason). Events arrive at least once: a job no longer running is left
 * alone, and a rerun of a running one rewrites the same object.
 */
export async function runExport(deps: Deps, exportId: string): Promise<ExportRun> {
  const record = await deps.exports.getExport(exportId);
  if (!record) return { outcome: 'skipped', reason: 'no such export' };
  if (record.status !== 'running') return { outcome: 'skipped', reason: `already ${record.status}` };
  // Past the cutoff, GET already reports the job failed: a late retry must not turn it ready.
  const tooLate = () => deps.clock.now().getTime() - Date.parse(record.createdAt) > staleAfterMs;
  if (tooLate()) {
    await deps.exports.saveExport({
      ...record,
      status: 'failed',
      error: 'timed out',
      updatedAt: deps.clock.now().toISOString(),
    });
    return { outcome: 'failed', error: new Error('timed out') };
  }
  const caller: Caller = {
    sub: record.scope.sub,
    name: null,
    roles: record.scope.roles,
    unitId: record.scope.unitId,
  };
  const objectKey = `exports/${record.exportId}.csv`;
  try {
    const parsed = storedFiltersSchema.safeParse(record.filters);
    if (!parsed.success) throw new Error(`Stored filters are not valid: ${parsed.error.message}`);
    const filters = parsed.data;
    // Fail before opening an upload when the scope is gone (the unit no longer in it).
    await findingListFilter(deps, caller, filters);
    const counter = { rows: 0 };
    await deps.files.write(
      objectKey,
      findingsCsv(deps, caller, filters, record.language, counter),
      'text/csv; charset=utf-8',
    );
    if (tooLate()) throw new Error('timed out: the export took longer than its cutoff');
    await deps.exports.saveExport({
      ...record,
      status: 'ready',
      rowCount: counter.rows,
      objectKey,
      updatedAt: deps.clock.now().toISOString(),
    });
    return { outcome: 'ready', rowCount: counter.rows };
  } catch (error) {
    const reason =
      error instanceof DomainError ? error.detail.en : error instanceof Error ? error.message : String(error);
    await deps.exports.saveExport({
      ...record,
      status: 'failed',
      error: reason.slice(0, 1000),
      updatedAt: deps.clock.now().toISOString(),
    });
    return { outcome: 'failed', error };
  }
}

/** Column headers of the findings CSV, in order. */
export const findingColumns = {
  vi: [
    'Mã tồn tại',
    'Mã đơn vị',
    'Tên đơn vị',
    'Mục',
    'Tiêu chí',
    'Nội dung',
    'Mức độ',
    'Trạng thái',
    'Hạn khắc phục',
    'Quá hạn',
    'Mã buổi kiểm tra',
    'Ngày kiểm tra',
    'Ghi chú của kiểm tra viên',
    'Ghi chú xử lý',
    'Lý do bỏ qua',
  ],
  en: [
    'Finding ID',
    'Unit ID',
    'Unit name',
    'Section',
    'Item',
    'Title',
    'Severity',
    'Status',
    'Due date',
    'Overdue',
    'Visit ID',
    'Visit date',
    'Inspector note',
    'Note',
    'Dismissal reason',
  ],
} as const;

export const severityLabels: Record<'vi' | 'en', Record<Severity, string>> = {
  vi: { low: 'Thấp', medium: 'Trung bình', high: 'Cao', critical: 'Nghiêm trọng' },
  en: { low: 'Low', medium: 'Medium', high: 'High', critical: 'Critical' },
};

export const statusLabels: Record<'vi' | 'en', Record<FindingStatus, string>> = {
  vi: {
    open: 'Mới',
    in_progress: 'Đang khắc phục',
    resolved: 'Đã khắc phục',
    verified: 'Đã xác nhận khắc phục',
    dismissed: 'Đã bỏ qua',
  },
  en: {
    open: 'Open',
    in_progress: 'In progress',
    resolved: 'Resolved',
    verified: 'Verified',
    dismissed: 'Dismissed',
  },
};

const yesNo = { vi: ['Có', 'Không'], en: ['Yes', 'No'] } as const;

/** One finding's cells, in the order of `findingColumns`. */
export function findingCells(
  finding: FindingView,
  unitName: string,
  language: 'vi' | 'en',
): Array<string | null> {
  return [
    finding.findingId,
    finding.unitId,
    unitName,
    finding.sectionCode,
    finding.itemCode,
    (language === 'en' ? finding.title.en : undefined) ?? finding.title.vi,
    severityLabels[language][finding.severity],
    statusLabels[language][finding.status],
    finding.dueDate,
    yesNo[language][finding.overdue ? 0 : 1],
    finding.visitId,
    localDate(finding.periodStartedAt),
    finding.inspectorNote,
    finding.note,
    finding.reason,
  ];
}

/**
 * The CSV, one chunk per page: memory holds one page of findings, the visits of the last pages
 * (bounded) and unit names (one per unit, not per finding).
 */
async function* findingsCsv(
  deps: Deps,
  caller: Caller,
  filters: FindingQuery,
  language: 'vi' | 'en',
  counter: { rows: number },
): AsyncGenerator<string> {
  yield utf8Bom + csvLine(findingColumns[language]);
  const visitCache = new Map<string, VisitRecord | null>();
  const unitNames = new Map<string, string>();
  let cursor: string | null = null;
  do {
    const page = await listFindings(deps, caller, filters, { limit: exportPageSize, cursor }, { visitCache });
    const unknown = [...new Set(page.items.map((finding) => finding.unitId))].filter(
      (unitId) => !unitNames.has(unitId),
    );
    if (unknown.length > 0) {
      for (const unitId of unknown) unitNames.set(unitId, '');
      for (const unit of await deps.units.getUnits(unknown)) unitNames.set(unit.unitId, unit.name);
    }
    let chunk = '';
    for (const finding of page.items) {
      chunk += csvLine(findingCells(finding, unitNames.get(finding.unitId) ?? '', language));
    }
    counter.rows += page.items.length;
    if (chunk) yield chunk;
    cursor = page.nextCursor;
  } while (cursor !== null);
}
