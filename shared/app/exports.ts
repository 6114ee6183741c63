/**
 * Exports of findings and rankings, as CSV or XLSX: an API Gateway response stops at 6 MB and a
 * Lambda answer at 30 s, so a large export runs in the background. POST records the job and
 * emits `ExportRequested`; the worker walks the findings page by page with the creator's scope
 * (the same use case as GET /v1/findings), or computes the ranking as GET /v1/scores does, and
 * streams the file to object storage with flat memory; GET reports the job and, when ready, a
 * short-lived download URL.
 */
import * as z from 'zod/mini';
import {
  ConflictError,
  DomainError,
  ForbiddenError,
  NotFoundError,
  UnavailableError,
  UnknownReferenceError,
} from '#domain/errors.ts';
import { type FindingStatus, findingStatusSchema } from '#domain/finding.ts';
import { itemCodeSchema, templateIdSchema, unitIdSchema } from '#domain/ids.ts';
import { localDate, periodSchema } from '#domain/period.ts';
import { problem } from '#domain/problems.ts';
import type { RankingRow } from '#domain/ranking.ts';
import { type Severity, severitySchema } from '#domain/template.ts';
import { unitKindSchema } from '#domain/unit.ts';
import { StaleWriteError } from '#ports/errors.ts';
import type { ExportRecord, TemplateRecord, UnitRecord } from '#ports/records.ts';
import type { VisitReview } from '#ports/store.ts';
import { eventTypes } from '#routes/integration.ts';
import { csvLine, utf8Bom } from './csv.ts';
import type { Deps } from './deps.ts';
import { type FindingQuery, type FindingView, findingListFilter, listFindings } from './findings.ts';
import { type Outcome, once } from './idempotency.ts';
import { computeRanking, type RankingQuery, rankingQueryInScope } from './scores.ts';
import { type Caller, canonical, nameBasedId, newId, notFound } from './support.ts';
import {
  type CellValue,
  excelDate,
  excelLocalTime,
  type SheetColumn,
  type WorkbookBuilder,
  xlsxContentType,
  xlsxStream,
} from './xlsx.ts';

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

export type ExportFormat = 'csv' | 'xlsx';

/** Body of POST /v1/exports, parsed: findings with their list's filters, or one peer group's ranking. */
export type ExportInput =
  | { kind: 'findings'; format: ExportFormat; filters: FindingQuery }
  | { kind: 'ranking'; format: ExportFormat; filters: RankingQuery };

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
function storedFilters(filters: FindingQuery | RankingQuery): Record<string, string> {
  const stored: Record<string, string> = {};
  for (const [name, value] of Object.entries(filters)) {
    if (value !== undefined) stored[name] = String(value);
  }
  return stored;
}

const storedFindingFilters = z.strictObject({
  unitId: z.optional(unitIdSchema),
  period: z.optional(periodSchema),
  status: z.optional(findingStatusSchema),
  severity: z.optional(severitySchema),
  sectionCode: z.optional(itemCodeSchema),
  itemCode: z.optional(itemCodeSchema),
  overdue: z.optional(
    z.pipe(
      z.enum(['true', 'false']),
      z.transform((value) => value === 'true'),
    ),
  ),
});

const storedRankingFilters = z.strictObject({
  templateId: templateIdSchema,
  period: periodSchema,
  parentId: unitIdSchema,
  kind: unitKindSchema,
});

const unknownUnit = (unitId: string | undefined, path: string) =>
  new UnknownReferenceError({ vi: 'Đơn vị không tồn tại.', en: 'The unit does not exist.' }, [
    problem(
      path,
      `Không có đơn vị "${unitId}" trong phạm vi của bạn.`,
      `There is no unit "${unitId}" in your jurisdiction.`,
    ),
  ]);

/**
 * Fails with 422 `unknown_reference` when the export names what the caller cannot see: a unit
 * outside their jurisdiction, or (a ranking) a template never published.
 */
