/**
 * Inspection records (biên bản kiểm tra) of approved visits (docs/records.md). POST makes the
 * record of the visit as it is now: its ID comes from the visit's ID and etag, so the same
 * request while the visit is unchanged finds the same record, and its number is given in the
 * record's own transaction. The PDF and the DOCX are built in the background, like exports:
 * POST emits `RecordRequested`, the worker gathers the visit's facts and photos and writes both
 * files (shared/app/record-build.ts, the worker's own module so that the routes bundle no PDF,
 * DOCX or image library), and GET reports the record and, when ready, short-lived download links.
 */
import { InvalidStateError, UnavailableError } from '#domain/errors.ts';
import { localDate } from '#domain/period.ts';
import { type RecordSettings, recordNumberText } from '#domain/record.ts';
import { StaleWriteError } from '#ports/errors.ts';
import type { InspectionRecord, VisitRecord } from '#ports/records.ts';
import { eventTypes } from '#routes/integration.ts';
import type { Deps } from './deps.ts';
import { type Caller, inJurisdiction, nameBasedId, notFound } from './support.ts';
import { loadVisit } from './visits.ts';

/** The event's detail-type; its detail is `{ recordId }`. */
export const recordRequested = eventTypes.recordRequested;

/** Download links live at most this long (API.md: within 300 s). */
export const recordDownloadSeconds = 300;

/**
 * A record still building this long after it was started has died with its worker (which runs
 * at most 5 minutes): it reads as failed, and the same POST starts it again under its number.
 */
export const recordStaleAfterMs = 10 * 60 * 1000;

export const pdfContentType = 'application/pdf';
export const docxContentType = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** What POST /v1/visits/{visitId}/record answers: 202 while building, 200 when already built. */
export interface RecordStarted {
  recordId: string;
  status: 'running' | 'ready' | 'signed';
}

/** What GET /v1/records/{recordId} answers. */
export interface RecordView {
  recordId: string;
  visitId: string;
  number: number;
  /** `Số: 12/BB-SNV`. */
  numberText: string;
  year: number;
  /** `signed` once a file of its signed scan is verified. */
  status: 'running' | 'ready' | 'failed' | 'signed';
  createdAt: string;
  signedAt: string | null;
  pdfUrl?: string;
  docxUrl?: string;
  expiresAt?: string;
  /** The files of its signed scan; verified ones with a download link. */
  scans: Array<{
    fileId: string;
    contentType: string;
    sizeBytes: number;
    status: 'pending' | 'verified' | 'rejected';
    reason: string | null;
    downloadUrl?: string;
  }>;
}

const signed = (record: InspectionRecord) => record.status === 'ready' && Boolean(record.signedAt);

const recordNotFound = () => notFound({ vi: 'Không tìm thấy biên bản.', en: 'Record not found.' });

/** The record's ID: one per visit and etag, so an unchanged visit has one record. */
export function recordIdOf(visit: Pick<VisitRecord, 'visitId' | 'etag'>): string {
  return nameBasedId(`record#${visit.visitId}#${visit.etag}`);
}

export const isStale = (record: InspectionRecord, now: Date) =>
  record.status === 'running' && now.getTime() - Date.parse(record.updatedAt) > recordStaleAfterMs;

/**
 * POST /v1/visits/{visitId}/record: a visit outside the caller's scope is 404 like a missing
 * one; one that is not approved (draft, submitted, returned, revoked, or an approval still
 * completing) is 409 `invalid_state`. A record found ready is answered (200); one found failed
 * or dead starts again with its number; one found running is announced again (its request may
 * have died before the event went out; the worker leaves a record no longer running alone).
 */
