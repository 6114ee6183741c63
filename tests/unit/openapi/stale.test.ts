import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openApiJson } from '#openapi/serialize.ts';

describe('docs/openapi.json', () => {
  it('is what the code generates now', () => {
    const committed = readFileSync(new URL('../../../docs/openapi.json', import.meta.url), 'utf8');
    // A plain equality check first: a diff of two 300 KB strings is slow and unreadable.
    const fresh = openApiJson();
    if (committed !== fresh) {
      expect.fail('docs/openapi.json is stale: run npm run openapi and commit the result');
    }
  });
});
