import { describe, expect, it } from 'vitest';
import { scoreVisit } from '#domain/scoring.ts';
import { templateItems } from '#domain/template.ts';
import { liveScore } from '../../../web/src/lib/live-score.ts';
import { toVisitBody, type VisitDraft, withAnswer } from '../../../web/src/lib/visit-body.ts';
import { referenceTemplate } from './support.ts';

const draft: VisitDraft = {
  unitId: 'vinh-phu',
  templateId: 'one-stop-counter',
  templateVersion: 1,
  startedAt: '2026-03-02T01:00:00.000Z',
  answers: [],
  deductions: [],
  manualFindings: [],
};

describe('the PUT body of a half-typed draft', () => {
  it('leaves out what is not finished: blank notes, empty answers, zero deductions, untitled findings', () => {
    const body = toVisitBody({
      ...draft,
      answers: [
        { itemCode: 'A1', value: true, note: '   ' },
        { itemCode: 'A2', value: null },
        { itemCode: 'A3', note: 'Bàn ghế cũ' },
      ],
      deductions: [
        { code: 'X1', count: 0 },
        { code: 'X2', count: 2, note: '' },
      ],
      manualFindings: [
        { title: '', severity: 'low' },
        { title: 'Thiếu biển', severity: 'high', itemCode: '' },
      ],
    });
    expect(body).toEqual({
      unitId: 'vinh-phu',
      templateId: 'one-stop-counter',
      templateVersion: 1,
      startedAt: '2026-03-02T01:00:00.000Z',
      answers: [
        { itemCode: 'A1', value: true },
        { itemCode: 'A3', note: 'Bàn ghế cũ' },
      ],
      deductions: [{ code: 'X2', count: 2 }],
      manualFindings: [{ title: 'Thiếu biển', severity: 'high' }],
    });
  });

  it('stores text as NFC, as the server does, so what it sent compares equal to what it gets back', () => {
    const body = toVisitBody({
      ...draft,
      answers: [{ itemCode: 'A1', value: true, note: 'Phú'.normalize('NFD') }],
    });
    expect(body.answers[0]?.note).toBe('Phú'.normalize('NFC'));
  });

  it('not applicable and a value exclude each other, the last choice winning', () => {
    let d = withAnswer(draft, 'A5', { value: true });
    d = withAnswer(d, 'A5', { notApplicable: true });
    expect(toVisitBody(d).answers).toEqual([{ itemCode: 'A5', notApplicable: true }]);
    d = withAnswer(d, 'A5', { value: false });
    expect(toVisitBody(d).answers).toEqual([{ itemCode: 'A5', value: false }]);
  });
});

describe('the live score', () => {
  const template = referenceTemplate();
  const items = templateItems(template);

  it('once every item is answered, equals the score the server computes at submit', () => {
    let d = draft;
    items.forEach((item, i) => {
      const spec = item.answer;
      const value =
        spec.type === 'yes_no'
          ? i % 3 !== 0
          : spec.type === 'rating'
            ? spec.max - (i % 2)
            : spec.type === 'percent'
              ? 97.5 - i
              : i % 4;
      d = withAnswer(d, item.code, { value });
    });
    d = { ...d, deductions: [{ code: 'X2', count: 2 }] };
    const body = toVisitBody(d);
    const live = liveScore(template, body);
    const server = scoreVisit(template, body.answers, body.deductions);
    expect(live.complete).toBe(true);
    expect(live.score).toEqual(server);
    expect(live.sections).toEqual(server.sections);
  });

  it('while partial, scores the answered items only and lists every section', () => {
    const d = withAnswer(withAnswer(draft, 'A1', { value: true }), 'A2', { value: 1 });
    const live = liveScore(template, toVisitBody(d));
    // A1 (1.5 points, yes) and A2 (2 points, rating 1 of 1..5, r = 0): 1.5 / 3.5 = 42.86.
    expect(live.score?.score).toBe(42.86);
    expect(live.answered).toBe(2);
    expect(live.sections[0]).toEqual({ code: 'A', percent: 42.86 });
    expect(live.sections.slice(1).every((s) => s.percent === null)).toBe(true);
    expect(live.sections).toHaveLength(template.sections.length);
  });

  it('has no score while nothing applicable is answered, and ignores invalid values', () => {
    const d = withAnswer(withAnswer(draft, 'A5', { notApplicable: true }), 'B1', { value: 101 });
    const live = liveScore(template, toVisitBody(d));
    expect(live.score).toBeNull();
    expect(live.answered).toBe(1);
  });
});
