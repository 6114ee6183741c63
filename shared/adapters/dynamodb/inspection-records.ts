/**
 * Inspection records and their numbers. A record and the next number of its agency and year
 * are written in one transaction, conditional on the number read and on the record being new:
 * a number is given only to a record that exists, and two records never share one. Concurrent
 * creations of different records race for the counter and the losers read it again; concurrent
 * creations of the same record (the same visit etag) find the winner's record.
 */
import { StaleWriteError } from '#ports/errors.ts';
import type { InspectionRecord } from '#ports/records.ts';
import type { InspectionRecordStore } from '#ports/store.ts';
import { type Documents, jitter, sleep, withoutKeys } from './documents.ts';
import { recordKey, recordNumberKey, visitRecordsIndex } from './keys.ts';

/**
 * How many times a creation reads the counter again after losing it: 20 records of one agency
 * requested at once take at most 20 rounds, each one winner.
 */
const numberAttempts = 60;

export class DynamoInspectionRecordStore implements InspectionRecordStore {
  constructor(private readonly documents: Documents) {}

  async getRecord(recordId: string, consistent = true): Promise<InspectionRecord | null> {
    const item = await this.documents.get(recordKey(recordId), consistent);
    return item ? withoutKeys<InspectionRecord>(item) : null;
  }

  /**
   * Creates the record with the next number of its agency and year, or answers the record that
   * already has its ID (`created: false`).
   */
  async createRecord(
    record: Omit<InspectionRecord, 'number'>,
  ): Promise<{ record: InspectionRecord; created: boolean }> {
    const counterKey = recordNumberKey(record.agency, record.year);
    for (let attempt = 0; attempt < numberAttempts; attempt++) {
      const existing = await this.getRecord(record.recordId);
      if (existing) return { record: existing, created: false };
      const counter = await this.documents.get(counterKey, true);
      const last = typeof counter?.last === 'number' ? counter.last : 0;
      const numbered: InspectionRecord = { ...record, number: last + 1 };
      try {
        await this.documents.transact(
          [
            this.documents.put(
              { ...counterKey, entity: 'recordNumber', last: last + 1 },
              counter
                ? { expression: '#last = :last', names: { '#last': 'last' }, values: { ':last': last } }
                : { expression: 'attribute_not_exists(pk)' },
            ),
            this.documents.put(
              {
                ...recordKey(record.recordId),
                ...visitRecordsIndex(record.visitId, record.createdAt),
                entity: 'record',
                ...numbered,
              },
              { expression: 'attribute_not_exists(pk)' },
            ),
          ],
          { conflictRetries: 0 },
        );
        return { record: numbered, created: true };
      } catch (error) {
        if (!(error instanceof StaleWriteError)) throw error;
        await sleep(jitter(Math.min(attempt, 4)));
      }
    }
    throw new StaleWriteError(`No record number for ${record.recordId} after ${numberAttempts} attempts`);
  }

  /** Replaces the record (its build's outcome), only while it still has `expectedUpdatedAt`. */
  async saveRecord(record: InspectionRecord, expectedUpdatedAt: string): Promise<void> {
    await this.documents.transact([
      this.documents.put(
        {
          ...recordKey(record.recordId),
          ...visitRecordsIndex(record.visitId, record.createdAt),
          entity: 'record',
          ...record,
        },
        { expression: 'updatedAt = :expected', values: { ':expected': expectedUpdatedAt } },
      ),
    ]);
  }
}
