/**
 * Injected faults at every DynamoDB and S3 call of every multi-step operation. For each one, a
 * clean run counts the calls its route makes; then, for every call n and both ways of failing
 * (before the store sees it, and after it took effect with the answer lost), a fresh object is
 * prepared, the nth call fails, and the client retries as a phone would. The first answer is
 * 503 with Retry-After or a success, never a 500; after the retry (and, where the contract says
 * so, the scheduled repair) the end state is complete and consistent, never half-written.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { allDeps } from '#adapters/all-parts.ts';
import { type FaultDecision, type FaultInjector, installFaultInjector } from '#adapters/fault-injector.ts';
import { configureDeps } from '#adapters/wiring.ts';
import { handler as announcePublications } from '#functions/publications/announce.ts';
import { handler as repairVisits } from '#functions/visits/repair.ts';
import { systemClock } from '#ports/clock.ts';
import { type RouteName, route } from '#routes/table.ts';
import { addPhoto, sha256, startApi } from '#tests/support/api.ts';
import { jpegBytes } from '#tests/support/images.ts';
import { type Caller, invoke } from '#tests/support/invoke.ts';
import { recordingPublisher } from '#tests/support/peer-group.ts';
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
const plan = { target: null as string | null, nth: 0, mode: 'before' as FaultDecision, seen: 0 };
const tally = { operations: 0, requests: 0, faults: 0, serverErrors: 0, halfWritten: 0 };

const failNth: FaultInjector = (call) => {
  if (plan.target === null || call.invoker !== plan.target) return { decision: 'pass' };
  plan.seen++;
  if (plan.seen !== plan.nth) return { decision: 'pass' };
  tally.faults++;
  return { decision: plan.mode };
};
// Before startApi: the clients the handlers build from now on carry the injector.
installFaultInjector(failNth);

let api: Awaited<ReturnType<typeof startApi>>;
let gateway: Gateway;
const events = recordingPublisher();
const bearer: Record<string, string> = {};
const inspector = matrixCallers.inspector;

beforeAll(async () => {
  api = await startApi('proof-faults');
  configureDeps({ events });
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
  console.log(
    `faults: ${tally.operations} faulted operations, ${tally.faults} faults injected, ${tally.requests} requests, ${tally.serverErrors} answered 500, ${tally.halfWritten} left half-written`,
  );
});

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
  return gateway.send(route(name), probe, bearer[as] ?? null);
}

async function tableItems(): Promise<Array<{ pk: string; sk: string } & Record<string, unknown>>> {
  return JSON.parse(await dumpTable(api.storage.documents, api.storage.tableName));
}

/** A clock some minutes ahead: leases and the repair's 2-minute wait have run out. */
function later(minutes: number) {
  return { now: () => new Date(Date.now() + minutes * 60_000) };
}

async function getVisit(visitId: string) {
  const answer = await invoke('getVisit', { params: { visitId }, as: province.admin });
  return answer.status === 200 ? visitOut.parse(answer.body) : null;
}

async function findingsOf(visitId: string) {
  const items = await tableItems();
  return items.filter((item) => item.pk === `FINDINGS#${visitId}` && item.sk.startsWith('FINDING#'));
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
  return (await tableItems()).filter((item) => item.pk.startsWith('REPAIR#') && item.sk.endsWith(visitId));
}

interface Operation {
  route: RouteName;
  as: string;
  /** A fresh object to act on, and the request. */
  prepare(): Promise<{ probe: Probe; context: Record<string, string> }>;
  /** Throws (through expect) unless the end state is the operation complete, all of it. */
  check(context: Record<string, string>, answer: Answer): Promise<void>;
  /** Whether the scheduled repair may finish it (the contract's second way to completion). */
  repairs?: boolean;
}

const uploadBody = (photoId: string) => {
  const bytes = jpegBytes();
  return {
    photoId,
    itemCode: 'A1',
    contentType: 'image/jpeg',
    sizeBytes: bytes.length,
    sha256: sha256(bytes),
  };
};

async function pendingPhoto(visitId: string, as: Caller): Promise<string> {
  const photoId = randomUUID();
  const created = await invoke('createPhoto', { params: { visitId }, body: uploadBody(photoId), as });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return photoId;
}

