import { type TemplateDocument, templateDocumentSchema } from '#domain/template.ts';

/** Parses a template document written in a test, filling defaults as the API would. */
export function makeTemplate(doc: unknown): TemplateDocument {
  return templateDocumentSchema.parse(doc);
}

/**
 * A small template: section A (A1 yes/no worth 2, A2 percent with bands worth 5 that may be not
 * applicable), section B (B1 rating 1-5 worth 2, may be not applicable), two deduction rules and
 * the usual bands.
 */
export const smallTemplate: TemplateDocument = makeTemplate({
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
          remediationDays: 15,
        },
      ],
    },
    {
      code: 'B',
      title: { vi: 'Công chức', en: 'Staff' },
      items: [
        {
          code: 'B1',
          text: { vi: 'Thái độ phục vụ', en: 'Manner' },
          answer: { type: 'rating', min: 1, max: 5 },
          maxPoints: 2,
          severity: 'medium',
          photo: 'required',
          allowNotApplicable: true,
        },
      ],
    },
  ],
  deductions: [
    { code: 'X1', text: { vi: 'Sách nhiễu người dân', en: 'Harassing citizens' }, points: 5, maxCount: 3 },
    { code: 'X2', text: { vi: 'Thu sai phí', en: 'Wrong fees' }, points: 60 },
  ],
  bands: [
    { minScore: 90, code: 'XS', label: { vi: 'Xuất sắc', en: 'Excellent' } },
    { minScore: 80, code: 'T', label: { vi: 'Tốt', en: 'Good' } },
    { minScore: 70, code: 'K', label: { vi: 'Khá', en: 'Fair' } },
    { minScore: 50, code: 'TB', label: { vi: 'Trung bình', en: 'Average' } },
    { minScore: 0, code: 'Y', label: { vi: 'Yếu', en: 'Poor' } },
  ],
});

/** A template with a single item, for the item-level worked examples. */
export function oneItemTemplate(item: Record<string, unknown>): TemplateDocument {
  return makeTemplate({
    title: { vi: 'Một tiêu chí' },
    sections: [
      {
        code: 'S',
        title: { vi: 'Phần' },
        items: [{ code: 'I1', text: { vi: 'Tiêu chí' }, severity: 'low', photo: 'none', ...item }],
      },
    ],
    bands: [],
  });
}
