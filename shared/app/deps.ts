/**
 * The use cases' dependencies, built once per process from the environment (module-scope
 * singletons, as Lambda reuses them across invocations). The local runner and tests may
 * replace parts (an in-process event publisher, a fault-injecting store) with configureDeps.
 */
import { createDocumentClient, createS3Client } from '#adapters/clients.ts';
import { Documents } from '#adapters/dynamodb/documents.ts';
import { DynamoExportStore } from '#adapters/dynamodb/exports.ts';
import { DynamoFindingStore } from '#adapters/dynamodb/findings.ts';
import { DynamoIdempotencyStore } from '#adapters/dynamodb/idempotency.ts';
import { DynamoPlanStore } from '#adapters/dynamodb/plans.ts';
import { DynamoPublicationStore } from '#adapters/dynamodb/publications.ts';
import { DynamoTemplateStore } from '#adapters/dynamodb/templates.ts';
import { DynamoUnitStore } from '#adapters/dynamodb/units.ts';
import { DynamoVisitStore } from '#adapters/dynamodb/visits.ts';
import { createEventBridgePublisher } from '#adapters/events/eventbridge.ts';
import { imageReader } from '#adapters/images/reader.ts';
import { S3FileStorage } from '#adapters/s3/files.ts';
import { loadConfig } from '#config/env.ts';
import { periodStartOf } from '#domain/period.ts';
import { type Clock, systemClock } from '#ports/clock.ts';
import type { DomainEvent, EventPublisher } from '#ports/events.ts';
import type { FileStorage } from '#ports/files.ts';
import type { ImageReader } from '#ports/images.ts';
import type { Stores } from '#ports/store.ts';

export interface Deps extends Stores {
  files: FileStorage;
  events: EventPublisher;
  clock: Clock;
  images: ImageReader;
}

let overrides: Partial<Deps> = {};
let cached: Deps | undefined;

/** Replaces some dependencies (local mode, tests). */
export function configureDeps(partial: Partial<Deps>): void {
  overrides = { ...overrides, ...partial };
  cached = undefined;
}

export function resetDeps(): void {
  overrides = {};
  cached = undefined;
}

const missingEvents: EventPublisher = {
  async publish(event: DomainEvent) {
    throw new Error(`No event bus configured (EVENT_BUS_NAME) to publish ${event.type}`);
  },
};

export function deps(): Deps {
  if (cached) return cached;
  const config = loadConfig();
  const documents = new Documents(
    createDocumentClient({ endpoint: config.DYNAMODB_ENDPOINT }),
    config.TABLE_NAME,
  );
  const findings = new DynamoFindingStore(documents);
  // Stores that keep time (leases) read the same clock as the use cases, replaced or not.
  const clock = overrides.clock ?? systemClock;
  const base = {
    units: new DynamoUnitStore(documents),
    templates: new DynamoTemplateStore(documents),
    idempotency: new DynamoIdempotencyStore(documents, clock),
    visits: new DynamoVisitStore(documents),
    scores: findings,
    approvals: findings,
    findings,
    publications: new DynamoPublicationStore(documents),
    exports: new DynamoExportStore(documents),
    plans: new DynamoPlanStore(documents, periodStartOf),
    files: new S3FileStorage(
      createS3Client({ endpoint: config.S3_ENDPOINT }),
      config.BUCKET_NAME,
      config.S3_PUBLIC_ENDPOINT ? createS3Client({ endpoint: config.S3_PUBLIC_ENDPOINT }) : undefined,
    ),
    events: config.EVENT_BUS_NAME ? createEventBridgePublisher(config.EVENT_BUS_NAME) : missingEvents,
    clock,
    images: imageReader,
  } satisfies Deps;
  const built: Deps = { ...base, ...overrides };
  cached = built;
  return built;
}
