/**
 * Proof of place and time over DynamoDB Local and s3rver (issue 16): photos declared near and
 * far from the unit's office, inside and outside the visit's window, without a location or with
 * a poor one, an original whose EXIF GPS disagrees with the declaration, the same file in
 * another visit, and the same picture re-encoded at another quality; each with the flags
 * expected, in GET /v1/visits/{id} and the review queue, and never changing the visit's etag.
 */
import { randomUUID } from 'node:crypto';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  people,
  referenceTemplate,
  seedProvince,
  sha256,
  startApi,
  uploadWithForm,
  visitBody,
  waitForPhoto,
} from '#tests/support/api.ts';
import { pictureJpeg, withExif } from '#tests/support/images.ts';
import { type Caller, invoke } from '#tests/support/invoke.ts';

let api: Awaited<ReturnType<typeof startApi>>;
// Phường Trường Vinh's one-stop counter; 0.001° of latitude is 111.2 m.
const office = { lat: 18.6733, lng: 105.692 };
const north = (metres: number) => ({ lat: office.lat + metres / 111_195.08, lng: office.lng });

beforeAll(async () => {
  api = await startApi('evidence');
  await seedProvince();
  const unit = await invoke('getUnit', { params: { unitId: 'W1' }, as: people.admin });
  const body = { name: 'Phường Trường Vinh', kind: 'ward', parentId: 'NA', code: '16690', office };
  const put = await invoke('putUnit', {
    params: { unitId: 'W1' },
    body,
    headers: { 'if-match': `"${unit.etag}"` },
    as: people.admin,
  });
  expect(put.status, JSON.stringify(put.body)).toBe(200);
  expect((put.body as { office: unknown }).office).toEqual(office);
});
afterAll(async () => {
  await api.close();
});

interface Evidence {
  visitDistanceM: number | null;
  radiusM: number;
  flags: Array<{ flag: string; photoIds: string[] }>;
  photos: Array<{ photoId: string; distanceM: number | null; offsetMinutes: number; flags: string[] }>;
}

async function newVisit(as: Caller, extra: Record<string, unknown> = {}) {
  const visitId = randomUUID();
  const put = await invoke('putVisit', {
    params: { visitId },
    body: visitBody({ location: { ...north(30), accuracyM: 10 }, ...extra }),
    as,
  });
  expect(put.status, JSON.stringify(put.body)).toBe(201);
  return { visitId, etag: put.etag };
}

