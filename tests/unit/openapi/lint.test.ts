import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../../', import.meta.url));

/** What `redocly lint --format=json` prints, as far as this test reads it. */
const lintReport = z.looseObject({
  totals: z.object({ errors: z.number(), warnings: z.number(), ignored: z.number() }),
  problems: z.array(
    z.looseObject({
      ruleId: z.string(),
      severity: z.string(),
      message: z.string(),
      location: z.array(z.looseObject({ pointer: z.string().optional() })).optional(),
    }),
  ),
});

describe('redocly lint', () => {
  it('finds no error and no warning in docs/openapi.json', { timeout: 30_000 }, async () => {
    // The CLI's own entry, run by the Node running the tests, with built-in rules only
    // (shared/openapi/redocly.yaml) and telemetry and update checks off: nothing leaves the machine.
    const { stdout } = await run(
      process.execPath,
      [
        'node_modules/@redocly/cli/bin/cli.js',
        'lint',
        'docs/openapi.json',
        '--config',
        'shared/openapi/redocly.yaml',
        '--format=json',
      ],
      {
        cwd: root,
        timeout: 25_000,
        maxBuffer: 16 * 1024 * 1024,
        env: {
          ...process.env,
          REDOCLY_TELEMETRY: 'off',
          REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true',
          REDOCLY_SUPPRESS_NOTIFICATIONS: 'true',
          NO_COLOR: '1',
        },
      },
    ).catch((error: unknown) => {
      // redocly exits 1 when it finds errors; its report is still on stdout.
      const failed = z.object({ stdout: z.string(), stderr: z.string() }).safeParse(error);
      if (failed.success && failed.data.stdout.includes('"totals"')) return failed.data;
      throw error;
    });
    const report = lintReport.parse(JSON.parse(stdout.slice(stdout.indexOf('{'))));
    const problems = report.problems.map(
      (p) => `${p.severity} ${p.ruleId} at ${p.location?.[0]?.pointer ?? '?'}: ${p.message}`,
    );
    expect(problems).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
  });
});
