import { describe, expect, it } from 'vitest';
import {
  sameTemplateDocument,
  type TemplateDocument,
  templateDocumentSchema,
  templateItems,
  templateProblems,
} from '#domain/template.ts';
import { makeTemplate, smallTemplate } from './fixtures.ts';

const domainExample = {
  title: { vi: 'Phiếu kiểm tra Bộ phận Một cửa', en: 'One-stop counter checklist' },
  sections: [
    {
      code: 'A',
      title: { vi: 'Cơ sở vật chất', en: 'Facilities' },
      items: [
        {
          code: 'A1',
          text: { vi: 'Biển tên đúng quy định', en: 'Correct signage' },
          answer: { type: 'yes_no' },
          maxPoints: 2,
          severity: 'low',
          photo: 'required_if_failed',
        },
        {
          code: 'A2',
          text: { vi: 'Tỷ lệ hồ sơ đúng hạn', en: 'On-time rate' },
          answer: {
            type: 'percent',
            bands: [
              { min: 98, ratio: 1 },
              { min: 90, ratio: 0.5 },
            ],
          },
          maxPoints: 5,
          severity: 'high',
          photo: 'none',
          allowNotApplicable: true,
        },
      ],
    },
  ],
  deductions: [
    { code: 'X1', text: { vi: 'Sách nhiễu người dân', en: 'Harassing citizens' }, points: 5, maxCount: 3 },
  ],
  bands: [{ minScore: 90, code: 'XS', label: { vi: 'Xuất sắc', en: 'Excellent' } }],
};

function item(code: string, extra: Record<string, unknown> = {}) {
  return {
    code,
    text: { vi: `Tiêu chí ${code}` },
    answer: { type: 'yes_no' },
    maxPoints: 1,
    severity: 'low',
    photo: 'none',
    ...extra,
  };
}

function paths(doc: TemplateDocument): string[] {
  return templateProblems(doc).map((p) => p.path);
}

describe('templateDocumentSchema', () => {
  it('parses the example of DOMAIN.md and fills the defaults', () => {
    const doc = makeTemplate(domainExample);
    expect(templateProblems(doc)).toEqual([]);
    const [a1, a2] = templateItems(doc);
    expect(a1).toMatchObject({
      code: 'A1',
      sectionCode: 'A',
      allowNotApplicable: false,
      remediationDays: 30,
    });
    expect(a2).toMatchObject({ code: 'A2', allowNotApplicable: true });
  });

  it.each([
    ['an unknown property', { ...domainExample, status: 'published' }],
    ['server-owned version', { ...domainExample, version: 3 }],
    ['no sections', { ...domainExample, sections: [] }],
    ['a title without vi', { ...domainExample, title: { en: 'Checklist' } }],
    ['a title over 200 characters', { ...domainExample, title: { vi: 'a'.repeat(201) } }],
    [
      'an unknown answer type',
      {
        ...domainExample,
        sections: [{ code: 'A', title: { vi: 'A' }, items: [item('A1', { answer: { type: 'text' } })] }],
      },
    ],
    [
      'a non-integer rating bound',
      {
        ...domainExample,
        sections: [
          {
            code: 'A',
            title: { vi: 'A' },
            items: [item('A1', { answer: { type: 'rating', min: 0.5, max: 5 } })],
          },
        ],
      },
    ],
    [
      'remediationDays over 365',
      {
        ...domainExample,
        sections: [{ code: 'A', title: { vi: 'A' }, items: [item('A1', { remediationDays: 400 })] }],
      },
    ],
    [
      'an item text over 1000 characters',
      {
        ...domainExample,
        sections: [
          { code: 'A', title: { vi: 'A' }, items: [item('A1', { text: { vi: 'x'.repeat(1001) } })] },
        ],
      },
    ],
  ])('refuses %s', (_name, body) => {
    expect(templateDocumentSchema.safeParse(body).success).toBe(false);
  });
});

