/**
 * The inspection record (biên bản kiểm tra) of an approved visit, as content: what the PDF and
 * the DOCX both draw, so the two can never say different things. Its form follows Decree
 * 30/2020/NĐ-CP on administrative documents: the issuing authority and agency with the number
 * and symbol at top left, the national motto at top right with place and date, the title, the
 * body, and the signature blocks. Pure: the renderers (shared/app/record-pdf.ts,
 * record-docx.ts) lay it out; every text here is NFC, as the fonts' Vietnamese glyphs expect.
 */
import { fromHundredths, toHundredths } from './decimal.ts';
import type { EvidenceFlag } from './evidence.ts';
import type { BandRef, VisitScore } from './scoring.ts';
import type { Severity, TemplateDocument } from './template.ts';
import type { TeamMember, UnitRepresentative } from './visit.ts';

/** The settings that name the issuing agency (one deployment serves one province). */
export interface RecordSettings {
  /** The authority above the agency, e.g. `UBND TỈNH NGHỆ AN`. */
  authority: string;
  /** The agency that issues the record as a sentence names it, e.g. `Sở Nội vụ` (the header writes it in capitals). */
  agency: string;
  /** Its symbol in record numbers, e.g. `SNV` in `Số: 12/BB-SNV`. */
  symbol: string;
  /** The place written before the date, e.g. `Nghệ An`. */
  place: string;
}

/** Everything the record says, gathered by the use case. */
export interface RecordFacts {
  number: number;
  /** When the record was made (its number's year and the date beside the place); the approval's when absent. */
  issuedAt?: string | undefined;
  settings: RecordSettings;
  unitName: string;
  visit: {
    startedAt: string;
    endedAt?: string | undefined;
    team?: readonly TeamMember[] | undefined;
    unitRepresentatives?: readonly UnitRepresentative[] | undefined;
    deductions?: ReadonlyArray<{ code: string; count: number; note?: string | undefined }> | undefined;
    inspectorName: string | null;
  };
  review: { comment: string | null; requests: readonly string[]; at: string; by: string };
  template: Pick<TemplateDocument, 'title' | 'sections' | 'deductions'>;
  scored: VisitScore;
  band: BandRef | null;
  findings: ReadonlyArray<{
    title: string;
    severity: Severity;
    dueDate: string;
    itemCode: string | null;
    sectionCode: string | null;
  }>;
  photos: ReadonlyArray<RecordPhotoFacts>;
}

/** A verified photo of the visit, as the appendix describes it. */
export interface RecordPhotoFacts {
  photoId: string;
  itemCode: string;
  capturedAt?: string | undefined;
  location?: { lat: number; lng: number; accuracyM?: number | undefined } | undefined;
  /**
   * The photo's evidence flags (docs/evidence.md), as the review page derives them: the
   * appendix names each one beside its photo.
   */
  flags?: readonly EvidenceFlag[] | undefined;
  /** Metres from the unit's office, when both the office and the photo's place are known. */
  distanceM?: number | undefined;
  /** The radius around the office that `far` is measured by, shown with the distance. */
  radiusM?: number | undefined;
}

export type Align = 'left' | 'center' | 'right' | 'justify';

export type RecordBlock =
  | { kind: 'heading'; text: string }
  | { kind: 'paragraph'; text: string; italic?: boolean; bold?: boolean; align?: Align }
  | { kind: 'list'; items: string[] }
  | {
      kind: 'table';
      /** Relative column widths. */
      widths: number[];
      header: string[];
      rows: string[][];
      align: Align[];
      /** Bold rows (totals). */
      boldRows?: number[];
    };

export interface SignatureBlock {
  title: string;
  note: string;
  names: string[];
}

/** The record as both documents lay it out. */
export interface RecordDocument {
  header: {
    authority: string;
    agency: string;
    number: string;
    motto: string;
    slogan: string;
    placeDate: string;
  };
  title: string;
  subtitle: string;
  body: RecordBlock[];
  signatures: SignatureBlock[];
  appendix: {
    title: string;
    photos: Array<{ photoId: string; caption: string[] }>;
  };
}

const nfc = (text: string) => text.normalize('NFC');

