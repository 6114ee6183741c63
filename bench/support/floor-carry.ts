/**
 * How the latency floor (floor-server.ts) carries values from its reads into its writes, as our
 * code does (issue 12, target 4): a submit's transaction is conditioned on the etag its Query
 * read, an approval's score keys name the unit its visit read. The benchmark finds the values in
 * its recording (carriedValues); the floor replaces each by what its own read returned.
 */
import type { FloorCall } from './floor-server.ts';

export interface CarriedValue {
  /** The group and the call in it whose output held the value. */
  group: number;
  call: number;
  /** Where in that call's output (Item, Items, Responses...). */
  path: (string | number)[];
  /** The value in the recording. */
  value: string;
}

/** The value at a path of a read's output, if it is a string. */
export function valueAt(output: unknown, path: readonly (string | number)[]): string | undefined {
  let here: unknown = output;
  for (const step of path) {
    if (typeof here !== 'object' || here === null) return undefined;
    here = (here as Record<string | number, unknown>)[step];
  }
  return typeof here === 'string' ? here : undefined;
}

/** The groups after one, with each recorded value carried replaced by the one just read. */
export function carry(
  later: FloorCall[][],
  carried: readonly CarriedValue[],
  outputs: readonly unknown[],
): FloorCall[][] {
  if (carried.length === 0 || later.length === 0) return later;
  let text = JSON.stringify(later);
  // Longest first: a unit's path holds its ID, and must be replaced whole.
  for (const entry of [...carried].sort((a, b) => b.value.length - a.value.length)) {
    const live = valueAt(outputs[entry.call], entry.path);
    if (live === undefined || live === entry.value) continue;
    const inJson = (value: string) => JSON.stringify(value).slice(1, -1);
    text = text.replaceAll(inJson(entry.value), () => inJson(live));
  }
  return JSON.parse(text) as FloorCall[][];
}

/**
 * The string values of each group's outputs (at least 8 characters: IDs, etags, times, paths)
 * that the calls of later groups use, other than the recorded ID (replaced by the request's).
 */
export function carriedValues(
  groups: readonly { input: unknown; output?: unknown }[][],
  recordedId: string | undefined,
): CarriedValue[] {
  const carried: CarriedValue[] = [];
  groups.forEach((group, g) => {
    const laterText = JSON.stringify(groups.slice(g + 1).map((calls) => calls.map((c) => c.input)));
    const seen = new Set<string>();
    group.forEach((call, c) => {
      const walk = (value: unknown, path: (string | number)[]) => {
        if (typeof value === 'string') {
          if (value.length < 8 || seen.has(value)) return;
          if (recordedId !== undefined && value.includes(recordedId)) return;
          if (!laterText.includes(JSON.stringify(value).slice(1, -1))) return;
          seen.add(value);
          carried.push({ group: g, call: c, path, value });
        } else if (Array.isArray(value)) {
          for (const [i, v] of value.entries()) walk(v, [...path, i]);
        } else if (typeof value === 'object' && value !== null)
          for (const [k, v] of Object.entries(value)) walk(v, [...path, k]);
      };
      walk(call.output, []);
    });
  });
  return carried;
}
