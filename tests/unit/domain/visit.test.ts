import { describe, expect, it } from 'vitest';
import {
  answerProblems,
  completenessProblems,
  type PhotoRef,
  photoInputSchema,
  photoProblems,
  type VisitAnswers,
  visitInputSchema,
} from '#domain/visit.ts';
import { makeTemplate, smallTemplate } from './fixtures.ts';

const baseBody = {
  unitId: 'xa-thach-ha',
  templateId: 'one-stop-counter',
  templateVersion: 1,
  startedAt: '2026-05-04T08:00:00+07:00',
  answers: [{ itemCode: 'A1', value: true }],
};

describe('visitInputSchema', () => {
  it('accepts the PUT body of API.md', () => {
    const body = {
      ...baseBody,
      endedAt: '2026-05-04T10:00:00+07:00',
      location: { lat: 18.34, lng: 105.9, accuracyM: 12 },
      answers: [
        { itemCode: 'A1', value: false, note: 'Biển tên bị mờ' },
        { itemCode: 'A2', notApplicable: true },
        { itemCode: 'B1', value: null },
      ],
      deductions: [{ code: 'X1', count: 1, note: 'Đã xác minh' }],
      manualFindings: [{ title: 'Thiếu ghế chờ', severity: 'low', itemCode: 'A1' }],
    };
    expect(visitInputSchema.parse(body)).toEqual(body);
  });

  it.each([
    ['a server-owned status', { status: 'approved' }],
    ['a server-owned score', { score: 100 }],
    ['a version 0', { templateVersion: 0 }],
    ['a start without offset', { startedAt: '2026-05-04T08:00:00' }],
    ['a latitude out of range', { location: { lat: 91, lng: 0, accuracyM: 1 } }],
    ['a negative accuracy', { location: { lat: 0, lng: 0, accuracyM: -1 } }],
    ['an unknown answer field', { answers: [{ itemCode: 'A1', value: true, points: 2 }] }],
    ['a string value', { answers: [{ itemCode: 'A1', value: 'yes' }] }],
    ['a note over 2000 characters', { answers: [{ itemCode: 'A1', value: true, note: 'x'.repeat(2001) }] }],
    ['a zero deduction count', { deductions: [{ code: 'X1', count: 0 }] }],
    [
      '31 manual findings',
      { manualFindings: Array.from({ length: 31 }, () => ({ title: 't', severity: 'low' })) },
    ],
    ['151 answers', { answers: Array.from({ length: 151 }, (_, i) => ({ itemCode: `I${i}`, value: true })) }],
    ['an unknown severity', { manualFindings: [{ title: 't', severity: 'urgent' }] }],
  ])('refuses %s', (_name, change) => {
    expect(visitInputSchema.safeParse({ ...baseBody, ...change }).success).toBe(false);
  });
});

