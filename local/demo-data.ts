/**
 * The demo data of local mode: Nghệ An province with wards and communes as they are since the
 * 2025 reform (two-tier local government), from the same CSV form `npm run provision` imports
 * (shared/seed/units-nghe-an.csv; its `code_checked` column marks the codes that are
 * placeholders, to be replaced by those of Decision 19/2025/QĐ-TTg), and the reference checklist.
 */
import { readFileSync } from 'node:fs';
import { parseUnitFile } from '#app/unit-import.ts';

export const demoProvinceId = 'nghe-an';
export const demoTemplateId = 'one-stop-counter';

/** The demo province's units, as an office's CSV (UTF-8 with a BOM, as Excel saves it). */
export const demoUnitsFile = new URL('../shared/seed/units-nghe-an.csv', import.meta.url);

/** The demo units, root first. */
export const demoUnits = parseUnitFile(readFileSync(demoUnitsFile)).rows;

/** The reference template file, published as version 1 of `one-stop-counter`. */
export const referenceTemplateUrl = new URL('../shared/seed/one-stop-counter.template.json', import.meta.url);
