import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allDeps } from '#adapters/all-parts.ts';
import {
  addPhoto,
  jpegBytes,
  people,
  seedProvince,
  startApi,
  submittedVisit,
  visitBody,
} from '#tests/support/api.ts';
import { invoke } from '#tests/support/invoke.ts';

let api: Awaited<ReturnType<typeof startApi>>;

beforeAll(async () => {
  api = await startApi('flow');
  await seedProvince();
});
afterAll(async () => {
  await api.close();
});

describe('a whole inspection, through the real handlers', () => {
  it('goes from a draft with photos to an approved visit with findings and a unit score', async () => {
    const visitId = randomUUID();
    const created = await invoke('putVisit', {
      params: { visitId },
      body: visitBody(),
      as: people.inspector,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ visitId, status: 'draft', unitId: 'W1', score: null });
    expect(created.etag).toBe((created.body as { etag: string }).etag);

    // Required photos (B1, D1) go straight to S3 with the presigned form; the verifier settles them.
    for (const itemCode of ['B1', 'D1']) {
      const photo = await addPhoto(visitId, itemCode, jpegBytes(4096));
      expect(photo.status).toBe('verified');
    }

    const submitted = await invoke('submitVisit', { params: { visitId }, as: people.inspector });
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(200);
    const visit = submitted.body as {
      status: string;
      score: number;
      sections: Array<{ code: string; percent: number | null }>;
    };
    expect(visit.status).toBe('submitted');
    // 100 points minus C2 (2), C3 (3 x 2/4 = 1.5 lost), E1 92% (band 0.5 of 6: 3 lost), F1 60/80 (1 lost).
    expect(visit.score).toBe(92.5);
    expect(visit.sections.find((s) => s.code === 'C')?.percent).toBe(65);

    const approved = await invoke('reviewVisit', {
      params: { visitId },
      body: { decision: 'approve', comment: 'Đạt yêu cầu' },
      as: people.manager,
    });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(approved.body).toMatchObject({
      status: 'approved',
      review: { decision: 'approve', by: 'manager-1' },
    });

    const findings = await allDeps().findings.listVisitFindings(visitId);
    expect(findings.map((f) => f.itemCode).sort()).toEqual(['C2', 'C3', 'E1', 'F1']);
    expect(findings.every((f) => f.status === 'open' && f.unitId === 'W1')).toBe(true);

    const yearScore = await allDeps().scores.getUnitScore('W1', 'one-stop-counter', '2026', true);
    const quarterScore = await allDeps().scores.getUnitScore('W1', 'one-stop-counter', '2026-Q2', true);
    expect(yearScore).toMatchObject({ score: 92.5, visitCount: 1, parentId: 'NA', kind: 'ward' });
    expect(quarterScore?.visits.map((v) => v.visitId)).toEqual([visitId]);

    const read = await invoke('getVisit', { params: { visitId }, as: people.manager });
    const body = read.body as {
      history: Array<{ action: string }>;
      photos: Array<{ status: string }>;
      review: unknown;
    };
    expect(body.history.map((entry) => entry.action)).toEqual(['create', 'submit', 'approve']);
    expect(body.photos.map((photo) => photo.status)).toEqual(['verified', 'verified']);
    expect(body.review).toMatchObject({ decision: 'approve', comment: 'Đạt yêu cầu' });

    // Revoking takes it out of the scores and dismisses its open findings.
    const revoked = await invoke('revokeVisit', {
      params: { visitId },
      body: { reason: 'Sai đơn vị' },
      as: people.admin,
    });
    expect(revoked.status, JSON.stringify(revoked.body)).toBe(200);
    expect((await allDeps().scores.getUnitScore('W1', 'one-stop-counter', '2026', true))?.score).toBeNull();
    const dismissed = await allDeps().findings.listVisitFindings(visitId);
    expect(dismissed.every((f) => f.status === 'dismissed' && f.reason === 'Sai đơn vị')).toBe(true);
  });

  it('makes one visit from 20 concurrent identical PUTs', async () => {
    const visitId = randomUUID();
    const body = visitBody({ unitId: 'W2' });
    const responses = await Promise.all(
      Array.from({ length: 20 }, () =>
        invoke('putVisit', { params: { visitId }, body, as: people.inspector }),
      ),
    );
    expect(responses.filter((r) => r.status === 201)).toHaveLength(1);
    expect(responses.filter((r) => r.status === 200)).toHaveLength(19);
    expect(new Set(responses.map((r) => r.etag)).size).toBe(1);
    const history = await allDeps().visits.history({ type: 'visit', id: visitId });
    expect(history.map((entry) => entry.action)).toEqual(['create']);
  });

  it('counts all of 20 concurrent approvals of different visits of one unit', async () => {
    const visits = [];
    for (let i = 0; i < 20; i++) {
      visits.push(
        await submittedVisit({
          unitId: 'C1',
          startedAt: `2026-08-${String(i + 1).padStart(2, '0')}T09:00:00+07:00`,
        }),
      );
    }
    // Each commit retries lost races for a bounded time (2.5 s), then answers 409 conflict,
    // which a client retries as API.md says: on a busy machine some need a second try.
    const approve = async (visitId: string) => {
      for (let attempt = 0; ; attempt++) {
        const response = await invoke('reviewVisit', {
          params: { visitId },
          body: { decision: 'approve' },
          as: people.manager,
        });
        if (response.status !== 409 || attempt >= 5) return response;
        expect((response.body as { code: string }).code).toBe('conflict');
      }
    };
    const responses = await Promise.all(visits.map(({ visitId }) => approve(visitId)));
    expect(responses.filter((r) => r.status !== 200).map((r) => JSON.stringify(r.body))).toEqual([]);
    const score = await allDeps().scores.getUnitScore('C1', 'one-stop-counter', '2026-Q3', true);
    expect(score?.visitCount).toBe(20);
    expect(new Set(score?.visits.map((v) => v.visitId))).toEqual(new Set(visits.map((v) => v.visitId)));
    expect(score?.score).toBe(92.5);
  }, 120_000);
});