describe('answerProblems', () => {
  it('reports every problem at once, with paths', () => {
    const input: VisitAnswers = {
      startedAt: '2026-05-04T08:00:00+07:00',
      endedAt: '2026-05-04T07:59:59+07:00',
      answers: [
        { itemCode: 'Z9', value: true },
        { itemCode: 'A1', value: 1 },
        { itemCode: 'A1', value: true },
        { itemCode: 'A2', value: 100.5 },
        { itemCode: 'B1', value: 2.5 },
      ],
      deductions: [
        { code: 'X1', count: 4 },
        { code: 'X1', count: 1 },
        { code: 'Q', count: 1 },
      ],
      manualFindings: [
        { title: 'ok', severity: 'low', itemCode: 'A1' },
        { title: 'sai', severity: 'low', itemCode: 'NOPE' },
      ],
    };
    expect(answerProblems(smallTemplate, input).map((p) => p.path)).toEqual([
      'answers.0.itemCode',
      'answers.1.value',
      'answers.2.itemCode',
      'answers.3.value',
      'answers.4.value',
      'deductions.0.count',
      'deductions.1.code',
      'deductions.2.code',
      'manualFindings.1.itemCode',
      'endedAt',
    ]);
  });

  it('starts each message about an item or a deduction with its code, in both languages', () => {
    const input: VisitAnswers = {
      answers: [
        { itemCode: 'Z9', value: true },
        { itemCode: 'A1', value: 1 },
        { itemCode: 'A1', value: true },
        { itemCode: 'A2', value: 100.5 },
        { itemCode: 'B1', value: 2.5 },
        { itemCode: 'A2', notApplicable: true, value: 50 },
      ],
      deductions: [
        { code: 'X1', count: 4 },
        { code: 'X1', count: 1 },
        { code: 'Q', count: 1 },
      ],
      manualFindings: [{ title: 'sai', severity: 'low', itemCode: 'NOPE' }],
    };
    const messages = answerProblems(smallTemplate, input).map((p) => [p.path, p.message.vi, p.message.en]);
    expect(messages).toEqual([
      [
        'answers.0.itemCode',
        'Z9: Phiếu kiểm tra không có tiêu chí mã này.',
        'Z9: The template has no item with this code.',
      ],
      [
        'answers.1.value',
        'A1: Giá trị phải là true (có) hoặc false (không).',
        'A1: The value must be true or false.',
      ],
      [
        'answers.2.itemCode',
        'A1: Tiêu chí được trả lời nhiều lần.',
        'A1: The item is answered more than once.',
      ],
      [
        'answers.3.value',
        'A2: Giá trị phải là số từ 0 đến 100, có tối đa 2 chữ số thập phân.',
        'A2: The value must be a number from 0 to 100 with at most 2 decimals.',
      ],
      [
        'answers.4.value',
        'B1: Giá trị phải là số nguyên từ 1 đến 5.',
        'B1: The value must be an integer from 1 to 5.',
      ],
      [
        'answers.5.itemCode',
        'A2: Tiêu chí được trả lời nhiều lần.',
        'A2: The item is answered more than once.',
      ],
      [
        'answers.5.value',
        'A2: Tiêu chí đã đánh dấu không áp dụng thì không được có giá trị.',
        'A2: An item marked not applicable cannot also have a value.',
      ],
      [
        'deductions.0.count',
        'X1: Điểm trừ chỉ được tính tối đa 3 lần.',
        'X1: The deduction counts at most 3 times.',
      ],
      [
        'deductions.1.code',
        'X1: Điểm trừ được ghi nhiều lần; hãy ghi một lần với số lần vi phạm.',
        'X1: The deduction is listed more than once; list it once with its count.',
      ],
      [
        'deductions.2.code',
        'Q: Phiếu kiểm tra không có điểm trừ mã này.',
        'Q: The template has no deduction with this code.',
      ],
      [
        'manualFindings.0.itemCode',
        'NOPE: Phiếu kiểm tra không có tiêu chí mã này.',
        'NOPE: The template has no item with this code.',
      ],
    ]);
  });

  it('checks not-applicable against the item', () => {
    const problems = answerProblems(smallTemplate, {
      answers: [
        { itemCode: 'A1', notApplicable: true },
        { itemCode: 'A2', notApplicable: true, value: 50 },
        { itemCode: 'B1', notApplicable: true, value: null },
      ],
    });
    expect(problems.map((p) => p.path)).toEqual(['answers.0.notApplicable', 'answers.1.value']);
    expect(problems[0]?.message).toEqual({
      vi: 'A1: Tiêu chí này không được đánh dấu là không áp dụng.',
      en: 'A1: The item cannot be marked not applicable.',
    });
  });

  const countTemplate = makeTemplate({
    title: { vi: 'T' },
    sections: [
      {
        code: 'S',
        title: { vi: 'S' },
        items: [
          {
            code: 'C1',
            text: { vi: 'Đếm' },
            answer: { type: 'count', bands: [{ max: 0, ratio: 1 }] },
            maxPoints: 1,
            severity: 'low',
            photo: 'none',
          },
          {
            code: 'P1',
            text: { vi: 'Phần trăm' },
            answer: { type: 'percent' },
            maxPoints: 1,
            severity: 'low',
            photo: 'none',
          },
        ],
      },
    ],
    bands: [],
  });
  it.each([
    ['C1', 0, true],
    ['C1', 12, true],
    ['C1', -1, false],
    ['C1', 1.5, false],
    ['C1', true, false],
    ['P1', 0, true],
    ['P1', 100, true],
    ['P1', 99.99, true],
    ['P1', 99.999, false],
    ['P1', -0.01, false],
    ['P1', 100.01, false],
    ['P1', false, false],
  ])('%s = %s is valid: %s', (itemCode, value, ok) => {
    expect(answerProblems(countTemplate, { answers: [{ itemCode, value }] })).toHaveLength(ok ? 0 : 1);
  });

  it('accepts a partial draft', () => {
    expect(answerProblems(smallTemplate, { answers: [{ itemCode: 'B1', value: null }] })).toEqual([]);
  });
});

