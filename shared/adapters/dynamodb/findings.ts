import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ScoresMovedError, StaleWriteError } from '#ports/errors.ts';
import type {
  AuditEntry,
  FindingRecord,
  Page,
  PageRequest,
  UnitScoreRecord,
  VisitRecord,
} from '#ports/records.ts';
import type {
  ApprovalCommit,
  ApprovalStore,
  FindingListFilter,
  FindingStore,
  RepairMark,
  ScoreStore,
} from '#ports/store.ts';
import { auditPut } from './audit.ts';
import { type Documents, type Item, type TransactItem, withoutKeys } from './documents.ts';
import {
  findingKey,
  findingPrefix,
  openFindingIndex,
  openPartition,
  peerScoreIndex,
  peerScorePartition,
  repairKey,
  repairPartition,
  treeIndex,
  treePartition,
  unitScoreKey,
  utcSortable,
  visitKey,
} from './keys.ts';
import { splitFindingId, visitItem } from './visits.ts';

const openStatuses = new Set(['open', 'in_progress']);

/** A finding's item: in its visit's partition, on the tree indexes, and on `open` while open. */
export function findingItem(finding: FindingRecord): Item {
  const [visitId, key] = splitFindingId(finding.findingId);
  const root = finding.unitPath[0] ?? finding.unitId;
  return {
    ...findingKey(visitId, key),
    ...treeIndex('FINDING', finding.unitPath, finding.periodStartedAt, finding.findingId),
    ...(openStatuses.has(finding.status) ? openFindingIndex(root, finding.dueDate, finding.findingId) : {}),
    entity: 'finding',
    ...finding,
  };
}

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

/** A unit score's item: its key and its place in its peer group's scores. */
export function scoreItem(score: UnitScoreRecord): Item {
  return {
    ...unitScoreKey(score.unitId, score.templateId, score.period),
    ...peerScoreIndex(score.templateId, score.period, score.parentId, score.kind, score.unitId),
    entity: 'unitScore',
    ...score,
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
      ExpressionAttributeValues: { ':pk': visitKey(visitId).pk, ':f': findingPrefix },
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
      // Overdue: the sparse `open` index, due dates before today; the subtree and period are filters.
      values[':p'] = openPartition(filter.rootUnitId);
      values[':due'] = filter.overdueOn;
      if (filter.unitId !== filter.rootUnitId) {
        values[':unit'] = filter.unitId;
        filters.push('contains(unitPath, :unit)');
      }
      if (filter.from && filter.to) {
        values[':from'] = utcSortable(filter.from);
        values[':to'] = utcSortable(filter.to);
        filters.push('treesk BETWEEN :from AND :to');
      }
      input = { IndexName: 'open', KeyConditionExpression: 'openpk = :p AND opensk < :due' };
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
            // Changed since it was derived: the approval committed and someone moved it on.
            if (!(error instanceof ConditionalCheckFailedException)) throw error;
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
          }
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
      this.documents.putExpecting(visitItem(visit), expectedEtag),
      this.documents.put(repairItem(mark)),
    ]);
  }

  async commitVisitScores(commit: ApprovalCommit): Promise<void> {
    // Items 1 .. audit are the visit and its audit; the scores follow. Concurrent approvals of
    // one unit race on the scores only: a conflict there is resolved faster by re-reading them
    // (the use case does) than by retrying the same stale revisions here.
    const firstScore = 1 + commit.audit.length;
    let scoresOnly = false;
    try {
      await this.documents.transact(this.commitItems(commit), {
        conflictRetries: commit.scores.length > 0 ? 0 : undefined,
        onCancelled: (codes) => {
          scoresOnly = codes.every(
            (code, index) =>
              code === 'None' || (index >= firstScore && index < firstScore + commit.scores.length),
          );
        },
      });
    } catch (error) {
      if (error instanceof StaleWriteError && scoresOnly) throw new ScoresMovedError();
      throw error;
    }
  }

  private commitItems(commit: ApprovalCommit): TransactItem[] {
    const { visit } = commit;
    return [
      this.documents.putExpecting(visitItem(visit), commit.expectedEtag),
      ...commit.audit.map((entry) => auditPut(this.documents, visitKey(visit.visitId), entry)),
      ...commit.scores.map(({ record, expectedRevision }) =>
        expectedRevision === null
          ? this.documents.put(scoreItem(record), { expression: 'attribute_not_exists(pk)' })
          : this.documents.put(scoreItem(record), {
              expression: 'revision = :r',
              values: { ':r': expectedRevision },
            }),
      ),
      ...commit.findings.map((finding) => {
        const { Item, ConditionExpression, ExpressionAttributeValues } = derivedFindingPut(finding);
        return this.documents.put(Item, {
          expression: ConditionExpression,
          values: ExpressionAttributeValues,
        });
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
    return item ? withoutKeys<UnitScoreRecord>(item) : null;
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
    return items.map((item) => withoutKeys<UnitScoreRecord>(item));
  }
}
