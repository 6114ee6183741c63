import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { beforeAll, describe, expect, it } from 'vitest';
import { allDeps } from '#adapters/all-parts.ts';
import { DynamoIdempotencyStore } from '#adapters/dynamodb/idempotency.ts';
import { publicationKey, publicationOutboxKey } from '#adapters/dynamodb/keys.ts';
import { configureDeps } from '#adapters/wiring.ts';
import { announcePending } from '#app/publications.ts';
import type { RankingRow } from '#domain/ranking.ts';
import { handler as announceWorker } from '#functions/publications/announce.ts';
import { systemClock } from '#ports/clock.ts';
import { eventTypes } from '#routes/integration.ts';
import { invoke } from '#tests/support/invoke.ts';
import {
  batchWrite,
  checklist,
  expectedRanking,
  type Seeded,
  scoreItem,
  seededStorage,
  seedPeerGroup,
  staff,
  unitScoreRecord,
} from '#tests/support/peer-group.ts';

const admin = staff('admin-1', 'admin', 'P');

const manager = staff('manager-p', 'manager', 'P');
const communeManager = staff('manager-c01', 'manager', 'C01');
const inspector = staff('inspector-1', 'inspector', 'P');
const rankingClient = { sub: 'ranking-client', roles: ['ranking' as const], unitId: null };
const ranking2026 = { templateId: checklist, period: '2026', parentId: 'P', kind: 'commune' };

interface Publication {
  publicationId: string;
  period: string;
  rows: RankingRow[];
  rowCount: number;
  hash: string;
  supersedes: string | null;
  createdAt: string;
  createdBy: string;
}

/** What the ranking system does on receipt: hash the canonical JSON of the rows itself. */
const hashOf = (rows: unknown) =>
  createHash('sha256')
    .update(canonicalize(rows) ?? '', 'utf8')
    .digest('hex');

let seeded: Seeded;
let first: Publication;

beforeAll(async () => {
  seeded = await seededStorage('publications');
  await seedPeerGroup(seeded);
});

