/**
 * Re-reading the phone's database must never undo what the inspector just did: an edit shows on
 * the screen at once, before its transaction commits, so a re-read that began earlier would
 * bring back the older draft (a checkbox just ticked would flip back). Pure.
 */

/**
 * The records to show: each stored record, but with the screen's draft where that visit was
 * edited after the re-read began (`editedAt` maps a visit to the generation of its last edit,
 * `startedAt` is the generation when the re-read began).
 */
export function keepNewerDrafts<V extends { visitId: string; draft: unknown }>(
  stored: readonly V[],
  shown: readonly V[],
  editedAt: ReadonlyMap<string, number>,
  startedAt: number,
): V[] {
  const onScreen = new Map(shown.map((visit) => [visit.visitId, visit]));
  return stored.map((record) => {
    const current = onScreen.get(record.visitId);
    const newer = (editedAt.get(record.visitId) ?? 0) > startedAt;
    return newer && current !== undefined ? { ...record, draft: current.draft } : record;
  });
}
