import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { unitScore } from '#domain/scoring.ts';
import type {
  AuditEntry,
  FindingRecord,
  Page,
  PageRequest,
  UnitScoreRecord,
  UnitScoreVisit,
  VisitRecord,
} from '#ports/records.ts';
import type {
  ApprovalCommit,
  ApprovalStore,
  FindingListFilter,
  FindingStore,
  RepairMark,
  ScoreStore,
  UnitScoreChange,
} from '#ports/store.ts';
import { auditPut } from './audit.ts';
import { type Documents, type Item, type TransactItem, withoutKeys } from './documents.ts';
import {
  findingKey,
  findingPrefix,
  findingsPartition,
  openFindingKey,
  openFindingsView,
  peerScoreIndex,
  peerScorePartition,
  repairKey,
  repairPartition,
  treeIndex,
  treeIndexSorted,
  treePartition,
  unitScoreKey,
  utcSortable,
  visitKey,
} from './keys.ts';
import { splitFindingId, visitWrites } from './visits.ts';

const openStatuses = new Set(['open', 'in_progress']);

/** A finding's item: in its visit's findings partition, on the tree indexes by visit start. */
export function findingItem(finding: FindingRecord): Item {
  const [visitId, key] = splitFindingId(finding.findingId);
  return {
    ...findingKey(visitId, key),
    ...treeIndex('FINDING', finding.unitPath, finding.periodStartedAt, finding.findingId),
    entity: 'finding',
    ...finding,
  };
}

/** The open entry of a finding still open or in progress (keys.ts), or null once it has closed. */
export function openFindingEntry(finding: FindingRecord): Item | null {
  if (!openStatuses.has(finding.status)) return null;
  const [visitId, key] = splitFindingId(finding.findingId);
  return {
    ...openFindingKey(visitId, key),
    ...treeIndexSorted(openFindingsView, finding.unitPath, `${finding.dueDate}#${finding.findingId}`),
    entity: 'openFinding',
    ...finding,
  };
}

/** Every item that stores a finding: the finding and, while it is open, its open entry. */
export function findingItems(finding: FindingRecord): Item[] {
  const entry = openFindingEntry(finding);
  return entry ? [findingItem(finding), entry] : [findingItem(finding)];
}

/** In a transaction: the open entry follows its finding, put while open and deleted once closed. */
function openEntryWrite(documents: Documents, finding: FindingRecord): TransactItem {
  const entry = openFindingEntry(finding);
  if (entry) return documents.put(entry);
  const [visitId, key] = splitFindingId(finding.findingId);
  return documents.delete(openFindingKey(visitId, key));
}

/** How often a commit that conflicts with another approval of the same unit is tried again. */
const scoreConflictRetries = 8;

/** DynamoDB's transaction limits, with a margin on the size for attribute overhead. */
const maxTransactItems = 100;
const maxTransactBytes = 3_500_000;

/** A derived finding's write: only if new, or still exactly as derived (its etag). */
function derivedFindingPut(finding: FindingRecord) {
  return {
    Item: findingItem(finding),
    ConditionExpression: 'attribute_not_exists(pk) OR etag = :etag',
    ExpressionAttributeValues: { ':etag': finding.etag },
  };
}

function repairItem(mark: RepairMark): Item {
  return { ...repairKey(mark.kind, mark.since, mark.visitId), entity: 'repair', ...mark };
}

/**
 * Each visit behind a unit score is an attribute of its own on the score item, `visit#<id>`, so
 * an approval adds one and a revocation removes one without reading the item first: concurrent
 * approvals of one unit never invalidate each other's writes. The score, section percents and
 * count are never stored; they are what the domain makes of the visits when the item is read.
 */
const visitAttribute = (visitId: string) => `visit#${visitId}`;
const visitAttributePrefix = 'visit#';

/** A unit score's item: its key, its place in its peer group's scores, and its visits. */
export function scoreItem(score: UnitScoreRecord): Item {
  const { visits, score: _score, sections: _sections, visitCount: _count, ...rest } = score;
  return {
    ...unitScoreKey(score.unitId, score.templateId, score.period),
    ...peerScoreIndex(score.templateId, score.period, score.parentId, score.kind, score.unitId),
    entity: 'unitScore',
    ...rest,
    ...Object.fromEntries(visits.map((visit) => [visitAttribute(visit.visitId), visit])),
  };
}