describe('POST /v1/publications', () => {
  it('freezes the rows exactly as GET /v1/scores gives them, hashed, and emits ScoresPublished without rows', async () => {
    const scores = await invoke('getScores', { as: admin, query: ranking2026 });
    const res = await invoke('createPublication', { as: admin, body: ranking2026 });
    expect(res.status).toBe(201);
    first = res.body as Publication;
    expect(first.rows).toEqual((scores.body as { items: RankingRow[] }).items);
    expect(first.rows.map((row) => row.unitId)).toEqual(expectedRanking.map(([unitId]) => unitId));
    expect(first).toMatchObject({ ...ranking2026, rowCount: 8, supersedes: null, createdBy: admin.sub });
    expect(first.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hashOf(first.rows)).toBe(first.hash);
    expect(first).not.toHaveProperty('parentPath');
    expect(first).not.toHaveProperty('eventPublished');

    const event = seeded.events.published.at(-1);
    expect(event).toEqual({
      type: eventTypes.scoresPublished,
      detail: {
        publicationId: first.publicationId,
        templateId: checklist,
        period: '2026',
        parentId: 'P',
        kind: 'commune',
        hash: first.hash,
        rowCount: 8,
        supersedes: null,
        createdAt: first.createdAt,
      },
    });
  });

  it('never changes a publication; publishing again supersedes it', async () => {
    // C04's score changes after the first publication.
    const c04 = { unitId: 'C04', parentId: 'P', kind: 'commune' as const };
    await batchWrite(seeded.store, [
      scoreItem(unitScoreRecord(c04, checklist, '2026', 95.5, [{ code: 'A', percent: 95.5 }], [])),
    ]);
    const second = await invoke('createPublication', { as: admin, body: ranking2026 });
    expect(second.status).toBe(201);
    const body = second.body as Publication;
    expect(body.supersedes).toBe(first.publicationId);
    expect(body.rows[0]).toMatchObject({ unitId: 'C04', rank: 1, score: 95.5 });
    expect(body.hash).not.toBe(first.hash);
    expect(hashOf(body.rows)).toBe(body.hash);

    const again = await invoke('getPublication', {
      as: rankingClient,
      params: { publicationId: first.publicationId },
    });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first);
  });

  it('honours Idempotency-Key: the same key and body answer the same publication; another body is 409', async () => {
    const headers = { 'idempotency-key': 'publish-2026-q2' };
    const body = { ...ranking2026, period: '2026-Q2' };
    const made = await invoke('createPublication', { as: admin, body, headers });
    const replay = await invoke('createPublication', { as: admin, body, headers });
    expect(made.status).toBe(201);
    expect(replay.status).toBe(201);
    expect(replay.body).toEqual(made.body);
    const events = seeded.events.published.filter(
      (e) => e.detail.publicationId === (made.body as Publication).publicationId,
    );
    expect(events).toHaveLength(1);
    const other = await invoke('createPublication', { as: admin, body: ranking2026, headers });
    expect(other.status).toBe(409);
  });

  it('still answers 201 when the event cannot be sent, and sends it on a replay of the same key', async () => {
    const headers = { 'idempotency-key': 'publish-while-bus-down' };
    const body = { ...ranking2026, period: '2026-Q1' };
    seeded.events.state.failing = true;
    const made = await invoke('createPublication', { as: admin, body, headers });
    seeded.events.state.failing = false;
    expect(made.status).toBe(201);
    const id = (made.body as Publication).publicationId;
    const sent = () => seeded.events.published.filter((e) => e.detail.publicationId === id);
    expect(sent()).toHaveLength(0);

    const replay = await invoke('createPublication', { as: admin, body, headers });
    expect(replay.status).toBe(201);
    expect(replay.body).toEqual(made.body);
    expect(sent()).toHaveLength(1);
    await invoke('createPublication', { as: admin, body, headers });
    expect(sent()).toHaveLength(1);
  });

  it('refuses managers and the ranking client (403), a parent out of scope (404) and bad bodies (422)', async () => {
    expect((await invoke('createPublication', { as: manager, body: ranking2026 })).status).toBe(403);
    expect((await invoke('createPublication', { as: rankingClient, body: ranking2026 })).status).toBe(403);
    const c01Admin = staff('admin-c01', 'admin', 'C01');
    expect((await invoke('createPublication', { as: c01Admin, body: ranking2026 })).status).toBe(404);
    const extra = await invoke('createPublication', { as: admin, body: { ...ranking2026, rows: [] } });
    expect(extra.status).toBe(422);
    expect(extra.body).toMatchObject({ errors: [{ path: 'rows' }] });
  });
});