async function checkExportScope(
  deps: Pick<Deps, 'clock' | 'templates' | 'units'>,
  caller: Caller,
  input: ExportInput,
): Promise<void> {
  if (input.kind === 'findings') {
    try {
      await findingListFilter(deps, caller, input.filters);
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      throw unknownUnit(input.filters.unitId, 'filters.unitId');
    }
    return;
  }
  const [unit, template] = await Promise.all([
    deps.units.getUnit(input.filters.parentId),
    deps.templates.getLatestTemplate(input.filters.templateId),
  ]);
  if (!template) {
    throw new UnknownReferenceError(
      { vi: 'Phiếu kiểm tra không tồn tại.', en: 'The template does not exist.' },
      [
        problem(
          'filters.templateId',
          `Không có phiếu kiểm tra "${input.filters.templateId}".`,
          `There is no template "${input.filters.templateId}".`,
        ),
      ],
    );
  }
  if (!unit) throw unknownUnit(input.filters.parentId, 'filters.parentId');
  try {
    await rankingQueryInScope(deps, caller, input.filters);
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
    throw unknownUnit(input.filters.parentId, 'filters.parentId');
  }
}

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
 * under the same ID. So does a replay of a remembered answer whose job has failed or died since:
 * the same request again is a request to have that export, not to be told again that it failed.
 */
export async function createExport(
  deps: Pick<Deps, 'clock' | 'events' | 'exports' | 'idempotency' | 'templates' | 'units'>,
  caller: Caller,
  input: ExportInput,
  language: 'vi' | 'en',
  idempotencyKey: string | null,
): Promise<Outcome<ExportStarted>> {
  return once(
    deps.idempotency,
    `createExport#${caller.sub}`,
    idempotencyKey,
    input,
    async () => {
      const scope = await checkedScope(deps, caller, input);
      const now = deps.clock.now().toISOString();
      const fresh: ExportRecord = {
        exportId:
          idempotencyKey === null
            ? newId()
            : nameBasedId(`createExport#${caller.sub}#${idempotencyKey}#${canonical(input)}`),
        kind: input.kind,
        format: input.format,
        status: 'running',
        filters: storedFilters(input.filters),
        language,
        createdBy: caller.sub,
        scope,
        rowCount: null,
        objectKey: null,
        error: null,
        createdAt: now,
        updatedAt: now,
      };
      const record = await startJob(deps, fresh);
      if (record.status !== 'ready') await announce(deps, record, record === fresh);
      return { status: 202, body: { exportId: record.exportId, status: 'running' as const } };
    },
    { replay: (remembered) => restartIfFailed(deps, caller, input, remembered) },
  );
}

/** The job's scope: the caller's, once the filters are checked against it. */
async function checkedScope(
  deps: Pick<Deps, 'clock' | 'templates' | 'units'>,
  caller: Caller,
  input: ExportInput,
): Promise<ExportRecord['scope']> {
  if (caller.unitId === null) {
    throw new ForbiddenError({
      vi: 'Tài khoản không gắn với đơn vị nào.',
      en: 'Your account names no unit.',
    });
  }
  await checkExportScope(deps, caller, input);
  return { unitId: caller.unitId, roles: [...caller.roles], sub: caller.sub };
}

/**
 * Emits `ExportRequested` for the job. When that fails, a job this request stored (`ours`) is
 * marked failed, and the answer is 503: a retry starts it again.
 */
async function announce(
  deps: Pick<Deps, 'events' | 'exports'>,
  record: ExportRecord,
  ours: boolean,
): Promise<void> {
  try {
    await deps.events.publish({ type: exportRequested, detail: { exportId: record.exportId } });
  } catch (error) {
    // A job found running may have been announced by its own attempt and be under way: it is
    // left running (GET reports it failed once it is stale, and a retry then starts it over).
    if (ours) {
      const reason = error instanceof Error ? error.message : String(error);
      await deps.exports.saveExport({ ...record, status: 'failed', error: `Not started: ${reason}` });
    }
    throw new UnavailableError({
      vi: 'Không thể bắt đầu xuất dữ liệu lúc này; vui lòng thử lại sau.',
      en: 'The export could not be started now; please try again later.',
    });
  }
}

/**
 * A replay of a keyed POST whose answer was remembered: the job it named, if it still runs or is
 * ready; if it has failed or died since, the same job started over under the same ID (with the
 * caller's scope of now), so the retry a client makes after a failure is not answered with that
 * failure for the key's 24 hours.
 */
