import type { AuditEntry, Page, PageRequest, UnitRecord } from '#ports/records.ts';
import type { UnitStore } from '#ports/store.ts';
import { auditPut } from './audit.ts';
import { type Documents, type Item, withoutKeys } from './documents.ts';
import { childrenPartition, treePartition, unitChildIndex, unitKey } from './keys.ts';

/** A unit's item: its key and its place among its parent's children. */
export function unitItem(unit: UnitRecord): Item {
  return {
    ...unitKey(unit.unitId),
    ...unitChildIndex(unit.parentId, unit.kind, unit.unitId),
    entity: 'unit',
    ...unit,
  };
}

export class DynamoUnitStore implements UnitStore {
  constructor(private readonly documents: Documents) {}

  /** Level by level from `unitId`, querying only the units that can hold others. */
  async allDescendants(unitId: string): Promise<UnitRecord[]> {
    const found: UnitRecord[] = [];
    let level = [unitId];
    while (level.length > 0) {
      const children = (
        await Promise.all(
          level.map((parentId) =>
            this.documents.queryAll({
              IndexName: 'gsi1',
              KeyConditionExpression: 'gsi1pk = :p',
              ExpressionAttributeValues: { ':p': childrenPartition(parentId) },
            }),
          ),
        )
      )
        .flat()
        .map((item) => withoutKeys<UnitRecord>(item));
      found.push(...children);
      // Only provinces and (historical) districts hold units: wards, communes, special zones and
      // departments are leaves, so a province of 1,000 wards costs one Query, not 1,001.
      level = children
        .filter((child) => child.kind === 'province' || child.kind === 'district')
        .map((child) => child.unitId);
    }
    return found;
  }

  async getUnit(unitId: string, consistent = false): Promise<UnitRecord | null> {
    const item = await this.documents.get(unitKey(unitId), consistent);
    return item ? withoutKeys<UnitRecord>(item) : null;
  }

  async getUnits(unitIds: readonly string[]): Promise<UnitRecord[]> {
    const items = await this.documents.batchGet([...new Set(unitIds)].map(unitKey));
    return items.map((item) => withoutKeys<UnitRecord>(item));
  }

  async listChildren(
    parentId: string | null,
    kind: string | undefined,
    page: PageRequest,
  ): Promise<Page<UnitRecord>> {
    const result = await this.documents.queryPage(
      {
        IndexName: 'gsi1',
        KeyConditionExpression: kind ? 'gsi1pk = :p AND begins_with(gsi1sk, :k)' : 'gsi1pk = :p',
        ExpressionAttributeValues: {
          ':p': childrenPartition(parentId),
          ...(kind ? { ':k': `${kind}#` } : {}),
        },
      },
      page,
    );
    return {
      items: result.items.map((item) => withoutKeys<UnitRecord>(item)),
      nextCursor: result.nextCursor,
    };
  }

  async allChildren(parentId: string, kind: string): Promise<UnitRecord[]> {
    const items = await this.documents.queryAll({
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :p AND begins_with(gsi1sk, :k)',
      ExpressionAttributeValues: { ':p': childrenPartition(parentId), ':k': `${kind}#` },
    });
    return items.map((item) => withoutKeys<UnitRecord>(item));
  }

  async hasChildren(unitId: string): Promise<boolean> {
    const result = await this.documents.queryPage(
      {
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :p',
        ExpressionAttributeValues: { ':p': childrenPartition(unitId) },
      },
      { limit: 1, cursor: null },
    );
    return result.items.length > 0;
  }

  async hasVisits(unit: Pick<UnitRecord, 'unitId' | 'path'>): Promise<boolean> {
    const depth = unit.path.length - 1;
    const result = await this.documents.queryPage(
      {
        IndexName: `tree${depth}`,
        KeyConditionExpression: `tree${depth}pk = :p`,
        ExpressionAttributeValues: { ':p': treePartition('VISIT', unit.unitId) },
      },
      { limit: 1, cursor: null },
    );
    return result.items.length > 0;
  }

  async saveUnit(unit: UnitRecord, expectedEtag: string | null, audit: AuditEntry): Promise<void> {
    const key = unitKey(unit.unitId);
    await this.documents.transact([
      this.documents.putExpecting(unitItem(unit), expectedEtag),
      auditPut(this.documents, key, audit),
    ]);
  }
}