describe('GET /v1/publications', () => {
  it('lists newest first without rows, by ranking (gsi1) or by any filter (gsi2), page by page', async () => {
    const byRanking = await invoke('listPublications', { as: rankingClient, query: ranking2026 });
    expect(byRanking.status).toBe(200);
    const items = (byRanking.body as { items: Publication[] }).items;
    expect(items).toHaveLength(2);
    expect(items[1]?.publicationId).toBe(first.publicationId);
    expect(items[0]?.supersedes).toBe(first.publicationId);
    expect(items[0]).not.toHaveProperty('rows');

    const all = await invoke('listPublications', { as: admin, query: { templateId: checklist } });
    const times = (all.body as { items: Publication[] }).items.map((p) => p.createdAt);
    expect(times).toHaveLength(4);
    expect([...times].sort().reverse()).toEqual(times);
    const quarter = await invoke('listPublications', { as: admin, query: { period: '2026-Q2' } });
    expect((quarter.body as { items: Publication[] }).items).toHaveLength(1);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await invoke('listPublications', {
        as: manager,
        query: { limit: '1', ...(cursor ? { cursor } : {}) },
      });
      const page = res.body as { items: Publication[]; nextCursor: string | null };
      seen.push(...page.items.map((p) => p.publicationId));
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(seen).toHaveLength(4);
    expect(new Set(seen).size).toBe(4);
  });

  it('shows managers only publications under their jurisdiction; 403 to inspectors', async () => {
    const outside = await invoke('listPublications', { as: communeManager });
    expect(outside.status).toBe(200);
    expect((outside.body as { items: unknown[] }).items).toEqual([]);
    const one = await invoke('getPublication', {
      as: communeManager,
      params: { publicationId: first.publicationId },
    });
    expect(one.status).toBe(404);
    expect((await invoke('listPublications', { as: inspector })).status).toBe(403);
    expect(
      (await invoke('getPublication', { as: inspector, params: { publicationId: first.publicationId } }))
        .status,
    ).toBe(403);
    const missing = await invoke('getPublication', {
      as: admin,
      params: { publicationId: '99999999-9999-4999-8999-999999999999' },
    });
    expect(missing.status).toBe(404);
  });

  it('serves the publication as CSV with a BOM: rank, unitId, code, name, score, band, visitCount, sections', async () => {
    const res = await invoke('getPublication', {
      as: rankingClient,
      params: { publicationId: first.publicationId },
      headers: { accept: 'text/csv' },
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    const text = String(res.body);
    expect(text.startsWith('\uFEFF')).toBe(true);
    const lines = text.slice(1).split('\r\n');
    expect(lines[0]).toBe('rank,unitId,code,name,score,bandCode,bandLabel,visitCount,A,B,C');
    expect(lines[1]).toBe('1,C01,30001,Xã Đông Hòa,91,XS,Xuất sắc,1,95,87,');
    expect(lines[8]).toBe(',C07,,Xã Đá Bạc,,,,0,,,');
    expect(lines).toHaveLength(1 + 8 + 1);

    const english = await invoke('getPublication', {
      as: rankingClient,
      params: { publicationId: first.publicationId },
      headers: { accept: 'text/csv', 'accept-language': 'en' },
    });
    const englishLines = String(english.body).split('\r\n');
    expect(englishLines[1]).toContain(',XS,Excellent,');
    // A band without an English label falls back to Vietnamese.
    expect(englishLines[5]).toContain(',KHA,Khá,');

    const json = await invoke('getPublication', {
      as: rankingClient,
      params: { publicationId: first.publicationId },
      headers: { accept: 'application/json' },
    });
    expect(json.headers['content-type']).toMatch(/^application\/json/);
  });
});

describe('concurrent publications of one ranking', () => {
  it('chain one after the other: the head moves only from the publication each one names', async () => {
    const body = { ...ranking2026, period: '2026-Q3' };
    const results = await Promise.all([
      invoke('createPublication', { as: admin, body }),
      invoke('createPublication', { as: admin, body }),
      invoke('createPublication', { as: admin, body }),
    ]);
    expect(results.map((r) => r.status)).toEqual([201, 201, 201]);
    const made = results.map((r) => r.body as Publication);
    const roots = made.filter((p) => p.supersedes === null);
    expect(roots).toHaveLength(1);
    // Each publication is superseded by at most one: a chain, never a fork.
    const superseded = made.map((p) => p.supersedes).filter((id) => id !== null);
    expect(new Set(superseded).size).toBe(superseded.length);
    const listed = await invoke('listPublications', { as: admin, query: body });
    const newest = (listed.body as { items: Publication[] }).items[0];
    expect(made.map((p) => p.supersedes)).not.toContain(newest?.publicationId);
  });

  it('with one Idempotency-Key make one publication, however many twins race', async () => {
    const body = { ...ranking2026, period: '2026-Q4' };
    const headers = { 'idempotency-key': 'publish-2026-q4-race' };
    const results = await Promise.all(
      Array.from({ length: 4 }, () => invoke('createPublication', { as: admin, body, headers })),
    );
    // The holder answers 201; a twin arriving while it runs is told to retry (409), and one
    // arriving after it replays the same publication.
    const made = results.filter((r) => r.status === 201).map((r) => (r.body as Publication).publicationId);
    expect(made.length).toBeGreaterThanOrEqual(1);
    expect(new Set(made).size).toBe(1);
    expect(results.every((r) => r.status === 201 || r.status === 409)).toBe(true);
    const listed = await invoke('listPublications', { as: admin, query: body });
    expect((listed.body as { items: Publication[] }).items.map((p) => p.publicationId)).toEqual([made[0]]);
    const retried = await invoke('createPublication', { as: admin, body, headers });
    expect([retried.status, (retried.body as Publication).publicationId]).toEqual([201, made[0]]);
  });

  it('make one publication even when the process died after storing it, before answering', async () => {
    const body = { ...ranking2026, period: '2025' };
    const headers = { 'idempotency-key': 'publish-2025-crash' };
    const real = allDeps().idempotency;
    // The first attempt stores the publication, then dies before it can remember the answer
    // (a dead process releases nothing either).
    configureDeps({
      idempotency: {
        reserve: (...args) => real.reserve(...args),
        release: async () => undefined,
        saveResponse: async () => {
          throw new Error('injected: the process died before saving the answer');
        },
      },
    });
    const crashed = await invoke('createPublication', { as: admin, body, headers });
    expect(crashed.status).toBe(500);
    // Its lease runs out on the clock the store reads, and the client retries with the same key.
    const afterLease = { now: () => new Date(Date.now() + 121_000) };
    configureDeps({ idempotency: new DynamoIdempotencyStore(seeded.store, afterLease), clock: afterLease });
    try {
      const retried = await invoke('createPublication', { as: admin, body, headers });
      expect(retried.status).toBe(201);
      const listed = await invoke('listPublications', { as: admin, query: body });
      const ids = (listed.body as { items: Publication[] }).items.map((p) => p.publicationId);
      expect(ids).toEqual([(retried.body as Publication).publicationId]);
    } finally {
      configureDeps({ idempotency: real, clock: systemClock });
    }
  });
});

describe('the ScoresPublished outbox sweeper (announcePending)', () => {
  const sentFor = (publicationId: string) =>
    seeded.events.published.filter((event) => event.detail.publicationId === publicationId);
  const marker = (publication: Publication) =>
    seeded.store.get(publicationOutboxKey(publication.createdAt, publication.publicationId), true);
  // The sweeper leaves publications younger than a minute to the request that made them.
  const later = { now: () => new Date(Date.now() + 2 * 60_000) };

  it('announces publications made while the bus was down, without an Idempotency-Key, exactly once when it is back', async () => {
    seeded.events.state.failing = true;
    const older = await invoke('createPublication', { as: admin, body: { ...ranking2026, period: '2024' } });
    const newer = await invoke('createPublication', {
      as: admin,
      body: { ...ranking2026, period: '2024-Q1' },
    });
    expect([older.status, newer.status]).toEqual([201, 201]);
    const made = [older.body as Publication, newer.body as Publication];
    for (const publication of made) {
      expect(sentFor(publication.publicationId)).toHaveLength(0);
      expect(await marker(publication)).not.toBeNull();
    }

    try {
      // Too young: the request that made them may still be announcing them.
      expect(await announcePending(allDeps())).toEqual({ found: 0, announced: 0, left: 0, error: null });

      configureDeps({ clock: later });
      // Still down: the sweep stops at the first failure and keeps both; the worker fails loudly.
      const down = await announcePending(allDeps());
      expect(down).toMatchObject({ found: 2, announced: 0, left: 2 });
      expect(down.error).toBeInstanceOf(Error);
      await expect(announceWorker({ 'detail-type': 'Scheduled Event', detail: {} })).rejects.toThrow(
        /could not be announced/,
      );
      expect(await marker(made[0] as Publication)).not.toBeNull();

      seeded.events.state.failing = false;
      const before = seeded.events.published.length;
      await announceWorker({ 'detail-type': 'Scheduled Event', detail: {} });
      // Oldest first, with exactly the detail the request would have sent.
      expect(seeded.events.published.slice(before)).toEqual(
        made.map((publication) => ({
          type: eventTypes.scoresPublished,
          detail: {
            publicationId: publication.publicationId,
            templateId: checklist,
            period: publication.period,
            parentId: 'P',
            kind: 'commune',
            hash: publication.hash,
            rowCount: publication.rowCount,
            supersedes: publication.supersedes,
            createdAt: publication.createdAt,
          },
        })),
      );
      for (const publication of made) {
        expect(sentFor(publication.publicationId)).toHaveLength(1);
        expect(await marker(publication)).toBeNull();
        const header = await seeded.store.get(publicationKey(publication.publicationId), true);
        expect(header?.eventPublished).toBe(true);
      }

      // Announced publications (by the sweeper or by their request) are never sent again.
      const count = seeded.events.published.length;
      expect(await announcePending(allDeps())).toEqual({ found: 0, announced: 0, left: 0, error: null });
      expect(seeded.events.published).toHaveLength(count);
      expect(await marker(first)).toBeNull();
      expect(sentFor(first.publicationId)).toHaveLength(1);
    } finally {
      seeded.events.state.failing = false;
      configureDeps({ clock: systemClock });
    }
  });
});
