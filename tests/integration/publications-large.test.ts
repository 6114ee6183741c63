import { createHash } from 'node:crypto';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import canonicalize from 'canonicalize';
import { beforeAll, describe, expect, it } from 'vitest';
import { compareDecimal } from '#domain/decimal.ts';
import type { RankingRow } from '#domain/ranking.ts';
import type { UnitRecord } from '#ports/records.ts';
import { invoke } from '#tests/support/invoke.ts';
import {
  bands,
  batchWrite,
  publishTemplate,
  type Seeded,
  scoreItem,
  seededStorage,
  staff,
  template,
  unit,
  unitItem,
  unitScoreRecord,
} from '#tests/support/peer-group.ts';

// The country after 2025: about 3,300 communes and wards, here in one peer group.
const unitCount = 3_300;
const unscoredEvery = 11;
const sections = ['A', 'B', 'C', 'D', 'E', 'F', 'G'];
const admin = staff('admin-1', 'admin', 'VN');
const query = { templateId: 'national', period: '2026', parentId: 'VN', kind: 'commune' };

let seeded: Seeded;

beforeAll(async () => {
  seeded = await seededStorage('publications-large');
  const country = unit('VN', 'Việt Nam', 'province', null);
  const communes: UnitRecord[] = [];
  for (let n = 0; n < unitCount; n++) {
    const id = `X${String(n).padStart(5, '0')}`;
    communes.push(unit(id, `Xã Thử Nghiệm Số ${n % 977}`, 'commune', country, { code: String(10_000 + n) }));
  }
  // Scores with many ties (only 400 distinct values), every 11th unit without a score.
  const scores = communes
    .filter((_, n) => n % unscoredEvery !== 0)
    .map((u, n) =>
      unitScoreRecord(
        u,
        query.templateId,
        query.period,
        50 + (n % 400) / 10,
        sections.map((code, i) => ({ code, percent: (n + i) % 3 === 0 ? null : 60 + ((n * 7 + i) % 40) })),
        [],
      ),
    );
  await batchWrite(
    seeded.store,
    [unitItem(country), ...communes.map(unitItem), ...scores.map(scoreItem)],
    12,
  );
  await publishTemplate(seeded, template(query.templateId, 1, sections, bands));
}, 60_000);

describe('a 3,300-unit peer group', () => {
  let rows: RankingRow[];

  it('is ranked in one answer: every unit, ties sharing a rank, unscored units last', async () => {
    const res = await invoke('getScores', { as: admin, query });
    expect(res.status).toBe(200);
    rows = (res.body as { items: RankingRow[] }).items;
    expect(rows).toHaveLength(unitCount);
    const scored = rows.filter((row) => row.score !== null);
    expect(scored).toHaveLength(unitCount - Math.ceil(unitCount / unscoredEvery));
    expect(rows.slice(scored.length).every((row) => row.score === null && row.rank === null)).toBe(true);
    // rank = 1 + the number of peers with a strictly higher score.
    const scoresDescending = scored.map((row) => row.score ?? 0);
    let higher = 0;
    scored.forEach((row, index) => {
      while (higher < index && compareDecimal(scoresDescending[higher] ?? 0, row.score ?? 0) > 0) higher++;
      expect(row.rank).toBe(higher + 1);
    });
  });

  it('is published with its rows in chunks under the item size limit, and read back whole', async () => {
    const made = await invoke('createPublication', { as: admin, body: query });
    expect(made.status).toBe(201);
    const publication = made.body as {
      publicationId: string;
      rows: RankingRow[];
      hash: string;
      rowCount: number;
    };
    expect(publication.rowCount).toBe(unitCount);
    expect(publication.rows).toEqual(rows);

    const chunks = await seeded.documents.send(
      new QueryCommand({
        TableName: seeded.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :rows)',
        ExpressionAttributeValues: { ':pk': `PUBLICATION#${publication.publicationId}`, ':rows': 'ROWS#' },
      }),
    );
    const sizes = (chunks.Items ?? []).map((item) => Buffer.byteLength(JSON.stringify(item), 'utf8'));
    expect(sizes.length).toBeGreaterThan(1);
    expect(Math.max(...sizes)).toBeLessThan(350_000);

    const read = await invoke('getPublication', {
      as: { sub: 'ranking-client', roles: ['ranking'], unitId: null },
      params: { publicationId: publication.publicationId },
    });
    const fetched = read.body as { rows: RankingRow[]; hash: string };
    expect(fetched.rows).toEqual(rows);
    const recomputed = createHash('sha256')
      .update(canonicalize(fetched.rows) ?? '', 'utf8')
      .digest('hex');
    expect(recomputed).toBe(fetched.hash);

    const csv = await invoke('getPublication', {
      as: admin,
      params: { publicationId: publication.publicationId },
      headers: { accept: 'text/csv' },
    });
    const lines = String(csv.body).split('\r\n').filter(Boolean);
    expect(lines).toHaveLength(1 + unitCount);
  });
});
