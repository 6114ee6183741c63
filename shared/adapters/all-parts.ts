/**
 * Every part at once, for what is not a function: scripts (npm run provision), the local
 * server's seeding, benchmarks and tests. Functions wire only what their use case uses
 * (shared/adapters/wiring.ts); replaced parts (configureDeps) are seen here too.
 */
import type { Deps } from '#app/deps.ts';
import { directory } from './cognito/parts.ts';
import * as dynamodb from './dynamodb/parts.ts';
import { events } from './events/parts.ts';
import { images } from './images/parts.ts';
import { files } from './s3/parts.ts';
import { clock, wire } from './wiring.ts';

const everything = wire({
  units: dynamodb.units,
  templates: dynamodb.templates,
  idempotency: dynamodb.idempotency,
  visits: dynamodb.visits,
  scores: dynamodb.scores,
  approvals: dynamodb.approvals,
  findings: dynamodb.findings,
  publications: dynamodb.publications,
  exports: dynamodb.exports,
  plans: dynamodb.plans,
  records: dynamodb.records,
  staff: dynamodb.staff,
  directory,
  files,
  events,
  clock,
  images,
});

export function allDeps(): Deps {
  return everything();
}