export async function createRecord(
  deps: Pick<Deps, 'clock' | 'events' | 'records' | 'visits'>,
  caller: Caller,
  visitId: string,
  settings: Pick<RecordSettings, 'symbol'>,
): Promise<{ status: 200 | 202; body: RecordStarted }> {
  const visit = await loadVisit(deps, caller, visitId, true);
  if (visit.status !== 'approved') {
    throw new InvalidStateError({
      vi: 'Chỉ buổi kiểm tra đã được phê duyệt mới lập được biên bản.',
      en: 'Only an approved visit has a record.',
    });
  }
  const now = deps.clock.now();
  const at = now.toISOString();
  const made = await deps.records.createRecord({
    recordId: recordIdOf(visit),
    visitId: visit.visitId,
    visitEtag: visit.etag,
    unitPath: visit.unitPath,
    agency: settings.symbol,
    year: Number(localDate(now).slice(0, 4)),
    status: 'running',
    pdfKey: null,
    docxKey: null,
    error: null,
    createdBy: caller.sub,
    createdAt: at,
    updatedAt: at,
  });
  let record = made.record;
  if (!made.created) {
    if (record.status === 'ready') {
      return {
        status: 200,
        body: { recordId: record.recordId, status: signed(record) ? 'signed' : 'ready' },
      };
    }
    if (record.status === 'failed' || isStale(record, now)) {
      const restarted: InspectionRecord = { ...record, status: 'running', error: null, updatedAt: at };
      try {
        await deps.records.saveRecord(restarted, record.updatedAt);
        record = restarted;
      } catch (error) {
        if (!(error instanceof StaleWriteError)) throw error;
        // A twin request restarted it first: that one announces it.
        return { status: 202, body: { recordId: record.recordId, status: 'running' } };
      }
    }
  }
  try {
    await deps.events.publish({ type: recordRequested, detail: { recordId: record.recordId } });
  } catch (error) {
    if (record.updatedAt === at) {
      const reason = error instanceof Error ? error.message : String(error);
      await deps.records
        .saveRecord({ ...record, status: 'failed', error: `Not started: ${reason}` }, record.updatedAt)
        .catch(() => undefined);
    }
    throw new UnavailableError({
      vi: 'Không thể bắt đầu lập biên bản lúc này; vui lòng thử lại sau.',
      en: 'The record could not be started now; please try again later.',
    });
  }
  return { status: 202, body: { recordId: record.recordId, status: 'running' } };
}

/**
 * GET /v1/records/{recordId}: the reviewers of the visit's subtree see it (anyone else: 404).
 * When ready, links to the PDF and the DOCX valid for 300 s, each saved under the record's
 * number (`bien-ban-12-BB-SNV-2026.pdf`).
 */
export async function getRecord(
  deps: Pick<Deps, 'clock' | 'files' | 'records'>,
  caller: Caller,
  recordId: string,
): Promise<RecordView> {
  const record = await deps.records.getRecord(recordId, false);
  if (!record || !inJurisdiction(caller, record.unitPath)) throw recordNotFound();
  const view: RecordView = {
    recordId: record.recordId,
    visitId: record.visitId,
    number: record.number,
    numberText: recordNumberText(record.number, record.agency),
    year: record.year,
    status: signed(record)
      ? 'signed'
      : record.status === 'running' && isStale(record, deps.clock.now())
        ? 'failed'
        : record.status,
    createdAt: record.createdAt,
    signedAt: record.signedAt ?? null,
    scans: [],
  };
  if (record.status !== 'ready' || record.pdfKey === null || record.docxKey === null) return view;
  const fileName = `bien-ban-${record.number}-BB-${record.agency}-${record.year}`;
  const [pdf, docx, scans] = await Promise.all([
    deps.files.presignDownload(record.pdfKey, recordDownloadSeconds, {
      fileName: `${fileName}.pdf`,
      contentType: pdfContentType,
    }),
    deps.files.presignDownload(record.docxKey, recordDownloadSeconds, {
      fileName: `${fileName}.docx`,
      contentType: docxContentType,
    }),
    Promise.all(
      (record.scans ?? []).map(async (file, i) => {
        const shown = {
          fileId: file.fileId,
          contentType: file.contentType,
          sizeBytes: file.sizeBytes,
          status: file.status,
          reason: file.reason,
        };
        if (file.status !== 'verified') return shown;
        // The verified version exactly (the photos' rule): a later upload never replaces it.
        const link = await deps.files.presignDownload(file.objectKey, recordDownloadSeconds, {
          fileName: `${fileName}-ban-ky-${i + 1}.${file.contentType === pdfContentType ? 'pdf' : 'jpg'}`,
          contentType: file.contentType,
          versionId: file.versionId,
        });
        return { ...shown, downloadUrl: link.url };
      }),
    ),
  ]);
  return { ...view, pdfUrl: pdf.url, docxUrl: docx.url, expiresAt: pdf.expiresAt, scans };
}
