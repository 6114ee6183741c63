/**
 * What the inspection record needs from a visit (issue 17): the team and the unit's
 * representatives on the visit's PUT, and the requests (kiến nghị) on its approval. And who
 * acted on it: the display name from each actor's token, kept beside the sub when it was written.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { people, seedProvince, startApi, submittedVisit, visitBody } from '#tests/support/api.ts';
import { claimsFor, invoke } from '#tests/support/invoke.ts';

let api: Awaited<ReturnType<typeof startApi>>;

beforeAll(async () => {
  api = await startApi('people');
  await seedProvince();
});
afterAll(async () => {
  await api.close();
});

// Decomposed (NFD) on the way in, as some phone keyboards send it: stored as NFC.
const team = [
  { name: 'Nguyễn Văn An'.normalize('NFD'), position: 'Phó Giám đốc Sở Nội vụ', role: 'lead' },
  { name: 'Trần Thị Bình', position: 'Chuyên viên', role: 'member' },
];
const unitRepresentatives = [{ name: 'Lê Văn Cường', position: 'Chủ tịch UBND phường' }];

describe('the people of a visit', () => {
  it('stores the team and the unit representatives, in NFC, and a repeated PUT changes nothing', async () => {
    const visitId = randomUUID();
    const body = visitBody({ team, unitRepresentatives });
    const created = await invoke('putVisit', { params: { visitId }, body, as: people.inspector });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const stored = created.body as {
      team: Array<{ name: string }>;
      unitRepresentatives: unknown;
      etag: string;
    };
    expect(stored.team[0]?.name).toBe('Nguyễn Văn An'.normalize('NFC'));
    expect(stored.unitRepresentatives).toEqual(unitRepresentatives);

    const again = await invoke('putVisit', { params: { visitId }, body, as: people.inspector });
    expect(again.status).toBe(200);
    expect((again.body as { etag: string }).etag).toBe(stored.etag);

    // Leaving them out removes them, as for every optional part of a visit.
    const without = await invoke('putVisit', {
      params: { visitId },
      body: visitBody(),
      as: people.inspector,
      headers: { 'if-match': stored.etag },
    });
    expect(without.status).toBe(200);
    expect(without.body).not.toHaveProperty('team');
    expect(without.body).not.toHaveProperty('unitRepresentatives');
  });

  it('refuses two leads, a missing position and an unknown role (422)', async () => {
    for (const bad of [
      { team: [team[0], { ...team[1], role: 'lead' }] },
      { team: [{ name: 'Trần Thị Bình', role: 'member' }] },
      { team: [{ ...team[1], role: 'chair' }] },
      { unitRepresentatives: [{ name: 'Lê Văn Cường' }] },
    ]) {
      const res = await invoke('putVisit', {
        params: { visitId: randomUUID() },
        body: visitBody(bad),
        as: people.inspector,
      });
      expect(res.status, JSON.stringify(bad)).toBe(422);
      expect(res.body).toMatchObject({ code: 'validation_failed' });
    }
  });
});

describe('requests on approval', () => {
  it('keeps the approval’s requests on its review', async () => {
    const { visitId } = await submittedVisit();
    const requests = ['Bố trí thêm ghế chờ cho người dân', 'Niêm yết đầy đủ thủ tục hành chính'];
    const approved = await invoke('reviewVisit', {
      params: { visitId },
      body: { decision: 'approve', comment: 'Đạt yêu cầu', requests },
      as: people.manager,
    });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(approved.body).toMatchObject({ status: 'approved', review: { decision: 'approve', requests } });
  });

  it('refuses requests with a return (422) and leaves the visit submitted', async () => {
    const { visitId } = await submittedVisit();
    const res = await invoke('reviewVisit', {
      params: { visitId },
      body: { decision: 'return', comment: 'Bổ sung ảnh', requests: ['Bổ sung'] },
      as: people.manager,
    });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 'validation_failed', errors: [{ path: 'requests' }] });
    const read = await invoke('getVisit', { params: { visitId }, as: people.manager });
    expect(read.body).toMatchObject({ status: 'submitted' });
  });
});

describe('the names of the people who acted', () => {
  const history = (body: unknown) =>
    (body as { history: Array<{ action: string; by: string; byName: string | null }> }).history.map(
      (entry) => [entry.action, entry.by, entry.byName],
    );

  it('answers the reviewing manager’s name with the review, the history and the findings', async () => {
    const { visitId } = await submittedVisit();
    const approved = await invoke('reviewVisit', {
      params: { visitId },
      body: { decision: 'approve' },
      as: people.manager,
    });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);

    // Read back by someone else (an admin), from the store, not from the review's own answer.
    const read = await invoke('getVisit', { params: { visitId }, as: people.admin });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({
      review: { decision: 'approve', by: people.manager.sub, byName: people.manager.name },
      pendingApproval: null,
      revocation: null,
    });
    expect(history(read.body)).toEqual(
      expect.arrayContaining([
        ['submit', people.inspector.sub, people.inspector.name],
        ['approve', people.manager.sub, people.manager.name],
      ]),
    );

    const findings = await invoke('listFindings', { as: people.admin, query: { unitId: 'W1' } });
    const mine = (
      findings.body as { items: Array<{ visitId: string; inspectorName: string | null }> }
    ).items.filter((finding) => finding.visitId === visitId);
    expect(mine.length).toBeGreaterThan(0);
    for (const finding of mine) expect(finding.inspectorName).toBe(people.inspector.name);

    const revoked = await invoke('revokeVisit', {
      params: { visitId },
      body: { reason: 'Số liệu không đúng' },
      as: people.admin,
    });
    expect(revoked.status, JSON.stringify(revoked.body)).toBe(200);
    expect(revoked.body).toMatchObject({ revocation: { by: people.admin.sub, byName: people.admin.name } });
    expect(history(revoked.body)).toContainEqual(['revoke', people.admin.sub, people.admin.name]);
  });

  it('answers null where the manager’s token carried no name', async () => {
    const { visitId } = await submittedVisit();
    const { name: _name, ...nameless } = claimsFor(people.manager);
    const returned = await invoke('reviewVisit', {
      params: { visitId },
      body: { decision: 'return', comment: 'Bổ sung ảnh' },
      claims: nameless,
    });
    expect(returned.status, JSON.stringify(returned.body)).toBe(200);
    const read = await invoke('getVisit', { params: { visitId }, as: people.admin });
    expect(read.body).toMatchObject({ review: { decision: 'return', by: people.manager.sub, byName: null } });
    expect(history(read.body)).toContainEqual(['return', people.manager.sub, null]);
  });
});
