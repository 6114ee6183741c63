import type { Place } from '#domain/geo.ts';
import type { PhotoContentType } from '#domain/visit.ts';

/** What a photo's bytes say about where and when it was taken, and what it shows. */
export interface ImageFacts {
  /** EXIF DateTimeOriginal (as an instant) and GPS, when the file has them; null without EXIF. */
  exif: { takenAt: string | null; location: Place | null } | null;
  /** The 64-bit dHash of the decoded picture; null for a type that is not decoded. */
  dHash: string | null;
}

export interface ImageReader {
  read(bytes: Uint8Array, contentType: PhotoContentType): Promise<ImageFacts>;
}
