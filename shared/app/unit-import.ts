/**
 * Importing a province's units from the CSV its offices keep (one row per unit: official code,
 * name, kind, parent code, optionally the office's location and the date it was abolished), as
 * Excel saves it: UTF-8 with or without a BOM, comma or semicolon separated. Every row goes
 * through `putUnit`, the use case behind `PUT /v1/units/{unitId}`, so an import stores exactly
 * what the API would, checks the same rules and writes the same audit entries; a row equal to
 * what is stored changes nothing, so a re-run of the same file is a no-op.
 */
import { parse } from 'csv-parse/sync';
import { DomainError, UnknownReferenceError } from '#domain/errors.ts';
import { unitIdSchema } from '#domain/ids.ts';
import { problem, type Text } from '#domain/problems.ts';
import { type UnitInput, type UnitKind, unitInputSchema } from '#domain/unit.ts';
import type { Deps } from './deps.ts';
import { type Caller, sameJson } from './support.ts';
import { putUnit } from './units.ts';

/** One row the file describes, ready for `putUnit`. */
export interface UnitRow {
  /** The row's number as a spreadsheet shows it (the header is row 1). */
  row: number;
  unitId: string;
  /** The official code, by which children name their parent. */
  code: string;
  parentCode: string | null;
  input: UnitInput;
}

/** A row left out, and why (in both languages). */
export interface RefusedRow {
  row: number;
  reason: Text;
}

export interface ParsedUnitFile {
  rows: UnitRow[];
  refused: RefusedRow[];
}

/** The file cannot be read at all (no header, a required column missing, broken quoting). */
export class UnitFileError extends Error {}

// Header names as offices write them, compared without case, diacritics, spaces or punctuation.
const columnNames: Record<string, readonly string[]> = {
  id: ['id', 'unitid', 'madinhdanh'],
  code: ['code', 'ma', 'madonvi', 'madvhc', 'madonvihanhchinh', 'maso'],
  name: ['name', 'ten', 'tendonvi', 'tendvhc'],
  kind: ['kind', 'loai', 'cap', 'loaidonvi'],
  parentCode: ['parentcode', 'parent', 'macaptren', 'madonvicaptren', 'matinh'],
  lat: ['lat', 'latitude', 'vido'],
  lng: ['lng', 'lon', 'longitude', 'kinhdo'],
  abolishedOn: ['abolishedon', 'abolished', 'ngaygiaithe', 'ngaybaibo', 'ngaychamdut'],
};
const requiredColumns = ['code', 'name', 'parentCode'] as const;

/** Lowercase ASCII letters and digits only: "Mã cấp trên" and "ma_cap_tren" both give "macaptren". */
export function foldText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{Mn}/gu, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '');
}

// Kinds as spreadsheets name them (English kinds of the API, or the Vietnamese words).
const kindWords: Record<string, UnitKind> = {
  province: 'province',
  tinh: 'province',
  thanhpho: 'province',
  thanhphotrunguong: 'province',
  department: 'department',
  so: 'department',
  ban: 'department',
  nganh: 'department',
  district: 'district',
  huyen: 'district',
  quan: 'district',
  thixa: 'district',
  commune: 'commune',
  xa: 'commune',
  ward: 'ward',
  phuong: 'ward',
  specialzone: 'special_zone',
  dackhu: 'special_zone',
};

// Name prefixes that say the kind when the file has no kind column ("Phường Vinh Phú").
const namePrefixes: ReadonlyArray<readonly [string, UnitKind]> = [
  ['Thành phố ', 'province'],
  ['Tỉnh ', 'province'],
  ['Phường ', 'ward'],
  ['Xã ', 'commune'],
  ['Đặc khu ', 'special_zone'],
  ['Thị xã ', 'district'],
  ['Huyện ', 'district'],
  ['Quận ', 'district'],
];

/** A unit ID from a name: "Phường Vinh Phú" gives `vinh-phu` (the kind's word is left out). */
export function unitIdFromName(name: string): string {
  const normalised = name.normalize('NFC').trim();
  const prefix = namePrefixes.find(([word]) => normalised.startsWith(word));
  const rest = prefix ? normalised.slice(prefix[0].length) : normalised;
  return rest
    .normalize('NFD')
    .replace(/\p{Mn}/gu, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64);
}

