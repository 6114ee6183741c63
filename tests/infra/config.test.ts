/**
 * The configuration fails closed: without the ranking system's endpoint a synth or deploy
 * refuses with one line naming the setting, unless `-c demo=true` asks for a deployment that
 * delivers nowhere. Checked on readConfig and on the real CLI (`cdk synth`), which is what a
 * deployer runs.
 */
import { spawnSync } from 'node:child_process';
import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { ConfigError, configDefaults, readConfig } from '#infra/config.ts';

const configOf = (context: Record<string, unknown>) => readConfig(new App({ context }).node);

describe('deployment settings', () => {
  it('refuses a configuration without rankingEndpoint, naming the setting and the way out', () => {
    expect(() => configOf({})).toThrow(ConfigError);
    expect(() => configOf({ rankingEndpoint: '  ' })).toThrow(/^rankingEndpoint is not set: .*-c demo=true/);
  });

  it('takes a real endpoint, with or without demo, and the placeholder only with demo=true', () => {
    const endpoint = 'https://ranking.example.gov.vn/par-inspect/events';
    expect(configOf({ rankingEndpoint: endpoint })).toMatchObject({ rankingEndpoint: endpoint, demo: false });
    expect(configOf({ rankingEndpoint: endpoint, demo: 'true' }).rankingEndpoint).toBe(endpoint);
    // The CLI passes -c values as strings; cdk.json may hold a real boolean.
    for (const demo of [true, 'true']) {
      expect(configOf({ demo })).toMatchObject({
        rankingEndpoint: configDefaults.demoRankingEndpoint,
        demo: true,
      });
    }
    expect(() => configOf({ demo: 'false' })).toThrow(ConfigError);
  });

  it('refuses an endpoint that is not https', () => {
    expect(() => configOf({ rankingEndpoint: 'http://ranking.example.gov.vn/x' })).toThrow(
      /rankingEndpoint "http:\/\/ranking.example.gov.vn\/x" must be an https:\/\/ URL/,
    );
  });

  it('makes `cdk synth` without rankingEndpoint exit non-zero with one line naming it, before building anything', () => {
    const started = performance.now();
    const result = spawnSync('npx', ['cdk', 'synth', '--quiet', '-o', '/tmp/par-inspect-refused-synth'], {
      encoding: 'utf8',
      env: { ...process.env, CDK_DISABLE_VERSION_CHECK: 'true' },
      timeout: 90_000,
    });
    expect(result.status).not.toBe(0);
    const ours = result.stderr.split('\n').filter((line) => line.startsWith('par-inspect: '));
    expect(ours).toEqual([expect.stringMatching(/^par-inspect: rankingEndpoint is not set: /)]);
    // No stack trace: the refusal is the message, not a crash.
    expect(result.stderr).not.toMatch(/\n\s+at /);
    // It refused before the web build and the bundling (a full synth takes minutes).
    expect(performance.now() - started).toBeLessThan(60_000);
  });
});
