import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type EvidenceContext,
  evidenceFlags,
  evidenceSummary,
  type PhotoFacts,
  photoEvidence,
  visitWindowEnd,
} from '#domain/evidence.ts';

// Ủy ban nhân dân phường Trường Vinh, Nghệ An (demo office); 0.001° of latitude is 111.2 m.
const office = { lat: 18.6733, lng: 105.692 };
const north = (metres: number) => ({ lat: office.lat + metres / 111_195.08, lng: office.lng });

const context: EvidenceContext = {
  office,
  radiusM: 500,
  window: { startedAt: '2026-05-12T08:00:00+07:00', endedAt: '2026-05-12T11:00:00+07:00' },
};

function facts(overrides: Partial<PhotoFacts> = {}): PhotoFacts {
  return {
    photoId: 'p1',
    itemCode: 'A1',
    declared: { capturedAt: '2026-05-12T09:00:00+07:00', location: { ...north(20), accuracyM: 15 } },
    exif: null,
    receivedAt: '2026-05-12T09:01:00+07:00',
    sha256: 'a'.repeat(64),
    dHash: '0123456789abcdef',
    reusedFrom: [],
    nearDuplicateOf: [],
    ...overrides,
  };
}

describe('photoEvidence flags', () => {
  it.each<[string, Partial<PhotoFacts>, Partial<EvidenceContext>, string[]]>([
    ['taken at the counter during the visit', {}, {}, []],
    [
      '480 m away with 15 m accuracy (inside 500 + 15)',
      { declared: { capturedAt: '2026-05-12T09:00:00+07:00', location: { ...north(480), accuracyM: 15 } } },
      {},
      [],
    ],
    [
      '530 m away with 15 m accuracy',
      { declared: { capturedAt: '2026-05-12T09:00:00+07:00', location: { ...north(530), accuracyM: 15 } } },
      {},
      ['far'],
    ],
    [
      '530 m away with 40 m accuracy (inside 500 + 40)',
      { declared: { capturedAt: '2026-05-12T09:00:00+07:00', location: { ...north(530), accuracyM: 40 } } },
      {},
      [],
    ],
    [
      '1.2 km away, inside a template radius of 2 km',
      { declared: { capturedAt: '2026-05-12T09:00:00+07:00', location: { ...north(1200), accuracyM: 15 } } },
      { radiusM: 2000 },
      [],
    ],
    [
      '150 m accuracy',
      { declared: { capturedAt: '2026-05-12T09:00:00+07:00', location: { ...north(20), accuracyM: 150 } } },
      {},
      ['low_accuracy'],
    ],
    [
      '2 h after the end',
      { declared: { capturedAt: '2026-05-12T13:00:00+07:00', location: { ...north(20), accuracyM: 15 } } },
      {},
      [],
    ],
    [
      '2 h 1 min after the end',
      { declared: { capturedAt: '2026-05-12T13:01:00+07:00', location: { ...north(20), accuracyM: 15 } } },
      {},
      ['outside_visit'],
    ],
    [
      'the day before',
      { declared: { capturedAt: '2026-05-11T09:00:00+07:00', location: { ...north(20), accuracyM: 15 } } },
      {},
      ['outside_visit'],
    ],
    [
      'without a declared place or EXIF GPS',
      { declared: { capturedAt: '2026-05-12T09:00:00+07:00', location: null } },
      {},
      ['no_location'],
    ],
    [
      'placed by EXIF GPS only, 2 km away',
      {
        declared: { capturedAt: '2026-05-12T09:00:00+07:00', location: null },
        exif: { takenAt: null, location: north(2000) },
      },
      {},
      ['far'],
    ],
    [
      'EXIF GPS 3 km from the declared place',
      { exif: { takenAt: '2026-05-12T09:00:00+07:00', location: north(3000) } },
      {},
      ['exif_mismatch'],
    ],
    [
      'EXIF GPS 80 m from the declared place',
      { exif: { takenAt: '2026-05-12T09:00:00+07:00', location: north(100) } },
      {},
      [],
    ],
    [
      'EXIF time a year before the declared one',
      { exif: { takenAt: '2025-05-12T09:00:00+07:00', location: null } },
      {},
      ['exif_mismatch'],
    ],
    [
      'EXIF time 5 min from the declared one',
      { exif: { takenAt: '2026-05-12T09:05:00+07:00', location: null } },
      {},
      [],
    ],
    ['the same file in another visit', { reusedFrom: [{ visitId: 'v0', photoId: 'p0' }] }, {}, ['reused']],
    [
      'a near copy of another visit’s photo (6 bits)',
      { nearDuplicateOf: [{ visitId: 'v0', photoId: 'p0', bits: 6 }] },
      {},
      ['near_duplicate'],
    ],
    [
      'a different photo of another visit (11 bits)',
      { nearDuplicateOf: [{ visitId: 'v0', photoId: 'p0', bits: 11 }] },
      {},
      [],
    ],
    [
      'no office set yet, far or not',
      { declared: { capturedAt: '2026-05-12T09:00:00+07:00', location: { ...north(9000), accuracyM: 15 } } },
      { office: null },
      [],
    ],
  ])('%s: %j', (_name, overrides, contextOverrides, expected) => {
    expect(photoEvidence(facts(overrides), { ...context, ...contextOverrides }).flags).toEqual(expected);
  });

  it('measures time from the declaration, else EXIF, else the server’s receipt', () => {
    const noDeclaredTime = { capturedAt: null, location: { ...north(20), accuracyM: 15 } };
    expect(photoEvidence(facts(), context)).toMatchObject({
      timeBasis: 'declared',
      offsetMinutes: 0,
      distanceM: 20,
    });
    expect(
      photoEvidence(
        facts({ declared: noDeclaredTime, exif: { takenAt: '2026-05-12T06:30:00+07:00', location: null } }),
        context,
      ),
    ).toMatchObject({ timeBasis: 'exif', offsetMinutes: -90, flags: [] });
    expect(
      photoEvidence(facts({ declared: noDeclaredTime, receivedAt: '2026-05-12T15:00:00+07:00' }), context),
    ).toMatchObject({ timeBasis: 'received', offsetMinutes: 240, flags: ['outside_visit'] });
  });

  it('takes the window to submission when there is no end time, and keeps it open before that', () => {
    expect(
      visitWindowEnd({ endedAt: '2026-05-12T11:00:00+07:00', submittedAt: '2026-05-13T08:00:00Z' }),
    ).toBe('2026-05-12T11:00:00+07:00');
    expect(visitWindowEnd({ submittedAt: '2026-05-13T08:00:00Z' })).toBe('2026-05-13T08:00:00Z');
    expect(visitWindowEnd({ submittedAt: null })).toBeNull();
    const late = facts({ declared: { capturedAt: '2026-05-12T20:00:00+07:00', location: null } });
    expect(photoEvidence(late, { ...context, window: { ...context.window, endedAt: null } }).flags).toEqual([
      'no_location',
    ]);
  });

  it('raises flags only from the list, in its order, each at most once', () => {
    const place = fc.record({
      lat: fc.double({ min: 8, max: 24, noNaN: true }),
      lng: fc.double({ min: 102, max: 110, noNaN: true }),
    });
    const instant = fc
      .integer({ min: Date.parse('2026-05-10T00:00:00Z'), max: Date.parse('2026-05-14T00:00:00Z') })
      .map((ms) => new Date(ms).toISOString());
    const arbitraryFacts = fc.record({
      capturedAt: fc.option(instant, { nil: null }),
      location: fc.option(
        fc.record({
          lat: place.map((p) => p.lat),
          lng: place.map((p) => p.lng),
          accuracyM: fc.integer({ min: 0, max: 500 }),
        }),
        { nil: null },
      ),
      exif: fc.option(
        fc.record({ takenAt: fc.option(instant, { nil: null }), location: fc.option(place, { nil: null }) }),
        { nil: null },
      ),
      receivedAt: instant,
      bits: fc.option(fc.integer({ min: 0, max: 64 }), { nil: null }),
      reused: fc.boolean(),
    });
    fc.assert(
      fc.property(arbitraryFacts, (f) => {
        const photo = photoEvidence(
          facts({
            declared: { capturedAt: f.capturedAt, location: f.location },
            exif: f.exif,
            receivedAt: f.receivedAt,
            reusedFrom: f.reused ? [{ visitId: 'v0', photoId: 'p0' }] : [],
            nearDuplicateOf: f.bits === null ? [] : [{ visitId: 'v0', photoId: 'p0', bits: f.bits }],
          }),
          context,
        );
        const order = photo.flags.map((flag) => evidenceFlags.indexOf(flag));
        expect(order).toEqual([...order].sort((a, b) => a - b));
        expect(new Set(photo.flags).size).toBe(photo.flags.length);
        expect(photo.flags.includes('no_location')).toBe(f.location === null && !f.exif?.location);
        expect(photo.flags.includes('reused')).toBe(f.reused);
        if (photo.flags.includes('far')) expect(photo.distanceM).toBeGreaterThan(500);
        expect(photo.flags.includes('outside_visit')).toBe(Math.abs(photo.offsetMinutes) > 120);
      }),
    );
  });
});

describe('evidenceSummary', () => {
  it('lists each raised flag with its photos and the visit’s own distance from the office', () => {
    const summary = evidenceSummary(
      [
        facts({ photoId: 'p1' }),
        facts({ photoId: 'p2', declared: { capturedAt: '2026-05-12T09:00:00+07:00', location: null } }),
        facts({
          photoId: 'p3',
          declared: { capturedAt: '2026-05-12T09:00:00+07:00', location: null },
          reusedFrom: [{ visitId: 'v0', photoId: 'p0' }],
        }),
      ],
      context,
      north(50),
    );
    expect(summary.visitDistanceM).toBe(50);
    expect(summary.radiusM).toBe(500);
    expect(summary.flags).toEqual([
      { flag: 'no_location', photoIds: ['p2', 'p3'] },
      { flag: 'reused', photoIds: ['p3'] },
    ]);
    expect(summary.photos.map((photo) => photo.photoId)).toEqual(['p1', 'p2', 'p3']);
  });

  it('has no visit distance without an office or a visit location', () => {
    expect(evidenceSummary([], { ...context, office: null }, north(50)).visitDistanceM).toBeNull();
    expect(evidenceSummary([], context, null).visitDistanceM).toBeNull();
  });
});
