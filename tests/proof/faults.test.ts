/**
 * Injected faults at every DynamoDB, S3 and EventBridge call of every multi-step operation: the
 * routes, and the workers (the photo verifier, the export worker with its multipart upload, the
 * outbox sweeper, the scheduled repair). For each one, a clean run counts the calls it makes;
 * then, for every call n and both ways of failing (before the store sees it, and after it took
 * effect with the answer lost), a fresh object is prepared, the nth call fails, and the client
 * retries as a phone would (a worker's event is delivered again, as Lambda does, or the next
 * scheduled run comes). A route's first answer is 503 with Retry-After or a success, never a 500;
 * after the retry (and, where the contract says so, the scheduled repair) the end state is
 * complete and consistent, never half-written.
 *
 * DynamoDB and S3 calls fail through the SDK middleware of shared/adapters/fault-injector.ts;
 * PutEvents through a stand-in bus (support/event-bus.ts) that the functions' EventBridge
 * publisher sends to, refusing the nth call with ThrottlingException or accepting it and
 * answering 500.
 */
import { randomUUID } from 'node:crypto';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { allDeps } from '#adapters/all-parts.ts';
import { Documents } from '#adapters/dynamodb/documents.ts';
import { type FaultDecision, type FaultInjector, installFaultInjector } from '#adapters/fault-injector.ts';
import { configureDeps } from '#adapters/wiring.ts';
import { handler as runExportWorker } from '#functions/exports/worker.ts';
import { handler as verifyPhoto } from '#functions/photos/verify.ts';
import { handler as announcePublications } from '#functions/publications/announce.ts';
import { handler as repairVisits } from '#functions/visits/repair.ts';
import { encodeEventKey } from '#local/photo-events.ts';
import { systemClock } from '#ports/clock.ts';
import { eventTypes } from '#routes/integration.ts';
import { type RouteName, route } from '#routes/table.ts';
import { sha256, startApi, uploadWithForm } from '#tests/support/api.ts';
import { batchWrite } from '#tests/support/batch-write.ts';
import { jpegBytes } from '#tests/support/images.ts';
import { type Caller, invoke } from '#tests/support/invoke.ts';
import { manager as benchManager, exportItems } from '../../bench/support/export-fixture.ts';
import { type StandInBus, startStandInBus } from './support/event-bus.ts';
import { callsToFail, soak } from './support/fault-plan.ts';
import { type Answer, type Gateway, type Probe, startGateway } from './support/gateway.ts';
import { dumpTable } from './support/table-dump.ts';
import {
  approve,
  draft,
  matrixCallers,
  matrixTemplateId,
  period,
  province,
  seedTree,
  submitted,
} from './support/world.ts';

/** Which call of which route fails, and how; `down` fails every call (the store unreachable). */
const plan = {
  target: null as string | null,
  nth: 0,
  mode: 'before' as FaultDecision,
  seen: 0,
  /** The commands of the target's calls so far, in order (PutEvents for the bus's). */
  commands: [] as string[],
  /** A fault that only prepares an object (an approval left pending for the repair): not tallied. */
  setup: false,
};

/** What one operation went through: faulted runs, faults by kind, how each one ended. */
interface OperationTally {
  calls: number;
  runs: number;
  faults: number;
  busFaults: number;
  requests: number;
  serverErrors: number;
  completedFirst: number;
  completedByRetry: number;
  completedByRepair: number;
  halfWritten: number;
  ms: number;
}
const tallies = new Map<string, OperationTally>();
const tally = { operations: 0, requests: 0, faults: 0, busFaults: 0, serverErrors: 0, halfWritten: 0 };
let current: OperationTally | null = null;

/** The plan's decision for the next call of its target, counted (unless it only sets a test up). */
function nextCall(command: string): FaultDecision {
  plan.seen++;
  plan.commands.push(command);
  if (plan.seen !== plan.nth) return 'pass';
  if (!plan.setup) {
    tally.faults++;
    if (current) current.faults++;
  }
  return plan.mode;
}

/**
 * The stand-in bus's decision: PutEvents calls carry no invoker on the wire, so while an
 * operation is the target, the calls are its (the suite runs one operation at a time).
 */
function busDecide(): FaultDecision {
  if (plan.target === null) return 'pass';
  const decision = nextCall('PutEvents');
  if (decision !== 'pass' && !plan.setup) {
    tally.busFaults++;
    if (current) current.busFaults++;
  }
  return decision;
}

/** The SDK commands each invoker was seen to send (`runExport AbortMultipartUploadCommand`). */
const commandsSeen = new Set<string>();

const failNth: FaultInjector = (call) => {
  commandsSeen.add(`${call.invoker} ${call.command}`);
  if (plan.target === null || call.invoker !== plan.target) return { decision: 'pass' };
  return { decision: nextCall(call.command) };
};
// Before startApi: the clients the handlers build from now on carry the injector.
installFaultInjector(failNth);