describe('templateProblems', () => {
  it('reports every semantic problem at once, each with its path', () => {
    const doc = makeTemplate({
      title: { vi: 'Sai đủ kiểu' },
      sections: [
        {
          code: 'A',
          title: { vi: 'A' },
          items: [
            item('A1', { maxPoints: 0 }),
            item('A2', { maxPoints: 1.005 }),
            item('A1'),
            item('A3', { answer: { type: 'rating', min: 5, max: 5 } }),
            item('A4', {
              answer: {
                type: 'percent',
                bands: [
                  { min: 90, ratio: 0.5 },
                  { min: 98, ratio: 1.5 },
                ],
              },
            }),
            item('A5', { answer: { type: 'percent', target: 0 } }),
            item('A6', { answer: { type: 'percent', target: 100.5 } }),
            item('A7', { answer: { type: 'count' } }),
            item('A8', {
              answer: {
                type: 'count',
                bands: [
                  { max: 2, ratio: 0.5 },
                  { max: 0, ratio: -0.1 },
                ],
              },
            }),
            item('m1'),
          ],
        },
        { code: 'A', title: { vi: 'A lặp' }, items: [] },
      ],
      deductions: [
        { code: 'X1', text: { vi: 'x' }, points: 0 },
        { code: 'X1', text: { vi: 'x' }, points: 2.555 },
      ],
      bands: [
        { minScore: 50, code: 'TB', label: { vi: 'Trung bình' } },
        { minScore: 90, code: 'XS', label: { vi: 'Xuất sắc' } },
        { minScore: 101, code: 'TB', label: { vi: 'Sai' } },
      ],
    });
    expect(paths(doc)).toEqual([
      'sections.0.items.0.maxPoints',
      'sections.0.items.1.maxPoints',
      'sections.0.items.2.code',
      'sections.0.items.3.answer.max',
      'sections.0.items.4.answer.bands.1.min',
      'sections.0.items.4.answer.bands.1.ratio',
      'sections.0.items.5.answer.target',
      'sections.0.items.6.answer.target',
      'sections.0.items.7.answer.bands',
      'sections.0.items.8.answer.bands.1.max',
      'sections.0.items.8.answer.bands.1.ratio',
      'sections.0.items.9.code',
      'sections.1.code',
      'sections.1.items',
      'deductions.0.points',
      'deductions.1.code',
      'deductions.1.points',
      'bands.1.minScore',
      'bands.2.code',
      'bands.2.minScore',
      'bands.2.minScore',
    ]);
    for (const p of templateProblems(doc)) {
      expect(p.message.vi).not.toBe('');
      expect(p.message.en).not.toBe('');
    }
  });

  it.each([
    ['negative maxPoints', { maxPoints: -1 }, 'sections.0.items.0.maxPoints'],
    ['maxPoints with 3 decimals', { maxPoints: 2.345 }, 'sections.0.items.0.maxPoints'],
    ['rating min above max', { answer: { type: 'rating', min: 5, max: 1 } }, 'sections.0.items.0.answer.max'],
    [
      'percent bands with equal mins',
      {
        answer: {
          type: 'percent',
          bands: [
            { min: 90, ratio: 1 },
            { min: 90, ratio: 0.5 },
          ],
        },
      },
      'sections.0.items.0.answer.bands.1.min',
    ],
    ['empty percent bands', { answer: { type: 'percent', bands: [] } }, 'sections.0.items.0.answer.bands'],
    [
      'percent bands and a target together',
      { answer: { type: 'percent', bands: [{ min: 90, ratio: 1 }], target: 90 } },
      'sections.0.items.0.answer.target',
    ],
    ['count with empty bands', { answer: { type: 'count', bands: [] } }, 'sections.0.items.0.answer.bands'],
    [
      'count bands with equal maxes',
      {
        answer: {
          type: 'count',
          bands: [
            { max: 1, ratio: 1 },
            { max: 1, ratio: 0.5 },
          ],
        },
      },
      'sections.0.items.0.answer.bands.1.max',
    ],
  ])('reports %s', (_name, extra, path) => {
    const doc = makeTemplate({
      title: { vi: 'T' },
      sections: [{ code: 'A', title: { vi: 'A' }, items: [item('A1', extra)] }],
      bands: [],
    });
    expect(paths(doc)).toEqual([path]);
  });

  it('finds item codes repeated across sections', () => {
    const doc = makeTemplate({
      title: { vi: 'T' },
      sections: [
        { code: 'A', title: { vi: 'A' }, items: [item('X')] },
        { code: 'B', title: { vi: 'B' }, items: [item('X')] },
      ],
      bands: [],
    });
    expect(paths(doc)).toEqual(['sections.1.items.0.code']);
  });

  it('accepts 150 items and refuses 151', () => {
    const build = (n: number) =>
      makeTemplate({
        title: { vi: 'T' },
        sections: [
          { code: 'A', title: { vi: 'A' }, items: Array.from({ length: 100 }, (_, i) => item(`A${i}`)) },
          { code: 'B', title: { vi: 'B' }, items: Array.from({ length: n - 100 }, (_, i) => item(`B${i}`)) },
        ],
        bands: [],
      });
    expect(paths(build(150))).toEqual([]);
    expect(paths(build(151))).toEqual(['sections']);
  });

  it('accepts a valid template with every answer type', () => {
    expect(templateProblems(smallTemplate)).toEqual([]);
  });
});

