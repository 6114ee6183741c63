/**
 * Factories of the DynamoDB stores, for `wire` (shared/adapters/wiring.ts): each over the table
 * named by TABLE_NAME through the process's one document client.
 */
import { sharedDocumentClient } from '#adapters/clients.ts';
import { currentClock } from '#adapters/wiring.ts';
import { loadConfig } from '#config/env.ts';
import { periodStartOf } from '#domain/period.ts';
import { Documents } from './documents.ts';
import { DynamoExportStore } from './exports.ts';
import { DynamoFindingStore } from './findings.ts';
import { DynamoIdempotencyStore } from './idempotency.ts';
import { DynamoInspectionRecordStore } from './inspection-records.ts';
import { DynamoPlanStore } from './plans.ts';
import { DynamoPublicationStore } from './publications.ts';
import { DynamoStaffStore } from './staff.ts';
import { DynamoTemplateStore } from './templates.ts';
import { DynamoUnitStore } from './units.ts';
import { DynamoVisitStore } from './visits.ts';

const documents = () => new Documents(sharedDocumentClient(), loadConfig().TABLE_NAME);

export const units = () => new DynamoUnitStore(documents());
export const templates = () => new DynamoTemplateStore(documents());
// Leases are judged on the use cases' clock, replaced or not.
export const idempotency = () => new DynamoIdempotencyStore(documents(), currentClock());
export const visits = () => new DynamoVisitStore(documents());
export const findings = () => new DynamoFindingStore(documents());
export const scores = findings;
export const approvals = findings;
export const publications = () => new DynamoPublicationStore(documents());
export const exports = () => new DynamoExportStore(documents());
export const plans = () => new DynamoPlanStore(documents(), periodStartOf);
export const records = () => new DynamoInspectionRecordStore(documents());
export const staff = () => new DynamoStaffStore(documents());