/** A stored unit score as the use cases read it: its visits, oldest first, and their score. */
function scoreRecord(item: Item): UnitScoreRecord {
  const visits: UnitScoreVisit[] = [];
  const rest: Item = {};
  for (const [name, value] of Object.entries(item)) {
    if (name.startsWith(visitAttributePrefix)) visits.push(value as UnitScoreVisit);
    else rest[name] = value;
  }
  visits.sort((a, b) =>
    a.startedAt < b.startedAt ? -1 : a.startedAt > b.startedAt ? 1 : a.visitId < b.visitId ? -1 : 1,
  );
  const score = unitScore(visits);
  return {
    ...withoutKeys<Omit<UnitScoreRecord, 'visits' | 'score' | 'sections' | 'visitCount'>>(rest),
    score: score?.score ?? null,
    sections: score?.sections ?? [],
    visitCount: score?.visitCount ?? 0,
    visits,
  };
}

export class DynamoFindingStore implements FindingStore, ApprovalStore, ScoreStore {
  constructor(private readonly documents: Documents) {}

  async getFinding(findingId: string, consistent = false): Promise<FindingRecord | null> {
    const [visitId, key] = splitFindingId(findingId);
    if (!key) return null;
    const item = await this.documents.get(findingKey(visitId, key), consistent);
    return item ? withoutKeys<FindingRecord>(item) : null;
  }

