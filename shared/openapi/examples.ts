/**
 * Examples of the main bodies, in the document next to their schemas. Item, section, deduction
 * and band codes are those of the reference template (shared/seed/one-stop-counter.template.json)
 * and the units those of the demo province, so an example can be replayed against local mode.
 * tests/unit/openapi checks each one against its route's zod schema, and redocly lint checks
 * them against the generated JSON Schema.
 */
import type { RouteName } from '#routes/table.ts';

const visitId = '0f8e2c4a-6b1d-4c3e-9a57-2d8b1e6f4a90';
const publicationId = '7c1d9e52-3a4b-4f60-8e21-5b9a0c3d7e14';

export const unitInputExample = {
  name: 'Phường Trường Vinh',
  kind: 'ward',
  parentId: 'NA',
  code: '16681',
};

export const unitExample = {
  ...unitInputExample,
  unitId: 'W1',
  path: ['NA', 'W1'],
  createdAt: '2026-05-04T02:15:00.000Z',
  updatedAt: '2026-05-04T02:15:00.000Z',
  etag: 'Hq3vX0bYt8w1nq2ZcJ4Lrg',
};

/** A draft of the reference template: partial answers are fine until submit. */
export const visitInputExample = {
  unitId: 'W1',
  templateId: 'one-stop-counter',
  templateVersion: 1,
  startedAt: '2026-05-12T08:30:00+07:00',
  endedAt: '2026-05-12T10:00:00+07:00',
  location: { lat: 18.6796, lng: 105.6813, accuracyM: 12 },
  answers: [
    { itemCode: 'A1', value: true },
    { itemCode: 'A2', value: 4 },
    { itemCode: 'B1', value: 100 },
    { itemCode: 'C2', value: false, note: 'Công chức không đeo thẻ.' },
    { itemCode: 'C3', value: 3 },
    { itemCode: 'D1', value: 100 },
    { itemCode: 'D5', value: 0 },
    { itemCode: 'E1', value: 92 },
    { itemCode: 'F1', value: 60 },
    { itemCode: 'A5', notApplicable: true },
  ],
  deductions: [{ code: 'X2', count: 1, note: 'Yêu cầu bản sao giấy khai sinh.' }],
  manualFindings: [
    { title: 'Không có ghế cho người khuyết tật', severity: 'medium', itemCode: 'A3', note: 'Khu vực chờ.' },
  ],
};

export const visitExample = {
  ...visitInputExample,
  visitId,
  inspectorId: 'inspector-1',
  inspectorName: 'Nguyễn Văn Kiểm',
  status: 'draft',
  score: null,
  base: null,
  sections: null,
  submittedAt: null,
  review: null,
  revocation: null,
  pendingApproval: null,
  createdAt: '2026-05-12T03:05:00.000Z',
  updatedAt: '2026-05-12T03:05:00.000Z',
  etag: 'mV2pQ8sLx0eR7tYc1uW3zA',
};

/** A visit as every route answering one visit gives it: with its photos and audit history. */
export const visitDetailExample = {
  ...visitExample,
  photos: [],
  evidence: { visitDistanceM: 35, radiusM: 500, flags: [], photos: [] },
  history: [
    {
      action: 'create',
      by: 'inspector-1',
      byName: 'Nguyễn Văn Kiểm',
      at: '2026-05-12T03:05:00.000Z',
      from: null,
      to: 'draft',
      reason: null,
    },
  ],
};

const sections = (percents: Array<number | null>) =>
  ['A', 'B', 'C', 'D', 'E', 'F', 'G'].map((code, index) => ({ code, percent: percents[index] ?? null }));

export const rankingRowExample = {
  unitId: 'W1',
  code: '16681',
  name: 'Phường Trường Vinh',
  score: 92.5,
  rank: 1,
  band: { code: 'XS', label: { vi: 'Xuất sắc', en: 'Excellent' } },
  visitCount: 1,
  sections: sections([100, 100, 65, 100, 85, 95, 100]),
};

const rankingRows = [
  rankingRowExample,
  {
    unitId: 'W2',
    code: '16678',
    name: 'Phường Thành Vinh',
    score: 81,
    rank: 2,
    band: { code: 'T', label: { vi: 'Tốt', en: 'Good' } },
    visitCount: 2,
    sections: sections([90, 85, 80, 75, 70, 82.5, 90]),
  },
  // Unscored units close the list: no rank, no band, every section listed with a null percent.
  {
    unitId: 'W3',
    code: '16684',
    name: 'Phường Vinh Hưng',
    score: null,
    rank: null,
    band: null,
    visitCount: 0,
    sections: sections([]),
  },
];

