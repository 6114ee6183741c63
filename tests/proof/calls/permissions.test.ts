/**
 * Permissions proven by the calls made. Every DynamoDB and S3 call that a route or worker issued
 * during this run's integration, e2e and proof tests (shared/adapters/call-log.ts) must be allowed
 * by the IAM statements that infra/access.ts builds from the route table's `access` declaration
 * of that route or worker; and every action a declaration grants must have been used somewhere,
 * or be named below with the test that exercises it. Runs after the other projects (groupOrder).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { z } from 'zod';
import {
  accessStatements,
  bucketActions,
  eventActions,
  tableActions,
  userPoolActions,
} from '#infra/access.ts';
import { type Access, routes, workers } from '#routes/table.ts';

// Placeholders: each test file has its own table and bucket, all of them "the" table and bucket.
const tableArn = 'arn:aws:dynamodb:ap-southeast-1:123456789012:table/TABLE';
const bucketArn = 'arn:aws:s3:::BUCKET';
const eventBusArn = 'arn:aws:events:ap-southeast-1:123456789012:event-bus/BUS';
const userPoolArn = 'arn:aws:cognito-idp:ap-southeast-1:123456789012:userpool/POOL';

/**
 * Declared actions that the emulator runs cannot show, each with the test that exercises it (the
 * file and the exact test name, checked to exist). Keep this list short: a grant nobody can show
 * being used is a grant to remove.
 */
export const exercisedElsewhere: ReadonlyArray<{
  invoker: string;
  /** The declaration, as `table:delete`, `bucket:readVersion` or `events:put`. */
  need: string;
  why: string;
  file: string;
  test: string;
}> = [
  // No EventBridge emulator here: every run publishes through local/events.ts's in-process bus
  // (the same publish step, without the SDK), so these tests exercise the step PutEvents serves.
  {
    invoker: 'createExport',
    need: 'events:put',
    why: 'ExportRequested through the local bus; 503 when it cannot be sent',
    file: 'tests/integration/exports.test.ts',
    test: 'refuses inspectors (403), units out of scope (422), bad bodies (422); 503 when it cannot start',
  },
  {
    invoker: 'createRecord',
    need: 'events:put',
    why: 'RecordRequested through the local bus; 503 when it cannot be sent, then started again',
    file: 'tests/integration/records.test.ts',
    test: 'answers 503 when the bus refuses the event, and the same request then starts it under its number',
  },
  {
    invoker: 'createPublication',
    need: 'events:put',
    why: 'ScoresPublished through the local bus',
    file: 'tests/integration/publications.test.ts',
    test: 'freezes the rows exactly as GET /v1/scores gives them, hashed, and emits ScoresPublished without rows',
  },
  {
    invoker: 'announcePublications',
    need: 'events:put',
    why: 'the sweeper announcing through the local bus once it is back',
    file: 'tests/integration/publications.test.ts',
    test: 'announces publications made while the bus was down, without an Idempotency-Key, exactly once when it is back',
  },
  // s3rver keeps no object versions, so no call there ever names one.
  ...(['getPhoto', 'verifyPhoto'] as const).map((invoker) => ({
    invoker,
    need: 'bucket:readVersion',
    why: 's3rver keeps no versions: the exact-version reads are proven with a versioned fake',
    file: 'tests/integration/visits-errors.test.ts',
    test: 'never lets the same upload form replace verified evidence',
  })),
  {
    invoker: 'verifyPhoto',
    need: 'bucket:deleteVersion',
    why: 's3rver keeps no versions: a rejected upload is deleted without a version there',
    file: 'tests/integration/visits-errors.test.ts',
    test: 'rejects and deletes a photo whose bytes are not the declared type',
  },
  // No Cognito emulator: local mode and these runs use the local directory. The staff routes'
  // admin calls are proven against a stubbed user pool, route by route, both ways (nothing
  // undeclared sent, nothing declared unsent).
  ...(routes as readonly { name: string; access: Access }[]).flatMap((route) =>
    (route.access.userPool ?? []).map((need) => ({
      invoker: route.name,
      need: `userPool:${need}`,
      why: 'Cognito admin calls through the Cognito directory over a stubbed user pool',
      file: 'tests/unit/app/staff-cognito-calls.test.ts',
      test: 'sends each staff route’s Cognito calls within its declaration, and uses every action it declares',
    })),
  ),
];

