/** Object storage as the use cases see it: photos and exports in one bucket (S3 or s3rver). */
export interface UploadForm {
  url: string;
  fields: Record<string, string>;
  expiresAt: string;
}

export interface StoredObject {
  size: number;
  sha256: string;
  /** The first bytes, enough to recognise an image type by its magic numbers. */
  head: Uint8Array;
  versionId: string | null;
}

export interface FileStorage {
  /** A browser form that can upload exactly one object of this type and size to `key`. */
  presignUpload(
    key: string,
    contentType: string,
    sizeBytes: number,
    expiresInSeconds: number,
  ): Promise<UploadForm>;
  /** A download URL; with `versionId`, for exactly that version (verified evidence). */
  presignDownload(
    key: string,
    expiresInSeconds: number,
    options?: { fileName?: string; versionId?: string | null },
  ): Promise<{ url: string; expiresAt: string }>;
  /** Reads an object's size, SHA-256 and first bytes (streamed; memory stays flat). Null when gone. */
  inspect(key: string, versionId?: string | null): Promise<StoredObject | null>;
  /** Deletes the object (that version, when given); deleting what is gone is fine. */
  remove(key: string, versionId?: string | null): Promise<void>;
  /** Writes an object from a stream of chunks (multipart for large ones). */
  write(key: string, chunks: AsyncIterable<Uint8Array | string>, contentType: string): Promise<void>;
}