/** A photo of the visit uploaded and verified, with the key of its object in the bucket. */
async function verifiedPhoto(visitId: string, as: Caller): Promise<{ photoId: string; objectKey: string }> {
  const { photoId, status } = await addPhoto(visitId, 'A1', jpegBytes(), { as });
  expect(status).toBe('verified');
  const record = await allDeps().visits.getPhoto(visitId, photoId, true);
  expect(await allDeps().files.inspect(record?.objectKey ?? '')).not.toBeNull();
  return { photoId, objectKey: record?.objectKey ?? '' };
}

/** Throws unless the bucket no longer has the object and no deletion of the visit's objects is left. */
async function objectDeleted(visitId: string, objectKey: string): Promise<void> {
  expect(await allDeps().files.inspect(objectKey), `${objectKey} is deleted`).toBeNull();
  const left = (await tableItems()).filter(
    (item) => item.pk === 'REPAIR#objects' && item.visitId === visitId,
  );
  expect(left).toEqual([]);
}

const operations: Record<string, Operation> = {
  submit: {
    route: 'submitVisit',
    as: 'inspector',
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
    route: 'reviewVisit',
    as: 'manager',
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
    route: 'reviewVisit',
    as: 'manager',
    repairs: true,
    async prepare() {
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
      return { probe: { params: { visitId }, body: { decision: 'approve' } }, context: { visitId } };
    },
    async check({ visitId = '' }) {
      expect((await getVisit(visitId))?.status).toBe('approved');
      expect(await findingsOf(visitId)).toHaveLength(60);
      expect(await unitScoreVisits('C2', bigTemplateId)).toContain(visitId);
      expect(await repairMarks(visitId)).toEqual([]);
    },
  },
  revoke: {
    route: 'revokeVisit',
    as: 'admin',
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
    route: 'createPublication',
    as: 'admin',
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
      configureDeps({ clock: later(3) });
      try {
        await announcePublications({});
      } finally {
        configureDeps({ clock: systemClock });
      }
      const markers = (await tableItems()).filter((item) => item.pk === 'OUTBOX#ScoresPublished');
      expect(markers.filter((item) => item.sk.endsWith(publicationId))).toEqual([]);
      const announced = events.published.filter(
        (event) => event.type === 'ScoresPublished' && JSON.stringify(event.detail).includes(publicationId),
      );
      expect(announced.length).toBeGreaterThanOrEqual(1);
    },
  },
  export: {
    route: 'createExport',
    as: 'manager',
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
      expect(fetched.status).toBe(200);
      expect(events.published.some((event) => JSON.stringify(event.detail).includes(exportId))).toBe(true);
    },
  },
  'template version': {
    route: 'publishTemplateVersion',
    as: 'admin',
    async prepare() {
      const templateId = `fault-${randomUUID().slice(0, 8)}`;
      return {
        probe: { params: { templateId }, body: bigTemplate, headers: { 'idempotency-key': randomUUID() } },
        context: { templateId },
      };
    },
    async check({ templateId = '' }) {
      const versions = (await tableItems()).filter(
        (item) => item.pk === `TEMPLATE#${templateId}` && item.sk.startsWith('VERSION#'),
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
    route: 'createPhoto',
    as: 'inspector',
    async prepare() {
      const visitId = await draft('C1', inspector);
      const photoId = randomUUID();
      return { probe: { params: { visitId }, body: uploadBody(photoId) }, context: { visitId, photoId } };
    },
    async check({ visitId = '', photoId = '' }, answer) {
      expect(z.looseObject({ upload: z.unknown() }).safeParse(answer.body).success).toBe(true);
      const photo = await invoke('getPhoto', { params: { visitId, photoId }, as: province.admin });
      expect(photo.body).toMatchObject({ status: 'pending' });
      const count = (await tableItems()).find(
        (item) => item.pk === `VISIT#${visitId}` && item.sk === 'PHOTOCOUNT',
      );
      // The counter that caps photos at 60 counts this one once, whatever failed on the way.
      expect(count?.photoCount).toBe(1);
    },
  },
  'photo removal': {
    route: 'deletePhoto',
    as: 'inspector',
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
      const items = (await tableItems()).filter((item) => item.pk === `VISIT#${visitId}`);
      expect(items.filter((item) => item.sk.startsWith('PHOTO#'))).toEqual([]);
      // Nor its facts in the visit's evidence.
      const evidence = items.find((item) => item.sk === 'EVIDENCE') ?? {};
      expect(Object.keys(evidence).filter((name) => name.startsWith('photo#'))).toEqual([]);
      // No object left in the bucket for ever (the gap the proof found): gone, and its mark too.
      await objectDeleted(visitId, objectKey);
    },
  },
  'draft removal': {
    route: 'deleteVisit',
    as: 'inspector',
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
      const left = (await tableItems()).filter(
        (item) => item.pk === `VISIT#${visitId}` && !item.sk.startsWith('AUDIT#'),
      );
      expect(left.map((item) => item.sk)).toEqual([]);
      await objectDeleted(visitId, objectKey);
    },
  },
};

