import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  NoSuchKey,
  type S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { recordPresignedPost } from '#adapters/call-log.ts';
import type { FileStorage, StoredObject, UploadForm } from '#ports/files.ts';

/**
 * The bucket as the use cases need it. Upload forms are bound to one key, the exact size and
 * the content type by the POST policy's conditions (s3rver does not enforce them; the verifier
 * checks size and bytes again after upload).
 */
export class S3FileStorage implements FileStorage {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    // Local mode signs URLs for the browser's origin (`/local/s3` on the API's port) while the
    // verifier reads s3rver directly: the same bucket, two endpoints.
    private readonly presigner: S3Client = client,
  ) {}

  async presignUpload(
    key: string,
    contentType: string,
    sizeBytes: number,
    expiresInSeconds: number,
  ): Promise<UploadForm> {
    const post = await createPresignedPost(this.presigner, {
      Bucket: this.bucket,
      Key: key,
      Conditions: [
        ['eq', '$Content-Type', contentType],
        ['content-length-range', sizeBytes, sizeBytes],
      ],
      Fields: { 'Content-Type': contentType },
      Expires: expiresInSeconds,
    });
    // The call log's record of a signed form (tests only; see attachTestHooks in clients.ts).
    if (process.env.PAR_TEST_HOOKS !== 'off') recordPresignedPost(this.bucket);
    return {
      url: post.url,
      fields: post.fields,
      expiresAt: new Date(Date.now() + expiresInSeconds * 1000).toISOString(),
    };
  }

  async presignDownload(
    key: string,
    expiresInSeconds: number,
    options: { fileName?: string; versionId?: string | null; contentType?: string } = {},
  ): Promise<{ url: string; expiresAt: string }> {
    const { fileName, versionId, contentType } = options;
    const url = await getSignedUrl(
      this.presigner,
      new GetObjectCommand({
        Bucket: this.bucket,
        Key: key,
        ...(versionId ? { VersionId: versionId } : {}),
        ...(fileName ? { ResponseContentDisposition: `attachment; filename="${fileName}"` } : {}),
        // The declared, verified type, not whatever Content-Type the upload form was posted with.
        ...(contentType ? { ResponseContentType: contentType } : {}),
      }),
      { expiresIn: expiresInSeconds },
    );
    return { url, expiresAt: new Date(Date.now() + expiresInSeconds * 1000).toISOString() };
  }

  async inspect(key: string, versionId?: string | null, keepBytes = 0): Promise<StoredObject | null> {
    try {
      const object = await this.client.send(
        new GetObjectCommand({
          Bucket: this.bucket,
          Key: key,
          ...(versionId ? { VersionId: versionId } : {}),
        }),
      );
      const hash = createHash('sha256');
      const length = object.ContentLength;
      // One buffer of the announced size, filled as chunks arrive (no copies, no concatenation);
      // an object larger than the caller can use is only hashed and counted.
      let kept = keepBytes > 0 && (length ?? 0) <= keepBytes ? new Uint8Array(length ?? keepBytes) : null;
      let size = 0;
      for await (const chunk of object.Body as AsyncIterable<Uint8Array>) {
        if (kept && size + chunk.length <= kept.length) kept.set(chunk, size);
        else kept = null;
        hash.update(chunk);
        size += chunk.length;
      }
      return {
        size,
        sha256: hash.digest('hex'),
        bytes: kept ? kept.subarray(0, size) : null,
        versionId: object.VersionId ?? null,
      };
    } catch (error) {
      if (
        error instanceof NoSuchKey ||
        (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404)
      )
        return null;
      throw error;
    }
  }

  async remove(key: string, versionId?: string | null): Promise<void> {
    await this.client.send(
      new DeleteObjectCommand({
        Bucket: this.bucket,
        Key: key,
        ...(versionId ? { VersionId: versionId } : {}),
      }),
    );
  }

  async write(key: string, chunks: AsyncIterable<Uint8Array | string>, contentType: string): Promise<void> {
    const body = Readable.from(
      (async function* () {
        for await (const chunk of chunks)
          yield typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      })(),
    );
    // Multipart in 5 MiB parts, one part in flight: memory stays flat however long the file.
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: key, Body: body, ContentType: contentType },
      queueSize: 1,
      partSize: 5 * 1024 * 1024,
      // Aborted here instead: lib-storage throws the abort's own error when the abort fails,
      // in place of the error that stopped the upload (a throttled part, a page read timing
      // out), and the caller could no longer tell a transient fault from a permanent one.
      leavePartsOnError: true,
    });
    try {
      await upload.done();
    } catch (error) {
      if (upload.uploadId !== undefined) {
        // The parts stop costing; if the abort fails too, the bucket's lifecycle rule
        // (abort-incomplete-uploads, 1 day) removes them.
        await this.client
          .send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: key, UploadId: upload.uploadId }))
          .catch(() => undefined);
      }
      throw error;
    }
  }
}
