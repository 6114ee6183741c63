import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allDeps } from '#adapters/all-parts.ts';
import {
  addPhoto,
  jpegBytes,
  people,
  seedProvince,
  sha256,
  startApi,
  visitBody,
} from '#tests/support/api.ts';
import { heicBytes, htmlPayload, mp4Bytes, solidPng, tinyJpeg, tinyWebp } from '#tests/support/images.ts';
import { invoke } from '#tests/support/invoke.ts';

// The fakes, through the real flow: presigned form -> s3rver -> event -> verifier. The
// declared size and SHA-256 are the fake's own, as an attacker's phone would declare them.

let api: Awaited<ReturnType<typeof startApi>>;

beforeAll(async () => {
  api = await startApi('structure');
  await seedProvince();
});
afterAll(async () => {
  await api.close();
});

async function draft(): Promise<string> {
  const visitId = randomUUID();
  const response = await invoke('putVisit', { params: { visitId }, body: visitBody(), as: people.inspector });
  expect(response.status).toBe(201);
  return visitId;
}

describe('the verifier checks the whole file', () => {
  it.each([
    [
      'a JPEG header followed by HTML and script',
      Buffer.concat([tinyJpeg.subarray(0, 20), htmlPayload]),
      'malformed_image',
    ],
    ['a whole JPEG followed by HTML and script', Buffer.concat([tinyJpeg, htmlPayload]), 'trailing_data'],
    ['a JPEG cut in half', jpegBytes(4096).subarray(0, 2048), 'truncated_image'],
  ])('rejects %s, deletes it, and the visit stays incomplete', async (_name, fake, reason) => {
    const visitId = await draft();
    const d1 = await addPhoto(visitId, 'D1', jpegBytes());
    expect(d1.status).toBe('verified');
    const b1 = await addPhoto(visitId, 'B1', Buffer.from(fake));
    expect(b1).toMatchObject({ status: 'rejected', reason });

    const record = await allDeps().visits.getPhoto(visitId, b1.photoId, true);
    expect(await allDeps().files.inspect(record?.objectKey ?? '')).toBeNull();
    const read = await invoke('getPhoto', { params: { visitId, photoId: b1.photoId }, as: people.inspector });
    expect(read.body).not.toHaveProperty('downloadUrl');

    // B1 needs a verified photo: the rejected fake does not count.
    const submit = await invoke('submitVisit', { params: { visitId }, as: people.inspector });
    expect(submit.status, JSON.stringify(submit.body)).toBe(422);
    const problem = submit.body as { code: string; errors: Array<{ path: string }> };
    expect(problem.code).toBe('incomplete');
    expect(problem.errors.map((e) => e.path).join(' ')).toContain('B1');
  });

  it('verifies real images of every accepted type, and a motion photo with its video', async () => {
    const visitId = await draft();
    const cases: Array<[string, Buffer]> = [
      ['image/jpeg', Buffer.concat([tinyJpeg, mp4Bytes()])],
      ['image/png', solidPng(3, [200, 10, 10])],
      ['image/webp', tinyWebp],
      ['image/heic', heicBytes()],
    ];
    for (const [declaredType, bytes] of cases) {
      const photo = await addPhoto(visitId, 'B1', bytes, { declaredType });
      expect([declaredType, photo.status, photo.reason]).toEqual([declaredType, 'verified', null]);
    }
  });
});

describe('downloads', () => {
  it('are attachments named after the photo, of the declared type', async () => {
    const visitId = await draft();
    const bytes = jpegBytes();
    const photo = await addPhoto(visitId, 'B1', bytes);
    const read = await invoke('getPhoto', {
      params: { visitId, photoId: photo.photoId },
      as: people.manager,
    });
    const { downloadUrl } = read.body as { downloadUrl: string };
    const url = new URL(downloadUrl);
    expect(url.searchParams.get('response-content-disposition')).toBe(
      `attachment; filename="${photo.photoId}.jpg"`,
    );
    expect(url.searchParams.get('response-content-type')).toBe('image/jpeg');

    const download = await fetch(downloadUrl);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toBe(`attachment; filename="${photo.photoId}.jpg"`);
    expect(download.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await download.arrayBuffer()).equals(bytes)).toBe(true);
  });
});

describe('reading an object for the verifier', () => {
  it('keeps its bytes only when they fit what the caller asked for', async () => {
    const { files } = allDeps();
    const key = `inspect-tests/${randomUUID()}`;
    const bytes = jpegBytes(3000);
    await files.write(
      key,
      (async function* () {
        yield bytes;
      })(),
      'image/jpeg',
    );
    const whole = await files.inspect(key, null, 3000);
    expect(whole).toMatchObject({ size: 3000, sha256: sha256(bytes) });
    expect(Buffer.from(whole?.bytes ?? []).equals(bytes)).toBe(true);
    // Larger than asked for: hashed and counted, never held.
    expect(await files.inspect(key, null, 2999)).toMatchObject({
      size: 3000,
      sha256: sha256(bytes),
      bytes: null,
    });
    expect(await files.inspect(key)).toMatchObject({ size: 3000, bytes: null });
    await files.remove(key);
  });
});