/**
 * Which calls to fail: all of them under `npm run test:soak`; in `npm test`, the first two, the
 * middle one and the last two (the boundaries between an operation's steps are among them for
 * every operation here but the chunked approval, whose 60 finding writes are alike).
 */
function callsToFail(calls: number): number[] {
  const all = Array.from({ length: calls }, (_, index) => index + 1);
  if (process.env.PAR_PROOF_SOAK === '1') return all;
  return [...new Set([1, 2, Math.ceil(calls / 2), calls - 1, calls])].filter(
    (nth) => nth >= 1 && nth <= calls,
  );
}

/** Sends the request as a phone would after a failure: again, a few times, a lease later if told to wait. */
async function retry(operation: Operation, probe: Probe): Promise<Answer> {
  let answer = await send(operation.route, probe, operation.as);
  for (let attempt = 0; attempt < 3 && answer.status >= 400; attempt++) {
    // A reservation left by the failed attempt (409) or a busy store (503): wait out its lease.
    configureDeps({ clock: later(3 * (attempt + 1)) });
    try {
      answer = await send(operation.route, probe, operation.as);
    } finally {
      configureDeps({ clock: systemClock });
    }
  }
  return answer;
}

describe('injected faults at every call of every multi-step operation', () => {
  for (const [name, operation] of Object.entries(operations)) {
    it(`${name}: every call failing before or after it takes effect, then a retry, leaves it complete`, async () => {
      // A clean run: how many calls the route makes, and that the check holds without faults.
      const clean = await operation.prepare();
      plan.target = operation.route;
      plan.nth = 0;
      plan.seen = 0;
      const first = await send(operation.route, clean.probe, operation.as);
      plan.target = null;
      expect(first.status, first.text).toBeLessThan(300);
      await operation.check(clean.context, first);
      const calls = plan.seen;
      expect(calls, `${operation.route} makes SDK calls`).toBeGreaterThan(0);

      const failures: string[] = [];
      for (const nth of callsToFail(calls)) {
        for (const mode of ['before', 'after'] as const) {
          const { probe, context } = await operation.prepare();
          Object.assign(plan, { target: operation.route, nth, mode, seen: 0 });
          const faulted = await send(operation.route, probe, operation.as);
          plan.target = null;
          tally.operations++;
          const what = `${name}, call ${nth} of ${calls} failing ${mode}`;
          if (faulted.status >= 500 && faulted.status !== 503) tally.serverErrors++;
          // The client sees a retryable 503 (with Retry-After) or the operation done.
          if (faulted.status === 503) {
            expect(faulted.headers['retry-after'], what).toMatch(/^\d+$/);
          } else expect(faulted.status, `${what}: ${faulted.text}`).toBeLessThan(300);

          const answer = faulted.status < 300 ? faulted : await retry(operation, probe);
          // A DELETE whose record went before the fault (the answer lost) answers its retry 404:
          // the phone's outbox takes that as done. (An object's delete failing after the record
          // went answers 204: the deletion set with the record has the repair finish it.)
          // Every other retry finds its work and answers it.
          const deletedBefore = route(operation.route).method === 'DELETE' && answer.status === 404;
          if (!deletedBefore)
            expect(answer.status, `${what}, after the retry: ${answer.text}`).toBeLessThan(300);
          try {
            await operation.check(context, answer);
          } catch (error) {
            if (!operation.repairs) throw error;
            // Not finished by the retry: the scheduled repair must finish it.
            configureDeps({ clock: later(3) });
            try {
              await repairVisits({});
            } finally {
              configureDeps({ clock: systemClock });
            }
            try {
              await operation.check(context, answer);
            } catch (again) {
              tally.halfWritten++;
              failures.push(`${what}: ${again instanceof Error ? again.message : String(again)}`);
            }
          }
        }
      }
      expect(failures).toEqual([]);
    }, 300_000);
  }
});

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
