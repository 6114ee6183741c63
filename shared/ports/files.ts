/** Object storage as the use cases see it: photos and exports in one bucket (S3 or s3rver). */
export interface UploadForm {
  url: string;
  fields: Record<string, string>;
  expiresAt: string;
}

export interface StoredObject {
  size: number;
  sha256: string;
  /**
   * The whole object, read in the same pass as the hash, when it is at most the `keepBytes`
   * the caller asked for; null when it is larger (its size then says so) or none were asked for.
   */
  bytes: Uint8Array | null;
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
  /**
   * A download URL; with `versionId`, for exactly that version (verified evidence). With
   * `fileName` the answer says `Content-Disposition: attachment` (saved, never shown inline);
   * with `contentType` it carries that type, whatever the object was stored with.
   */
  presignDownload(
    key: string,
    expiresInSeconds: number,
    options?: { fileName?: string; versionId?: string | null; contentType?: string },
  ): Promise<{ url: string; expiresAt: string }>;
  /**
   * Reads an object's size and SHA-256 in one streamed pass, keeping its bytes when it is at most
   * `keepBytes` long (memory stays at most that). Null when gone.
   */
  inspect(key: string, versionId?: string | null, keepBytes?: number): Promise<StoredObject | null>;
  /** Deletes the object (that version, when given); deleting what is gone is fine. */
  remove(key: string, versionId?: string | null): Promise<void>;
  /** Writes an object from a stream of chunks (multipart for large ones). */
  write(key: string, chunks: AsyncIterable<Uint8Array | string>, contentType: string): Promise<void>;
}
