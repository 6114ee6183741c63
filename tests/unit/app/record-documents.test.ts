/**
 * The inspection record's PDF and DOCX, read back with their own tools: poppler's pdftotext,
 * pdfinfo and pdfimages for the PDF (installed by .ci/run), jszip for the DOCX's XML.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import JSZip from 'jszip';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { photoLongEdge, type RecordImage, recordImage } from '#app/record-assets.ts';
import { recordDocx } from '#app/record-docx.ts';
import { recordPdf } from '#app/record-pdf.ts';
import { evidenceFlags } from '#domain/evidence.ts';
import { photoFlagText, type RecordDocument, type RecordFacts, recordDocument } from '#domain/record.ts';
import { bandFor, scoreVisit } from '#domain/scoring.ts';
import type { TemplateDocument } from '#domain/template.ts';

const template: TemplateDocument = {
  title: { vi: 'Phiếu kiểm tra Bộ phận Một cửa', en: 'One-stop counter checklist' },
  sections: [
    {
      code: 'A',
      title: { vi: 'Cơ sở vật chất', en: 'Facilities' },
      items: [
        item('A1', 'Biển tên, chức danh đúng quy định', 2),
        item('A2', 'Có ghế chờ, nước uống cho người dân', 3),
      ],
    },
    {
      code: 'B',
      title: { vi: 'Công khai thủ tục hành chính', en: 'Posting of procedures' },
      items: [item('B1', 'Niêm yết đầy đủ thủ tục, phí, lệ phí', 5)],
    },
  ],
  deductions: [
    { code: 'X1', text: { vi: 'Sách nhiễu người dân', en: 'Harassing citizens' }, points: 5, maxCount: 3 },
  ],
  bands: [
    { minScore: 90, code: 'XS', label: { vi: 'Xuất sắc', en: 'Excellent' } },
    { minScore: 50, code: 'KHA', label: { vi: 'Khá', en: 'Good' } },
  ],
};

function item(code: string, text: string, maxPoints: number) {
  return {
    code,
    text: { vi: text, en: text },
    answer: { type: 'yes_no' as const },
    maxPoints,
    severity: 'medium' as const,
    photo: 'optional' as const,
    allowNotApplicable: false,
    remediationDays: 30,
  };
}

const answers = [
  { itemCode: 'A1', value: false },
  { itemCode: 'A2', value: true },
  { itemCode: 'B1', value: true },
];
const scored = scoreVisit(template, answers, [{ code: 'X1', count: 1 }]);

// Decomposed (NFD) texts on the way in: the record draws NFC.
const facts: RecordFacts = {
  number: 12,
  settings: { authority: 'UBND tỉnh Nghệ An', agency: 'Sở Nội vụ', symbol: 'SNV', place: 'Nghệ An' },
  unitName: 'Phường Vinh Phú',
  visit: {
    startedAt: '2026-05-12T08:30:00+07:00',
    endedAt: '2026-05-12T10:45:00+07:00',
    team: [
      { name: 'Nguyễn Văn Hưởng'.normalize('NFD'), position: 'Phó Giám đốc Sở Nội vụ', role: 'lead' },
      { name: 'Trần Thị Thuỳ Dương', position: 'Chuyên viên', role: 'member' },
    ],
    unitRepresentatives: [{ name: 'Lê Quốc Việt', position: 'Chủ tịch UBND phường' }],
    deductions: [{ code: 'X1', count: 1, note: 'Có phản ánh được xác minh' }],
    inspectorName: 'Nguyễn Văn Hưởng',
  },
  review: {
    comment: 'Đơn vị cần chấn chỉnh ngay việc niêm yết; kết quả được ghi nhận.',
    requests: ['Bố trí công chức trực thường xuyên tại Bộ phận Một cửa'],
    at: '2026-05-15T03:00:00.000Z',
    by: 'manager-1',
  },
  template,
  scored,
  band: bandFor(scored.score, template.bands),
  findings: [
    {
      title: 'Thiếu biển tên, chức danh của công chức tiếp nhận hồ sơ',
      severity: 'high',
      dueDate: '2026-06-14',
      itemCode: 'A1',
      sectionCode: 'A',
    },
  ],
  photos: [
    {
      photoId: 'p-jpeg',
      itemCode: 'A1',
      capturedAt: '2026-05-12T09:05:00+07:00',
      location: { lat: 18.6796, lng: 105.6813 },
      distanceM: 42,
      radiusM: 500,
    },
    {
      photoId: 'p-png',
      itemCode: 'B1',
      capturedAt: '2026-05-12T09:20:00+07:00',
      location: { lat: 18.6901, lng: 105.6813 },
      distanceM: 1250,
      radiusM: 500,
      flags: ['far', 'reused'],
    },
    { photoId: 'p-heic', itemCode: 'A2' },
  ],
};

/** A gradient photo of the given size, encoded for real. */
function pixels(width: number, height: number): Buffer {
  const data = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      data[i] = (x * 255) / width;
      data[i + 1] = (y * 255) / height;
      data[i + 2] = 128;
      data[i + 3] = 255;
    }
  return data;
}

