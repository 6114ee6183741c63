import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { toHundredths } from '#domain/decimal.ts';
import { scoreVisit } from '#domain/scoring.ts';
import {
  type AnswerSpec,
  templateDocumentSchema,
  templateItems,
  templateProblems,
} from '#domain/template.ts';

const raw: unknown = JSON.parse(
  readFileSync(new URL('../../../shared/seed/one-stop-counter.template.json', import.meta.url), 'utf8'),
);

describe('the reference one-stop counter template', () => {
  const doc = templateDocumentSchema.parse(raw);
  const items = templateItems(doc);

  it('parses and has no semantic problem', () => {
    expect(templateProblems(doc)).toEqual([]);
  });

  it('has seven sections A-G, 35-45 items and exactly 100 points', () => {
    expect(doc.sections.map((s) => s.code)).toEqual(['A', 'B', 'C', 'D', 'E', 'F', 'G']);
    expect(items.length).toBeGreaterThanOrEqual(35);
    expect(items.length).toBeLessThanOrEqual(45);
    expect(items.reduce((sum, item) => sum + toHundredths(item.maxPoints), 0)).toBe(10_000);
  });

  it('has Vietnamese and English text everywhere, in NFC', () => {
    const texts = [
      doc.title,
      ...doc.sections.map((s) => s.title),
      ...items.map((i) => i.text),
      ...(doc.deductions ?? []).map((d) => d.text),
      ...doc.bands.map((b) => b.label),
    ];
    for (const text of texts) {
      expect(text.vi.length).toBeGreaterThan(0);
      expect(text.en?.length ?? 0).toBeGreaterThan(0);
      expect(text.vi).toBe(text.vi.normalize('NFC'));
    }
  });

  it('uses every answer type and photo requirement, and names its legal basis', () => {
    expect(new Set(items.map((i) => i.answer.type))).toEqual(
      new Set(['yes_no', 'rating', 'percent', 'count']),
    );
    expect(new Set(items.map((i) => i.photo))).toEqual(
      new Set(['none', 'optional', 'required', 'required_if_failed']),
    );
    const all = JSON.stringify(raw);
    for (const reference of ['118/2025/NĐ-CP', '03/2025/TT-VPCP', '766/QĐ-TTg']) {
      expect(all).toContain(reference);
    }
    expect((doc.deductions ?? []).length).toBeGreaterThanOrEqual(2);
  });

  it('has the bands Xuất sắc 90, Tốt 80, Khá 70, Trung bình 50, Yếu 0', () => {
    expect(doc.bands.map((b) => [b.code, b.minScore, b.label.vi])).toEqual([
      ['XS', 90, 'Xuất sắc'],
      ['T', 80, 'Tốt'],
      ['K', 70, 'Khá'],
      ['TB', 50, 'Trung bình'],
      ['Y', 0, 'Yếu'],
    ]);
  });

  it('scores a perfect visit 100', () => {
    const perfectValue = (answer: AnswerSpec): boolean | number =>
      answer.type === 'yes_no'
        ? true
        : answer.type === 'rating'
          ? answer.max
          : answer.type === 'percent'
            ? 100
            : 0;
    const perfect = items.map((item) => ({ itemCode: item.code, value: perfectValue(item.answer) }));
    expect(scoreVisit(doc, perfect).score).toBe(100);
  });
});