let api: Awaited<ReturnType<typeof startApi>>;
let gateway: Gateway;
let bus: StandInBus;
const bearer: Record<string, string> = {};
const inspector = matrixCallers.inspector;

beforeAll(async () => {
  // The verifier runs when a test says so: its calls are counted like the others'.
  api = await startApi('proof-faults', { photoEvents: false });
  bus = await startStandInBus();
  bus.decide = busDecide;
  configureDeps({ events: bus.publisher() });
  await seedTree();
  await invoke('publishTemplateVersion', {
    params: { templateId: bigTemplateId },
    body: bigTemplate,
    as: province.admin,
  });
  gateway = await startGateway();
  bearer.inspector = `Bearer ${await gateway.token('inspector', 'D1', inspector.sub)}`;
  bearer.manager = `Bearer ${await gateway.token('manager', 'NA', province.manager.sub)}`;
  bearer.admin = `Bearer ${await gateway.token('admin', 'NA', province.admin.sub)}`;
}, 120_000);

afterAll(async () => {
  installFaultInjector(null);
  await api?.close();
  await bus?.close();
  console.log(
    `faults: ${tally.operations} faulted operations, ${tally.faults} faults injected (${tally.busFaults} of them PutEvents), ${tally.requests} requests, ${tally.serverErrors} answered 500, ${tally.halfWritten} left half-written`,
  );
  for (const [name, t] of tallies) console.log(tallyLine(name, t));
});

function tallyLine(name: string, t: OperationTally): string {
  return `faults: ${name}: ${t.calls} calls, ${t.runs} faulted runs, ${t.faults} faults (${t.busFaults} PutEvents), ${t.requests} requests or deliveries, ${t.serverErrors} answered 500; complete at once ${t.completedFirst}, after the retry ${t.completedByRetry}, after the repair ${t.completedByRepair}, half-written ${t.halfWritten}; ${(t.ms / 1000).toFixed(1)} s`;
}

/** A checklist of 60 failing items: its approval is too big for one transaction (chunked path). */
const bigTemplateId = 'big-checklist';
const bigTemplate = {
  title: { vi: 'Phiếu kiểm tra lớn', en: 'Large checklist' },
  sections: [
    {
      code: 'A',
      title: { vi: 'Phần A', en: 'Part A' },
      items: Array.from({ length: 60 }, (_, n) => ({
        code: `A${n + 1}`,
        text: { vi: `Tiêu chí ${n + 1}`, en: `Item ${n + 1}` },
        answer: { type: 'yes_no' },
        maxPoints: 1,
        severity: 'low',
        photo: 'none',
      })),
    },
  ],
  bands: [{ minScore: 90, code: 'XS', label: { vi: 'Xuất sắc', en: 'Excellent' } }],
};

const visitOut = z.looseObject({
  visitId: z.string(),
  status: z.string(),
  score: z.number().nullable().optional(),
});

function send(name: RouteName, probe: Probe, as: string): Promise<Answer> {
  tally.requests++;
  if (current) current.requests++;
  return gateway.send(route(name), probe, bearer[as] ?? null);
}

type StoredItem = { pk: string; sk: string } & Record<string, unknown>;