export const scoresExample = { items: rankingRows, nextCursor: null };

export const publicationInputExample = {
  templateId: 'one-stop-counter',
  period: '2026-Q2',
  parentId: 'NA',
  kind: 'ward',
};

export const publicationExample = {
  publicationId,
  ...publicationInputExample,
  rowCount: rankingRows.length,
  hash: '5f0c7a3e9b1d24c68e2a7f05b3c9d1e4a6b8f0c2d4e6a8b0c2d4e6f8a0b2c4d6',
  createdAt: '2026-07-01T02:00:00.000Z',
  createdBy: 'admin-1',
  createdByName: 'Trần Thị Quản',
  supersedes: null,
  rows: rankingRows,
};

export const publicationCsvExample = [
  '\uFEFFrank,unitId,code,name,score,bandCode,bandLabel,visitCount,A,B,C,D,E,F,G',
  '1,W1,16681,Phường Trường Vinh,92.5,XS,Xuất sắc,1,100,100,65,100,85,95,100',
  '2,W2,16678,Phường Thành Vinh,81,T,Tốt,2,90,85,80,75,70,82.5,90',
  ',W3,16684,Phường Vinh Hưng,,,,0,,,,,,,',
  '',
].join('\r\n');

export const photoUploadExample = {
  photoId: '3b6f1d2e-8c4a-4e9b-a1d7-5f2c8e0b9a36',
  status: 'pending',
  upload: {
    url: 'https://par-inspect-photos.s3.ap-southeast-1.amazonaws.com/',
    fields: {
      key: `photos/${visitId}/3b6f1d2e-8c4a-4e9b-a1d7-5f2c8e0b9a36/5e8d2a17-0c3b-4f96-b2e4-7a1c9d6f3e08`,
      'Content-Type': 'image/jpeg',
      Policy: 'eyJleHBpcmF0aW9uIjoiMjAyNi0wNS0xMlQwMzoxMDowMFoifQ==',
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
      'X-Amz-Signature': '2f0d…',
    },
  },
  expiresAt: '2026-05-12T03:10:00.000Z',
};

export const exportInputExample = {
  kind: 'findings',
  format: 'xlsx',
  filters: { unitId: 'NA', period: '2026', overdue: true },
};

export const exportReadyExample = {
  exportId: '1e9a7b3c-5d2f-4a80-b6c4-9f3e2d1a0b57',
  status: 'ready',
  rowCount: 4210,
  downloadUrl:
    'https://par-inspect-exports.s3.ap-southeast-1.amazonaws.com/exports/1e9a7b3c.csv?X-Amz-Signature=…',
  expiresAt: '2026-05-20T04:05:00.000Z',
};

/** Request and success-body examples by operation. */
export const operationExamples: Partial<Record<RouteName, { request?: unknown; response?: unknown }>> = {
  getHealth: { response: { status: 'ok' } },
  getUnit: { response: unitExample },
  putUnit: { request: unitInputExample, response: unitExample },
  listUnits: { response: { items: [unitExample], nextCursor: null } },
  putVisit: { request: visitInputExample, response: visitDetailExample },
  listVisits: { response: { items: [visitExample], nextCursor: 'eyJ2IjoxfQ' } },
  reviewVisit: { request: { decision: 'return', comment: 'Bổ sung ảnh niêm yết thủ tục (B1).' } },
  revokeVisit: { request: { reason: 'Kiểm tra nhầm đơn vị.' } },
  createPhoto: {
    request: {
      photoId: photoUploadExample.photoId,
      itemCode: 'B1',
      contentType: 'image/jpeg',
      sizeBytes: 482133,
      sha256: 'a3f1c9e07b5d2468ace13579bdf02468ace13579bdf02468ace13579bdf02468',
      capturedAt: '2026-05-12T08:41:10+07:00',
    },
    response: photoUploadExample,
  },
  patchFinding: { request: { status: 'resolved', note: 'Đã niêm yết bổ sung.' } },
  createExport: {
    request: exportInputExample,
    response: { exportId: exportReadyExample.exportId, status: 'running' },
  },
  getExport: { response: exportReadyExample },
  getScores: { response: scoresExample },
  createPublication: { request: publicationInputExample, response: publicationExample },
  getPublication: { response: publicationExample },
};