describe('sameTemplateDocument', () => {
  it('treats defaults, key order and a missing deductions list as equal', () => {
    const explicit = structuredClone(domainExample);
    const first = explicit.sections[0]?.items[0];
    if (first === undefined) throw new Error('setup');
    Object.assign(first, { allowNotApplicable: false, remediationDays: 30 });
    const reordered = Object.fromEntries(Object.entries(domainExample).reverse());
    expect(sameTemplateDocument(makeTemplate(domainExample), makeTemplate(explicit))).toBe(true);
    expect(sameTemplateDocument(makeTemplate(domainExample), makeTemplate(reordered))).toBe(true);
    const withoutDeductions = { ...domainExample, deductions: undefined };
    expect(
      sameTemplateDocument(
        makeTemplate({ ...withoutDeductions }),
        makeTemplate({ ...domainExample, deductions: [] }),
      ),
    ).toBe(true);
  });

  it('sees any difference, and ignores server fields of a stored version', () => {
    const changed = structuredClone(domainExample);
    const first = changed.sections[0]?.items[0];
    if (first === undefined) throw new Error('setup');
    first.maxPoints = 3;
    expect(sameTemplateDocument(makeTemplate(domainExample), makeTemplate(changed))).toBe(false);
    const stored = {
      ...makeTemplate(domainExample),
      templateId: 'one-stop-counter',
      version: 2,
      publishedAt: '2026-01-01T00:00:00Z',
      publishedBy: 'admin-1',
    };
    expect(sameTemplateDocument(stored, makeTemplate(domainExample))).toBe(true);
  });

  it('sees a change of the evidence settings, their defaults as given', () => {
    const plain = makeTemplate(domainExample);
    const withRadius = (evidence: object) => makeTemplate({ ...domainExample, evidence });
    expect(sameTemplateDocument(plain, withRadius({ radiusM: 510 }))).toBe(false);
    expect(sameTemplateDocument(plain, withRadius({ requireLocation: true }))).toBe(false);
    expect(sameTemplateDocument(withRadius({ radiusM: 510 }), withRadius({ radiusM: 500 }))).toBe(false);
    expect(sameTemplateDocument(plain, withRadius({ radiusM: 500, requireLocation: false }))).toBe(true);
    expect(sameTemplateDocument(plain, withRadius({}))).toBe(true);
  });

  it('compares texts after NFC normalisation', () => {
    const decomposed = structuredClone(domainExample);
    decomposed.title.vi = decomposed.title.vi.normalize('NFD');
    expect(sameTemplateDocument(makeTemplate(domainExample), makeTemplate(decomposed))).toBe(true);
  });
});