const text = (vi: string, en: string): Text => ({ vi, en });

/** `YYYY-MM-DD`, or `DD/MM/YYYY` as Vietnamese Excel writes dates. */
function isoDate(value: string): string | null {
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const local = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value);
  const [year, month, day] = iso
    ? [iso[1], iso[2], iso[3]]
    : local
      ? [local[3], local[2]?.padStart(2, '0'), local[1]?.padStart(2, '0')]
      : [];
  if (!year || !month || !day) return null;
  const date = `${year}-${month}-${day}`;
  const parsed = new Date(`${date}T00:00:00Z`);
  return Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== date ? null : date;
}

/** A decimal number, with a decimal comma as Vietnamese Excel may write it. */
function coordinate(value: string): number | null {
  if (!/^-?\d{1,3}([.,]\d+)?$/.test(value)) return null;
  return Number(value.replace(',', '.'));
}

/**
 * Reads the file into rows in an order where every parent comes before its children, refusing
 * each row that cannot be a unit with its row number and reason (a child of a refused row is
 * refused too). Exactly one row has no parent code: the province, the root.
 */
export function parseUnitFile(bytes: Uint8Array | string): ParsedUnitFile {
  let content = typeof bytes === 'string' ? bytes : new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  if (content.charCodeAt(0) === 0xfeff) content = content.slice(1);
  const firstLine = content.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  let records: string[][];
  try {
    records = parse(content, {
      delimiter,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
    }) as string[][];
  } catch (error) {
    throw new UnitFileError(
      `the file is not valid CSV: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const [header, ...data] = records;
  if (!header) throw new UnitFileError('the file is empty: it needs a header row and one row per unit');
  const index = new Map<string, number>();
  header.forEach((cell, position) => {
    const folded = foldText(cell);
    for (const [column, names] of Object.entries(columnNames)) {
      if (names.includes(folded) && !index.has(column)) index.set(column, position);
    }
  });
  const missing = requiredColumns.filter((column) => !index.has(column));
  if (missing.length > 0) {
    throw new UnitFileError(
      `the header has no ${missing.join(', ')} column (found: ${header.join(', ')}); expected columns: id (optional), code, name, kind, parent_code, lat, lng, abolished_on (optional)`,
    );
  }
  const cell = (record: string[], column: string): string => {
    const position = index.get(column);
    return position === undefined ? '' : (record[position] ?? '').normalize('NFC').trim();
  };

  const refused: RefusedRow[] = [];
  const candidates: UnitRow[] = [];
  const byCode = new Map<string, UnitRow>();
  const byId = new Map<string, UnitRow>();
  const readRow = (record: string[], row: number): UnitRow | null => {
    const refuse = (vi: string, en: string): null => {
      refused.push({ row, reason: text(vi, en) });
      return null;
    };
    const code = cell(record, 'code');
    const name = cell(record, 'name');
    const parentCode = cell(record, 'parentCode') || null;
    if (!code) return refuse('Thiếu mã đơn vị.', 'The code is missing.');
    if (!name) return refuse('Thiếu tên đơn vị.', 'The name is missing.');
    const kindCell = cell(record, 'kind');
    const kind = kindCell
      ? kindWords[foldText(kindCell)]
      : namePrefixes.find(([word]) => name.startsWith(word))?.[1];
    if (!kind) {
      return kindCell
        ? refuse(`Loại đơn vị "${kindCell}" không hợp lệ.`, `Unknown kind "${kindCell}".`)
        : refuse(
            'Không xác định được loại đơn vị: thêm cột loại (kind).',
            'The kind cannot be told from the name: add a kind column.',
          );
    }
    const lat = cell(record, 'lat');
    const lng = cell(record, 'lng');
    let office: { lat: number; lng: number } | undefined;
    if (lat || lng) {
      const parsedLat = coordinate(lat);
      const parsedLng = coordinate(lng);
      if (parsedLat === null || parsedLng === null) {
        return refuse(
          `Vị trí trụ sở "${lat}, ${lng}" không hợp lệ: cần cả vĩ độ và kinh độ dạng số thập phân.`,
          `The office location "${lat}, ${lng}" is not valid: give both latitude and longitude as decimal numbers.`,
        );
      }
      office = { lat: parsedLat, lng: parsedLng };
    }
    const abolishedCell = cell(record, 'abolishedOn');
    const abolishedOn = abolishedCell ? isoDate(abolishedCell) : undefined;
    if (abolishedOn === null) {
      return refuse(
        `Ngày giải thể "${abolishedCell}" không hợp lệ (YYYY-MM-DD hoặc DD/MM/YYYY).`,
        `The abolished-on date "${abolishedCell}" is not valid (YYYY-MM-DD or DD/MM/YYYY).`,
      );
    }
    const unitId = cell(record, 'id') || unitIdFromName(name);
    if (!unitIdSchema.safeParse(unitId).success) {
      return refuse(
        `Mã định danh "${unitId}" không hợp lệ (chữ, số, ".", "_", "-"; tối đa 64 ký tự).`,
        `The ID "${unitId}" is not valid (letters, digits, ".", "_", "-"; at most 64 characters).`,
      );
    }
    const earlierCode = byCode.get(code);
    if (earlierCode) {
      return refuse(
        `Mã ${code} trùng với dòng ${earlierCode.row}.`,
        `Code ${code} repeats row ${earlierCode.row}.`,
      );
    }
    const earlierId = byId.get(unitId);
    if (earlierId) {
      return refuse(
        `Mã định danh ${unitId} trùng với dòng ${earlierId.row}: thêm cột id để phân biệt.`,
        `ID ${unitId} repeats row ${earlierId.row}: add an id column to tell them apart.`,
      );
    }
    const parsed = unitInputSchema.safeParse({
      name,
      kind,
      // Filled in once the parent's row is known (below).
      parentId: parentCode === null ? null : 'pending',
      code,
      ...(abolishedOn ? { abolishedOn } : {}),
      ...(office ? { office } : {}),
    });
    if (!parsed.success) {
      const fields = parsed.error.issues.map((issue) => issue.path.join('.') || 'row').join(', ');
      return refuse(`Giá trị không hợp lệ: ${fields}.`, `Invalid values: ${fields}.`);
    }
    return { row, unitId, code, parentCode, input: parsed.data };
  };
  for (const [offset, record] of data.entries()) {
    const unit = readRow(record, offset + 2);
    if (!unit) continue;
    byCode.set(unit.code, unit);
    byId.set(unit.unitId, unit);
    candidates.push(unit);
  }

  // Parents first: a breadth-first walk from the root; what it never reaches is refused.
  const roots = candidates.filter((unit) => unit.parentCode === null);
  const ordered: UnitRow[] = [];
  if (roots.length !== 1) {
    for (const unit of roots.slice(1)) {
      refused.push({
        row: unit.row,
        reason: text(
          `Chỉ một đơn vị gốc (không có mã cấp trên) được phép; dòng ${roots[0]?.row} đã là gốc.`,
          `Only one root unit (without a parent code) is allowed; row ${roots[0]?.row} is the root.`,
        ),
      });
    }
  }
  const root = roots[0];
  const placed = new Set<string>();
  if (root) {
    ordered.push(root);
    placed.add(root.code);
    for (let next = 0; next < ordered.length; next += 1) {
      const parent = ordered[next];
      if (!parent) break;
      for (const unit of candidates) {
        if (unit.parentCode === parent.code && !placed.has(unit.code)) {
          placed.add(unit.code);
          ordered.push({ ...unit, input: { ...unit.input, parentId: parent.unitId } });
        }
      }
    }
  }
  for (const unit of candidates) {
    if (placed.has(unit.code) || unit.parentCode === null) continue;
    const parent = unit.parentCode ? byCode.get(unit.parentCode) : undefined;
    refused.push({
      row: unit.row,
      reason: parent
        ? text(
            `Đơn vị cấp trên (mã ${unit.parentCode}, dòng ${parent.row}) không nằm trong cây của đơn vị gốc.`,
            `The parent (code ${unit.parentCode}, row ${parent.row}) is not under the root unit.`,
          )
        : text(
            `Không có đơn vị cấp trên mã ${unit.parentCode} trong tệp (hoặc dòng đó bị từ chối).`,
            `No parent with code ${unit.parentCode} in the file (or its row was refused).`,
          ),
    });
  }
  refused.sort((a, b) => a.row - b.row);
  return { rows: ordered, refused };
}

export type RowOutcome = 'created' | 'updated' | 'unchanged';

export interface ImportReport {
  created: number;
  updated: number;
  unchanged: number;
  refused: RefusedRow[];
}

export interface ImportOptions {
  /** Say what would happen, write nothing. */
  dryRun?: boolean;
  /** Called after each row (progress). */
  onRow?: (done: number, total: number, row: UnitRow, outcome: RowOutcome | 'refused') => void;
}

/**
 * Writes the rows in order (parents first) through `putUnit`, as the caller (an admin of the
 * root). The file is the source of truth, so a row that differs from what is stored replaces it
 * (the stored etag is the If-Match); a refusal by the use case (a unit with visits cannot move,
 * a parent outside the caller's scope...) refuses that row and the rows under it.
 */
export async function importUnits(
  deps: Pick<Deps, 'clock' | 'units'>,
  caller: Caller,
  file: ParsedUnitFile,
  options: ImportOptions = {},
): Promise<ImportReport> {
  const report: ImportReport = { created: 0, updated: 0, unchanged: 0, refused: [...file.refused] };
  const refusedIds = new Set<string>();
  const known = new Set<string>();
  let done = 0;
  for (const row of file.rows) {
    done += 1;
    let outcome: RowOutcome | 'refused';
    if (row.input.parentId !== null && refusedIds.has(row.input.parentId)) {
      refusedIds.add(row.unitId);
      report.refused.push({
        row: row.row,
        reason: text('Đơn vị cấp trên của dòng này bị từ chối.', "This row's parent was refused."),
      });
      outcome = 'refused';
    } else {
      try {
        outcome = options.dryRun ? await wouldPut(deps, row, known) : await put(deps, caller, row);
        known.add(row.unitId);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        refusedIds.add(row.unitId);
        const details = error.problems.map((each) => each.message);
        report.refused.push({
          row: row.row,
          reason: {
            vi: [error.detail.vi, ...details.map((message) => message.vi)].join(' '),
            en: [error.detail.en, ...details.map((message) => message.en)].join(' '),
          },
        });
        outcome = 'refused';
      }
    }
    if (outcome !== 'refused') report[outcome] += 1;
    options.onRow?.(done, file.rows.length, row, outcome);
  }
  report.refused.sort((a, b) => a.row - b.row);
  return report;
}

async function put(deps: Pick<Deps, 'clock' | 'units'>, caller: Caller, row: UnitRow): Promise<RowOutcome> {
  const existing = await deps.units.getUnit(row.unitId, true);
  const result = await putUnit(deps, caller, row.unitId, row.input, existing?.etag ?? null);
  if (result.created) return 'created';
  return existing && result.unit.etag !== existing.etag ? 'updated' : 'unchanged';
}

/** The outcome a real run would have, from what is stored (a parent the run would create counts). */
async function wouldPut(
  deps: Pick<Deps, 'units'>,
  row: UnitRow,
  known: ReadonlySet<string>,
): Promise<RowOutcome> {
  const existing = await deps.units.getUnit(row.unitId, true);
  if (row.input.parentId !== null && !known.has(row.input.parentId)) {
    if (!(await deps.units.getUnit(row.input.parentId, true))) {
      throw new UnknownReferenceError(
        text('Đơn vị cấp trên không tồn tại.', 'The parent unit does not exist.'),
        [
          problem(
            'parentId',
            `Không có đơn vị "${row.input.parentId}".`,
            `There is no unit "${row.input.parentId}".`,
          ),
        ],
      );
    }
  }
  if (!existing) return 'created';
  const { unitId: _id, path: _path, createdAt: _c, updatedAt: _u, etag: _e, ...stored } = existing;
  return sameJson(stored, row.input) ? 'unchanged' : 'updated';
}
