import { describe, expect, it } from 'vitest';
import type { Deps } from '#app/deps.ts';
import { verifyPhotoObject } from '#app/photos.ts';
import type { PhotoRecord } from '#ports/records.ts';

// A versioned bucket is AWS-only (s3rver keeps no versions), so this path is checked with
// in-memory ports: what the verifier removes, and that the settled photo is left alone.
const visitId = '11111111-1111-4111-8111-111111111111';
const photoId = '22222222-2222-4222-8222-222222222222';
const key = `photos/${visitId}/${photoId}/33333333-3333-4333-8333-333333333333`;
const verified: PhotoRecord = {
  visitId,
  photoId,
  itemCode: 'B1',
  contentType: 'image/jpeg',
  sizeBytes: 10,
  sha256: 'a'.repeat(64),
  status: 'verified',
  reason: null,
  objectKey: key,
  versionId: 'settled-version',
  createdAt: '2026-05-01T00:00:00.000Z',
  updatedAt: '2026-05-01T00:00:00.000Z',
};

function fakeDeps(removed: Array<[string, string | null | undefined]>, settled: PhotoRecord[]): Deps {
  const deps: Partial<Deps> = {
    visits: {
      getPhoto: async () => verified,
      settlePhoto: async (photo: PhotoRecord) => {
        settled.push(photo);
      },
    } as unknown as Deps['visits'],
    files: {
      remove: async (objectKey: string, versionId?: string | null) => {
        removed.push([objectKey, versionId]);
      },
      inspect: async () => {
        throw new Error('a versioned event needs no read');
      },
    } as unknown as Deps['files'],
    clock: { now: () => new Date('2026-05-02T00:00:00Z') },
  };
  return deps as Deps;
}

describe('the verifier and a versioned bucket', () => {
  it('deletes a new version posted with an old form and keeps the verified one', async () => {
    const removed: Array<[string, string | null | undefined]> = [];
    const settled: PhotoRecord[] = [];
    const outcome = await verifyPhotoObject(fakeDeps(removed, settled), { key, versionId: 'later-version' });
    expect(outcome).toBe('ignored');
    expect(removed).toEqual([[key, 'later-version']]);
    expect(settled).toEqual([]);
  });

  it('does nothing when the event repeats the settled version', async () => {
    const removed: Array<[string, string | null | undefined]> = [];
    const outcome = await verifyPhotoObject(fakeDeps(removed, []), { key, versionId: 'settled-version' });
    expect(outcome).toBe('ignored');
    expect(removed).toEqual([]);
  });
});
