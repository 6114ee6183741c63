import { hammingDistance } from '#domain/dhash.ts';
import { ConflictError, InvalidStateError, UnknownReferenceError, ValidationError } from '#domain/errors.ts';
import { evidenceRules, type PhotoFacts } from '#domain/evidence.ts';
import { limits } from '#domain/ids.ts';
import { photoFileExtension, photoVerdict } from '#domain/image.ts';
import { type PhotoInput, photoProblems } from '#domain/visit.ts';
import { StaleWriteError } from '#ports/errors.ts';
import type { PhotoRecord, VisitRecord } from '#ports/records.ts';
import type { ObjectDeletion } from '#ports/store.ts';
import type { Deps } from './deps.ts';
import { deleteObjectsSoon } from './object-deletions.ts';
import { type Caller, inJurisdiction, newId, notFound, sameJson } from './support.ts';
import { loadVisit, photoView, visitNotFound } from './visits.ts';

/** Upload and download URLs live at most this long (API.md: within 300 s). */
export const urlLifetimeSeconds = 300;

const photoNotFound = () => notFound({ vi: 'Không tìm thấy ảnh.', en: 'Photo not found.' });
const editable = (visit: VisitRecord) => visit.status === 'draft' || visit.status === 'returned';

function notEditable(): InvalidStateError {
  return new InvalidStateError({
    vi: 'Chỉ thêm hoặc xoá ảnh khi buổi kiểm tra đang nháp hoặc bị trả lại.',
    en: 'Photos change only while the visit is a draft or returned.',
  });
}

/** Each form names a fresh key, so a later upload can never overwrite verified evidence. */
export function photoObjectKey(visitId: string, photoId: string): string {
  return `photos/${visitId}/${photoId}/${newId()}`;
}

/** `photos/<visitId>/<photoId>/<nonce>` back to its parts, or null for anything else. */
export function parsePhotoObjectKey(key: string): { visitId: string; photoId: string } | null {
  const match = /^photos\/([0-9a-f-]{36})\/([0-9a-f-]{36})\/[0-9a-f-]{36}$/.exec(key);
  return match?.[1] && match[2] ? { visitId: match[1], photoId: match[2] } : null;
}

function metadataOf(photo: PhotoInput | PhotoRecord): PhotoInput {
  return {
    photoId: photo.photoId,
    itemCode: photo.itemCode,
    contentType: photo.contentType,
    sizeBytes: photo.sizeBytes,
    sha256: photo.sha256,
    ...(photo.capturedAt !== undefined ? { capturedAt: photo.capturedAt } : {}),
    ...(photo.location !== undefined ? { location: photo.location } : {}),
  };
}

async function ownVisit(deps: Pick<Deps, 'visits'>, caller: Caller, visitId: string): Promise<VisitRecord> {
  const visit = await deps.visits.getVisit(visitId, true);
  if (!visit || visit.inspectorId !== caller.sub || !inJurisdiction(caller, visit.unitPath))
    throw visitNotFound();
  return visit;
}

async function withUploadForm(deps: Pick<Deps, 'files'>, photo: PhotoRecord) {
  const form = await deps.files.presignUpload(
    photo.objectKey,
    photo.contentType,
    photo.sizeBytes,
    urlLifetimeSeconds,
  );
  return {
    photoId: photo.photoId,
    status: photo.status,
    upload: { url: form.url, fields: form.fields },
    expiresAt: form.expiresAt,
  };
}

/**
 * POST /v1/visits/{visitId}/photos: registers a photo and answers a presigned form for a fresh
 * key. The same metadata again renews the form of a pending or rejected photo and answers a
 * verified one without a form; other metadata under the same photo ID is 409.
 */
