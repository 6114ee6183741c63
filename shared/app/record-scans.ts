/**
 * The signed record (docs/records.md): once the paper record is signed, staff upload its scan
 * (one PDF, or JPEG photos of its pages) through the photos' path: each file is registered with
 * its size and SHA-256 and answered a presigned form for a fresh key under `scans/`, and the
 * verifier on the bucket's object-created events checks the upload (size, hash, whole
 * structure) and settles the file on the record. The first verified file makes the record
 * `signed`; its files are downloaded through GET /v1/records/{recordId}.
 */
import { ConflictError, InvalidStateError } from '#domain/errors.ts';
import { type ScanInput, scanLimits, scanVerdict } from '#domain/scan.ts';
import { StaleWriteError } from '#ports/errors.ts';
import type { InspectionRecord, RecordScanFile } from '#ports/records.ts';
import type { Deps } from './deps.ts';
import { type Caller, inJurisdiction, newId, notFound } from './support.ts';

/** Upload forms live at most this long (as the photos' do). */
export const scanFormSeconds = 300;

const recordNotFound = () => notFound({ vi: 'Không tìm thấy biên bản.', en: 'Record not found.' });

/** Each form names a fresh key, so a later upload never overwrites a verified scan. */
export function scanObjectKey(recordId: string, fileId: string): string {
  return `scans/${recordId}/${fileId}/${newId()}`;
}

/** `scans/<recordId>/<fileId>/<nonce>` back to its parts, or null for anything else. */
export function parseScanObjectKey(key: string): { recordId: string; fileId: string } | null {
  const match = /^scans\/([0-9a-f-]{36})\/([0-9a-f-]{36})\/[0-9a-f-]{36}$/.exec(key);
  return match?.[1] && match[2] ? { recordId: match[1], fileId: match[2] } : null;
}

/** What POST /v1/records/{recordId}/scans answers: the file, and a form unless it is verified. */
export interface ScanRegistered {
  fileId: string;
  status: RecordScanFile['status'];
  upload?: { url: string; fields: Record<string, string> };
  expiresAt?: string;
}

const sameFile = (file: RecordScanFile, input: ScanInput) =>
  file.contentType === input.contentType &&
  file.sizeBytes === input.sizeBytes &&
  file.sha256 === input.sha256;

/**
 * POST /v1/records/{recordId}/scans: registers one file of the signed scan of a built record
 * (a record being built or failed is 409 `invalid_state`; another jurisdiction's is 404) and
 * answers a presigned form (201). The same file again renews the form of a pending or rejected
 * file (200) and answers a verified one without a form; other metadata under its ID is 409.
 */
export async function createRecordScan(
  deps: Pick<Deps, 'clock' | 'files' | 'records'>,
  caller: Caller,
  recordId: string,
  input: ScanInput,
): Promise<{ status: 200 | 201; body: ScanRegistered }> {
  for (let attempt = 0; ; attempt++) {
    const record = await deps.records.getRecord(recordId);
    if (!record || !inJurisdiction(caller, record.unitPath)) throw recordNotFound();
    if (record.status !== 'ready') {
      throw new InvalidStateError({
        vi: 'Chỉ tải bản ký của biên bản đã lập xong.',
        en: 'Only a built record takes its signed scan.',
      });
    }
    const scans = record.scans ?? [];
    const existing = scans.find((file) => file.fileId === input.fileId);
    if (existing && !sameFile(existing, input)) {
      throw new ConflictError({
        vi: 'Mã tệp này đã được dùng cho một tệp khác của biên bản.',
        en: 'This file ID is already used by another file of the record.',
      });
    }
    if (existing?.status === 'verified') {
      return { status: 200, body: { fileId: existing.fileId, status: 'verified' } };
    }
    if (!existing && scans.length >= scanLimits.files) {
      throw new InvalidStateError({
        vi: `Một biên bản có tối đa ${scanLimits.files} tệp bản ký.`,
        en: `A record has at most ${scanLimits.files} scan files.`,
      });
    }
    const now = deps.clock.now().toISOString();
    const file: RecordScanFile = {
      fileId: input.fileId,
      contentType: input.contentType,
      sizeBytes: input.sizeBytes,
      sha256: input.sha256,
      objectKey: scanObjectKey(record.recordId, input.fileId),
      status: 'pending',
      reason: null,
      versionId: null,
      createdBy: existing?.createdBy ?? caller.sub,
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
    };
    const next: InspectionRecord = {
      ...record,
      scans: existing ? scans.map((f) => (f.fileId === file.fileId ? file : f)) : [...scans, file],
      updatedAt: now,
    };
    try {
      await deps.records.saveRecord(next, record.updatedAt);
    } catch (error) {
      // Another file registered, or one verified, at the same moment: read again.
      if (error instanceof StaleWriteError && attempt < 5) continue;
      throw error;
    }
    const form = await deps.files.presignUpload(
      file.objectKey,
      file.contentType,
      file.sizeBytes,
      scanFormSeconds,
    );
    return {
      status: existing ? 200 : 201,
      body: {
        fileId: file.fileId,
        status: 'pending',
        upload: { url: form.url, fields: form.fields },
        expiresAt: form.expiresAt,
      },
    };
  }
}

export type ScanVerification = 'verified' | 'rejected' | 'ignored';

/**
 * The verifier's part for scan files: acts only on a pending file that still names this very
 * object; an object no file names (an old form's upload) is deleted. A rejected upload is
 * deleted too; the first verified file sets the record's `signedAt`.
 */
export async function verifyScanObject(
  deps: Pick<Deps, 'clock' | 'files' | 'records'>,
  object: { key: string; versionId: string | null },
): Promise<ScanVerification> {
  const parsed = parseScanObjectKey(object.key);
  if (!parsed) return 'ignored';
  let stored: Awaited<ReturnType<Deps['files']['inspect']>> | undefined;
  for (let attempt = 0; ; attempt++) {
    const record = await deps.records.getRecord(parsed.recordId);
    const file = record?.scans?.find((candidate) => candidate.fileId === parsed.fileId);
    if (!record || !file || file.objectKey !== object.key) {
      await deps.files.remove(object.key, object.versionId);
      return 'ignored';
    }
    if (file.status !== 'pending') {
      if (file.status === 'rejected') await deps.files.remove(object.key, object.versionId);
      return 'ignored';
    }
    stored ??= await deps.files.inspect(object.key, object.versionId, file.sizeBytes);
    if (!stored) return 'ignored';
    const rejection = scanVerdict(file, stored);
    const now = deps.clock.now().toISOString();
    const settled: RecordScanFile = {
      ...file,
      status: rejection ? 'rejected' : 'verified',
      reason: rejection,
      versionId: stored.versionId ?? object.versionId,
      updatedAt: now,
    };
    try {
      await deps.records.saveRecord(
        {
          ...record,
          scans: (record.scans ?? []).map((f) => (f.fileId === file.fileId ? settled : f)),
          signedAt: record.signedAt ?? (rejection ? null : now),
          updatedAt: now,
        },
        record.updatedAt,
      );
    } catch (error) {
      // Another file of the record settled or registered meanwhile: settle this one on top.
      if (error instanceof StaleWriteError && attempt < 10) continue;
      throw error;
    }
    if (rejection) await deps.files.remove(object.key, settled.versionId);
    return rejection ? 'rejected' : 'verified';
  }
}
