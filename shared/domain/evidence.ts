/**
 * Proof of place and time: what each photo of a visit says about where and when it was taken,
 * and the flags a reviewer sees. The facts (what the phone declared, what the file's EXIF says,
 * when the server received it, its hashes, the photos of other visits it matches) are recorded
 * when the photo is verified; the flags are derived from them whenever they are read, so a
 * unit's office set later, or a visit's end time edited, shows at once. Flags inform the
 * reviewer: none of them refuses a photo. docs/evidence.md gives each rule with an example.
 */
import { instantMs } from './calendar.ts';
import { distanceM, offsetFromWindow, type Place } from './geo.ts';

export const evidenceFlags = [
  'far',
  'outside_visit',
  'no_location',
  'low_accuracy',
  'exif_mismatch',
  'reused',
  'near_duplicate',
] as const;
export type EvidenceFlag = (typeof evidenceFlags)[number];

/** The thresholds of the rules, named so that docs, tests and the console say the same. */
export const evidenceRules = {
  /** A template's radius around the unit's office when it names none. */
  defaultRadiusM: 500,
  /** Further than this before the visit's start or after its end is `outside_visit`. */
  outsideVisitMs: 2 * 3_600_000,
  /** A declared accuracy worse than this is `low_accuracy`. */
  lowAccuracyM: 100,
  /** EXIF time further than this from the declared capture time is `exif_mismatch`. */
  exifTimeToleranceMs: 10 * 60_000,
  /** EXIF GPS further than this plus the declared accuracy from the declared place is `exif_mismatch`. */
  exifPlaceToleranceM: 100,
  /** A perceptual hash within this many bits (of 64) of another visit's photo is `near_duplicate`. */
  nearDuplicateBits: 10,
} as const;

export interface DeclaredLocation extends Place {
  accuracyM: number;
}

/** What the verifier recorded about one photo (the evidence item keeps one per photo). */
export interface PhotoFacts {
  photoId: string;
  itemCode: string;
  /** What the phone declared when it registered the photo. */
  declared: { capturedAt: string | null; location: DeclaredLocation | null };
  /** What the file's EXIF says, when it has EXIF (original files; the app strips it). */
  exif: { takenAt: string | null; location: Place | null } | null;
  /** When the verifier saw the upload. */
  receivedAt: string;
  sha256: string;
  /** The 64-bit dHash of the decoded image; null when its type is not decoded (WebP, HEIC). */
  dHash: string | null;
  /** Photos of other visits with the same SHA-256, found when it was verified. */
  reusedFrom: PhotoMatch[];
  /** Photos of other visits of the same unit or inspector whose dHash is near, found then too. */
  nearDuplicateOf: (PhotoMatch & { bits: number })[];
}

export interface PhotoMatch {
  visitId: string;
  photoId: string;
}

/** What the flags are measured against. */
export interface EvidenceContext {
  /** The unit's office, when an admin has set it. */
  office: Place | null;
  /** The template's radius around the office (default {@link evidenceRules.defaultRadiusM}). */
  radiusM: number;
  /** The visit's window: `startedAt` to `endedAt`, or to its submission, else still open. */
  window: { startedAt: string; endedAt: string | null };
}

/** Which time a photo's offset is measured from: the first one it has of these. */
export type TimeBasis = 'declared' | 'exif' | 'received';

export interface PhotoEvidence {
  photoId: string;
  itemCode: string;
  /** Metres from the unit's office to where the photo was taken; null when either is unknown. */
  distanceM: number | null;
  /** Minutes outside the visit's window (negative before, positive after, 0 inside). */
  offsetMinutes: number;
  timeBasis: TimeBasis;
  flags: EvidenceFlag[];
}

/** Where a photo was taken: what the phone declared, else what its EXIF says (no accuracy). */
function placeOf(facts: PhotoFacts): DeclaredLocation | null {
  if (facts.declared.location) return facts.declared.location;
  return facts.exif?.location ? { ...facts.exif.location, accuracyM: 0 } : null;
}