/** `Số: 12/BB-SNV`: the number and the symbol of a record (biên bản) of the agency. */
export function recordNumberText(number: number, symbol: string): string {
  return `Số: ${number}/BB-${symbol}`;
}

const vietnamOffsetMs = 7 * 3_600_000;

/** The wall-clock parts of an instant in Asia/Ho_Chi_Minh. */
function local(instant: string) {
  const d = new Date(new Date(instant).getTime() + vietnamOffsetMs);
  return {
    y: d.getUTCFullYear(),
    m: d.getUTCMonth() + 1,
    d: d.getUTCDate(),
    h: d.getUTCHours(),
    min: d.getUTCMinutes(),
  };
}

const two = (n: number) => String(n).padStart(2, '0');

/** `ngày 05 tháng 6 năm 2026`: days below 10 with a 0, months below 3 with one (Decree 30). */
export function vietnameseDate(instant: string): string {
  const t = local(instant);
  return `ngày ${two(t.d)} tháng ${t.m < 3 ? two(t.m) : t.m} năm ${t.y}`;
}

/** `08 giờ 30 phút`. */
export function vietnameseTime(instant: string): string {
  const t = local(instant);
  return `${two(t.h)} giờ ${two(t.min)} phút`;
}

/** `dd/mm/yyyy` of a calendar date `YYYY-MM-DD`. */
export function dayMonthYear(date: string): string {
  const [y, m, d] = date.split('-');
  return `${d}/${m}/${y}`;
}

/** A local time as `dd/mm/yyyy hh:mm`. */
function shortLocal(instant: string): string {
  const t = local(instant);
  return `${two(t.d)}/${two(t.m)}/${t.y} ${two(t.h)}:${two(t.min)}`;
}

/** Points with a decimal comma, as Vietnamese writes them (12,5). */
export function points(value: number): string {
  return String(fromHundredths(toHundredths(value))).replace('.', ',');
}

export const severityText: Readonly<Record<Severity, string>> = {
  low: 'Thấp',
  medium: 'Trung bình',
  high: 'Cao',
  critical: 'Nghiêm trọng',
};

/** What each evidence flag (docs/evidence.md) says in the appendix, beside its photo. */
export const photoFlagText: Readonly<Record<EvidenceFlag, string>> = {
  far: 'chụp xa trụ sở đơn vị (ngoài bán kính cho phép)',
  outside_visit: 'chụp ngoài thời gian kiểm tra (quá 2 giờ)',
  no_location: 'không có vị trí chụp',
  low_accuracy: 'vị trí chụp có sai số lớn (trên 100 m)',
  exif_mismatch: 'thời điểm hoặc vị trí trong tệp ảnh (EXIF) không khớp với khai báo',
  reused: 'tệp ảnh đã dùng ở buổi kiểm tra khác',
  near_duplicate: 'ảnh gần trùng với ảnh của buổi kiểm tra khác',
};

/** `cách trụ sở 530 m (bán kính 500 m)`: a photo's distance from the office. */
export function distanceText(distanceM: number, radiusM?: number): string {
  const metres = (value: number) => `${Math.round(value).toLocaleString('vi-VN')} m`;
  return `cách trụ sở ${metres(distanceM)}${radiusM === undefined ? '' : ` (bán kính ${metres(radiusM)})`}`;
}