describe('completenessProblems', () => {
  const complete = {
    answers: [
      { itemCode: 'A1', value: true },
      { itemCode: 'A2', value: 99 },
      { itemCode: 'B1', value: 5 },
    ],
  };
  const verifiedB1: PhotoRef = { photoId: 'p-b1', itemCode: 'B1', status: 'verified' };

  it('passes a complete visit with its required photo verified', () => {
    expect(completenessProblems(smallTemplate, complete, [verifiedB1])).toEqual({
      problems: [],
      pendingOnly: false,
    });
  });

  it('lists unanswered items and missing photos together', () => {
    const result = completenessProblems(
      smallTemplate,
      {
        answers: [
          { itemCode: 'A1', value: false },
          { itemCode: 'A2', value: null },
        ],
      },
      [{ photoId: 'p-a1', itemCode: 'A1', status: 'rejected' }],
    );
    expect(result.problems.map((p) => [p.path, p.message.vi, p.message.en])).toEqual([
      [
        'items.A1.photos',
        'A1: Tiêu chí cần ít nhất một ảnh minh chứng đã được xác minh.',
        'A1: The item needs at least one verified photo.',
      ],
      ['items.A2.value', 'A2: Tiêu chí chưa có kết quả kiểm tra.', 'A2: The item has no answer yet.'],
      ['items.B1.value', 'B1: Tiêu chí chưa có kết quả kiểm tra.', 'B1: The item has no answer yet.'],
    ]);
    expect(result.pendingOnly).toBe(false);
  });

  it('names the item whose photo still waits for verification', () => {
    const result = completenessProblems(smallTemplate, complete, [
      { photoId: 'p-b1', itemCode: 'B1', status: 'pending' },
    ]);
    expect(result.problems.map((p) => p.message)).toEqual([
      {
        vi: 'B1: Ảnh minh chứng của tiêu chí đang chờ xác minh.',
        en: 'B1: The photo for the item is still waiting for verification.',
      },
    ]);
  });

  const a1 = { itemCode: 'A1', value: true };
  const a1Failed = { itemCode: 'A1', value: false };
  const a2 = { itemCode: 'A2', value: 99 };
  const b1 = { itemCode: 'B1', value: 5 };
  const pending = (itemCode: string): PhotoRef => ({
    photoId: `pending-${itemCode}`,
    itemCode,
    status: 'pending',
  });
  it.each<[string, VisitAnswers['answers'], PhotoRef[], string[], boolean]>([
    ['required, answered, no photo', [a1, a2, b1], [], ['items.B1.photos'], false],
    ['required, answered, only pending', [a1, a2, b1], [pending('B1')], ['items.B1.photos'], true],
    ['required but not applicable', [a1, a2, { itemCode: 'B1', notApplicable: true }], [], [], false],
    [
      'required_if_failed with r < 1, only pending',
      [a1Failed, a2, b1],
      [verifiedB1, pending('A1')],
      ['items.A1.photos'],
      true,
    ],
    ['required_if_failed with r = 1', [a1, a2, b1], [verifiedB1], [], false],
    [
      'a pending photo of another item does not help',
      [a1Failed, a2, b1],
      [verifiedB1, pending('B1')],
      ['items.A1.photos'],
      false,
    ],
  ])('%s', (_name, answers, photos, paths, pendingOnly) => {
    const result = completenessProblems(smallTemplate, { answers }, photos);
    expect(result.problems.map((p) => p.path)).toEqual(paths);
    expect(result.pendingOnly).toBe(pendingOnly);
  });

  it('is not pendingOnly when a pending photo comes with another problem', () => {
    const result = completenessProblems(smallTemplate, { answers: [a1, b1] }, [pending('B1')]);
    expect(result.problems.map((p) => p.path)).toEqual(['items.A2.value', 'items.B1.photos']);
    expect(result.pendingOnly).toBe(false);
  });

  it('refuses a visit where nothing is applicable', () => {
    const template = makeTemplate({
      title: { vi: 'T' },
      sections: [
        {
          code: 'S',
          title: { vi: 'S' },
          items: [
            {
              code: 'I1',
              text: { vi: 'x' },
              answer: { type: 'yes_no' },
              maxPoints: 1,
              severity: 'low',
              photo: 'none',
              allowNotApplicable: true,
            },
          ],
        },
      ],
      bands: [],
    });
    const result = completenessProblems(template, { answers: [{ itemCode: 'I1', notApplicable: true }] }, []);
    expect(result.problems.map((p) => p.path)).toEqual(['answers']);
    expect(result.problems[0]?.message.en).toContain('sum to 0');
  });

  it('includes answer problems (deductions over maxCount)', () => {
    const result = completenessProblems(
      smallTemplate,
      { ...complete, deductions: [{ code: 'X1', count: 9 }] },
      [verifiedB1],
    );
    expect(result.problems.map((p) => p.path)).toEqual(['deductions.0.count']);
  });
});

describe('photos', () => {
  const photo = {
    photoId: '8B7C0E3A-9D1F-4A2B-8C3D-1E2F3A4B5C6D',
    itemCode: 'A1',
    contentType: 'image/jpeg',
    sizeBytes: 2_000_000,
    sha256: 'a'.repeat(64),
  };

  it('parses photo metadata and lowercases its ID', () => {
    expect(photoInputSchema.parse(photo).photoId).toBe('8b7c0e3a-9d1f-4a2b-8c3d-1e2f3a4b5c6d');
    expect(photoProblems(smallTemplate, photo)).toEqual([]);
    expect(photoProblems(smallTemplate, { itemCode: 'Z' })).toEqual([
      {
        path: 'itemCode',
        message: {
          vi: 'Z: Phiếu kiểm tra không có tiêu chí mã này.',
          en: 'Z: The template has no item with this code.',
        },
      },
    ]);
  });

  it.each([
    ['a GIF', { contentType: 'image/gif' }],
    ['11 MB', { sizeBytes: 10 * 1024 * 1024 + 1 }],
    ['an empty file', { sizeBytes: 0 }],
    ['an uppercase hash', { sha256: 'A'.repeat(64) }],
    ['a short hash', { sha256: 'a'.repeat(63) }],
    ['a status', { status: 'verified' }],
  ])('refuses %s', (_name, change) => {
    expect(photoInputSchema.safeParse({ ...photo, ...change }).success).toBe(false);
  });
});
