/**
 * Export jobs: one item each, read by its creator and updated by the worker. Exports are
 * looked up by ID only, so they sit on no index.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { StaleWriteError } from '#ports/errors.ts';
import type { ExportRecord } from '#ports/records.ts';
import type { ExportStore } from '#ports/store.ts';
import { type Documents, withoutKeys } from './documents.ts';
import { exportKey } from './keys.ts';

export class DynamoExportStore implements ExportStore {
  constructor(private readonly documents: Documents) {}

  /** Strongly consistent: the creator polls right after creating, the worker right after the event. */
  async getExport(exportId: string): Promise<ExportRecord | null> {
    const item = await this.documents.get(exportKey(exportId), true);
    if (!item) return null;
    // Jobs stored before workbooks existed name no format: they were all CSV.
    const record = withoutKeys<Omit<ExportRecord, 'format'> & Partial<Pick<ExportRecord, 'format'>>>(item);
    return { ...record, format: record.format ?? 'csv' };
  }

  /** Creates or replaces the job; a single item, so a put (no transaction) is enough. */
  async saveExport(record: ExportRecord, expectedUpdatedAt?: string | null): Promise<void> {
    const condition =
      expectedUpdatedAt === undefined
        ? {}
        : expectedUpdatedAt === null
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : {
              ConditionExpression: 'updatedAt = :expected',
              ExpressionAttributeValues: { ':expected': expectedUpdatedAt },
            };
    try {
      await this.documents.client.send(
        new PutCommand({
          TableName: this.documents.tableName,
          Item: { ...exportKey(record.exportId), entity: 'export', ...record },
          ...condition,
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw new StaleWriteError();
      throw error;
    }
  }
}
