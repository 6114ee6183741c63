/** Attributing the bytes of a built chunk to its sources, from the chunk's source map. */

/** One source map's mappings, decoded: per generated line, [column, sourceIndex] segments. */
export function decodeMappings(mappings: string): Array<Array<[number, number | null]>> {
  const lines: Array<Array<[number, number | null]>> = [];
  let source = 0;
  for (const line of mappings.split(';')) {
    const segments: Array<[number, number | null]> = [];
    let column = 0;
    for (const segment of line.split(',')) {
      if (!segment) continue;
      const fields = decodeVlq(segment);
      column += fields[0] ?? 0;
      if (fields.length >= 4) {
        source += fields[1] ?? 0;
        segments.push([column, source]);
      } else {
        segments.push([column, null]);
      }
      // Fields 3 and 4 (original line, column) and 5 (name) are relative too, but not needed here.
    }
    lines.push(segments);
  }
  return lines;
}

const base64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function decodeVlq(segment: string): number[] {
  const values: number[] = [];
  let value = 0;
  let shift = 0;
  for (const char of segment) {
    const digit = base64.indexOf(char);
    if (digit < 0) throw new Error(`not a source map VLQ digit: ${char}`);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
    } else {
      const negative = value & 1;
      values.push(negative ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return values;
}

/**
 * Splits generated code by the source each character came from: for each source, the text of
 * the spans mapped to it (a span runs from its segment to the next one on the line). Text with
 * no mapping goes under `(unmapped)`.
 */
export function spansBySource(
  code: string,
  sources: readonly string[],
  mappings: string,
): Map<string, string> {
  const decoded = decodeMappings(mappings);
  const parts = new Map<string, string[]>();
  const add = (name: string, text: string) => {
    if (!text) return;
    const list = parts.get(name) ?? [];
    list.push(text);
    parts.set(name, list);
  };
  code.split('\n').forEach((line, index) => {
    const segments = decoded[index] ?? [];
    if (segments.length === 0) {
      add('(unmapped)', `${line}\n`);
      return;
    }
    add('(unmapped)', line.slice(0, segments[0]?.[0] ?? 0));
    segments.forEach(([column, sourceIndex], i) => {
      const end = segments[i + 1]?.[0] ?? line.length;
      const name = sourceIndex === null ? '(unmapped)' : (sources[sourceIndex] ?? '(unmapped)');
      add(name, line.slice(column, end));
    });
    add('(unmapped)', '\n');
  });
  return new Map([...parts].map(([name, list]) => [name, list.join('')]));
}
