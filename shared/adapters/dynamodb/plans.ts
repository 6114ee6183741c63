import type {
  AssignmentEntry,
  AuditEntry,
  Page,
  PageRequest,
  PlanRecord,
  PlanVisit,
} from '#ports/records.ts';
import type { PlanStore } from '#ports/store.ts';
import { auditPut } from './audit.ts';
import { type Documents, type Item, type TransactItem, withoutKeys } from './documents.ts';
import {
  assignmentEntryIndex,
  assignmentEntryKey,
  auditPrefix,
  inspectorAssignmentPrefix,
  inspectorPartition,
  planKey,
  plansView,
  planVisitsPartition,
  treeIndexSorted,
  treePartition,
  utcSortable,
} from './keys.ts';

/** A plan's item: its key, and its place under each unit of its scope's path, by period start. */
export function planItem(plan: PlanRecord, periodStart: string): Item {
  return {
    ...planKey(plan.planId),
    ...treeIndexSorted(plansView, plan.scopePath, `${utcSortable(periodStart)}#${plan.planId}`),
    entity: 'plan',
    periodStart,
    ...plan,
  };
}

/** Each person on each assignment, once: the entries their assignment lists read. */
function entriesOf(plan: PlanRecord | null): Map<string, AssignmentEntry> {
  const entries = new Map<string, AssignmentEntry>();
  for (const assignment of plan?.assignments ?? []) {
    for (const person of [assignment.lead, ...(assignment.members ?? [])]) {
      const entry = {
        planId: plan?.planId ?? '',
        assignmentId: assignment.assignmentId,
        userId: person.userId,
        windowTo: assignment.window.to,
      };
      entries.set(`${entry.assignmentId}#${entry.userId}`, entry);
    }
  }
  return entries;
}

export class DynamoPlanStore implements PlanStore {
  /** The plan's period start, for its sort key; given by the use case (the domain parses periods). */
  constructor(
    private readonly documents: Documents,
    private readonly periodStart: (period: string) => string,
  ) {}

  async getPlan(planId: string, consistent = false): Promise<PlanRecord | null> {
    const item = await this.documents.get(planKey(planId), consistent);
    return item ? plan(item) : null;
  }

  async getPlans(planIds: readonly string[]): Promise<PlanRecord[]> {
    const items = await this.documents.batchGet([...new Set(planIds)].map(planKey));
    return items.map(plan);
  }

  async listPlans(
    filter: { unitId: string; depth: number; from?: string | undefined; to?: string | undefined },
    page: PageRequest,
  ): Promise<Page<PlanRecord>> {
    const index = `tree${filter.depth}`;
    const values: Item = { ':p': treePartition(plansView, filter.unitId) };
    let key = `${index}pk = :p`;
    if (filter.from && filter.to) {
      // Sort keys are `<period start>#<planId>`: `#` sorts after every character of an instant's end.
      values[':from'] = utcSortable(filter.from);
      values[':to'] = utcSortable(filter.to);
      key += ' AND treesk BETWEEN :from AND :to';
    }
    const result = await this.documents.queryPage(
      { IndexName: index, KeyConditionExpression: key, ExpressionAttributeValues: values },
      page,
    );
    return { items: result.items.map(plan), nextCursor: result.nextCursor };
  }

  async savePlan(record: PlanRecord, expectedEtag: string | null, audit: AuditEntry[]): Promise<void> {
    await this.documents.transact([
      this.documents.putExpecting(planItem(record, this.periodStart(record.period)), expectedEtag),
      ...audit.map((entry) => auditPut(this.documents, planKey(record.planId), entry)),
    ]);
  }

  async syncAssignmentEntries(record: PlanRecord, previous: PlanRecord | null): Promise<void> {
    const wanted = entriesOf(record);
    const writes: TransactItem[] = [];
    for (const [id, entry] of entriesOf(previous)) {
      if (!wanted.has(id))
        writes.push(
          this.documents.delete(assignmentEntryKey(record.planId, entry.assignmentId, entry.userId)),
        );
    }
    for (const entry of wanted.values()) {
      writes.push(
        this.documents.put({
          ...assignmentEntryKey(record.planId, entry.assignmentId, entry.userId),
          ...assignmentEntryIndex(entry.userId, entry.windowTo, entry.assignmentId),
          entity: 'assignmentEntry',
          ...entry,
        }),
      );
    }
    // Entries are derived from the plan, which stays the truth: lists drop an entry the plan no
    // longer backs. So chunks of 100 need not be atomic together, only each one complete.
    for (let i = 0; i < writes.length; i += 100) await this.documents.transact(writes.slice(i, i + 100));
  }

  async listAssignmentEntries(
    userId: string,
    fromDate: string,
    page: PageRequest,
  ): Promise<Page<AssignmentEntry>> {
    const result = await this.documents.queryPage(
      {
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :p AND gsi1sk BETWEEN :from AND :to',
        ExpressionAttributeValues: {
          ':p': inspectorPartition(userId),
          ':from': `${inspectorAssignmentPrefix}${fromDate}`,
          ':to': `${inspectorAssignmentPrefix}~`,
        },
      },
      page,
      // Today moves while someone pages through their list; the cursor stays valid.
      [':from'],
    );
    return {
      items: result.items.map((item) => withoutKeys<AssignmentEntry>(item)),
      nextCursor: result.nextCursor,
    };
  }

  async planVisits(planId: string, assignmentId?: string): Promise<PlanVisit[]> {
    const items = await this.documents.queryAll({
      IndexName: 'gsi2',
      KeyConditionExpression:
        assignmentId === undefined ? 'gsi2pk = :p' : 'gsi2pk = :p AND begins_with(gsi2sk, :a)',
      ExpressionAttributeValues: {
        ':p': planVisitsPartition(planId),
        ...(assignmentId === undefined ? {} : { ':a': `${assignmentId}#` }),
      },
      ProjectionExpression: 'visitId, assignmentId, unitId, #status, startedAt',
      ExpressionAttributeNames: { '#status': 'status' },
    });
    return items.map((item) => withoutKeys<PlanVisit>(item));
  }

  async history(planId: string): Promise<AuditEntry[]> {
    const items = await this.documents.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :audit)',
      ExpressionAttributeValues: { ':pk': planKey(planId).pk, ':audit': auditPrefix },
      ConsistentRead: true,
    });
    return items.map((item) => withoutKeys<AuditEntry>(item));
  }
}

function plan(item: Item): PlanRecord {
  const { periodStart: _start, ...rest } = withoutKeys<PlanRecord & { periodStart: string }>(item);
  return rest;
}