export async function createPhoto(
  deps: Pick<Deps, 'clock' | 'files' | 'templates' | 'visits'>,
  caller: Caller,
  visitId: string,
  input: PhotoInput,
): Promise<{ status: 200 | 201; body: Record<string, unknown> }> {
  const visit = await ownVisit(deps, caller, visitId);
  for (let attempt = 0; attempt < 3; attempt++) {
    const existing = await deps.visits.getPhoto(visitId, input.photoId, true);
    if (existing) {
      if (!sameJson(metadataOf(existing), metadataOf(input))) {
        throw new ConflictError({
          vi: 'Mã ảnh này đã được dùng cho một ảnh khác.',
          en: 'This photo ID is already used by a different photo.',
        });
      }
      if (existing.status === 'verified')
        return { status: 200, body: { photoId: existing.photoId, status: 'verified' } };
      if (!editable(visit)) throw notEditable();
      const renewed: PhotoRecord = {
        ...existing,
        status: 'pending',
        reason: null,
        objectKey: photoObjectKey(visitId, input.photoId),
        versionId: null,
        updatedAt: deps.clock.now().toISOString(),
      };
      try {
        await deps.visits.replacePhoto(renewed, existing.objectKey);
        return { status: 200, body: await withUploadForm(deps, renewed) };
      } catch (error) {
        if (!(error instanceof StaleWriteError)) throw error;
        continue;
      }
    }
    if (!editable(visit)) throw notEditable();
    const template = await deps.templates.getTemplateVersion(visit.templateId, visit.templateVersion);
    if (!template)
      throw new UnknownReferenceError({
        vi: 'Phiếu kiểm tra không tồn tại.',
        en: 'The template does not exist.',
      });
    const problems = photoProblems(template, input);
    if (problems.length > 0)
      throw new ValidationError({ vi: 'Ảnh không hợp lệ.', en: 'The photo is not valid.' }, problems);
    const now = deps.clock.now().toISOString();
    const photo: PhotoRecord = {
      ...metadataOf(input),
      visitId,
      status: 'pending',
      reason: null,
      objectKey: photoObjectKey(visitId, input.photoId),
      versionId: null,
      createdAt: now,
      updatedAt: now,
    };
    try {
      await deps.visits.addPhoto(photo, limits.photosPerVisit);
      return { status: 201, body: await withUploadForm(deps, photo) };
    } catch (error) {
      if (!(error instanceof StaleWriteError)) throw error;
      // A twin registered it, the visit left draft, or the visit is full: look again.
      const current = await deps.visits.getVisit(visitId, true);
      if (!current || !editable(current)) throw notEditable();
      if ((await deps.visits.getPhoto(visitId, input.photoId, true)) === null) {
        throw new ValidationError(
          { vi: 'Buổi kiểm tra đã đủ số ảnh tối đa.', en: 'The visit has the most photos allowed.' },
          [
            {
              path: 'photoId',
              message: {
                vi: `Mỗi buổi kiểm tra có tối đa ${limits.photosPerVisit} ảnh.`,
                en: `A visit has at most ${limits.photosPerVisit} photos.`,
              },
            },
          ],
        );
      }
    }
  }
  throw new ConflictError({
    vi: 'Ảnh đang được cập nhật đồng thời; hãy thử lại.',
    en: 'The photo is changing concurrently; try again.',
  });
}

/** GET one photo: metadata and status; a download URL only once verified. */
export async function getPhoto(
  deps: Pick<Deps, 'files' | 'visits'>,
  caller: Caller,
  visitId: string,
  photoId: string,
) {
  await loadVisit(deps, caller, visitId);
  const photo = await deps.visits.getPhoto(visitId, photoId);
  if (!photo) throw photoNotFound();
  if (photo.status !== 'verified') return photoView(photo);
  // Saved as a file of the declared (and verified) type, never rendered inline by the browser.
  const download = await deps.files.presignDownload(photo.objectKey, urlLifetimeSeconds, {
    versionId: photo.versionId,
    fileName: `${photo.photoId}.${photoFileExtension(photo.contentType)}`,
    contentType: photo.contentType,
  });
  return { ...photoView(photo), downloadUrl: download.url, downloadExpiresAt: download.expiresAt };
}

/**
 * DELETE one photo of an editable visit: the record (with the deletion of its object set in the
 * same transaction), then the object.
 */
export async function deletePhoto(
  deps: Pick<Deps, 'clock' | 'files' | 'visits'>,
  caller: Caller,
  visitId: string,
  photoId: string,
): Promise<void> {
  const visit = await ownVisit(deps, caller, visitId);
  const photo = await deps.visits.getPhoto(visitId, photoId, true);
  if (!photo) throw photoNotFound();
  if (!editable(visit)) throw notEditable();
  const deletion: ObjectDeletion = {
    deletionId: newId(),
    visitId,
    objectKeys: [photo.objectKey],
    since: deps.clock.now().toISOString(),
  };
  try {
    await deps.visits.removePhoto(photo, deletion);
  } catch (error) {
    if (!(error instanceof StaleWriteError)) throw error;
    const current = await deps.visits.getVisit(visitId, true);
    if (!current || !editable(current)) throw notEditable();
    // Replaced or removed meanwhile: a retried DELETE of a photo that is gone is done.
    if (await deps.visits.getPhoto(visitId, photoId, true)) throw error;
    return;
  }
  await deleteObjectsSoon(deps, deletion);
}

export type VerificationOutcome = 'verified' | 'rejected' | 'ignored';

/**
 * The S3 object-created verifier. Events come at least once and in any order, so it acts only
 * when the photo is pending and still names this very object; an object no photo names (an old
 * form's upload) is deleted, as nothing can ever use it. The verdict reads the object once:
 * size, SHA-256, magic numbers, then the whole file's structure (shared/domain/image.ts), so a
 * JPEG header in front of a page or half a photo is rejected, and its object deleted.
 */