async function restartIfFailed(
  deps: Pick<Deps, 'clock' | 'events' | 'exports' | 'templates' | 'units'>,
  caller: Caller,
  input: ExportInput,
  remembered: Outcome<ExportStarted>,
): Promise<Outcome<ExportStarted>> {
  const existing = await deps.exports.getExport(remembered.body.exportId);
  if (!existing || existing.createdBy !== caller.sub) return remembered;
  const now = deps.clock.now();
  const age = now.getTime() - Date.parse(existing.createdAt);
  if (existing.status === 'ready' || (existing.status === 'running' && age <= staleAfterMs))
    return remembered;
  const scope = await checkedScope(deps, caller, input);
  const restarted: ExportRecord = {
    ...existing,
    status: 'running',
    scope,
    rowCount: null,
    objectKey: null,
    error: null,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
  try {
    await deps.exports.saveExport(restarted, existing.updatedAt);
  } catch (error) {
    if (!(error instanceof StaleWriteError)) throw error;
    // A twin replay restarted it first: that one announces it.
    return remembered;
  }
  await announce(deps, restarted, true);
  return remembered;
}

/** How long an Idempotency-Key is remembered: a job older than that is not its retry's. */
const keyLifetimeMs = 24 * 3600 * 1000;

/**
 * Stores `fresh` unless a job with its ID exists (only a keyed request's ID can repeat), and
 * answers the job to announce: `fresh`, the existing one if it still runs or is ready, or
 * `fresh` in place of an existing one that failed, died or outlived its key.
 */
async function startJob(deps: Pick<Deps, 'exports'>, fresh: ExportRecord): Promise<ExportRecord> {
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
export async function getExport(
  deps: Pick<Deps, 'clock' | 'exports' | 'files'>,
  caller: Caller,
  exportId: string,
): Promise<ExportView> {
  const record = await deps.exports.getExport(exportId);
  if (!record || record.createdBy !== caller.sub) throw exportNotFound();
  if (record.status === 'ready' && record.objectKey !== null) {
    const download = await deps.files.presignDownload(record.objectKey, downloadSeconds, {
      fileName: `${record.kind}-${localDate(record.createdAt)}-${record.exportId.slice(0, 8)}.${record.format}`,
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
  /** A transient fault (the store busy or unreachable): the job is left running, to be run again. */
  | { outcome: 'interrupted'; error: unknown }
  | { outcome: 'skipped'; reason: string };

/**
 * The worker: lists the findings with the creator's scope and filters, page by page (or
 * computes the ranking), and streams them as CSV or XLSX into `exports/<exportId>.<format>`,
 * then marks the job ready with its row count (or failed with the reason). Events arrive at
 * least once: a job no longer running is left alone, and a rerun of a running one rewrites the
 * same object.
 *
 * `failed` is for what running again would not change (the filters name nothing any more, the
 * job outlived its cutoff). A fault that `transient` recognises (a throttled, timed-out or
 * unreachable store) leaves the job running and answers `interrupted`: the worker throws, the
 * event is delivered again, and the rerun finishes the job.
 */
export async function runExport(
  deps: Pick<Deps, 'clock' | 'exports' | 'files' | 'findings' | 'scores' | 'templates' | 'units' | 'visits'>,
  exportId: string,
  transient: (error: unknown) => boolean = () => false,
): Promise<ExportRun> {
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
  const objectKey = `exports/${record.exportId}.${record.format}`;
  try {
    const counter = { rows: 0 };
    const { chunks, contentType } = await exportContent(deps, caller, record, counter);
    await deps.files.write(objectKey, chunks, contentType);
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
    if (transient(error)) return { outcome: 'interrupted', error };
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

/** One page of findings with the names of their units. */
interface FindingPage {
  findings: FindingView[];
  unitNames: ReadonlyMap<string, string>;
}

/**
 * The findings page by page: memory holds one page of findings, the visits of the last pages
 * (bounded) and unit names (one per unit, not per finding).
 */
async function* findingPages(
  deps: Pick<Deps, 'clock' | 'findings' | 'units' | 'visits'>,
  caller: Caller,
  filters: FindingQuery,
  counter: { rows: number },
): AsyncGenerator<FindingPage> {
  const visitCache = new Map<string, VisitReview | null>();
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
    counter.rows += page.items.length;
    yield { findings: page.items, unitNames };
    cursor = page.nextCursor;
  } while (cursor !== null);
}

/** The findings CSV, one chunk per page. */
async function* findingsCsv(
  deps: Pick<Deps, 'clock' | 'findings' | 'units' | 'visits'>,
  caller: Caller,
  filters: FindingQuery,
  language: 'vi' | 'en',
  counter: { rows: number },
): AsyncGenerator<string> {
  yield utf8Bom + csvLine(findingColumns[language]);
  for await (const { findings, unitNames } of findingPages(deps, caller, filters, counter)) {
    let chunk = '';
    for (const finding of findings) {
      chunk += csvLine(findingCells(finding, unitNames.get(finding.unitId) ?? '', language));
    }
    if (chunk) yield chunk;
  }
}

/** Widths and cell types of the findings sheet, in the order of `findingColumns`. */
const findingLayout: ReadonlyArray<Omit<SheetColumn, 'header'>> = [
  { width: 44, kind: 'text' },
  { width: 16, kind: 'text' },
  { width: 30, kind: 'text' },
  { width: 8, kind: 'text' },
  { width: 10, kind: 'text' },
  { width: 60, kind: 'text' },
  { width: 14, kind: 'text' },
  { width: 22, kind: 'text' },
  { width: 14, kind: 'date' },
  { width: 10, kind: 'text' },
  { width: 38, kind: 'text' },
  { width: 14, kind: 'date' },
  { width: 40, kind: 'text' },
  { width: 40, kind: 'text' },
  { width: 30, kind: 'text' },
];

function withLayout(headers: readonly string[], layout: ReadonlyArray<Omit<SheetColumn, 'header'>>) {
  return headers.map((header, i) => ({ header, ...(layout[i] ?? { width: 16, kind: 'text' as const }) }));
}

/** One finding as typed cells: its due date and visit date as dates, the rest as in the CSV. */
export function findingRow(finding: FindingView, unitName: string, language: 'vi' | 'en'): CellValue[] {
  const cells: CellValue[] = findingCells(finding, unitName, language);
  cells[8] = excelDate(finding.dueDate);
  cells[11] = excelDate(localDate(finding.periodStartedAt));
  return cells;
}

const sheetNames = {
  vi: { cover: 'Thông tin', findings: 'Tồn tại, hạn chế', ranking: 'Xếp hạng' },
  en: { cover: 'About', findings: 'Findings', ranking: 'Ranking' },
} as const;

const coverLabels = {
  vi: {
    findings: 'Danh sách tồn tại, hạn chế',
    ranking: 'Bảng xếp hạng',
    exportedAt: 'Thời điểm xuất (giờ Việt Nam)',
    exportedBy: 'Người xuất',
    filters: 'Bộ lọc',
    none: 'Không có (mọi tồn tại trong phạm vi)',
    unitId: 'Đơn vị (cả các đơn vị trực thuộc)',
    period: 'Kỳ',
    status: 'Trạng thái',
    severity: 'Mức độ',
    sectionCode: 'Mục',
    itemCode: 'Tiêu chí',
    overdue: 'Chỉ tồn tại quá hạn',
    templateId: 'Phiếu kiểm tra',
    parentId: 'Đơn vị cấp trên',
    kind: 'Loại đơn vị',
  },
  en: {
    findings: 'Findings',
    ranking: 'Ranking',
    exportedAt: 'Exported at (Vietnam time)',
    exportedBy: 'Exported by',
    filters: 'Filters',
    none: 'None (every finding in scope)',
    unitId: 'Unit (and the units under it)',
    period: 'Period',
    status: 'Status',
    severity: 'Severity',
    sectionCode: 'Section',
    itemCode: 'Item',
    overdue: 'Overdue findings only',
    templateId: 'Template',
    parentId: 'Parent unit',
    kind: 'Kind of unit',
  },
} as const;

export const unitKindLabels = {
  vi: {
    province: 'Tỉnh, thành phố',
    department: 'Sở, ban, ngành',
    district: 'Huyện (trước 2025)',
    commune: 'Xã',
    ward: 'Phường',
    special_zone: 'Đặc khu',
  },
  en: {
    province: 'Province',
    department: 'Department',
    district: 'District (before 2025)',
    commune: 'Commune',
    ward: 'Ward',
    special_zone: 'Special zone',
  },
} as const;

const coverColumns: readonly SheetColumn[] = [
  { header: '', width: 40, kind: 'text' },
  { header: '', width: 70, kind: 'text' },
];

/** The cover sheet: what was exported, when, by whom, with which filters. */
function writeCover(
  book: WorkbookBuilder,
  record: ExportRecord,
  title: string,
  filters: ReadonlyArray<readonly [string, string]>,
): void {
  const labels = coverLabels[record.language];
  const cover = book.sheet(sheetNames[record.language].cover, coverColumns, { header: false });
  cover.addRow([title]);
  cover.addRow([labels.exportedAt, excelLocalTime(record.createdAt)], ['text', 'dateTime']);
  cover.addRow([labels.exportedBy, record.createdBy]);
  cover.addRow([]);
  cover.addRow([labels.filters, filters.length === 0 ? labels.none : null]);
  for (const [label, value] of filters) cover.addRow([label, value]);
}

/** The findings filters as the cover lists them: label and value, in the reader's language. */
function findingFilterLines(
  filters: FindingQuery,
  unitName: string | null,
  language: 'vi' | 'en',
): Array<readonly [string, string]> {
  const labels = coverLabels[language];
  const lines: Array<readonly [string, string]> = [];
  if (filters.unitId !== undefined)
    lines.push([labels.unitId, unitName ? `${unitName} (${filters.unitId})` : filters.unitId]);
  if (filters.period !== undefined) lines.push([labels.period, filters.period]);
  if (filters.status !== undefined) lines.push([labels.status, statusLabels[language][filters.status]]);
  if (filters.severity !== undefined)
    lines.push([labels.severity, severityLabels[language][filters.severity]]);
  if (filters.sectionCode !== undefined) lines.push([labels.sectionCode, filters.sectionCode]);
  if (filters.itemCode !== undefined) lines.push([labels.itemCode, filters.itemCode]);
  if (filters.overdue !== undefined) lines.push([labels.overdue, yesNo[language][filters.overdue ? 0 : 1]]);
  return lines;
}

/** The findings workbook: the cover, then one sheet of findings written page by page. */
async function findingsWorkbook(
  book: WorkbookBuilder,
  deps: Pick<Deps, 'clock' | 'findings' | 'units' | 'visits'>,
  caller: Caller,
  filters: FindingQuery,
  record: ExportRecord,
  counter: { rows: number },
): Promise<void> {
  const language = record.language;
  const unit = filters.unitId === undefined ? null : await deps.units.getUnit(filters.unitId);
  writeCover(
    book,
    record,
    coverLabels[language].findings,
    findingFilterLines(filters, unit?.name ?? null, language),
  );
  const sheet = book.sheet(
    sheetNames[language].findings,
    withLayout(findingColumns[language], findingLayout),
  );
  for await (const { findings, unitNames } of findingPages(deps, caller, filters, counter)) {
    for (const finding of findings)
      sheet.addRow(findingRow(finding, unitNames.get(finding.unitId) ?? '', language));
    await book.drained();
  }
}

/** Column headers of a ranking export before its sections, in order. */
export const rankingColumns = {
  vi: [
    'Hạng',
    'Mã đơn vị',
    'Mã hành chính',
    'Tên đơn vị',
    'Điểm',
    'Mã xếp loại',
    'Xếp loại',
    'Số buổi kiểm tra',
  ],
  en: ['Rank', 'Unit ID', 'Official code', 'Unit name', 'Score', 'Band code', 'Band', 'Visits'],
} as const;

const rankingLayout: ReadonlyArray<Omit<SheetColumn, 'header'>> = [
  { width: 8, kind: 'integer' },
  { width: 18, kind: 'text' },
  { width: 14, kind: 'text' },
  { width: 34, kind: 'text' },
  { width: 10, kind: 'decimal' },
  { width: 12, kind: 'text' },
  { width: 16, kind: 'text' },
  { width: 16, kind: 'integer' },
];

/** The headers of a ranking: the fixed columns, then one per section of the template, in percent. */
export function rankingHeaders(template: TemplateRecord, language: 'vi' | 'en'): string[] {
  return [
    ...rankingColumns[language],
    ...template.sections.map(
      (section) =>
        `${section.code}. ${(language === 'en' ? section.title.en : undefined) ?? section.title.vi} (%)`,
    ),
  ];
}

/** One ranking row's cells: rank, score, visits and section percents as numbers. */
export function rankingCells(row: RankingRow, language: 'vi' | 'en'): CellValue[] {
  return [
    row.rank,
    row.unitId,
    row.code,
    row.name,
    row.score,
    row.band?.code ?? null,
    row.band ? ((language === 'en' ? row.band.label.en : undefined) ?? row.band.label.vi) : null,
    row.visitCount,
    ...row.sections.map((section) => section.percent),
  ];
}

async function* rankingCsv(
  rows: readonly RankingRow[],
  template: TemplateRecord,
  language: 'vi' | 'en',
): AsyncGenerator<string> {
  let text = utf8Bom + csvLine(rankingHeaders(template, language));
  for (const row of rows)
    text += csvLine(rankingCells(row, language).map((cell) => (cell instanceof Date ? null : cell)));
  yield text;
}

async function rankingWorkbook(
  book: WorkbookBuilder,
  rows: readonly RankingRow[],
  query: RankingQuery,
  parent: UnitRecord,
  template: TemplateRecord,
  record: ExportRecord,
): Promise<void> {
  const language = record.language;
  const labels = coverLabels[language];
  const templateTitle = (language === 'en' ? template.title.en : undefined) ?? template.title.vi;
  writeCover(book, record, `${labels.ranking}: ${templateTitle}`, [
    [labels.templateId, `${templateTitle} (${query.templateId})`],
    [labels.period, query.period],
    [labels.parentId, `${parent.name} (${parent.unitId})`],
    [labels.kind, unitKindLabels[language][query.kind]],
  ]);
  const layout = [
    ...rankingLayout,
    ...template.sections.map(() => ({ width: 14, kind: 'decimal' as const })),
  ];
  const sheet = book.sheet(
    sheetNames[language].ranking,
    withLayout(rankingHeaders(template, language), layout),
  );
  for (const row of rows) sheet.addRow(rankingCells(row, language));
}

/** What the worker writes for a job: its chunks and their content type. */
async function exportContent(
  deps: Pick<Deps, 'clock' | 'findings' | 'scores' | 'templates' | 'units' | 'visits'>,
  caller: Caller,
  record: ExportRecord,
  counter: { rows: number },
): Promise<{ chunks: AsyncIterable<Uint8Array | string>; contentType: string }> {
  if (record.kind === 'findings') {
    const parsed = storedFindingFilters.safeParse(record.filters);
    if (!parsed.success) throw new Error(`Stored filters are not valid: ${parsed.error.message}`);
    const filters = parsed.data;
    // Fail before opening an upload when the scope is gone (the unit no longer in it).
    await findingListFilter(deps, caller, filters);
    if (record.format === 'csv') {
      return {
        chunks: findingsCsv(deps, caller, filters, record.language, counter),
        contentType: 'text/csv; charset=utf-8',
      };
    }
    return {
      chunks: xlsxStream((book) => findingsWorkbook(book, deps, caller, filters, record, counter)),
      contentType: xlsxContentType,
    };
  }
  const parsed = storedRankingFilters.safeParse(record.filters);
  if (!parsed.success) throw new Error(`Stored filters are not valid: ${parsed.error.message}`);
  const query = parsed.data;
  const { parent, template } = await rankingQueryInScope(deps, caller, query);
  // A peer group is at most a few thousand rows: computed whole, as GET /v1/scores does.
  const { rows } = await computeRanking(deps, caller, query);
  counter.rows = rows.length;
  if (record.format === 'csv') {
    return { chunks: rankingCsv(rows, template, record.language), contentType: 'text/csv; charset=utf-8' };
  }
  return {
    chunks: xlsxStream(async (book) => rankingWorkbook(book, rows, query, parent, template, record)),
    contentType: xlsxContentType,
  };
}
