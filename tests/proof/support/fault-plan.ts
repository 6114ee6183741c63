/**
 * Which calls of an operation the fault suite fails, given the commands of its clean run in
 * order (`GetItemCommand`, …, `PutEvents`): every one under the soak (`npm run test:soak`,
 * PAR_PROOF_SOAK=1); in `npm test` a sample: the first two, the middle one, the last two, and the
 * first call of each kind of command (so the first upload part of a multipart upload, the first
 * page read, the first PutEvents are among them however long the operation).
 */
export function callsToFail(commands: readonly string[], all = soak): number[] {
  const calls = commands.length;
  if (all) return Array.from({ length: calls }, (_, index) => index + 1);
  const firsts = [...new Set(commands)].map((command) => commands.indexOf(command) + 1);
  return [...new Set([1, 2, Math.ceil(calls / 2), calls - 1, calls, ...firsts])]
    .filter((nth) => nth >= 1 && nth <= calls)
    .sort((a, b) => a - b);
}

/** Whether this run is the soak (every call of every operation failed in turn). */
export const soak = process.env.PAR_PROOF_SOAK === '1';
