/**
 * Photo objects to delete from the bucket once their records are gone (ObjectDeletion in
 * ports/store.ts): set in the transaction that deletes the records, completed by the request
 * right after, or by the scheduled repair when S3 failed or the function died in between.
 */
import type { ObjectDeletion } from '#ports/store.ts';
import type { Deps } from './deps.ts';

/**
 * Deletes the objects of a deletion set with their records, then clears it. Deleting an object
 * that is already gone succeeds, so the request, a retry of it and the repair may all do it.
 */
export async function completeObjectDeletion(
  deps: Pick<Deps, 'files' | 'visits'>,
  deletion: ObjectDeletion,
): Promise<void> {
  await Promise.all(deletion.objectKeys.map((key) => deps.files.remove(key)));
  await deps.visits.closeObjectDeletion(deletion);
}

/**
 * After the records' deletion committed: the objects go now if S3 answers, and otherwise by
 * the scheduled repair, which finds the deletion set in the same transaction. The records are
 * gone, so nothing can bring these objects back into use meanwhile, and the request is done
 * (a 5xx here would only make the phone retry into a 404).
 */
export async function deleteObjectsSoon(
  deps: Pick<Deps, 'files' | 'visits'>,
  deletion: ObjectDeletion,
): Promise<void> {
  try {
    await completeObjectDeletion(deps, deletion);
  } catch {
    // Left to the repair (repairPendingWork), which deletes the objects after its lease.
  }
}
