/**
 * Writes docs/openapi.json from the code (`npm run openapi`). The committed file is what people
 * and tools read without running anything; tests/unit/openapi/document.test.ts fails when it
 * differs from a fresh build.
 */
import { writeFileSync } from 'node:fs';
import { openApiJson } from '#openapi/serialize.ts';

const target = new URL('../docs/openapi.json', import.meta.url);
writeFileSync(target, openApiJson());
console.log(`Wrote ${target.pathname}`);
