import type { AuditEntry } from '#ports/records.ts';
import type { Documents, TransactItem } from './documents.ts';
import { auditKey, type ItemKey } from './keys.ts';

/** The transaction item that writes an audit entry beside the change it records. */
export function auditPut(documents: Documents, subject: ItemKey, entry: AuditEntry): TransactItem {
  return documents.put(
    { ...auditKey(subject, entry.at, entry.entryId), entity: 'audit', ...entry },
    { expression: 'attribute_not_exists(pk)' },
  );
}
