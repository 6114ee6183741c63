/**
 * Excel workbooks written as a stream: exceljs's WorkbookWriter, with shared strings off (on,
 * it keeps every distinct text of the workbook in memory until the end) and styles on (a few
 * number formats and a bold header; exceljs keeps one entry per distinct style, not per cell).
 * Rows are committed as they are added, so memory holds a page of rows, not the workbook.
 *
 * A streaming writer cannot measure its columns afterwards, so every column has a fixed width;
 * cells carry their type (text, number, date), never a formula: text such as `=SUM(A1)` is
 * written as a string cell, which no spreadsheet runs.
 */
import { PassThrough } from 'node:stream';
import type ExcelJS from 'exceljs';
import { vietnamOffsetMs } from '#domain/calendar.ts';

/** The content type of an .xlsx file. */
export const xlsxContentType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** How a column's cells are typed and shown. */
export type CellKind = 'text' | 'integer' | 'decimal' | 'date' | 'dateTime';

export interface SheetColumn {
  header: string;
  /** In characters, as Excel measures them. */
  width: number;
  kind: CellKind;
}

export type CellValue = string | number | Date | null;

const numberFormats: Readonly<Record<CellKind, string | undefined>> = {
  text: undefined,
  integer: '0',
  decimal: '0.00',
  date: 'dd/mm/yyyy',
  dateTime: 'dd/mm/yyyy hh:mm',
};

/**
 * A calendar date (`YYYY-MM-DD`) as the Date exceljs writes as that day's serial number
 * (exceljs counts days in UTC, and a spreadsheet date has no time zone).
 */
export function excelDate(date: string | null): Date | null {
  if (date === null) return null;
  const [y, m, d] = date.split('-').map(Number);
  if (y === undefined || m === undefined || d === undefined) return null;
  return new Date(Date.UTC(y, m - 1, d));
}

/** An instant as the wall-clock time in Asia/Ho_Chi_Minh, the time a reader there expects. */
export function excelLocalTime(instant: string | Date): Date {
  return new Date(new Date(instant).getTime() + vietnamOffsetMs);
}

/** One sheet being written: add rows, then wait for `drained()` between pages. */
export interface SheetWriter {
  /** `kinds` overrides the columns' cell types for this row (a cover sheet's mixed rows). */
  addRow(cells: readonly CellValue[], kinds?: readonly CellKind[]): void;
}

/** A workbook under construction; `sheet` commits the previous sheet before opening the next. */
export interface WorkbookBuilder {
  /**
   * A sheet with a bold, frozen and filtered header row. Sheets are written one after the
   * other into the zip: adding a sheet closes the one before.
   */
  sheet(name: string, columns: readonly SheetColumn[], options?: { header?: boolean }): SheetWriter;
  /**
   * Resolves once the output has room again: the writer does not wait for its reader, so a
   * caller that produces pages faster than they are uploaded waits here after each page.
   */
  drained(): Promise<void>;
}

/**
 * The bytes of a workbook, as `build` adds its sheets and rows. The returned stream ends when
 * the workbook is complete and fails when `build` throws.
 */
export function xlsxStream(build: (workbook: WorkbookBuilder) => Promise<void>): AsyncIterable<Uint8Array> {
  const out = new PassThrough();
  // Loaded on first use: exceljs adds about 11 MiB to the heap, which CSV exports need not carry.
  import('exceljs')
    .then(({ default: exceljs }) => writeWorkbook(exceljs, out, build))
    .catch((error: unknown) => out.destroy(error instanceof Error ? error : new Error(String(error))));
  return out;
}

async function writeWorkbook(
  exceljs: typeof ExcelJS,
  out: PassThrough,
  build: (workbook: WorkbookBuilder) => Promise<void>,
): Promise<void> {
  const workbook = new exceljs.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: true,
    useSharedStrings: false,
  });
  let current: ExcelJS.Worksheet | null = null;
  const builder: WorkbookBuilder = {
    sheet(name, columns, options = {}) {
      current?.commit();
      const header = options.header ?? true;
      const worksheet = workbook.addWorksheet(name, {
        views: header ? [{ state: 'frozen', ySplit: 1 }] : [],
      });
      worksheet.columns = columns.map((column) => ({ width: column.width }));
      if (header) {
        const row = worksheet.addRow(columns.map((column) => column.header));
        row.font = { bold: true };
        row.commit();
        worksheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
      }
      current = worksheet;
      return {
        addRow(cells, kinds) {
          const row = worksheet.addRow([...cells]);
          // Every value keeps the column's number format; texts, the default.
          row.eachCell((cell, column) => {
            const numFmt = numberFormats[kinds?.[column - 1] ?? columns[column - 1]?.kind ?? 'text'];
            if (numFmt && typeof cell.value !== 'string') cell.numFmt = numFmt;
          });
          row.commit();
        },
      };
    },
    drained() {
      if (!out.writableNeedDrain) return Promise.resolve();
      return new Promise((resolve) => out.once('drain', resolve));
    },
  };
  await build(builder);
  await workbook.commit();
}