let record: RecordDocument;
let images: Map<string, RecordImage>;
let pdfPath: string;
let docx: Buffer;

beforeAll(async () => {
  record = recordDocument(facts);
  const big = jpeg.encode({ data: pixels(2400, 1800), width: 2400, height: 1800 }, 80).data;
  const png = new PNG({ width: 800, height: 1200 });
  pixels(800, 1200).copy(png.data);
  images = new Map([
    ['p-jpeg', recordImage(big, 'image/jpeg')],
    ['p-png', recordImage(PNG.sync.write(png), 'image/png')],
    ['p-heic', recordImage(Buffer.from('not decodable here'), 'image/heic')],
  ]);
  const dir = mkdtempSync(join(tmpdir(), 'record-'));
  pdfPath = join(dir, 'record.pdf');
  writeFileSync(pdfPath, await recordPdf(record, images));
  docx = await recordDocx(record, images);
  // `RECORD_SAMPLE_DIR=docs npm exec -- vitest run tests/unit/app/record-documents.test.ts`
  // writes the sample that docs/record-first-page.png is rendered from (pdftoppm).
  if (process.env.RECORD_SAMPLE_DIR)
    writeFileSync(join(process.env.RECORD_SAMPLE_DIR, 'record-sample.pdf'), readFileSync(pdfPath));
});

const pdfText = () => execFileSync('pdftotext', ['-enc', 'UTF-8', pdfPath, '-'], { encoding: 'utf8' });
const flat = (text: string) => text.replace(/\s+/g, ' ');

/** Every string the record must show, as a reader types it (NFC). */
const expected = [
  'UBND TỈNH NGHỆ AN',
  'SỞ NỘI VỤ',
  'Số: 12/BB-SNV',
  'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
  'Độc lập - Tự do - Hạnh phúc',
  'Nghệ An, ngày 15 tháng 5 năm 2026',
  'BIÊN BẢN KIỂM TRA',
  'Công tác cải cách hành chính tại Phường Vinh Phú',
  'hồi 08 giờ 30 phút, ngày 12 tháng 5 năm 2026',
  'Thời gian kết thúc: 10 giờ 45 phút, ngày 12 tháng 5 năm 2026',
  'Ông/Bà Nguyễn Văn Hưởng, Phó Giám đốc Sở Nội vụ, Trưởng đoàn;',
  'Ông/Bà Trần Thị Thuỳ Dương, Chuyên viên, thành viên;',
  'Ông/Bà Lê Quốc Việt, Chủ tịch UBND phường;',
  'Cơ sở vật chất',
  '3/5',
  '60%',
  'X1: Sách nhiễu người dân (1 lần, trừ 5 điểm): Có phản ánh được xác minh;',
  'điểm buổi kiểm tra: 75/100; xếp loại: Khá.',
  'Thiếu biển tên, chức danh của công chức tiếp nhận hồ sơ',
  '14/06/2026',
  'Bố trí công chức trực thường xuyên tại Bộ phận Một cửa;',
  'Đơn vị cần chấn chỉnh ngay việc niêm yết; kết quả được ghi nhận.',
  'ĐẠI DIỆN PHƯỜNG VINH PHÚ',
  'TRƯỞNG ĐOÀN KIỂM TRA',
  'PHỤ LỤC: ẢNH MINH CHỨNG',
  'Ảnh 1. Tiêu chí A1: Biển tên, chức danh đúng quy định',
  'Thời điểm chụp: 12/05/2026 09:05',
  'Vị trí: 18.679600, 105.681300; cách trụ sở 42 m (bán kính 500 m)',
  'Vị trí: 18.690100, 105.681300; cách trụ sở 1.250 m (bán kính 500 m)',
  'Lưu ý: chụp xa trụ sở đơn vị (ngoài bán kính cho phép); tệp ảnh đã dùng ở buổi kiểm tra khác',
  'Không hiển thị được ảnh: định dạng image/heic chưa chuyển đổi được',
].map((text) => text.normalize('NFC'));