/**
 * Declared needs that no test yet shows being used through the route's or worker's entry point
 * (the tests that reach these paths call the use case directly, outside any invocation). Each is a
 * gap to close with a fault test through the entry point, or a grant to remove; the suite fails
 * once one of them is used, so the list only shrinks.
 */
const notYetShown: ReadonlyArray<{ invoker: string; need: string; why: string }> = [
  // Shown since tests/proof/faults.test.ts drives these through the entry points:
  // publishTemplateVersion's table:delete (releasing an Idempotency-Key after a failure),
  // reviewVisit's (a chunked approval clearing its repair mark), repairVisits' table:update (a
  // pending approval rolled forward, its unit scores updated) and runExport's bucket:multipart
  // (a multipart upload aborted after a part or a page read failed).
  { invoker: 'buildRecord', need: 'bucket:multipart', why: 'aborting a failed multipart upload' },
  {
    invoker: 'getRecord',
    need: 'bucket:readVersion',
    why: "s3rver keeps no versions: a signed scan's verified version is named only in AWS",
  },
  {
    invoker: 'buildRecord',
    need: 'bucket:readVersion',
    why: 's3rver keeps no versions: the verified version of each photo is read by its ID only in AWS',
  },
];

/**
 * Calls that a test's stand-in makes inside a route's invocation, on behalf of another route: they
 * are checked against that route's declaration instead.
 */
const standIns: ReadonlyArray<{ invoker: string; actingAs: string; file: string; test: string }> = [
  {
    // The stand-in deletes a photo (as deletePhoto would) while submitVisit is checking.
    invoker: 'submitVisit',
    actingAs: 'deletePhoto',
    file: 'tests/integration/visits-errors.test.ts',
    test: 'does not submit on a required photo deleted while the submit was checking',
  },
];

const callRecord = z.object({
  invoker: z.string().nullable(),
  action: z.string(),
  resource: z.string(),
  command: z.string(),
  presigned: z.boolean(),
});
type CallRecord = z.infer<typeof callRecord>;

function readCalls(): CallRecord[] {
  const directory = inject('sdkCallLogDir');
  return readdirSync(directory)
    .filter((name) => name.endsWith('.jsonl'))
    .flatMap((name) =>
      readFileSync(join(directory, name), 'utf8')
        .split('\n')
        .filter((line) => line.length > 0)
        .map((line) => callRecord.parse(JSON.parse(line))),
    );
}

/** The record's resource as an ARN of the placeholder table or bucket. */
function arnOf(resource: string): string {
  const tableMatch = /^table\/[^/]+(\/index\/.+)?$/.exec(resource);
  if (tableMatch) return `${tableArn}${tableMatch[1] ?? ''}`;
  const bucketMatch = /^bucket\/[^/]+(\/object)?$/.exec(resource);
  if (bucketMatch) return bucketMatch[1] ? `${bucketArn}/some/key` : bucketArn;
  return resource;
}

const statementJson = z.object({
  Action: z.union([z.string(), z.array(z.string())]),
  Resource: z.union([z.string(), z.array(z.string())]),
});
const list = (value: string | string[]) => (Array.isArray(value) ? value : [value]);

/** What `access` grants, as (action, resource pattern) pairs, through infra/access.ts itself. */
function grantsOf(access: Access): Array<{ action: string; resource: string }> {
  return accessStatements(access, { tableArn, bucketArn, eventBusArn, userPoolArn }).flatMap((statement) => {
    const json = statementJson.parse(statement.toStatementJson());
    return list(json.Action).flatMap((action) =>
      list(json.Resource).map((resource) => ({ action, resource })),
    );
  });
}

function allows(grants: Array<{ action: string; resource: string }>, action: string, arn: string): boolean {
  return grants.some(
    (grant) =>
      grant.action === action &&
      (grant.resource === arn ||
        (grant.resource.endsWith('/*') && arn.startsWith(grant.resource.slice(0, -1)))),
  );
}