/** Builds the record's content from its facts. */
export function recordDocument(facts: RecordFacts): RecordDocument {
  const { settings, visit, review, template, scored } = facts;
  const team = visit.team ?? [];
  const lead = team.find((member) => member.role === 'lead');
  const members = team.filter((member) => member !== lead);
  const representatives = visit.unitRepresentatives ?? [];
  const itemText = new Map(
    template.sections.flatMap((section) => section.items.map((item) => [item.code, item.text.vi] as const)),
  );

  const body: RecordBlock[] = [];
  const start = `${vietnameseTime(visit.startedAt)}, ${vietnameseDate(visit.startedAt)}`;
  body.push({
    kind: 'paragraph',
    align: 'justify',
    text:
      `Thực hiện nhiệm vụ kiểm tra công tác cải cách hành chính, hồi ${start}, tại ${facts.unitName}, ` +
      `Đoàn kiểm tra của ${settings.agency} tiến hành kiểm tra theo ${template.title.vi}.`,
  });
  body.push({
    kind: 'paragraph',
    text: `Thời gian bắt đầu: ${start}. Thời gian kết thúc: ${
      visit.endedAt ? `${vietnameseTime(visit.endedAt)}, ${vietnameseDate(visit.endedAt)}` : 'không ghi nhận'
    }.`,
  });

  body.push({ kind: 'heading', text: 'I. THÀNH PHẦN' });
  body.push({ kind: 'paragraph', bold: true, text: '1. Đoàn kiểm tra' });
  const teamLines = [
    ...(lead ? [`Ông/Bà ${lead.name}, ${lead.position}, Trưởng đoàn;`] : []),
    ...members.map((member) => `Ông/Bà ${member.name}, ${member.position}, thành viên;`),
  ];
  if (teamLines.length === 0 && visit.inspectorName)
    teamLines.push(`Ông/Bà ${visit.inspectorName}, kiểm tra viên;`);
  body.push(
    teamLines.length ? { kind: 'list', items: teamLines } : { kind: 'paragraph', text: '(không ghi nhận)' },
  );
  body.push({ kind: 'paragraph', bold: true, text: `2. Đại diện ${facts.unitName}` });
  body.push(
    representatives.length
      ? { kind: 'list', items: representatives.map((rep) => `Ông/Bà ${rep.name}, ${rep.position};`) }
      : { kind: 'paragraph', text: '(không ghi nhận)' },
  );

  body.push({ kind: 'heading', text: 'II. KẾT QUẢ KIỂM TRA' });
  body.push({ kind: 'paragraph', bold: true, text: '1. Kết quả theo từng phần' });
  const rows = template.sections.map((section) => {
    const items = scored.items.filter((item) => item.sectionCode === section.code);
    const earned = items.reduce((sum, item) => sum + toHundredths(item.points), 0);
    const max = items.reduce((sum, item) => sum + toHundredths(item.maxPoints), 0);
    const percent = scored.sections.find((s) => s.code === section.code)?.percent ?? null;
    return [
      section.code,
      section.title.vi,
      items.length ? `${points(fromHundredths(earned))}/${points(fromHundredths(max))}` : 'Không áp dụng',
      percent === null ? '-' : `${points(percent)}%`,
    ];
  });
  body.push({
    kind: 'table',
    widths: [1, 6, 2.2, 1.6],
    header: ['Mục', 'Nội dung', 'Điểm đạt/tối đa', 'Tỷ lệ'],
    rows,
    align: ['center', 'left', 'center', 'center'],
  });
  body.push({ kind: 'paragraph', bold: true, text: '2. Điểm trừ' });
  const deductionRules = new Map((template.deductions ?? []).map((rule) => [rule.code, rule]));
  const deductions = (visit.deductions ?? []).map((d) => {
    const rule = deductionRules.get(d.code);
    const total = rule ? points(fromHundredths(toHundredths(rule.points) * d.count)) : '?';
    return `${d.code}: ${rule?.text.vi ?? ''} (${d.count} lần, trừ ${total} điểm)${d.note ? `: ${d.note}` : ''};`;
  });
  body.push(
    deductions.length
      ? { kind: 'list', items: deductions }
      : { kind: 'paragraph', text: 'Không có điểm trừ.' },
  );
  body.push({ kind: 'paragraph', bold: true, text: '3. Tổng hợp' });
  body.push({
    kind: 'paragraph',
    text:
      `Điểm theo tiêu chí: ${points(scored.base)}; điểm trừ: ${points(scored.deductionPoints)}; ` +
      `điểm buổi kiểm tra: ${points(scored.score)}/100; xếp loại: ${facts.band?.label.vi ?? 'chưa xếp loại'}.`,
  });

  body.push({ kind: 'heading', text: 'III. TỒN TẠI, HẠN CHẾ' });
  if (facts.findings.length === 0) body.push({ kind: 'paragraph', text: 'Không có tồn tại, hạn chế.' });
  else
    body.push({
      kind: 'table',
      widths: [0.7, 1, 5.2, 1.6, 1.8],
      header: ['TT', 'Tiêu chí', 'Nội dung', 'Mức độ', 'Hạn khắc phục'],
      rows: facts.findings.map((finding, i) => [
        String(i + 1),
        finding.itemCode ?? '-',
        finding.title,
        severityText[finding.severity],
        dayMonthYear(finding.dueDate),
      ]),
      align: ['center', 'center', 'left', 'center', 'center'],
    });

  body.push({ kind: 'heading', text: 'IV. KIẾN NGHỊ' });
  const requests = [
    ...(facts.findings.length
      ? [
          `${facts.unitName} khắc phục các tồn tại, hạn chế nêu tại mục III trong thời hạn đã ghi cho từng nội dung;`,
        ]
      : []),
    ...review.requests.map((request) => (/[.;:]$/.test(request) ? request : `${request};`)),
  ];
  body.push(
    requests.length ? { kind: 'list', items: requests } : { kind: 'paragraph', text: 'Không có kiến nghị.' },
  );

  body.push({ kind: 'heading', text: 'V. Ý KIẾN CỦA LÃNH ĐẠO PHÊ DUYỆT' });
  body.push({
    kind: 'paragraph',
    align: 'justify',
    text: review.comment ? review.comment : 'Không có ý kiến.',
  });
  body.push({
    kind: 'paragraph',
    align: 'justify',
    text:
      `Biên bản được phê duyệt ${vietnameseDate(review.at)}, lập thành 02 bản có giá trị như nhau: ` +
      `${facts.unitName} giữ 01 bản, Đoàn kiểm tra giữ 01 bản; đã được đọc lại cho những người có mặt ` +
      'cùng nghe, nhất trí và ký tên dưới đây.',
  });

  const signatures: SignatureBlock[] = [
    {
      title: `ĐẠI DIỆN ${facts.unitName.toLocaleUpperCase('vi')}`,
      note: '(Ký, ghi rõ họ tên, đóng dấu)',
      names: representatives.slice(0, 1).map((rep) => rep.name),
    },
    { title: 'TRƯỞNG ĐOÀN KIỂM TRA', note: '(Ký, ghi rõ họ tên)', names: lead ? [lead.name] : [] },
  ];
  if (members.length) {
    signatures.push({
      title: 'CÁC THÀNH VIÊN ĐOÀN KIỂM TRA',
      note: '(Ký, ghi rõ họ tên)',
      names: members.map((member) => member.name),
    });
  }

  const photos = facts.photos.map((photo, i) => {
    const caption = [`Ảnh ${i + 1}. Tiêu chí ${photo.itemCode}: ${itemText.get(photo.itemCode) ?? ''}`];
    caption.push(`Thời điểm chụp: ${photo.capturedAt ? shortLocal(photo.capturedAt) : 'không ghi nhận'}`);
    caption.push(
      `Vị trí: ${
        photo.location
          ? `${photo.location.lat.toFixed(6)}, ${photo.location.lng.toFixed(6)}`
          : 'không ghi nhận'
      }${photo.distanceM !== undefined ? `; ${distanceText(photo.distanceM, photo.radiusM)}` : ''}`,
    );
    if (photo.flags?.length)
      caption.push(`Lưu ý: ${photo.flags.map((flag) => photoFlagText[flag]).join('; ')}`);
    return { photoId: photo.photoId, caption: caption.map(nfc) };
  });

  const doc: RecordDocument = {
    header: {
      authority: settings.authority.toLocaleUpperCase('vi'),
      agency: settings.agency.toLocaleUpperCase('vi'),
      number: recordNumberText(facts.number, settings.symbol),
      motto: 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      slogan: 'Độc lập - Tự do - Hạnh phúc',
      placeDate: `${settings.place}, ${vietnameseDate(facts.issuedAt ?? review.at)}`,
    },
    title: 'BIÊN BẢN KIỂM TRA',
    subtitle: `Công tác cải cách hành chính tại ${facts.unitName}`,
    body,
    signatures,
    appendix: { title: 'PHỤ LỤC: ẢNH MINH CHỨNG', photos },
  };
  return normalised(doc);
}

/** Every string of the document in NFC, whatever the facts held. */
function normalised<T>(value: T): T {
  if (typeof value === 'string') return nfc(value) as T;
  if (Array.isArray(value)) return value.map((item) => normalised(item)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, normalised(item)])) as T;
  }
  return value;
}
