/**
 * Puts the server's problems (problem+json `errors: [{ path, message }]`) on the part of the
 * visit screen they are about. Paths index into the body that was sent (`answers.3.value` is the
 * fourth answer of that body, not of the screen's list), so the mapping needs that body. Pure.
 */

export interface ServerProblem {
  path: string;
  message: string;
}

/** Where a problem is shown. */
export type ProblemTarget =
  | { kind: 'item'; code: string }
  | { kind: 'deduction'; code: string }
  | { kind: 'finding'; index: number }
  | { kind: 'visit' };

export interface PlacedProblem {
  target: ProblemTarget;
  path: string;
  message: string;
}

/** What the mapping reads from the body that was sent. */
export interface SentBody {
  answers: ReadonlyArray<{ itemCode: string }>;
  deductions?: ReadonlyArray<{ code: string }> | undefined;
}

function index(segment: string | undefined): number | null {
  return segment !== undefined && /^\d+$/.test(segment) ? Number(segment) : null;
}

/** The target of one path. Unknown shapes land on the visit as a whole, never dropped. */
export function problemTarget(path: string, body: SentBody): ProblemTarget {
  const [head, second] = path.split('.');
  const n = index(second);
  if (head === 'answers' && n !== null) {
    const code = body.answers[n]?.itemCode;
    if (code !== undefined) return { kind: 'item', code };
  }
  if (head === 'items' && second !== undefined && second !== '') return { kind: 'item', code: second };
  if (head === 'deductions' && n !== null) {
    const code = body.deductions?.[n]?.code;
    if (code !== undefined) return { kind: 'deduction', code };
  }
  if (head === 'manualFindings' && n !== null) return { kind: 'finding', index: n };
  return { kind: 'visit' };
}

/** Every problem with its target, in the server's order. */
export function placeProblems(problems: readonly ServerProblem[], body: SentBody): PlacedProblem[] {
  return problems.map((p) => ({ target: problemTarget(p.path, body), path: p.path, message: p.message }));
}

/** The key a screen part looks its problems up by: `item:C2`, `deduction:X1`, `finding:0`, `visit`. */
export function targetKey(target: ProblemTarget): string {
  switch (target.kind) {
    case 'item':
      return `item:${target.code}`;
    case 'deduction':
      return `deduction:${target.code}`;
    case 'finding':
      return `finding:${target.index}`;
    case 'visit':
      return 'visit';
  }
}

/**
 * The text shown in a list of problems: it starts with the code of what it is about (`C2: …`),
 * so that a problem read out of its place still says where to look. The domain's messages
 * already start so (shared/domain/visit.ts); others get the code put in front.
 */
export function problemLabel(problem: PlacedProblem): string {
  switch (problem.target.kind) {
    case 'item':
    case 'deduction': {
      const prefix = `${problem.target.code}: `;
      return problem.message.startsWith(prefix) ? problem.message : `${prefix}${problem.message}`;
    }
    case 'finding':
      return `#${problem.target.index + 1}: ${problem.message}`;
    case 'visit':
      return problem.message;
  }
}
