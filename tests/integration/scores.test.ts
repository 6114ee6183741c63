import { beforeAll, describe, expect, it } from 'vitest';
import type { RankingRow } from '#domain/ranking.ts';
import { unitScore } from '#domain/scoring.ts';
import { invoke } from '#tests/support/invoke.ts';
import {
  checklist,
  expectedRanking,
  seededStorage,
  seedPeerGroup,
  staff,
} from '#tests/support/peer-group.ts';

const admin = staff('admin-1', 'admin', 'P');
const manager = staff('manager-p', 'manager', 'P');
const communeManager = staff('manager-c01', 'manager', 'C01');
const inspector = staff('inspector-1', 'inspector', 'P');
const ranking2026 = { templateId: checklist, period: '2026', parentId: 'P', kind: 'commune' };

beforeAll(async () => {
  const seeded = await seededStorage('scores');
  await seedPeerGroup(seeded);
});

describe('GET /v1/scores', () => {
  it('ranks the peer group: ties share a rank, abolished units left out, unscored units last', async () => {
    const res = await invoke('getScores', { as: manager, query: ranking2026 });
    expect(res.status).toBe(200);
    const body = res.body as { items: RankingRow[]; nextCursor: null };
    expect(body.nextCursor).toBeNull();
    expect(body.items.map((row) => [row.unitId, row.rank, row.score, row.band?.code ?? null])).toEqual(
      expectedRanking,
    );
  });

  it('lists every section of the latest template version, and bands with their labels', async () => {
    const res = await invoke('getScores', { as: admin, query: ranking2026 });
    const rows = (res.body as { items: RankingRow[] }).items;
    expect(rows[0]).toEqual({
      unitId: 'C01',
      code: '30001',
      name: 'Xã Đông Hòa',
      score: 91,
      rank: 1,
      band: { code: 'XS', label: { vi: 'Xuất sắc', en: 'Excellent' } },
      visitCount: 1,
      sections: [
        { code: 'A', percent: 95 },
        { code: 'B', percent: 87 },
        { code: 'C', percent: null },
      ],
    });
    const unscored = rows.find((row) => row.unitId === 'C07');
    expect(unscored).toEqual({
      unitId: 'C07',
      code: null,
      name: 'Xã Đá Bạc',
      score: null,
      rank: null,
      band: null,
      visitCount: 0,
      sections: [
        { code: 'A', percent: null },
        { code: 'B', percent: null },
        { code: 'C', percent: null },
      ],
    });
  });

  it('leaves out units abolished before the period began (C06 for 2026-Q2)', async () => {
    const res = await invoke('getScores', { as: manager, query: { ...ranking2026, period: '2026-Q2' } });
    const rows = (res.body as { items: RankingRow[] }).items;
    expect(rows.map((row) => row.unitId)).toEqual(['C02', 'C03', 'C08', 'C04', 'C09', 'C07', 'C01']);
    expect(rows.slice(0, 2).map((row) => row.rank)).toEqual([1, 1]);
  });

  it('answers 404 outside the jurisdiction or for an unknown template, 403 to inspectors, 422 without all four', async () => {
    expect((await invoke('getScores', { as: communeManager, query: ranking2026 })).status).toBe(404);
    expect(
      (await invoke('getScores', { as: manager, query: { ...ranking2026, templateId: 'khong-co' } })).status,
    ).toBe(404);
    expect((await invoke('getScores', { as: inspector, query: ranking2026 })).status).toBe(403);
    const { kind: _kind, ...withoutKind } = ranking2026;
    const missing = await invoke('getScores', { as: manager, query: withoutKind });
    expect(missing.status).toBe(422);
    expect(missing.body).toMatchObject({ code: 'validation_failed', errors: [{ path: 'kind' }] });
    expect(
      (await invoke('getScores', { as: manager, query: { ...ranking2026, kind: 'village' } })).status,
    ).toBe(422);
  });
});

describe('GET /v1/units/{unitId}/scores', () => {
  it('gives the score with its band, sections and the visits behind it (a revoked one no longer counts)', async () => {
    const res = await invoke('getUnitScores', {
      as: manager,
      params: { unitId: 'C09' },
      query: { templateId: checklist, period: '2026' },
    });
    expect(res.status).toBe(200);
    const body = res.body as {
      score: number;
      band: { code: string };
      sections: unknown[];
      visits: Array<{
        score: number;
        sections: Array<{ code: string; percent: number | null }>;
        startedAt: string;
      }>;
    };
    expect(body).toMatchObject({ unitId: 'C09', templateId: checklist, period: '2026', score: 82.78 });
    expect(body.band.code).toBe('TOT');
    expect(body.sections).toEqual([
      { code: 'A', percent: 82.75 },
      { code: 'B', percent: 80 },
      { code: 'C', percent: null },
    ]);
    expect(body.visits.map((v) => v.score)).toEqual([80, 85.55]);
    // Every number traces to its evidence: the unit score is the domain's mean of these visits.
    expect(unitScore(body.visits)?.score).toBe(body.score);
  });

  it('answers score null and no visits without an approved visit, including when all were revoked', async () => {
    for (const unitId of ['C07', 'C08']) {
      const res = await invoke('getUnitScores', {
        as: admin,
        params: { unitId },
        query: { templateId: checklist, period: '2026' },
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ unitId, score: null, band: null, visits: [] });
    }
  });

  it('answers 404 outside the jurisdiction and 403 to inspectors', async () => {
    const query = { templateId: checklist, period: '2026' };
    expect(
      (await invoke('getUnitScores', { as: communeManager, params: { unitId: 'C01' }, query })).status,
    ).toBe(200);
    expect(
      (await invoke('getUnitScores', { as: communeManager, params: { unitId: 'C02' }, query })).status,
    ).toBe(404);
    expect((await invoke('getUnitScores', { as: inspector, params: { unitId: 'C01' }, query })).status).toBe(
      403,
    );
    expect(
      (await invoke('getUnitScores', { as: manager, params: { unitId: 'C01' }, query: { period: '2026' } }))
        .status,
    ).toBe(422);
  });
});
