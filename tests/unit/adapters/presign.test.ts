import { S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { S3FileStorage } from '#adapters/s3/files.ts';

// s3rver enforces no POST policy, so the conditions we sign are checked here, on the policy itself.
const storage = new S3FileStorage(
  new S3Client({
    region: 'ap-southeast-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
  }),
  'photos-bucket',
);

function policyOf(fields: Record<string, string>) {
  const encoded = fields.Policy ?? '';
  return JSON.parse(Buffer.from(encoded, 'base64').toString('utf8')) as {
    expiration: string;
    conditions: unknown[];
  };
}

describe('presigned photo upload forms', () => {
  it('bind one key, the exact size and the content type, and expire within 300 s', async () => {
    const before = Date.now();
    const form = await storage.presignUpload('photos/a/b/c', 'image/webp', 12345, 300);
    const policy = policyOf(form.fields);
    expect(policy.conditions).toEqual(
      expect.arrayContaining([
        ['eq', '$Content-Type', 'image/webp'],
        ['content-length-range', 12345, 12345],
        { bucket: 'photos-bucket' },
        { key: 'photos/a/b/c' },
      ]),
    );
    const expiresIn = Date.parse(policy.expiration) - before;
    expect(expiresIn).toBeGreaterThan(290_000);
    expect(expiresIn).toBeLessThanOrEqual(301_000);
    expect(form.fields.key).toBe('photos/a/b/c');
    expect(form.fields['Content-Type']).toBe('image/webp');
  });

  it('sign download URLs that expire within 300 s', async () => {
    const download = await storage.presignDownload('photos/a/b/c', 300);
    expect(new URL(download.url).searchParams.get('X-Amz-Expires')).toBe('300');
  });

  it('sign photo downloads as attachments of the declared type, for the settled version', async () => {
    const download = await storage.presignDownload('photos/a/b/c', 300, {
      fileName: 'b.heic',
      contentType: 'image/heic',
      versionId: 'v1',
    });
    const query = new URL(download.url).searchParams;
    expect(query.get('response-content-disposition')).toBe('attachment; filename="b.heic"');
    expect(query.get('response-content-type')).toBe('image/heic');
    expect(query.get('versionId')).toBe('v1');
  });
});
