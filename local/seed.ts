/**
 * Seeds the demo data through the API itself (the dispatcher, an admin token, the real
 * handlers), so what is stored is exactly what the API would write. Runs once per data folder:
 * the reference template being there means a previous start finished seeding, and it is the
 * last thing seeded, so a start interrupted midway seeds again (unit PUTs of equal bodies are
 * no-ops).
 */
import { readFileSync } from 'node:fs';
import { demoProvinceId, demoTemplateId, demoUnits, referenceTemplateUrl } from './demo-data.ts';
import type { Dispatch, LocalResponse } from './dispatch.ts';
import type { TokenAuthority } from './tokens.ts';

export type SeedOutcome = 'seeded' | 'already-seeded';

/** Seeding failed: a handler refused the demo data, which is a defect to report, not a machine problem. */
export class SeedError extends Error {}

export async function seedDemoData(dispatch: Dispatch, tokens: TokenAuthority): Promise<SeedOutcome> {
  const token = await tokens.sign({
    role: 'admin',
    unitId: demoProvinceId,
    sub: 'local-seed',
    name: 'npm start',
  });
  const call = (method: string, url: string, body?: unknown) =>
    dispatch({
      method,
      url,
      headers: {
        authorization: `Bearer ${token}`,
        'user-agent': 'par-inspect-local-seed',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : Buffer.from(JSON.stringify(body)),
    });

  const existing = await call('GET', `/v1/templates/${demoTemplateId}/versions/latest`);
  if (existing.status === 200) return 'already-seeded';
  if (existing.status !== 404) fail('GET', `/v1/templates/${demoTemplateId}/versions/latest`, existing);

  for (const unit of demoUnits) {
    const url = `/v1/units/${encodeURIComponent(unit.unitId)}`;
    const response = await call('PUT', url, unit.body);
    if (response.status !== 201 && response.status !== 200) fail('PUT', url, response);
  }
  const template: unknown = JSON.parse(readFileSync(referenceTemplateUrl, 'utf8'));
  const url = `/v1/templates/${demoTemplateId}/versions`;
  const published = await call('POST', url, template);
  if (published.status !== 201 && published.status !== 200) fail('POST', url, published);
  return 'seeded';
}

function fail(method: string, url: string, response: LocalResponse): never {
  const body = response.body.toString('utf8').slice(0, 500);
  throw new SeedError(`seeding the demo data failed: ${method} ${url} answered ${response.status} ${body}`);
}