export async function verifyPhotoObject(
  deps: Pick<Deps, 'clock' | 'files' | 'images' | 'visits'>,
  object: { key: string; versionId: string | null },
): Promise<VerificationOutcome> {
  const parsed = parsePhotoObjectKey(object.key);
  if (!parsed) return 'ignored';
  const photo = await deps.visits.getPhoto(parsed.visitId, parsed.photoId, true);
  if (!photo || photo.objectKey !== object.key) {
    await deps.files.remove(object.key, object.versionId);
    return 'ignored';
  }
  if (photo.status !== 'pending') {
    if (photo.status === 'verified') await guardSettledEvidence(deps, photo, object);
    // A rejected photo's form posted again: nothing will ever use that upload.
    if (photo.status === 'rejected') await deps.files.remove(object.key, object.versionId);
    return 'ignored';
  }
  // The bytes are kept up to the declared size (at most 10 MiB) for the structure check.
  const stored = await deps.files.inspect(object.key, object.versionId, photo.sizeBytes);
  if (!stored) return 'ignored';
  const rejection = photoVerdict(photo, stored);
  const now = deps.clock.now().toISOString();
  // The evidence is recorded before the photo settles: a verifier that dies between the two is
  // retried and records it again, while a settled photo is never verified twice.
  const evidence = rejection || !stored.bytes ? null : await recordEvidence(deps, photo, stored.bytes, now);
  const settled: PhotoRecord = {
    ...photo,
    status: rejection ? 'rejected' : 'verified',
    reason: rejection,
    versionId: stored.versionId ?? object.versionId,
    ...(evidence ? { dHash: evidence.facts.dHash } : {}),
    updatedAt: now,
  };
  try {
    await deps.visits.settlePhoto(settled, object.key, 'pending', evidence?.placement);
  } catch (error) {
    if (!(error instanceof StaleWriteError)) throw error;
    return 'ignored';
  }
  if (rejection) await deps.files.remove(object.key, stored.versionId ?? object.versionId);
  return rejection ? 'rejected' : 'verified';
}

/**
 * What a verified photo's bytes and its copies say (docs/evidence.md): EXIF time and GPS, its
 * dHash, the photos of other visits with the same SHA-256, and those of other visits of the
 * same unit or inspector whose dHash is within the near-duplicate distance. Stored in the
 * visit's evidence item, so the visit and its etag never change.
 */
async function recordEvidence(
  deps: Pick<Deps, 'images' | 'visits'>,
  photo: PhotoRecord,
  bytes: Uint8Array,
  receivedAt: string,
) {
  const visit = await deps.visits.getVisit(photo.visitId, true);
  if (!visit) return null;
  const image = await deps.images.read(bytes, photo.contentType);
  const [sameFile, hashes] = await Promise.all([
    deps.visits.photosWithSha256(photo.sha256),
    image.dHash === null
      ? Promise.resolve([])
      : deps.visits.photoHashesNear(
          { unitId: visit.unitId, depth: visit.unitPath.length - 1 },
          visit.inspectorId,
        ),
  ]);
  const reusedFrom = sameFile.filter((match) => match.visitId !== photo.visitId);
  const reusedIds = new Set(reusedFrom.map((match) => match.photoId));
  const near = new Map<string, PhotoFacts['nearDuplicateOf'][number]>();
  for (const other of hashes) {
    if (other.visitId === photo.visitId || reusedIds.has(other.photoId) || image.dHash === null) continue;
    const bits = hammingDistance(image.dHash, other.dHash);
    if (bits <= evidenceRules.nearDuplicateBits)
      near.set(other.photoId, { visitId: other.visitId, photoId: other.photoId, bits });
  }
  const facts: PhotoFacts = {
    photoId: photo.photoId,
    itemCode: photo.itemCode,
    declared: { capturedAt: photo.capturedAt ?? null, location: photo.location ?? null },
    exif: image.exif,
    receivedAt,
    sha256: photo.sha256,
    dHash: image.dHash,
    reusedFrom,
    nearDuplicateOf: [...near.values()],
  };
  await deps.visits.recordPhotoFacts(photo.visitId, facts);
  return {
    facts,
    placement: {
      unitPath: visit.unitPath,
      inspectorId: visit.inspectorId,
      capturedAt: photo.capturedAt ?? image.exif?.takenAt ?? receivedAt,
    },
  };
}

/**
 * An upload form stays usable for its lifetime, so the same form can be posted again after the
 * photo was verified. With a versioned bucket the new version is deleted and the settled one
 * stays what downloads name. Without versions (s3rver) the bytes were replaced in place: if they
 * no longer match what was declared, the photo can no longer count as evidence.
 */
async function guardSettledEvidence(
  deps: Pick<Deps, 'clock' | 'files' | 'visits'>,
  photo: PhotoRecord,
  object: { key: string; versionId: string | null },
): Promise<void> {
  if (object.versionId !== null) {
    if (object.versionId !== photo.versionId) await deps.files.remove(object.key, object.versionId);
    return;
  }
  const stored = await deps.files.inspect(object.key, null, photo.sizeBytes);
  if (!stored || photoVerdict(photo, stored) === null) return;
  const replaced: PhotoRecord = {
    ...photo,
    status: 'rejected',
    reason: 'replaced',
    updatedAt: deps.clock.now().toISOString(),
  };
  try {
    await deps.visits.settlePhoto(replaced, object.key, 'verified');
  } catch (error) {
    if (!(error instanceof StaleWriteError)) throw error;
    return;
  }
  await deps.files.remove(object.key);
}