/** Every item of one partition, read consistently (the table is too large to dump per check). */
async function partition(pk: string): Promise<StoredItem[]> {
  const items: StoredItem[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await api.storage.documents.send(
      new QueryCommand({
        TableName: api.storage.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    items.push(...((page.Items ?? []) as StoredItem[]));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/** A clock some minutes ahead: leases and the repair's 2-minute wait have run out. */
function later(minutes: number) {
  return { now: () => new Date(Date.now() + minutes * 60_000) };
}

/** Runs `work` with the clock `minutes` ahead. */
async function atLater<T>(minutes: number, work: () => Promise<T>): Promise<T> {
  configureDeps({ clock: later(minutes) });
  try {
    return await work();
  } finally {
    configureDeps({ clock: systemClock });
  }
}

async function getVisit(visitId: string) {
  const answer = await invoke('getVisit', { params: { visitId }, as: province.admin });
  return answer.status === 200 ? visitOut.parse(answer.body) : null;
}

async function findingsOf(visitId: string) {
  return (await partition(`FINDINGS#${visitId}`)).filter((item) => item.sk.startsWith('FINDING#'));
}

async function unitScoreVisits(unitId: string, templateId = matrixTemplateId): Promise<string[]> {
  const answer = await invoke('getUnitScores', {
    params: { unitId },
    query: { templateId, period },
    as: province.admin,
  });
  return z
    .object({ visits: z.array(z.object({ visitId: z.string() })) })
    .parse(answer.body)
    .visits.map((visit) => visit.visitId);
}

async function repairMarks(visitId: string) {
  const marks = await Promise.all(
    ['REPAIR#approval', 'REPAIR#revocation', 'REPAIR#objects'].map((pk) => partition(pk)),
  );
  return marks.flat().filter((item) => item.sk.endsWith(visitId) || item.visitId === visitId);
}

interface Operation {
  /** The route or worker whose calls are counted and failed. */
  invoker: string;
  /** A route: sent through the gateway as `as`; absent for a worker. */
  request?: { route: RouteName; as: string };
  /**
   * A worker: one delivery of its event (or one scheduled run), `attempt` 0 the first; throws
   * when the worker failed, as Lambda sees it.
   */
  deliver?: (context: Record<string, string>, attempt: number) => Promise<void>;
  /** A fresh object to act on, and the request. */
  prepare(): Promise<{ probe: Probe; context: Record<string, string> }>;
  /** Throws (through expect) unless the end state is the operation complete, all of it. */
  check(context: Record<string, string>, answer: Answer): Promise<void>;
  /** Whether the scheduled repair may finish it (the contract's second way to completion). */
  repairs?: boolean;
  /** Throws unless what the faulted runs went through, together, is as it must be. */
  finally?: () => void;
}

const uploadBody = (photoId: string, bytes = jpegBytes(), contentType = 'image/jpeg') => ({
  photoId,
  itemCode: 'A1',
  contentType,
  sizeBytes: bytes.length,
  sha256: sha256(bytes),
});

async function pendingPhoto(visitId: string, as: Caller): Promise<string> {
  const photoId = randomUUID();
  const created = await invoke('createPhoto', { params: { visitId }, body: uploadBody(photoId), as });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return photoId;
}

/** A photo registered and its bytes uploaded through its form; the verifier has not run. */
async function uploadedPhoto(
  visitId: string,
  as: Caller,
  contentType = 'image/jpeg',
): Promise<{ photoId: string; objectKey: string; sha: string }> {
  const photoId = randomUUID();
  const bytes = jpegBytes();
  const created = await invoke('createPhoto', {
    params: { visitId },
    body: uploadBody(photoId, bytes, contentType),
    as,
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const { upload } = z
    .object({ upload: z.object({ url: z.string(), fields: z.record(z.string(), z.string()) }) })
    .parse(created.body);
  await uploadWithForm(upload, bytes, contentType);
  const record = await allDeps().visits.getPhoto(visitId, photoId, true);
  expect(record?.objectKey).toBeTruthy();
  return { photoId, objectKey: record?.objectKey ?? '', sha: sha256(bytes) };
}

/** The S3 notification of an uploaded object, as the bucket sends it to the verifier. */
function objectCreated(objectKey: string) {
  return {
    Records: [
      {
        eventName: 'ObjectCreated:Post',
        s3: { bucket: { name: api.storage.bucketName }, object: { key: encodeEventKey(objectKey) } },
      },
    ],
  } as unknown as Parameters<typeof verifyPhoto>[0];
}

/** A photo of the visit uploaded and verified, with the key of its object in the bucket. */
async function verifiedPhoto(visitId: string, as: Caller): Promise<{ photoId: string; objectKey: string }> {
  const { photoId, objectKey } = await uploadedPhoto(visitId, as);
  await verifyPhoto(objectCreated(objectKey));
  const record = await allDeps().visits.getPhoto(visitId, photoId, true);
  expect(record?.status).toBe('verified');
  expect(await allDeps().files.inspect(objectKey)).not.toBeNull();
  return { photoId, objectKey };
}

/** Throws unless the bucket no longer has the object and no deletion of the visit's objects is left. */
async function objectDeleted(visitId: string, objectKey: string): Promise<void> {
  expect(await allDeps().files.inspect(objectKey), `${objectKey} is deleted`).toBeNull();
  const left = (await partition('REPAIR#objects')).filter((item) => item.visitId === visitId);
  expect(left).toEqual([]);
}

/** Events the stand-in bus accepted of `type` whose detail names `id`. */
function accepted(type: string, id: string) {
  return bus.accepted.filter(
    (event) => event.detailType === type && JSON.stringify(event.detail).includes(id),
  );
}

/**
 * The export worker's data: 1,100 findings of a province of its own, each with 2,000-character
 * notes (the inspector's and the resolution's), so the CSV (about 6 MB) is larger than one 5 MiB part and the worker writes
 * it as a multipart upload (an upload part failing makes it abort the upload).
 */
const bigExportFindings = 1_100;
let bigExportSeeded = false;
async function seedBigExport(): Promise<void> {
  if (bigExportSeeded) return;
  const note = `Ghi chú dài: ${'Bộ phận một cửa chưa niêm yết đầy đủ thủ tục hành chính. '.repeat(36)}`.slice(
    0,
    2000,
  );
  const items = [...exportItems(bigExportFindings)].map((item) =>
    item.entity === 'finding' ? { ...item, inspectorNote: note, note } : item,
  );
  await batchWrite(new Documents(api.storage.documents, api.storage.tableName), items);
  bigExportSeeded = true;
}

/** The export fixture's manager, whose jurisdiction is its province. */
const exportManager: Caller = { sub: benchManager.sub, roles: ['manager'], unitId: benchManager.unitId };

/** The approval of a 60-finding visit left pending (its last call failed), for the repair to finish. */
let chunkedApprovalCalls = 0;
/** The call of the chunked approval that, failed before it is sent, leaves it pending. */
let pendingNth = 0;
async function chunkedVisit(): Promise<string> {
  const visitId = randomUUID();
  const put = await invoke('putVisit', {
    params: { visitId },
    body: {
      unitId: 'C2',
      templateId: bigTemplateId,
      templateVersion: 1,
      startedAt: '2026-05-12T08:30:00+07:00',
      answers: bigTemplate.sections[0]?.items.map((item) => ({ itemCode: item.code, value: false })),
    },
    as: inspector,
  });
  expect(put.status, JSON.stringify(put.body)).toBe(201);
  const submit = await invoke('submitVisit', { params: { visitId }, as: inspector });
  expect(submit.status, JSON.stringify(submit.body)).toBe(200);
  return visitId;
}

async function chunkedApprovalChecked(visitId: string): Promise<void> {
  expect((await getVisit(visitId))?.status).toBe('approved');
  expect(await findingsOf(visitId)).toHaveLength(60);
  expect(await unitScoreVisits('C2', bigTemplateId)).toContain(visitId);
  expect(await repairMarks(visitId)).toEqual([]);
}

const operations: Record<string, Operation> = {
  submit: {
    invoker: 'submitVisit',
    request: { route: 'submitVisit', as: 'inspector' },
    async prepare() {
      const visitId = await draft('C1', inspector);
      return { probe: { params: { visitId } }, context: { visitId } };
    },
    async check({ visitId = '' }) {
      const visit = await getVisit(visitId);
      expect(visit?.status).toBe('submitted');
      expect(visit?.score).toBe(62.5);
    },
  },
  'approve (one transaction)': {
    invoker: 'reviewVisit',
    request: { route: 'reviewVisit', as: 'manager' },
    repairs: true,
    async prepare() {
      const { visitId } = await submitted('C1', inspector);
      return { probe: { params: { visitId }, body: { decision: 'approve' } }, context: { visitId } };
    },
    async check({ visitId = '' }) {
      expect((await getVisit(visitId))?.status).toBe('approved');
      // A2 (4 of 1..5) and A3 (no) fall short: two findings.
      expect(await findingsOf(visitId)).toHaveLength(2);
      expect(await unitScoreVisits('C1')).toContain(visitId);
      expect(await repairMarks(visitId)).toEqual([]);
    },
  },
  'approve (chunked, 60 findings)': {
    invoker: 'reviewVisit',
    request: { route: 'reviewVisit', as: 'manager' },
    repairs: true,
    async prepare() {
      const visitId = await chunkedVisit();
      return { probe: { params: { visitId }, body: { decision: 'approve' } }, context: { visitId } };
    },
    async check({ visitId = '' }, answer) {
      await chunkedApprovalChecked(visitId);
      // The clean run's count: the repair operation fails the last of these to leave one pending.
      if (answer.status === 200 && plan.nth === 0) chunkedApprovalCalls = plan.seen;
    },
  },
  revoke: {
    invoker: 'revokeVisit',
    request: { route: 'revokeVisit', as: 'admin' },
    repairs: true,
    async prepare() {
      const { visitId } = await submitted('C1', inspector);
      await approve(visitId);
      return { probe: { params: { visitId }, body: { reason: 'Sai quy trình' } }, context: { visitId } };
    },
    async check({ visitId = '' }) {
      expect((await getVisit(visitId))?.status).toBe('revoked');
      const findings = await findingsOf(visitId);
      expect(findings.map((finding) => finding.status)).toEqual(['dismissed', 'dismissed']);
      expect(await unitScoreVisits('C1')).not.toContain(visitId);
      expect(await repairMarks(visitId)).toEqual([]);
    },
  },
  'publication and its outbox': {
    invoker: 'createPublication',
    request: { route: 'createPublication', as: 'admin' },
    async prepare() {
      const key = randomUUID();
      return {
        probe: {
          body: { templateId: matrixTemplateId, period, parentId: 'D1', kind: 'commune' },
          headers: { 'idempotency-key': key },
        },
        context: { key },
      };
    },
    async check(_context, answer) {
      const { publicationId } = z.object({ publicationId: z.string() }).parse(answer.body);
      const fetched = await invoke('getPublication', { params: { publicationId }, as: province.admin });
      expect(fetched.status).toBe(200);
      // The sweeper sends what the request could not; then no marker is left and the event went out.
      await atLater(3, () => announcePublications({}));
      await outboxEmptied(publicationId);
    },
  },
  'outbox sweep (PutEvents and the marker)': {
    invoker: 'announcePublications',
    async prepare() {
      // A publication whose event the bus refused: its outbox marker waits for the sweeper.
      bus.decide = () => 'before';
      let publicationId: string;
      try {
        const created = await invoke('createPublication', {
          body: { templateId: matrixTemplateId, period, parentId: 'D1', kind: 'commune' },
          headers: { 'idempotency-key': randomUUID() },
          as: province.admin,
        });
        expect(created.status, JSON.stringify(created.body)).toBe(201);
        publicationId = z.object({ publicationId: z.string() }).parse(created.body).publicationId;
      } finally {
        bus.decide = busDecide;
      }
      const markers = (await partition('OUTBOX#ScoresPublished')).filter((item) =>
        item.sk.endsWith(publicationId),
      );
      expect(markers).toHaveLength(1);
      return { probe: {}, context: { publicationId } };
    },
    // The next scheduled run is the retry.
    deliver: (_context, attempt) => atLater(3 + 3 * attempt, () => announcePublications({})),
    async check({ publicationId = '' }) {
      await outboxEmptied(publicationId);
    },
  },
  export: {
    invoker: 'createExport',
    request: { route: 'createExport', as: 'manager' },
    async prepare() {
      const key = randomUUID();
      return {
        probe: { body: { kind: 'findings', filters: { unitId: 'D1' } }, headers: { 'idempotency-key': key } },
        context: { key },
      };
    },
    async check(_context, answer) {
      const { exportId } = z.object({ exportId: z.string() }).parse(answer.body);
      const fetched = await invoke('getExport', { params: { exportId }, as: province.manager });
      expect(fetched.body).toMatchObject({ status: 'running' });
      expect(accepted(eventTypes.exportRequested, exportId).length).toBeGreaterThanOrEqual(1);
    },
  },
  'export worker (multipart upload, 6 MB)': {
    invoker: 'runExport',
    async prepare() {
      await seedBigExport();
      const started = await invoke('createExport', {
        body: { kind: 'findings', filters: {} },
        as: exportManager,
      });
      expect(started.status, JSON.stringify(started.body)).toBe(202);
      const { exportId } = z.object({ exportId: z.string() }).parse(started.body);
      return { probe: {}, context: { exportId } };
    },
    // Lambda delivers a failed asynchronous event again, twice.
    deliver: ({ exportId = '' }, attempt) =>
      atLater(attempt, () => runExportWorker({ detail: { exportId } })),
    async check({ exportId = '' }) {
      const job = await allDeps().exports.getExport(exportId);
      expect(job).toMatchObject({ status: 'ready', rowCount: bigExportFindings, error: null });
      const stored = await allDeps().files.inspect(job?.objectKey ?? '');
      // Larger than one part: written as a multipart upload.
      expect(stored?.size).toBeGreaterThan(5 * 1024 * 1024);
      const fetched = await invoke('getExport', { params: { exportId }, as: exportManager });
      expect(fetched.body).toMatchObject({ status: 'ready', rowCount: bigExportFindings });
    },
    finally() {
      // Some run failed mid-upload (a part, or a page read while a part was in flight): the
      // upload was aborted (bucket:multipart), and that job too ended ready.
      expect(commandsSeen.has('runExport AbortMultipartUploadCommand')).toBe(true);
    },
  },
  'template version': {
    invoker: 'publishTemplateVersion',
    request: { route: 'publishTemplateVersion', as: 'admin' },
    async prepare() {
      const templateId = `fault-${randomUUID().slice(0, 8)}`;
      return {
        probe: { params: { templateId }, body: bigTemplate, headers: { 'idempotency-key': randomUUID() } },
        context: { templateId },
      };
    },
    async check({ templateId = '' }) {
      const versions = (await partition(`TEMPLATE#${templateId}`)).filter((item) =>
        item.sk.startsWith('VERSION#'),
      );
      expect(versions.map((item) => item.sk)).toEqual(['VERSION#000001']);
      const latest = await invoke('getTemplateVersion', {
        params: { templateId, version: 'latest' },
        as: province.admin,
      });
      expect(latest.status).toBe(200);
    },
  },
  'photo registration': {
    invoker: 'createPhoto',
    request: { route: 'createPhoto', as: 'inspector' },
    async prepare() {
      const visitId = await draft('C1', inspector);
      const photoId = randomUUID();
      return { probe: { params: { visitId }, body: uploadBody(photoId) }, context: { visitId, photoId } };
    },
    async check({ visitId = '', photoId = '' }, answer) {
      expect(z.looseObject({ upload: z.unknown() }).safeParse(answer.body).success).toBe(true);
      const photo = await invoke('getPhoto', { params: { visitId, photoId }, as: province.admin });
      expect(photo.body).toMatchObject({ status: 'pending' });
      const count = (await partition(`VISIT#${visitId}`)).find((item) => item.sk === 'PHOTOCOUNT');
      // The counter that caps photos at 60 counts this one once, whatever failed on the way.
      expect(count?.photoCount).toBe(1);
    },
  },
  'photo verification (verified)': {
    invoker: 'verifyPhoto',
    async prepare() {
      const visitId = await draft('C1', inspector);
      const { photoId, objectKey, sha } = await uploadedPhoto(visitId, inspector);
      return { probe: {}, context: { visitId, photoId, objectKey, sha } };
    },
    // Lambda delivers a failed S3 notification again, twice; verification is idempotent.
    deliver: ({ objectKey = '' }) => verifyPhoto(objectCreated(objectKey)),
    async check({ visitId = '', photoId = '', objectKey = '', sha = '' }) {
      const photo = await invoke('getPhoto', { params: { visitId, photoId }, as: province.admin });
      expect(photo.body).toMatchObject({ status: 'verified' });
      expect(await allDeps().files.inspect(objectKey)).not.toBeNull();
      // Its facts in the visit's evidence, and its place in the lists that find its copies.
      const evidence = (await partition(`VISIT#${visitId}`)).find((item) => item.sk === 'EVIDENCE');
      expect(evidence?.[`photo#${photoId}`]).toMatchObject({ photoId, sha256: sha });
      const copies = await allDeps().visits.photosWithSha256(sha);
      expect(copies.map((copy) => copy.photoId)).toContain(photoId);
    },
  },
  'photo verification (rejected)': {
    invoker: 'verifyPhoto',
    async prepare() {
      const visitId = await draft('C1', inspector);
      // JPEG bytes declared as PNG: the verifier rejects the photo and deletes its object.
      const { photoId, objectKey } = await uploadedPhoto(visitId, inspector, 'image/png');
      return { probe: {}, context: { visitId, photoId, objectKey } };
    },
    deliver: ({ objectKey = '' }) => verifyPhoto(objectCreated(objectKey)),
    async check({ visitId = '', photoId = '', objectKey = '' }) {
      const photo = await invoke('getPhoto', { params: { visitId, photoId }, as: province.admin });
      expect(photo.body).toMatchObject({ status: 'rejected' });
      expect(await allDeps().files.inspect(objectKey), 'the rejected upload is deleted').toBeNull();
      const evidence = (await partition(`VISIT#${visitId}`)).find((item) => item.sk === 'EVIDENCE');
      expect(evidence?.[`photo#${photoId}`]).toBeUndefined();
    },
  },
  'photo removal': {
    invoker: 'deletePhoto',
    request: { route: 'deletePhoto', as: 'inspector' },
    // An object whose delete failed after its record went is deleted by the scheduled repair.
    repairs: true,
    async prepare() {
      const visitId = await draft('C1', inspector);
      const { photoId, objectKey } = await verifiedPhoto(visitId, inspector);
      return { probe: { params: { visitId, photoId } }, context: { visitId, photoId, objectKey } };
    },
    async check({ visitId = '', photoId = '', objectKey = '' }) {
      const photo = await invoke('getPhoto', { params: { visitId, photoId }, as: province.admin });
      expect(photo.status).toBe(404);
      const items = await partition(`VISIT#${visitId}`);
      expect(items.filter((item) => item.sk.startsWith('PHOTO#'))).toEqual([]);
      // Nor its facts in the visit's evidence.
      const evidence = items.find((item) => item.sk === 'EVIDENCE') ?? {};
      expect(Object.keys(evidence).filter((name) => name.startsWith('photo#'))).toEqual([]);
      // No object left in the bucket for ever (the gap the proof found): gone, and its mark too.
      await objectDeleted(visitId, objectKey);
    },
  },
  'draft removal': {
    invoker: 'deleteVisit',
    request: { route: 'deleteVisit', as: 'inspector' },
    repairs: true,
    async prepare() {
      const visitId = await draft('C1', inspector);
      await pendingPhoto(visitId, inspector);
      const { objectKey } = await verifiedPhoto(visitId, inspector);
      return { probe: { params: { visitId } }, context: { visitId, objectKey } };
    },
    async check({ visitId = '', objectKey = '' }) {
      expect(await getVisit(visitId)).toBeNull();
      // Nothing of the visit is left but its audit trail.
      const left = (await partition(`VISIT#${visitId}`)).filter((item) => !item.sk.startsWith('AUDIT#'));
      expect(left.map((item) => item.sk)).toEqual([]);
      await objectDeleted(visitId, objectKey);
    },
  },
  'repair (a pending chunked approval rolled forward)': {
    invoker: 'repairVisits',
    async prepare() {
      // After the chunked approval's operation, which counted its calls: the call that commits
      // it fails before it is sent (found once, from the last call down), and the approval is
      // left pending with its findings and its repair mark.
      expect(chunkedApprovalCalls, 'the chunked approval ran first').toBeGreaterThan(0);
      for (let nth = pendingNth || chunkedApprovalCalls; nth > 0; nth--) {
        const visitId = await chunkedVisit();
        Object.assign(plan, {
          target: 'reviewVisit',
          nth,
          mode: 'before',
          seen: 0,
          commands: [],
          setup: true,
        });
        let left: Answer;
        try {
          left = await gateway.send(
            route('reviewVisit'),
            { params: { visitId }, body: { decision: 'approve' } },
            bearer.manager ?? null,
          );
        } finally {
          Object.assign(plan, { target: null, setup: false });
        }
        expect(left.status, left.text).toBe(503);
        const pending = (await getVisit(visitId))?.status === 'submitted';
        if (pending) {
          pendingNth = nth;
          expect(await repairMarks(visitId)).toHaveLength(1);
          expect((await findingsOf(visitId)).length).toBeGreaterThan(0);
          return { probe: {}, context: { visitId } };
        }
        // Approved but for a last step (its mark cleared by the repair): try an earlier call.
        await atLater(3, () => repairVisits({}));
        expect(pendingNth, 'the call found once stays the one').toBe(0);
      }
      throw new Error('no call of the chunked approval leaves it pending');
    },
    // The schedule runs it every few minutes: the next run is the retry.
    deliver: (_context, attempt) => atLater(3 + 3 * attempt, () => repairVisits({})),
    async check({ visitId = '' }) {
      await chunkedApprovalChecked(visitId);
    },
  },
};

/** Throws unless the publication's event went out and its outbox marker is gone. */
async function outboxEmptied(publicationId: string): Promise<void> {
  const markers = await partition('OUTBOX#ScoresPublished');
  expect(markers.filter((item) => item.sk.endsWith(publicationId))).toEqual([]);
  expect(accepted(eventTypes.scoresPublished, publicationId).length).toBeGreaterThanOrEqual(1);
  const record = await allDeps().publications.getPublication(publicationId);
  expect(record?.eventPublished).toBe(true);
}

/** One attempt: the request sent, or the worker's event delivered (200 if it ran, 503 if it threw). */
async function attempt(operation: Operation, probe: Probe, context: Record<string, string>, n: number) {
  if (operation.request) return send(operation.request.route, probe, operation.request.as);
  tally.requests++;
  if (current) current.requests++;
  try {
    await operation.deliver?.(context, n);
    return { status: 200, headers: {}, body: null, text: '' } satisfies Answer;
  } catch (error) {
    return { status: 503, headers: {}, body: null, text: String(error) } satisfies Answer;
  }
}

/**
 * Sends the request again as a phone would after a failure: a few times, a lease later if told
 * to wait. A worker's event is delivered again (Lambda: twice), the schedule's next run comes.
 */
async function retry(operation: Operation, probe: Probe, context: Record<string, string>): Promise<Answer> {
  if (!operation.request) {
    let answer: Answer = { status: 503, headers: {}, body: null, text: '' };
    for (let n = 1; n <= 2 && answer.status >= 400; n++) answer = await attempt(operation, probe, context, n);
    return answer;
  }
  let answer = await attempt(operation, probe, context, 0);
  for (let n = 0; n < 3 && answer.status >= 400; n++) {
    // A reservation left by the failed attempt (409) or a busy store (503): wait out its lease.
    answer = await atLater(3 * (n + 1), () => attempt(operation, probe, context, n));
  }
  return answer;
}

// First, while the table is small: it is compared whole before and after.
describe('while the store is down', () => {
  it('answers 503 with Retry-After, never 500, and works again when it is back', async () => {
    const visitId = await draft('C1', inspector);
    const requests: Array<[RouteName, Probe, string]> = [
      ['listUnits', { query: { parentId: 'D1' } }, 'manager'],
      ['getUnit', { params: { unitId: 'C1' } }, 'manager'],
      ['listTemplates', {}, 'inspector'],
      ['getVisit', { params: { visitId } }, 'inspector'],
      ['listVisits', { query: { unitId: 'D1' } }, 'manager'],
      [
        'putVisit',
        {
          params: { visitId: randomUUID() },
          body: {
            unitId: 'C1',
            templateId: matrixTemplateId,
            templateVersion: 1,
            startedAt: '2026-05-12T08:30:00+07:00',
            answers: [],
          },
        },
        'inspector',
      ],
      ['submitVisit', { params: { visitId } }, 'inspector'],
      ['createPhoto', { params: { visitId }, body: uploadBody(randomUUID()) }, 'inspector'],
      ['listFindings', { query: { unitId: 'D1' } }, 'manager'],
      [
        'getScores',
        { query: { templateId: matrixTemplateId, period, parentId: 'D1', kind: 'commune' } },
        'manager',
      ],
      [
        'createPublication',
        { body: { templateId: matrixTemplateId, period, parentId: 'D1', kind: 'commune' } },
        'admin',
      ],
      ['listPublications', {}, 'manager'],
      ['createExport', { body: { kind: 'findings', filters: {} } }, 'manager'],
    ];
    const before = await dumpTable(api.storage.documents, api.storage.tableName);
    installFaultInjector(() => {
      tally.faults++;
      const error = new Error('connect ECONNREFUSED 127.0.0.1:8000 (injected)');
      Object.assign(error, { code: 'ECONNREFUSED' });
      return { decision: 'before', error };
    });
    // The handlers' clients were built with the injecting middleware; it now fails every call.
    try {
      for (const [name, probe, as] of requests) {
        const answer = await send(name, probe, as);
        expect(answer.status, `${name}: ${answer.text}`).toBe(503);
        expect(answer.headers['retry-after'], name).toMatch(/^\d+$/);
        expect(answer.body, name).toMatchObject({ code: 'unavailable' });
      }
    } finally {
      installFaultInjector(failNth);
    }
    expect(await dumpTable(api.storage.documents, api.storage.tableName)).toBe(before);
    const back = await send('getVisit', { params: { visitId } }, 'inspector');
    expect(back.status).toBe(200);
  });
});

describe('injected faults at every call of every multi-step operation', () => {
  for (const [name, operation] of Object.entries(operations)) {
    it(`${name}: every call failing before or after it takes effect, then a retry, leaves it complete`, async () => {
      const counts: OperationTally = {
        calls: 0,
        runs: 0,
        faults: 0,
        busFaults: 0,
        requests: 0,
        serverErrors: 0,
        completedFirst: 0,
        completedByRetry: 0,
        completedByRepair: 0,
        halfWritten: 0,
        ms: 0,
      };
      const startedAt = Date.now();
      tallies.set(name, counts);
      current = counts;
      // A clean run: how many calls it makes, and that the check holds without faults.
      const clean = await operation.prepare();
      Object.assign(plan, { target: operation.invoker, nth: 0, seen: 0, commands: [] });
      const first = await attempt(operation, clean.probe, clean.context, 0);
      plan.target = null;
      expect(first.status, first.text).toBeLessThan(300);
      await operation.check(clean.context, first);
      const calls = plan.seen;
      const commands = [...plan.commands];
      counts.calls = calls;
      expect(calls, `${operation.invoker} makes calls`).toBeGreaterThan(0);

      const failures: string[] = [];
      for (const nth of callsToFail(commands)) {
        for (const mode of ['before', 'after'] as const) {
          const { probe, context } = await operation.prepare();
          Object.assign(plan, { target: operation.invoker, nth, mode, seen: 0, commands: [] });
          const faulted = await attempt(operation, probe, context, 0);
          plan.target = null;
          tally.operations++;
          counts.runs++;
          const what = `${name}, call ${nth} of ${calls} failing ${mode}`;
          // The nth call happened and was failed: no run passes for faulted without a fault.
          expect(plan.seen, `${what}: the run made fewer calls than the clean one`).toBeGreaterThanOrEqual(
            nth,
          );
          if (operation.request) {
            if (faulted.status >= 500 && faulted.status !== 503) {
              tally.serverErrors++;
              counts.serverErrors++;
            }
            // The client sees a retryable 503 (with Retry-After) or the operation done.
            if (faulted.status === 503) {
              expect(faulted.headers['retry-after'], what).toMatch(/^\d+$/);
            } else expect(faulted.status, `${what}: ${faulted.text}`).toBeLessThan(300);
          }

          const answer = faulted.status < 300 ? faulted : await retry(operation, probe, context);
          // A DELETE whose record went before the fault (the answer lost) answers its retry 404:
          // the phone's outbox takes that as done. (An object's delete failing after the record
          // went answers 204: the deletion set with the record has the repair finish it.)
          // Every other retry finds its work and answers it.
          const deletedBefore =
            operation.request !== undefined &&
            route(operation.request.route).method === 'DELETE' &&
            answer.status === 404;
          if (!deletedBefore)
            expect(answer.status, `${what}, after the retry: ${answer.text}`).toBeLessThan(300);
          try {
            await operation.check(context, answer);
            if (faulted.status < 300) counts.completedFirst++;
            else counts.completedByRetry++;
          } catch (error) {
            if (!operation.repairs) throw error;
            // Not finished by the retry: the scheduled repair must finish it.
            await atLater(3, () => repairVisits({}));
            try {
              await operation.check(context, answer);
              counts.completedByRepair++;
            } catch (again) {
              tally.halfWritten++;
              counts.halfWritten++;
              failures.push(`${what}: ${again instanceof Error ? again.message : String(again)}`);
            }
          }
        }
      }
      current = null;
      counts.ms = Date.now() - startedAt;
      // As it goes: a soak stopped early still tells how far it got.
      console.log(tallyLine(name, counts));
      expect(failures).toEqual([]);
      operation.finally?.();
      // Every call sampled (the soak: every call) was failed both ways, each once.
      expect(counts.faults).toBe(callsToFail(commands).length * 2);
      if (soak) expect(counts.runs).toBe(calls * 2);
    }, 600_000);
  }
});
