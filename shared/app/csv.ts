/**
 * CSV as spreadsheet users open it: UTF-8 with a BOM (Excel otherwise reads Vietnamese as
 * Windows-1252), RFC 4180 quoting, CRLF line ends, and no cell that a spreadsheet would run as a
 * formula.
 */

/** Byte order mark: tells Excel the file is UTF-8. */
export const utf8Bom = '\uFEFF';

// = + - @ start formulas in Excel, LibreOffice and Google Sheets; tab and carriage return can
// smuggle one in after the spreadsheet trims the cell (OWASP "CSV injection").
const formulaStart = /^[=+\-@\t\r]/;
const needsQuotes = /[",\r\n]|^\s|\s$/;

/**
 * One cell: null and undefined are empty, numbers and booleans as JavaScript writes them, text
 * that could start a formula prefixed with a single quote, and quoted when it holds a quote, a
 * comma, a line break or edge spaces.
 */
export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'string' ? value : String(value);
  if (typeof value === 'string' && formulaStart.test(text)) text = `'${text}`;
  return needsQuotes.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One line of cells, CRLF-terminated as RFC 4180 wants. */
export function csvLine(cells: ReadonlyArray<string | number | boolean | null | undefined>): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

/**
 * Whether an `Accept` header asks for CSV rather than JSON: `text/csv` listed with a q-value
 * above zero and at least that of any range that matches JSON. A missing header, `*\/*` or
 * anything else gets JSON.
 */
export function prefersCsv(accept: string | null): boolean {
  if (!accept) return false;
  let csv = 0;
  let json = 0;
  for (const part of accept.split(',')) {
    const [range = '', ...parameters] = part.trim().split(';');
    const qParameter = parameters.map((p) => p.trim()).find((p) => p.toLowerCase().startsWith('q='));
    const q = qParameter === undefined ? 1 : Number(qParameter.slice(2));
    if (!Number.isFinite(q)) continue;
    const type = range.trim().toLowerCase();
    if (type === 'text/csv') csv = Math.max(csv, q);
    if (type === 'application/json' || type === 'application/*') json = Math.max(json, q);
  }
  return csv > 0 && csv >= json;
}