describe('the appendix', () => {
  it('names every evidence flag of docs/evidence.md in Vietnamese, and no photo says what it does not have', () => {
    const all = recordDocument({
      ...facts,
      photos: [
        { photoId: 'every', itemCode: 'A1', flags: [...evidenceFlags] },
        { photoId: 'none', itemCode: 'A2' },
      ],
    }).appendix.photos;
    const flagged = all[0]?.caption.find((line) => line.startsWith('Lưu ý: ')) ?? '';
    for (const flag of evidenceFlags) expect(flagged, flag).toContain(photoFlagText[flag]);
    expect(new Set(evidenceFlags.map((flag) => photoFlagText[flag])).size).toBe(evidenceFlags.length);
    // Without a place, flags or a known office: no distance, no note.
    expect(all[1]?.caption).toEqual([
      'Ảnh 2. Tiêu chí A2: Có ghế chờ, nước uống cho người dân',
      'Thời điểm chụp: không ghi nhận',
      'Vị trí: không ghi nhận',
    ]);
  });
});

describe('the record as PDF', () => {
  it('round-trips every Vietnamese string exactly, with its diacritics, in NFC', () => {
    const text = flat(pdfText());
    expect(text).toBe(text.normalize('NFC'));
    for (const phrase of expected) expect(text, phrase).toContain(phrase);
  });

  it('is A4, numbers its pages from page 2, and embeds the decodable photos downscaled', () => {
    const info = execFileSync('pdfinfo', [pdfPath], { encoding: 'utf8' });
    expect(info).toMatch(/Page size:\s+595\.28 x 841\.89 pts \(A4\)/);
    const pages = Number(/Pages:\s+(\d+)/.exec(info)?.[1]);
    expect(pages).toBeGreaterThanOrEqual(2);
    const perPage = pdfText().split('\f');
    expect(perPage[0]?.trim().split('\n')[0]?.trim()).not.toBe('1');
    for (let page = 2; page <= pages; page++) {
      expect(perPage[page - 1]?.split('\n').map((l) => l.trim())).toContain(String(page));
    }
    const listed = execFileSync('pdfimages', ['-list', pdfPath], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .slice(2);
    const sizes = listed.map((row) => row.trim().split(/\s+/).slice(3, 5).map(Number));
    expect(sizes).toEqual([
      [photoLongEdge, 1200],
      [800, 1200],
    ]);
  });
});

describe('the record as DOCX', () => {
  it('holds the same texts, A4 with the margins, page numbers after the first page and the photos', async () => {
    const zip = await JSZip.loadAsync(docx);
    const xml = (await zip.file('word/document.xml')?.async('string')) ?? '';
    const text = flat(
      [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)]
        .map((m) => m[1] ?? '')
        .join(' ')
        .replaceAll('&amp;', '&'),
    );
    for (const phrase of expected) expect(text, phrase).toContain(phrase);
    expect(xml).toMatch(/<w:pgSz w:w="11906" w:h="16838"/);
    expect(xml).toMatch(/w:top="1134"[^>]*w:right="850"[^>]*w:bottom="1134"[^>]*w:left="1701"/);
    expect(xml).toContain('<w:titlePg/>');
    const media = Object.keys(zip.files).filter((name) => name.startsWith('word/media/'));
    expect(media).toHaveLength(2);
    const headers = await Promise.all(
      Object.keys(zip.files)
        .filter((name) => /^word\/header\d+\.xml$/.test(name))
        .map((name) => zip.file(name)?.async('string')),
    );
    expect(headers.some((header) => header?.includes('PAGE'))).toBe(true);
  });
});
