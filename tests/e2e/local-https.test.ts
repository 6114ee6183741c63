/**
 * `npm start -- --https`, for phones on the same network: TLS with a certificate made in the
 * data folder and signed by a local authority, which a client that trusts that authority (as a
 * phone that installed it does) accepts for localhost and 127.0.0.1; the public URL, presigned
 * URLs and the app's config then name the https address.
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insecureGet, type LocalServerChild, startLocalServerChild } from './support/local-server.ts';

let server: LocalServerChild;

beforeAll(async () => {
  server = await startLocalServerChild({ https: true });
});

afterAll(async () => {
  await server?.stop();
});

describe('npm start -- --https', () => {
  it('answers over TLS with a certificate its own authority signed, for localhost and 127.0.0.1', async () => {
    const ca = readFileSync(join(server.dataDir, 'tls', 'ca.pem'), 'utf8');
    for (const host of ['localhost', '127.0.0.1']) {
      const health = await insecureGet(`https://${host}:${server.port}/v1/health`, { ca });
      expect(health.status, host).toBe(200);
      expect(health.authorized, host).toBe(true);
    }
    const served = await insecureGet(`${server.url}/local/tls/ca.crt`, { ca });
    expect(served.headers['content-type']).toBe('application/x-x509-ca-cert');
    expect(new X509Certificate(served.body).fingerprint256).toBe(new X509Certificate(ca).fingerprint256);
    expect(new X509Certificate(ca).ca).toBe(true);
  });

  it('prints the https address to open on a phone, and names it in the app config', async () => {
    const output = server.output();
    const printed = /HTTPS on every network interface: open (https:\/\/[^/\s]+)\/ on a phone/.exec(
      output,
    )?.[1];
    expect(printed, output).toMatch(new RegExp(`^https://[^:]+:${server.port}$`));
    expect(output).toContain(`local API ready at ${printed}`);
    // The printed address (this machine's LAN address when it has one) is covered and listened on.
    const remote = await insecureGet(`${printed}/v1/health`, {
      ca: readFileSync(join(server.dataDir, 'tls', 'ca.pem'), 'utf8'),
    });
    expect(remote).toMatchObject({ status: 200, authorized: true });
    const config = await insecureGet(`${server.url}/app-config.json`);
    expect(JSON.parse(config.body.toString('utf8'))).toMatchObject({
      apiBaseUrl: printed,
      oidc: { authority: `${printed}/local` },
    });
  });
});
