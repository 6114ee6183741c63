/**
 * Only shared/adapters talks to AWS: no other file under shared/ or functions/ imports an
 * `@aws-sdk/*` package (types included), so the call log in shared/adapters/clients.ts sees every
 * DynamoDB and S3 call a route or worker can make.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

function sourceFiles(directory: string): string[] {
  return readdirSync(join(root, directory), { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx|mts|js|mjs)$/.test(entry.name) ? [path] : [];
  });
}

// Static imports, re-exports, `import type`, dynamic import() and require() of the SDK.
const sdkImport = /(?:from\s*|import\s*\(\s*|require\s*\(\s*|import\s+)['"]@aws-sdk\//;

describe('AWS SDK imports', () => {
  it('appear only under shared/adapters among shared/ and functions/', () => {
    const files = [...sourceFiles('shared'), ...sourceFiles('functions')];
    expect(files.length).toBeGreaterThan(50);
    const offenders = files
      .filter((file) => !file.startsWith(join('shared', 'adapters')))
      .filter((file) => sdkImport.test(readFileSync(join(root, file), 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('are found by the pattern in every form an import can take', () => {
    for (const line of [
      "import { S3Client } from '@aws-sdk/client-s3';",
      "import type { S3Client } from '@aws-sdk/client-s3';",
      "export { GetCommand } from '@aws-sdk/lib-dynamodb';",
      "const sdk = await import('@aws-sdk/client-s3');",
      "import '@aws-sdk/client-s3';",
    ]) {
      expect(sdkImport.test(line), line).toBe(true);
    }
  });
});
