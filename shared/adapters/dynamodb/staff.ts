import type { AuditEntry, Page, PageRequest } from '#ports/records.ts';
import type { StaffRecord, StaffRole, StaffStore } from '#ports/staff.ts';
import { auditPut } from './audit.ts';
import { type Documents, type Item, withoutKeys } from './documents.ts';
import {
  auditPrefix,
  staffEmailKey,
  staffKey,
  staffSortKey,
  staffView,
  treeIndexSorted,
  treePartition,
} from './keys.ts';

/** A staff record's item: its key, and its place under each unit of its unit's path. */
export function staffItem(record: StaffRecord): Item {
  return {
    ...staffKey(record.userId),
    ...treeIndexSorted(staffView, record.unitPath, staffSortKey(record.role, record.userId)),
    entity: 'staff',
    ...record,
  };
}

export class DynamoStaffStore implements StaffStore {
  constructor(private readonly documents: Documents) {}

  async getStaff(userId: string, consistent = false): Promise<StaffRecord | null> {
    const item = await this.documents.get(staffKey(userId), consistent);
    return item ? withoutKeys<StaffRecord>(item) : null;
  }

  async getStaffMany(userIds: readonly string[]): Promise<StaffRecord[]> {
    const items = await this.documents.batchGet([...new Set(userIds)].map(staffKey));
    return items.map((item) => withoutKeys<StaffRecord>(item));
  }

  async staffIdByEmail(email: string, consistent = false): Promise<string | null> {
    const item = await this.documents.get(staffEmailKey(email), consistent);
    return typeof item?.userId === 'string' ? item.userId : null;
  }

  async listStaff(
    filter: { unitId: string; depth: number; role?: StaffRole | undefined },
    page: PageRequest,
  ): Promise<Page<StaffRecord>> {
    const index = `tree${filter.depth}`;
    const values: Item = { ':p': treePartition(staffView, filter.unitId) };
    let key = `${index}pk = :p`;
    if (filter.role !== undefined) {
      values[':role'] = staffSortKey(filter.role, '');
      key += ' AND begins_with(treesk, :role)';
    }
    const result = await this.documents.queryPage(
      { IndexName: index, KeyConditionExpression: key, ExpressionAttributeValues: values },
      page,
    );
    return {
      items: result.items.map((item) => withoutKeys<StaffRecord>(item)),
      nextCursor: result.nextCursor,
    };
  }

  async saveStaff(record: StaffRecord, expectedEtag: string | null, audit: AuditEntry[]): Promise<void> {
    await this.documents.transact([
      this.documents.putExpecting(staffItem(record), expectedEtag),
      // The e-mail's claim is made once, with the record; it never moves (PATCH cannot change it).
      ...(expectedEtag === null
        ? [
            this.documents.put(
              { ...staffEmailKey(record.email), entity: 'staffEmail', userId: record.userId },
              { expression: 'attribute_not_exists(pk)' },
            ),
          ]
        : []),
      ...audit.map((entry) => auditPut(this.documents, staffKey(record.userId), entry)),
    ]);
  }

  async addAudit(userId: string, entry: AuditEntry): Promise<void> {
    await this.documents.transact([auditPut(this.documents, staffKey(userId), entry)]);
  }

  async history(userId: string): Promise<AuditEntry[]> {
    const items = await this.documents.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :audit)',
      ExpressionAttributeValues: { ':pk': staffKey(userId).pk, ':audit': auditPrefix },
      ConsistentRead: true,
    });
    return items.map((item) => withoutKeys<AuditEntry>(item));
  }
}