/** Each declared need with the IAM actions infra/access.ts gives it. */
function needsOf(access: Access): Array<{ name: string; actions: readonly string[] }> {
  return [
    ...(access.table ?? []).map((need) => ({ name: `table:${need}`, actions: tableActions[need] })),
    ...(access.bucket ?? []).map((need) => ({ name: `bucket:${need}`, actions: bucketActions[need] })),
    ...(access.events ?? []).map((need) => ({ name: `events:${need}`, actions: eventActions[need] })),
    ...(access.userPool ?? []).map((need) => ({ name: `userPool:${need}`, actions: userPoolActions[need] })),
  ];
}

const issuers = [...routes, ...workers].map((issuer) => ({
  name: issuer.name,
  kind: 'method' in issuer ? 'route' : 'worker',
  access: issuer.access,
  grants: grantsOf(issuer.access),
}));

const recording = inject('recordingProjects');
// Run alone (`--project proof-calls`), nothing was recorded: the check needs the projects that
// call the handlers in the same run, as `npm test` has them.
const complete = ['integration', 'e2e'].every((name) => recording.includes(name));

describe.runIf(complete)('SDK calls against the route table’s access declarations', () => {
  const calls = readCalls();
  const attributed = calls.filter((call) => call.invoker !== null);

  it('recorded calls of routes and workers (the log is on and attributed)', () => {
    expect(attributed.length).toBeGreaterThan(50);
    const invokers = new Set(attributed.map((call) => call.invoker));
    expect(invokers.size).toBeGreaterThan(routes.length / 2);
  });

  it('attributes every call to a route or worker of the table', () => {
    const known = new Set<string>(issuers.map((issuer) => issuer.name));
    expect(
      [...new Set(attributed.map((call) => call.invoker))].filter((name) => !known.has(name ?? '')),
    ).toEqual([]);
  });

  it('finds no call outside its issuer’s declared access', () => {
    const outside = attributed
      .filter((call) => {
        const issuer = issuers.find((candidate) => candidate.name === call.invoker);
        if (issuer === undefined) return false;
        if (allows(issuer.grants, call.action, arnOf(call.resource))) return false;
        // A test's stand-in acting for another route is held to that route's declaration.
        return !standIns.some((standIn) => {
          const actingAs = issuers.find((candidate) => candidate.name === standIn.actingAs);
          return (
            standIn.invoker === call.invoker &&
            actingAs !== undefined &&
            allows(actingAs.grants, call.action, arnOf(call.resource))
          );
        });
      })
      .map((call) => `${call.invoker}: ${call.action} on ${call.resource} (${call.command})`);
    expect([...new Set(outside)].sort()).toEqual([]);
  });

  it('sees every declared action used by its route or worker, or names the test that uses it', () => {
    const unused: string[] = [];
    for (const issuer of issuers) {
      for (const need of needsOf(issuer.access)) {
        // infra/access.ts's own mapping: `table:read` is used when any of its actions is.
        const used = attributed.some(
          (call) => call.invoker === issuer.name && need.actions.includes(call.action),
        );
        const elsewhere = [...exercisedElsewhere, ...notYetShown].some(
          (entry) => entry.invoker === issuer.name && entry.need === need.name,
        );
        if (!used && !elsewhere) unused.push(`${issuer.kind} ${issuer.name}: ${need.name}`);
      }
    }
    expect(unused.sort()).toEqual([]);
  });

  it('keeps its list of needs not yet shown to those still unused', () => {
    const nowUsed = notYetShown.filter((entry) => {
      const issuer = issuers.find((candidate) => candidate.name === entry.invoker);
      const need = issuer
        ? needsOf(issuer.access).find((candidate) => candidate.name === entry.need)
        : undefined;
      if (!need) return true;
      return attributed.some((call) => call.invoker === entry.invoker && need.actions.includes(call.action));
    });
    expect(nowUsed.map((entry) => `${entry.invoker}: ${entry.need}`)).toEqual([]);
  });

  it('names in its exceptions only tests that exist and needs that are declared', () => {
    for (const entry of [...exercisedElsewhere, ...standIns]) {
      const source = readFileSync(new URL(`../../../${entry.file}`, import.meta.url), 'utf8');
      expect(source, `${entry.file} has the test "${entry.test}"`).toContain(`it('${entry.test}'`);
    }
    for (const entry of exercisedElsewhere) {
      const issuer = issuers.find((candidate) => candidate.name === entry.invoker);
      expect(issuer ? needsOf(issuer.access).map((need) => need.name) : [], entry.invoker).toContain(
        entry.need,
      );
    }
  });
});