  async listVisitFindings(visitId: string): Promise<FindingRecord[]> {
    const items = await this.documents.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :f)',
      ExpressionAttributeValues: { ':pk': findingsPartition(visitId), ':f': findingPrefix },
      ConsistentRead: true,
    });
    return items.map((item) => withoutKeys<FindingRecord>(item));
  }

  async listFindings(filter: FindingListFilter, page: PageRequest): Promise<Page<FindingRecord>> {
    const filters: string[] = [];
    const values: Item = {};
    const names: Record<string, string> = {};
    const equal = (attribute: string, value: string | undefined) => {
      if (value === undefined) return;
      names[`#${attribute}`] = attribute;
      values[`:${attribute}`] = value;
      filters.push(`#${attribute} = :${attribute}`);
    };
    equal('status', filter.status);
    equal('severity', filter.severity);
    equal('sectionCode', filter.sectionCode);
    equal('itemCode', filter.itemCode);
    equal('inspectorId', filter.inspectorId);

    let input: Parameters<Documents['queryPage']>[0];
    if (filter.overdueOn) {
      // Overdue: the subtree's open entries, due dates before today (a key range); a period
      // refines them (the entries are sorted by due date, not by visit start).
      const index = `tree${filter.depth}`;
      values[':p'] = treePartition(openFindingsView, filter.unitId);
      values[':due'] = filter.overdueOn;
      if (filter.from && filter.to) {
        values[':from'] = filter.from;
        values[':to'] = filter.to;
        names['#periodStartedAt'] = 'periodStartedAt';
        filters.push('#periodStartedAt BETWEEN :from AND :to');
      }
      input = { IndexName: index, KeyConditionExpression: `${index}pk = :p AND treesk < :due` };
    } else {
      const index = `tree${filter.depth}`;
      values[':p'] = treePartition('FINDING', filter.unitId);
      let range = '';
      if (filter.from && filter.to) {
        values[':from'] = utcSortable(filter.from);
        values[':to'] = utcSortable(filter.to);
        range = ' AND treesk BETWEEN :from AND :to';
      }
      input = {
        IndexName: index,
        KeyConditionExpression: `${index}pk = :p${range}`,
        ScanIndexForward: false,
      };
    }
    const result = await this.documents.queryPage(
      {
        ...input,
        ExpressionAttributeValues: values,
        ...(filters.length ? { FilterExpression: filters.join(' AND ') } : {}),
        ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
      },
      page,
      // An overdue walk may cross local midnight: its cursor stays good when "today" moves on.
      [':due'],
    );
    return {
      items: result.items.map((item) => withoutKeys<FindingRecord>(item)),
      nextCursor: result.nextCursor,
    };
  }

  async saveFinding(finding: FindingRecord, expectedEtag: string, audit: AuditEntry): Promise<void> {
    const [visitId, key] = splitFindingId(finding.findingId);
    await this.documents.transact([
      this.documents.putExpecting(findingItem(finding), expectedEtag),
      openEntryWrite(this.documents, finding),
      auditPut(this.documents, findingKey(visitId, key), audit),
    ]);
  }

  async putFindings(findings: readonly FindingRecord[]): Promise<void> {
    // One conditional Put each (a batch write cannot carry conditions), a few at a time.
    for (let i = 0; i < findings.length; i += 10) {
      await Promise.all(
        findings.slice(i, i + 10).map(async (finding) => {
          try {
            await this.documents.client.send(
              new PutCommand({ TableName: this.documents.tableName, ...derivedFindingPut(finding) }),
            );
          } catch (error) {
            // Changed since it was derived: the approval committed and someone moved it on (and
            // that change wrote its open entry).
            if (!(error instanceof ConditionalCheckFailedException)) throw error;
            return;
          }
          // The entry after its finding: a crash between the two leaves the approval pending,
          // and finishing it puts both again.
          const entry = openFindingEntry(finding);
          if (entry) {
            await this.documents.client.send(
              new PutCommand({ TableName: this.documents.tableName, Item: entry }),
            );
          }
        }),
      );
    }
  }

  async removeFindings(findings: readonly FindingRecord[]): Promise<void> {
    for (let i = 0; i < findings.length; i += 10) {
      await Promise.all(
        findings.slice(i, i + 10).map(async (finding) => {
          const [visitId, key] = splitFindingId(finding.findingId);
          try {
            await this.documents.client.send(
              new DeleteCommand({
                TableName: this.documents.tableName,
                Key: findingKey(visitId, key),
                ConditionExpression: 'attribute_not_exists(pk) OR etag = :etag',
                ExpressionAttributeValues: { ':etag': finding.etag },
              }),
            );
          } catch (error) {
            if (!(error instanceof ConditionalCheckFailedException)) throw error;
            return;
          }
          await this.documents.client.send(
            new DeleteCommand({ TableName: this.documents.tableName, Key: openFindingKey(visitId, key) }),
          );
        }),
      );
    }
  }

  fitsOneCommit(commit: ApprovalCommit): boolean {
    const items = this.commitItems(commit);
    if (items.length > maxTransactItems) return false;
    // Item sizes as DynamoDB counts them are close to their JSON; keep a margin under 4 MB.
    const bytes = items.reduce((sum, item) => sum + Buffer.byteLength(JSON.stringify(item), 'utf8'), 0);
    return bytes <= maxTransactBytes;
  }

  async beginApproval(visit: VisitRecord, expectedEtag: string, mark: RepairMark): Promise<void> {
    await this.documents.transact([
      ...visitWrites(this.documents, visit, expectedEtag),
      this.documents.put(repairItem(mark)),
    ]);
  }

  async commitVisitScores(commit: ApprovalCommit): Promise<void> {
    // Concurrent approvals of one unit write the same score items: their transactions conflict
    // (nothing is stale, as no score write depends on a read), so retrying the same transaction
    // after a short jittered wait is the resolution.
    await this.documents.transact(this.commitItems(commit), {
      conflictRetries: commit.scores.length > 0 ? scoreConflictRetries : undefined,
    });
  }

  /** Adds or removes one visit of a unit score, creating the item with its keys if needed. */
  private scoreUpdate(change: UnitScoreChange, at: string): TransactItem {
    const key = unitScoreKey(change.unitId, change.templateId, change.period);
    const names = {
      '#visit': visitAttribute(change.visitId),
      '#updatedAt': 'updatedAt',
      '#revision': 'revision',
    };
    if (change.entry === null) {
      return this.documents.update(
        key,
        'REMOVE #visit SET #updatedAt = :at ADD #revision :one',
        { ':at': at, ':one': 1 },
        undefined,
        names,
      );
    }
    const index = peerScoreIndex(
      change.templateId,
      change.period,
      change.parentId,
      change.kind,
      change.unitId,
    );
    return this.documents.update(
      key,
      'SET #visit = :entry, #updatedAt = :at, #entity = :entity, #unitId = :unitId, #templateId = :templateId, ' +
        '#period = :period, #parentId = :parentId, #kind = :kind, #gsi1pk = :gsi1pk, #gsi1sk = :gsi1sk ADD #revision :one',
      {
        ':entry': change.entry,
        ':at': at,
        ':entity': 'unitScore',
        ':unitId': change.unitId,
        ':templateId': change.templateId,
        ':period': change.period,
        ':parentId': change.parentId,
        ':kind': change.kind,
        ':gsi1pk': index.gsi1pk,
        ':gsi1sk': index.gsi1sk,
        ':one': 1,
      },
      undefined,
      {
        ...names,
        '#entity': 'entity',
        '#unitId': 'unitId',
        '#templateId': 'templateId',
        '#period': 'period',
        '#parentId': 'parentId',
        '#kind': 'kind',
        '#gsi1pk': 'gsi1pk',
        '#gsi1sk': 'gsi1sk',
      },
    );
  }

  private commitItems(commit: ApprovalCommit): TransactItem[] {
    const { visit } = commit;
    return [
      ...visitWrites(this.documents, visit, commit.expectedEtag),
      ...commit.audit.map((entry) => auditPut(this.documents, visitKey(visit.visitId), entry)),
      ...commit.scores.map((change) => this.scoreUpdate(change, visit.updatedAt)),
      ...commit.findings.flatMap((finding) => {
        const { Item, ConditionExpression, ExpressionAttributeValues } = derivedFindingPut(finding);
        return [
          this.documents.put(Item, { expression: ConditionExpression, values: ExpressionAttributeValues }),
          openEntryWrite(this.documents, finding),
        ];
      }),
      ...(commit.openRepair ? [this.documents.put(repairItem(commit.openRepair))] : []),
      ...(commit.closeRepair
        ? [this.documents.delete(repairKey(commit.closeRepair.kind, commit.closeRepair.since, visit.visitId))]
        : []),
    ];
  }

  async dueRepairs(kind: RepairMark['kind'], before: string, limit: number): Promise<RepairMark[]> {
    const result = await this.documents.client.send(
      new QueryCommand({
        TableName: this.documents.tableName,
        KeyConditionExpression: 'pk = :pk AND sk < :before',
        ExpressionAttributeValues: { ':pk': repairPartition(kind), ':before': utcSortable(before) },
        Limit: limit,
        ConsistentRead: true,
      }),
    );
    return (result.Items ?? []).map((item) => withoutKeys<RepairMark>(item));
  }

  async listRepairs(kind: RepairMark['kind'], page: PageRequest): Promise<Page<RepairMark>> {
    const result = await this.documents.queryPage(
      {
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': repairPartition(kind) },
      },
      page,
    );
    return {
      items: result.items.map((item) => withoutKeys<RepairMark>(item)),
      nextCursor: result.nextCursor,
    };
  }

  async closeRepair(mark: RepairMark): Promise<void> {
    await this.documents.transact([this.documents.delete(repairKey(mark.kind, mark.since, mark.visitId))]);
  }

  async getUnitScore(
    unitId: string,
    templateId: string,
    period: string,
    consistent = false,
  ): Promise<UnitScoreRecord | null> {
    const item = await this.documents.get(unitScoreKey(unitId, templateId, period), consistent);
    return item ? scoreRecord(item) : null;
  }

  async peerScores(
    templateId: string,
    period: string,
    parentId: string,
    kind: string,
  ): Promise<UnitScoreRecord[]> {
    const items = await this.documents.queryAll({
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :p',
      ExpressionAttributeValues: { ':p': peerScorePartition(templateId, period, parentId, kind) },
    });
    return items.map(scoreRecord);
  }
}
