/**
 * Seeds the demo data through the provisioning path that `npm run provision` runs against AWS
 * (shared/app/provision.ts: the units CSV, the reference checklist), so what is stored is what
 * a real province gets. Runs once per data folder: the reference template being there means a
 * previous start finished seeding, and it is the last thing seeded, so a start interrupted
 * midway seeds again (rows equal to what is stored are no-ops), while later edits made through
 * the API are kept across restarts.
 */
import { readFileSync } from 'node:fs';
import { allDeps } from '#adapters/all-parts.ts';
import { provision } from '#app/provision.ts';
import { parseUnitFile } from '#app/unit-import.ts';
import { demoTemplateId, demoUnitsFile, referenceTemplateUrl } from './demo-data.ts';

export type SeedOutcome = 'seeded' | 'already-seeded';

/** Seeding failed: the demo data was refused, which is a defect to report, not a machine problem. */
export class SeedError extends Error {}

export async function seedDemoData(): Promise<SeedOutcome> {
  const store = allDeps();
  if (await store.templates.getLatestTemplate(demoTemplateId, true)) return 'already-seeded';
  const report = await provision(store, null, {
    actor: 'local-seed',
    units: parseUnitFile(readFileSync(demoUnitsFile)),
    template: {
      templateId: demoTemplateId,
      document: JSON.parse(readFileSync(referenceTemplateUrl, 'utf8')),
    },
  });
  if (report.units.refused.length > 0) {
    const [first] = report.units.refused;
    throw new SeedError(
      `seeding the demo data failed: ${report.units.refused.length} row(s) refused, the first row ${first?.row}: ${first?.reason.en}`,
    );
  }
  return 'seeded';
}
