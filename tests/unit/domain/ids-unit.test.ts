import { describe, expect, it } from 'vitest';
import {
  instantSchema,
  isoDateSchema,
  itemCodeSchema,
  nfcString,
  templateIdSchema,
  textSchema,
  unitIdSchema,
  uuidSchema,
} from '#domain/ids.ts';
import { parsePeriod } from '#domain/period.ts';
import { inPeerGroup, inSubtree, unitInputSchema } from '#domain/unit.ts';

describe('ID schemas', () => {
  it.each([
    [unitIdSchema, 'ha-tinh.xa-thach-ha_01', true],
    [unitIdSchema, '-starts-with-dash', false],
    [unitIdSchema, 'a'.repeat(65), false],
    [templateIdSchema, 'one-stop-counter', true],
    [templateIdSchema, 'One-Stop', false],
    [templateIdSchema, 'x', false],
    [itemCodeSchema, 'B1', true],
    [itemCodeSchema, 'B 1', false],
    [isoDateSchema, '2028-02-29', true],
    [isoDateSchema, '2026-02-29', false],
    [isoDateSchema, '2026-1-01', false],
    [instantSchema, '2026-05-01T08:30:00+07:00', true],
    [instantSchema, '2026-05-01T01:30:00.123Z', true],
    [instantSchema, '2026-05-01T08:30:00', false],
    [instantSchema, '2026-05-01T08:30+07:00', false],
    [instantSchema, '2026-02-30T08:30:00Z', false],
  ])('%#: %s', (schema, value, ok) => {
    expect(schema.safeParse(value).success).toBe(ok);
  });

  it('stores UUIDs lowercase and accepts any UUID layout', () => {
    expect(uuidSchema.parse('0F8FAD5B-D9CB-469F-A165-70867728950E')).toBe(
      '0f8fad5b-d9cb-469f-a165-70867728950e',
    );
    expect(uuidSchema.safeParse('00000000-0000-0000-0000-000000000000').success).toBe(true);
    expect(uuidSchema.safeParse('0f8fad5b-d9cb-469f-a165-70867728950').success).toBe(false);
  });

  it('normalises text to NFC without trimming, and counts length after normalisation', () => {
    const decomposed = 'Tiến'.normalize('NFD');
    expect(nfcString(4).parse(decomposed)).toBe('Tiến'.normalize('NFC'));
    expect(nfcString(10).parse(' a ')).toBe(' a ');
    expect(nfcString(4).safeParse('').success).toBe(false);
    expect(nfcString(3).safeParse('abcd').success).toBe(false);
  });

  it('texts are strict { vi, en? }', () => {
    expect(textSchema(10).safeParse({ vi: 'Tốt' }).success).toBe(true);
    expect(textSchema(10).safeParse({ vi: 'Tốt', en: 'Good' }).success).toBe(true);
    expect(textSchema(10).safeParse({ en: 'Good' }).success).toBe(false);
    expect(textSchema(10).safeParse({ vi: 'Tốt', fr: 'Bien' }).success).toBe(false);
  });
});

describe('units', () => {
  it('parses a unit body and refuses server-owned fields', () => {
    const body = { name: 'Phường Thành Sen', kind: 'ward', parentId: 'ha-tinh', code: '18070' };
    expect(unitInputSchema.parse(body)).toEqual(body);
    expect(unitInputSchema.safeParse({ ...body, parentId: null }).success).toBe(true);
    expect(unitInputSchema.safeParse({ ...body, kind: 'village' }).success).toBe(false);
    expect(unitInputSchema.safeParse({ ...body, createdAt: '2026-01-01T00:00:00Z' }).success).toBe(false);
    expect(unitInputSchema.safeParse({ ...body, code: 'a b' }).success).toBe(false);
    expect(unitInputSchema.safeParse({ ...body, abolishedOn: '2025-07-01' }).success).toBe(true);
  });

  const y2025 = parsePeriod('2025');
  const q3 = parsePeriod('2025-Q3');
  it.each([
    [{ parentId: 'p', kind: 'commune' as const }, true],
    [{ parentId: 'q', kind: 'commune' as const }, false],
    [{ parentId: 'p', kind: 'ward' as const }, false],
    [{ parentId: 'p', kind: 'commune' as const, abolishedOn: '2024-12-31' }, false],
    [{ parentId: 'p', kind: 'commune' as const, abolishedOn: '2025-01-01' }, true],
    [{ parentId: 'p', kind: 'commune' as const, abolishedOn: '2025-07-01' }, true],
  ])('peer group (p, commune, 2025) of %j: %s', (unit, expected) => {
    if (y2025 === null) throw new Error('setup');
    expect(inPeerGroup(unit, 'p', 'commune', y2025)).toBe(expected);
  });

  it('leaves out a district abolished before the quarter began (the 2025 reform)', () => {
    if (q3 === null) throw new Error('setup');
    const district = { parentId: 'ha-tinh', kind: 'district' as const, abolishedOn: '2025-06-30' };
    expect(inPeerGroup(district, 'ha-tinh', 'district', q3)).toBe(false);
    expect(inPeerGroup({ ...district, abolishedOn: '2025-07-01' }, 'ha-tinh', 'district', q3)).toBe(true);
  });

  it('knows a subtree from a path', () => {
    expect(inSubtree(['ht', 'th', 'x1'], 'th')).toBe(true);
    expect(inSubtree(['ht', 'th', 'x1'], 'x2')).toBe(false);
  });
});
