import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allDeps } from '#adapters/all-parts.ts';
import { people, referenceTemplate, seedProvince, startApi, templateId } from '#tests/support/api.ts';
import { invoke } from '#tests/support/invoke.ts';

let api: Awaited<ReturnType<typeof startApi>>;

beforeAll(async () => {
  api = await startApi('units');
  await seedProvince();
});
afterAll(async () => {
  await api.close();
});

type Template = {
  version: number;
  title: { vi: string };
  sections: Array<{ items: Array<{ code: string; maxPoints: number }> }>;
};

describe('units', () => {
  it('lists the caller root, then children by kind, each with its path', async () => {
    const roots = await invoke('listUnits', { as: people.manager });
    expect((roots.body as { items: Array<{ unitId: string }> }).items.map((u) => u.unitId)).toEqual(['NA']);
    const wards = await invoke('listUnits', { query: { parentId: 'NA', kind: 'ward' }, as: people.manager });
    expect((wards.body as { items: Array<{ unitId: string }> }).items.map((u) => u.unitId).sort()).toEqual([
      'W1',
      'W2',
    ]);
    const page = await invoke('listUnits', { query: { parentId: 'NA', limit: '2' }, as: people.manager });
    expect((page.body as { items: unknown[]; nextCursor: string | null }).items).toHaveLength(2);
    const next = await invoke('listUnits', {
      query: { parentId: 'NA', limit: '2', cursor: (page.body as { nextCursor: string }).nextCursor },
      as: people.manager,
    });
    expect((next.body as { items: unknown[] }).items).toHaveLength(1);
    // A cursor belongs to its query: reused with other filters it is refused, not a 500.
    const foreign = await invoke('listUnits', {
      query: { parentId: 'NA', kind: 'ward', cursor: (page.body as { nextCursor: string }).nextCursor },
      as: people.manager,
    });
    expect([foreign.status, (foreign.body as { code: string }).code]).toEqual([422, 'validation_failed']);
    const ward = await invoke('getUnit', { params: { unitId: 'W1' }, as: people.inspector });
    expect(ward.body).toMatchObject({ unitId: 'W1', path: ['NA', 'W1'], code: '16690', kind: 'ward' });
  });

  it('keeps other branches out of a ward manager scope (404), and refuses a bad limit (422)', async () => {
    expect((await invoke('getUnit', { params: { unitId: 'W2' }, as: people.wardManager })).status).toBe(404);
    expect((await invoke('getUnit', { params: { unitId: 'W1' }, as: people.wardManager })).status).toBe(200);
    expect(
      (await invoke('listUnits', { query: { parentId: 'NA', limit: '0' }, as: people.manager })).status,
    ).toBe(422);
    expect(
      (await invoke('listUnits', { query: { parentId: 'NA', cursor: 'garbage' }, as: people.manager }))
        .status,
    ).toBe(422);
  });

  it('replays an identical PUT, records abolition with If-Match, and audits both changes', async () => {
    const body = { name: 'Xã Hưng Nguyên', kind: 'commune', parentId: 'NA', code: '17950' };
    const created = await invoke('putUnit', { params: { unitId: 'C9' }, body, as: people.admin });
    const replay = await invoke('putUnit', { params: { unitId: 'C9' }, body, as: people.admin });
    expect([created.status, replay.status, replay.etag]).toEqual([201, 200, created.etag]);
    const abolished = await invoke('putUnit', {
      params: { unitId: 'C9' },
      body: { ...body, abolishedOn: '2025-07-01' },
      headers: { 'if-match': `"${created.etag}"` },
      as: people.admin,
    });
    expect(abolished.status).toBe(200);
    expect(abolished.body).toMatchObject({ abolishedOn: '2025-07-01' });
    const history = await allDeps().visits.history({ type: 'unit', id: 'C9' });
    expect(history.map((entry) => [entry.action, entry.actor])).toEqual([
      ['create', 'admin-1'],
      ['update', 'admin-1'],
    ]);
  });

  it('refuses a parent that does not exist (422 unknown_reference) and a second root (403)', async () => {
    const orphan = await invoke('putUnit', {
      params: { unitId: 'X' },
      body: { name: 'X', kind: 'ward', parentId: 'NOPE' },
      as: people.admin,
    });
    expect([orphan.status, (orphan.body as { code: string }).code]).toEqual([422, 'unknown_reference']);
    const root = await invoke('putUnit', {
      params: { unitId: 'HT' },
      body: { name: 'Hà Tĩnh', kind: 'province', parentId: null },
      as: people.admin,
    });
    expect(root.status).toBe(403);
  });
});

describe('templates', () => {
  it('answers the latest version again for an equal body, and publishes a changed one as the next version', async () => {
    const same = await invoke('publishTemplateVersion', {
      params: { templateId },
      body: referenceTemplate,
      as: people.admin,
    });
    expect([same.status, (same.body as Template).version]).toEqual([200, 1]);

    const changed = structuredClone(referenceTemplate) as Template;
    changed.title.vi = 'Phiếu kiểm tra Bộ phận Một cửa (sửa đổi)';
    const headers = { 'idempotency-key': 'publish-v2-once' };
    const first = await invoke('publishTemplateVersion', {
      params: { templateId },
      body: changed,
      headers,
      as: people.admin,
    });
    const retry = await invoke('publishTemplateVersion', {
      params: { templateId },
      body: changed,
      headers,
      as: people.admin,
    });
    expect([first.status, (first.body as Template).version]).toEqual([201, 2]);
    expect([retry.status, retry.body]).toEqual([201, first.body]);
    const reused = await invoke('publishTemplateVersion', {
      params: { templateId },
      body: referenceTemplate,
      headers,
      as: people.admin,
    });
    expect(reused.status).toBe(409);

    const v1 = await invoke('getTemplateVersion', {
      params: { templateId, version: '1' },
      as: people.inspector,
    });
    const latest = await invoke('getTemplateVersion', {
      params: { templateId, version: 'latest' },
      as: people.inspector,
    });
    expect((v1.body as Template).title.vi).toBe((referenceTemplate as Template).title.vi);
    expect((latest.body as Template).version).toBe(2);
    const list = await invoke('listTemplates', { as: people.inspector });
    expect((list.body as { items: Template[] }).items.map((t) => t.version)).toEqual([2]);
  });

  it('reports every problem of an invalid template at once, with paths, and publishes nothing', async () => {
    const broken = structuredClone(referenceTemplate) as Template;
    const [first, second] = broken.sections;
    if (!first || !second) throw new Error('the reference template has sections');
    const [a1, a2] = first.items;
    if (!a1 || !a2) throw new Error('section A has items');
    a2.code = a1.code;
    a1.maxPoints = 0;
    second.items = [];
    const response = await invoke('publishTemplateVersion', {
      params: { templateId: 'broken-one' },
      body: broken,
      as: people.admin,
    });
    expect(response.status).toBe(422);
    const paths = (response.body as { errors: Array<{ path: string }> }).errors.map((e) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining(['sections.0.items.0.maxPoints', 'sections.0.items.1.code', 'sections.1.items']),
    );
    expect(
      (
        await invoke('getTemplateVersion', {
          params: { templateId: 'broken-one', version: 'latest' },
          as: people.admin,
        })
      ).status,
    ).toBe(404);
  });
});