async function photo(
  visitId: string,
  bytes: Buffer,
  declared: {
    itemCode?: string;
    capturedAt?: string;
    location?: { lat: number; lng: number; accuracyM: number };
  },
  as: Caller,
) {
  const photoId = randomUUID();
  const { itemCode = 'A5', ...rest } = declared;
  const created = await invoke('createPhoto', {
    params: { visitId },
    body: {
      photoId,
      itemCode,
      contentType: 'image/jpeg',
      sizeBytes: bytes.length,
      sha256: sha256(bytes),
      ...rest,
    },
    as,
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  await uploadWithForm(
    (created.body as { upload: { url: string; fields: Record<string, string> } }).upload,
    bytes,
    'image/jpeg',
  );
  expect((await waitForPhoto(visitId, photoId)).status).toBe('verified');
  return photoId;
}

async function evidenceOf(visitId: string) {
  const read = await invoke('getVisit', { params: { visitId }, as: people.manager });
  expect(read.status).toBe(200);
  return { evidence: (read.body as { evidence: Evidence }).evidence, etag: read.etag };
}

const flagsOf = (evidence: Evidence, photoId: string) =>
  evidence.photos.find((p) => p.photoId === photoId)?.flags;

describe('evidence of each photo', () => {
  const during = '2026-05-12T09:00:00+07:00';
  const near = { ...north(50), accuracyM: 12 };
  const shared = { original: pictureJpeg(1, 90), far: pictureJpeg(2, 90) };
  let first: { visitId: string; ids: Record<string, string> };

  it('flags far, outside the window, without a location, low accuracy and EXIF disagreeing, and keeps the visit’s etag', async () => {
    const { visitId, etag } = await newVisit(people.inspector);
    const ids = {
      near: await photo(
        visitId,
        shared.original,
        { itemCode: 'B1', capturedAt: during, location: near },
        people.inspector,
      ),
      far: await photo(
        visitId,
        shared.far,
        { itemCode: 'D1', capturedAt: during, location: { ...north(2_000), accuracyM: 15 } },
        people.inspector,
      ),
      late: await photo(
        visitId,
        pictureJpeg(3, 90),
        { capturedAt: '2026-05-12T13:00:00+07:00', location: near },
        people.inspector,
      ),
      noPlace: await photo(visitId, pictureJpeg(4, 90), { capturedAt: during }, people.inspector),
      vague: await photo(
        visitId,
        pictureJpeg(5, 90),
        { capturedAt: during, location: { ...north(60), accuracyM: 150 } },
        people.inspector,
      ),
      // An original file: its EXIF says Hà Nội, a year earlier; the declaration says the counter today.
      exif: await photo(
        visitId,
        withExif(pictureJpeg(6, 90), {
          dateTimeOriginal: '2025:05:12 09:00:00',
          lat: 21.0287,
          lng: 105.8524,
        }),
        { capturedAt: during, location: near },
        people.inspector,
      ),
    };
    first = { visitId, ids };
    const { evidence, etag: after } = await evidenceOf(visitId);
    expect(after).toBe(etag);
    expect(evidence.visitDistanceM).toBe(30);
    expect(evidence.radiusM).toBe(500);
    expect(flagsOf(evidence, ids.near)).toEqual([]);
    expect(flagsOf(evidence, ids.far)).toEqual(['far']);
    expect(evidence.photos.find((p) => p.photoId === ids.far)?.distanceM).toBe(2000);
    expect(flagsOf(evidence, ids.late)).toEqual(['outside_visit']);
    expect(evidence.photos.find((p) => p.photoId === ids.late)?.offsetMinutes).toBe(180);
    expect(flagsOf(evidence, ids.noPlace)).toEqual(['no_location']);
    expect(flagsOf(evidence, ids.vague)).toEqual(['low_accuracy']);
    expect(flagsOf(evidence, ids.exif)).toEqual(['exif_mismatch']);
    expect(evidence.flags.map((f) => f.flag)).toEqual([
      'far',
      'outside_visit',
      'no_location',
      'low_accuracy',
      'exif_mismatch',
    ]);
  });

  it('flags the same file in another visit as reused, and the same picture re-encoded as near_duplicate', async () => {
    const { visitId } = await newVisit(people.inspector2);
    const reused = await photo(
      visitId,
      shared.original,
      { capturedAt: during, location: near },
      people.inspector2,
    );
    const reencoded = pictureJpeg(2, 45);
    expect(sha256(reencoded)).not.toBe(sha256(shared.far));
    const nearCopy = await photo(
      visitId,
      reencoded,
      { capturedAt: during, location: near },
      people.inspector2,
    );
    const fresh = await photo(
      visitId,
      pictureJpeg(7, 90),
      { capturedAt: during, location: near },
      people.inspector2,
    );
    const { evidence } = await evidenceOf(visitId);
    expect(flagsOf(evidence, reused)).toEqual(['reused']);
    expect(flagsOf(evidence, nearCopy)).toEqual(['near_duplicate']);
    expect(flagsOf(evidence, fresh)).toEqual([]);
    // The first visit's photos were there first: they are not flagged by their later copies.
    expect(flagsOf((await evidenceOf(first.visitId)).evidence, first.ids.near ?? '')).toEqual([]);
  });

  it('shows each submitted visit’s evidence in the review queue', async () => {
    const submitted = await invoke('submitVisit', {
      params: { visitId: first.visitId },
      as: people.inspector,
    });
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(200);
    const queue = await invoke('listVisits', {
      query: { status: 'submitted', order: 'oldest', unitId: 'W1' },
      as: people.manager,
    });
    expect(queue.status).toBe(200);
    const item = (queue.body as { items: Array<{ visitId: string; evidence?: Evidence }> }).items.find(
      (visit) => visit.visitId === first.visitId,
    );
    expect(item?.evidence?.flags.map((f) => f.flag)).toEqual([
      'far',
      'outside_visit',
      'no_location',
      'low_accuracy',
      'exif_mismatch',
    ]);
  });
});

describe('the office a visit is measured by', () => {
  it('travels with the visit from its creation; a visit stored without it reads its unit', async () => {
    const { visitId } = await newVisit(people.inspector);
    const far = await photo(
      visitId,
      pictureJpeg(9, 90),
      {
        itemCode: 'B1',
        capturedAt: '2026-05-12T09:00:00+07:00',
        location: { ...north(2_000), accuracyM: 15 },
      },
      people.inspector,
    );
    // The other photo a submit needs, near the office.
    await photo(
      visitId,
      pictureJpeg(10, 90),
      { itemCode: 'D1', capturedAt: '2026-05-12T09:00:00+07:00', location: { ...north(50), accuracyM: 12 } },
      people.inspector,
    );
    const key = { pk: `VISIT#${visitId}`, sk: 'VISIT' };
    const stored = await api.storage.documents.send(
      new GetCommand({ TableName: api.storage.tableName, Key: key, ConsistentRead: true }),
    );
    expect(stored.Item?.evidenceContext).toEqual({ office, radiusM: null });
    expect(flagsOf((await evidenceOf(visitId)).evidence, far)).toEqual(['far']);
    // As a visit created before the context was carried: the unit's office is read instead.
    await api.storage.documents.send(
      new UpdateCommand({
        TableName: api.storage.tableName,
        Key: key,
        UpdateExpression: 'REMOVE evidenceContext',
      }),
    );
    const legacy = await invoke('getVisit', { params: { visitId }, as: people.manager });
    expect(legacy.body).not.toHaveProperty('evidenceContext');
    expect(flagsOf((legacy.body as { evidence: Evidence }).evidence, far)).toEqual(['far']);
    const submitted = await invoke('submitVisit', { params: { visitId }, as: people.inspector });
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(200);
    expect(flagsOf((submitted.body as { evidence: Evidence }).evidence, far)).toEqual(['far']);
    const queue = await invoke('listVisits', {
      query: { status: 'submitted', order: 'oldest', unitId: 'W1' },
      as: people.manager,
    });
    const item = (queue.body as { items: Array<{ visitId: string; evidence?: Evidence }> }).items.find(
      (visit) => visit.visitId === visitId,
    );
    expect(item).not.toHaveProperty('evidenceContext');
    expect(item?.evidence && flagsOf(item.evidence, far)).toEqual(['far']);
  });
});

describe('a template that requires a location on every photo', () => {
  it('refuses a photo declared without one (422) and accepts one with it', async () => {
    const strict = 'one-stop-counter-gps';
    const published = await invoke('publishTemplateVersion', {
      params: { templateId: strict },
      body: { ...(referenceTemplate as object), evidence: { requireLocation: true, radiusM: 300 } },
      as: people.admin,
    });
    expect(published.status, JSON.stringify(published.body)).toBe(201);
    const { visitId } = await newVisit(people.inspector, { templateId: strict });
    const bytes = pictureJpeg(8, 90);
    const body = {
      photoId: randomUUID(),
      itemCode: 'A5',
      contentType: 'image/jpeg',
      sizeBytes: bytes.length,
      sha256: sha256(bytes),
      capturedAt: '2026-05-12T09:00:00+07:00',
    };
    const refused = await invoke('createPhoto', { params: { visitId }, body, as: people.inspector });
    expect(refused.status).toBe(422);
    expect((refused.body as { errors: Array<{ path: string }> }).errors.map((e) => e.path)).toEqual([
      'location',
    ]);
    const accepted = await invoke('createPhoto', {
      params: { visitId },
      body: { ...body, location: { ...north(400), accuracyM: 10 } },
      as: people.inspector,
    });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(201);
    await uploadWithForm(
      (accepted.body as { upload: { url: string; fields: Record<string, string> } }).upload,
      bytes,
      'image/jpeg',
    );
    expect((await waitForPhoto(visitId, body.photoId)).status).toBe('verified');
    // The template's radius, 300 m: 400 m away is far.
    const { evidence } = await evidenceOf(visitId);
    expect(evidence.radiusM).toBe(300);
    expect(flagsOf(evidence, body.photoId)).toEqual(['far']);
  });
});