function timeOf(facts: PhotoFacts): { at: string; basis: TimeBasis } {
  if (facts.declared.capturedAt) return { at: facts.declared.capturedAt, basis: 'declared' };
  if (facts.exif?.takenAt) return { at: facts.exif.takenAt, basis: 'exif' };
  return { at: facts.receivedAt, basis: 'received' };
}

/** Whether the file's own EXIF contradicts what the phone declared (time or place). */
export function exifDisagrees(facts: PhotoFacts): boolean {
  const { exif, declared } = facts;
  if (!exif) return false;
  if (exif.takenAt && declared.capturedAt) {
    const apart = Math.abs(instantMs(exif.takenAt) - instantMs(declared.capturedAt));
    if (apart > evidenceRules.exifTimeToleranceMs) return true;
  }
  if (exif.location && declared.location) {
    const apart = distanceM(exif.location, declared.location);
    if (apart > declared.location.accuracyM + evidenceRules.exifPlaceToleranceM) return true;
  }
  return false;
}

/** The end of a visit's window: its `endedAt`, else when it was submitted, else open. */
export function visitWindowEnd(visit: { endedAt?: string | undefined; submittedAt: string | null }) {
  return visit.endedAt ?? visit.submittedAt ?? null;
}

/** One photo's distance, offset and flags, in the order of {@link evidenceFlags}. */
export function photoEvidence(facts: PhotoFacts, context: EvidenceContext): PhotoEvidence {
  const place = placeOf(facts);
  const distance = place && context.office ? distanceM(place, context.office) : null;
  const time = timeOf(facts);
  const window = {
    start: instantMs(context.window.startedAt),
    end: context.window.endedAt === null ? null : instantMs(context.window.endedAt),
  };
  const offsetMs = offsetFromWindow(instantMs(time.at), window);
  const raised: Record<EvidenceFlag, boolean> = {
    far: distance !== null && place !== null && distance > context.radiusM + place.accuracyM,
    outside_visit: Math.abs(offsetMs) > evidenceRules.outsideVisitMs,
    no_location: place === null,
    low_accuracy: (facts.declared.location?.accuracyM ?? 0) > evidenceRules.lowAccuracyM,
    exif_mismatch: exifDisagrees(facts),
    reused: facts.reusedFrom.length > 0,
    near_duplicate: facts.nearDuplicateOf.some((match) => match.bits <= evidenceRules.nearDuplicateBits),
  };
  return {
    photoId: facts.photoId,
    itemCode: facts.itemCode,
    distanceM: distance === null ? null : Math.round(distance),
    // Whole minutes towards zero, so a photo 30 s outside reads 0 like one inside.
    offsetMinutes: Math.trunc(offsetMs / 60_000) || 0,
    timeBasis: time.basis,
    flags: evidenceFlags.filter((flag) => raised[flag]),
  };
}

export interface EvidenceSummary {
  /** Metres from the office to where the visit itself was declared; null when either is unknown. */
  visitDistanceM: number | null;
  radiusM: number;
  /** Each raised flag with the photos that raise it, in the order of {@link evidenceFlags}. */
  flags: { flag: EvidenceFlag; photoIds: string[] }[];
  photos: PhotoEvidence[];
}

/** The summary a reviewer reads: the visit's own distance, every flag with its photos, each photo. */
export function evidenceSummary(
  photos: readonly PhotoFacts[],
  context: EvidenceContext,
  visitLocation: Place | null,
): EvidenceSummary {
  const each = photos.map((facts) => photoEvidence(facts, context));
  return {
    visitDistanceM:
      visitLocation && context.office ? Math.round(distanceM(visitLocation, context.office)) : null,
    radiusM: context.radiusM,
    flags: evidenceFlags.flatMap((flag) => {
      const photoIds = each.filter((photo) => photo.flags.includes(flag)).map((photo) => photo.photoId);
      return photoIds.length > 0 ? [{ flag, photoIds }] : [];
    }),
    photos: each,
  };
}
