import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { distanceM, earthRadiusM, offsetFromWindow, type Place } from '#domain/geo.ts';

const place = (lat: number, lng: number): Place => ({ lat, lng });

// Known places of Viet Nam (WGS 84, to about 10 m).
const hoanKiemLake = place(21.0287, 105.8524); // Hồ Hoàn Kiếm, Hà Nội
const benThanhMarket = place(10.7725, 106.698); // Chợ Bến Thành, TP Hồ Chí Minh
const lungCuFlagpole = place(23.364, 105.316); // Cột cờ Lũng Cú, Tuyên Quang (northernmost point)
const caMauCape = place(8.6156, 104.722); // Mũi Cà Mau (southernmost point)
const vinhOffice = place(18.6733, 105.692); // Vinh, Nghệ An: the demo province's capital

describe('distanceM (haversine)', () => {
  it.each([
    // The straight-line distance Hà Nội – TP HCM is usually given as about 1,140 km.
    ['Hồ Hoàn Kiếm to Chợ Bến Thành', hoanKiemLake, benThanhMarket, 1_140_000, 0.01],
    // Viet Nam's north–south length, Lũng Cú to Mũi Cà Mau, is given as about 1,650 km.
    ['Lũng Cú to Mũi Cà Mau', lungCuFlagpole, caMauCape, 1_650_000, 0.01],
  ])('%s is about %d m', (_name, a, b, expected, tolerance) => {
    expect(Math.abs(distanceM(a, b) - expected) / expected).toBeLessThan(tolerance);
  });

  it.each([
    // 0.0045° of latitude on a meridian is 0.0045 × π × R / 180 = 500.38 m.
    ['0.0045° north of Vinh', vinhOffice, place(18.6778, 105.692), 500.38],
    // One degree of longitude on the equator, and half the circumference to the antipode.
    ['1° along the equator', place(0, 0), place(0, 1), 111_195.08],
    ['the antipode', place(0, 0), place(0, 180), Math.PI * earthRadiusM],
    ['the same counter', vinhOffice, vinhOffice, 0],
  ])('%s is %d m to the centimetre', (_name, a, b, expected) => {
    expect(distanceM(a, b)).toBeCloseTo(expected, 1);
  });

  const places = fc.record({
    lat: fc.double({ min: -90, max: 90, noNaN: true }),
    lng: fc.double({ min: -180, max: 180, noNaN: true }),
  });

  it('is symmetric, zero only between equal places, and at most half the circumference', () => {
    fc.assert(
      fc.property(places, places, (a, b) => {
        const d = distanceM(a, b);
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThanOrEqual(Math.PI * earthRadiusM + 1e-6);
        expect(Math.abs(d - distanceM(b, a))).toBeLessThan(1e-6);
        expect(distanceM(a, a)).toBe(0);
      }),
    );
  });

  it('keeps the triangle inequality', () => {
    fc.assert(
      fc.property(places, places, places, (a, b, c) => {
        // Haversine loses precision near antipodes (asin near 1): 1.4 cm over 20,015 km was seen, so
        // the tolerance is 5 cm, far below any flag's threshold.
        expect(distanceM(a, c)).toBeLessThanOrEqual(distanceM(a, b) + distanceM(b, c) + 0.05);
      }),
    );
  });

  it('agrees with the spherical law of cosines where that formula is well conditioned (over 10 km)', () => {
    const lawOfCosines = (a: Place, b: Place) => {
      const r = (d: number) => (d * Math.PI) / 180;
      const cos =
        Math.sin(r(a.lat)) * Math.sin(r(b.lat)) +
        Math.cos(r(a.lat)) * Math.cos(r(b.lat)) * Math.cos(r(b.lng - a.lng));
      return earthRadiusM * Math.acos(Math.max(-1, Math.min(1, cos)));
    };
    fc.assert(
      fc.property(places, places, (a, b) => {
        const d = distanceM(a, b);
        fc.pre(d > 10_000);
        expect(Math.abs(d - lawOfCosines(a, b))).toBeLessThan(1);
      }),
    );
  });
});

describe('offsetFromWindow', () => {
  const start = Date.parse('2026-05-12T01:00:00Z'); // 08:00 in Viet Nam
  const end = Date.parse('2026-05-12T04:00:00Z'); // 11:00
  const minutes = (n: number) => n * 60_000;

  it.each([
    ['inside', start + minutes(30), 0],
    ['at the start', start, 0],
    ['at the end', end, 0],
    ['2 h 1 min before', start - minutes(121), -minutes(121)],
    ['3 h after', end + minutes(180), minutes(180)],
  ])('%s: %d ms', (_name, at, expected) => {
    expect(offsetFromWindow(at, { start, end })).toBe(expected);
  });

  it('has no after while the window is open', () => {
    expect(offsetFromWindow(end + minutes(600), { start, end: null })).toBe(0);
    expect(offsetFromWindow(start - 1, { start, end: null })).toBe(-1);
  });

  it('is zero exactly inside, negative before, positive after, and measures to the nearer bound', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e12 }),
        fc.integer({ min: 0, max: 1e9 }),
        fc.integer({ min: 0, max: 2e12 }),
        (s, length, at) => {
          const offset = offsetFromWindow(at, { start: s, end: s + length });
          if (at < s) expect(offset).toBe(at - s);
          else if (at > s + length) expect(offset).toBe(at - s - length);
          else expect(offset).toBe(0);
        },
      ),
    );
  });
});
