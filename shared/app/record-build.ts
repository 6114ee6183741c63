/**
 * The record worker's use case (docs/records.md): gathers an inspection record's facts and
 * photos, draws the PDF and the DOCX from one content, writes both and marks the record. A
 * module of its own, so that only the worker bundles pdfkit, docx and the image decoders.
 */
import { DomainError } from '#domain/errors.ts';
import { limits } from '#domain/ids.ts';
import { type RecordFacts, type RecordSettings, recordDocument } from '#domain/record.ts';
import { bandFor, scoreVisit } from '#domain/scoring.ts';
import { StaleWriteError } from '#ports/errors.ts';
import type { InspectionRecord, PhotoRecord } from '#ports/records.ts';
import type { Deps } from './deps.ts';
import { approvalCommitted } from './findings.ts';
import { type RecordImage, recordImage } from './record-assets.ts';
import { recordDocx } from './record-docx.ts';
import { recordPdf } from './record-pdf.ts';
import { docxContentType, isStale, pdfContentType } from './records.ts';
import { evidenceView } from './visits.ts';

/** How a run of the record worker ended. */
export type RecordRun =
  | { outcome: 'ready'; pages?: number; photos: number; bytes: { pdf: number; docx: number } }
  | { outcome: 'failed'; error: unknown }
  | { outcome: 'skipped'; reason: string };

/**
 * The worker: gathers the visit's facts (unit, template version, score, committed findings,
 * review, verified photos with their evidence), builds the record's content once, draws it as
 * PDF and DOCX into `records/<recordId>.pdf|.docx`, and marks the record ready (or failed with
 * the reason; its number stays). Events arrive at least once: a record no longer running is
 * left alone, and of two runs of one record the first to finish marks it.
 */
export async function runRecord(
  deps: Pick<Deps, 'clock' | 'files' | 'findings' | 'records' | 'templates' | 'units' | 'visits'>,
  recordId: string,
  settings: RecordSettings,
): Promise<RecordRun> {
  const record = await deps.records.getRecord(recordId);
  if (!record) return { outcome: 'skipped', reason: 'no such record' };
  if (record.status !== 'running') return { outcome: 'skipped', reason: `already ${record.status}` };
  const finish = async (change: Partial<InspectionRecord>): Promise<boolean> => {
    try {
      await deps.records.saveRecord(
        { ...record, ...change, updatedAt: deps.clock.now().toISOString() },
        record.updatedAt,
      );
      return true;
    } catch (error) {
      if (error instanceof StaleWriteError) return false;
      throw error;
    }
  };
  if (isStale(record, deps.clock.now())) {
    await finish({ status: 'failed', error: 'timed out' });
    return { outcome: 'failed', error: new Error('timed out') };
  }
  try {
    const { facts, images } = await recordInputs(deps, record, settings);
    const content = recordDocument(facts);
    const pdf = await recordPdf(content, images);
    const docx = await recordDocx(content, images);
    const pdfKey = `records/${record.recordId}.pdf`;
    const docxKey = `records/${record.recordId}.docx`;
    await deps.files.write(pdfKey, once(pdf), pdfContentType);
    await deps.files.write(docxKey, once(docx), docxContentType);
    if (isStale(record, deps.clock.now()))
      throw new Error('timed out: the record took longer than its cutoff');
    if (!(await finish({ status: 'ready', pdfKey, docxKey, error: null }))) {
      return { outcome: 'skipped', reason: 'changed while it was built (another run or a restart)' };
    }
    return {
      outcome: 'ready',
      photos: facts.photos.length,
      bytes: { pdf: pdf.length, docx: docx.length },
    };
  } catch (error) {
    const reason =
      error instanceof DomainError ? error.detail.en : error instanceof Error ? error.message : String(error);
    await finish({ status: 'failed', error: reason.slice(0, 1000) });
    return { outcome: 'failed', error };
  }
}

async function* once(bytes: Uint8Array): AsyncIterable<Uint8Array> {
  yield bytes;
}

/** Everything the record says, read as the visit stood when the record was asked for. */
async function recordInputs(
  deps: Pick<Deps, 'files' | 'findings' | 'templates' | 'units' | 'visits'>,
  record: InspectionRecord,
  settings: RecordSettings,
): Promise<{ facts: RecordFacts; images: Map<string, RecordImage> }> {
  const details = await deps.visits.visitDetails(record.visitId, true);
  const visit = details?.visit;
  if (!details || !visit || visit.etag !== record.visitEtag || visit.status !== 'approved' || !visit.review) {
    throw new Error('the visit is no longer as it was when its record was asked for');
  }
  const [unit, template, findings] = await Promise.all([
    deps.units.getUnit(visit.unitId),
    deps.templates.getTemplateVersion(visit.templateId, visit.templateVersion),
    deps.findings.listVisitFindings(visit.visitId),
  ]);
  if (!unit || !template) throw new Error('the visit’s unit or template version is missing');
  const context = visit.evidenceContext ?? {
    office: unit.office ?? null,
    radiusM: template.evidence?.radiusM ?? null,
  };
  const photos = details.photos
    .filter((photo) => photo.status === 'verified')
    .sort((a, b) => (a.capturedAt ?? a.createdAt).localeCompare(b.capturedAt ?? b.createdAt));
  const evidence = evidenceView(visit, { facts: details.evidence, ...context }, photos);
  const byPhoto = new Map(evidence.photos.map((photo) => [photo.photoId, photo]));
  const scored = scoreVisit(template, visit.answers, visit.deductions ?? []);
  const facts: RecordFacts = {
    number: record.number,
    issuedAt: record.createdAt,
    settings,
    unitName: unit.name,
    visit: {
      startedAt: visit.startedAt,
      endedAt: visit.endedAt,
      team: visit.team,
      unitRepresentatives: visit.unitRepresentatives,
      deductions: visit.deductions,
      inspectorName: visit.inspectorName,
    },
    review: {
      comment: visit.review.comment,
      requests: visit.review.requests ?? [],
      at: visit.review.at,
      by: visit.review.by,
    },
    template,
    scored,
    band: bandFor(scored.score, template.bands),
    findings: findings
      .filter((finding) => approvalCommitted(visit, finding))
      .map((finding) => ({
        title: finding.title.vi,
        severity: finding.severity,
        dueDate: finding.dueDate,
        itemCode: finding.itemCode,
        sectionCode: finding.sectionCode,
      })),
    photos: photos.map((photo) => {
      const measured = byPhoto.get(photo.photoId);
      return {
        photoId: photo.photoId,
        itemCode: photo.itemCode,
        capturedAt: photo.capturedAt,
        location: photo.location,
        flags: measured?.flags ?? [],
        ...(measured && measured.distanceM !== null
          ? { distanceM: measured.distanceM, radiusM: evidence.radiusM }
          : {}),
      };
    }),
  };
  // One photo at a time: only its downscaled JPEG is kept.
  const images = new Map<string, RecordImage>();
  for (const photo of photos) images.set(photo.photoId, await photoImage(deps, photo));
  return { facts, images };
}

/** The verified version of a photo, as the record embeds it. */
async function photoImage(deps: Pick<Deps, 'files'>, photo: PhotoRecord): Promise<RecordImage> {
  const stored = await deps.files.inspect(photo.objectKey, photo.versionId, limits.photoBytes);
  if (!stored?.bytes) return { ok: false, reason: 'không đọc được tệp ảnh' };
  return recordImage(stored.bytes, photo.contentType);
}
