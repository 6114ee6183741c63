/**
 * `--https` certificates: made once and kept, the authority kept while the server certificate is
 * made again for a new address (a phone that trusts the authority keeps trusting the server).
 */
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadOrCreateTls } from '#local/https.ts';

const folder = mkdtempSync(join(tmpdir(), 'par-inspect-tls-unit-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const leaf = (chain: string) =>
  new X509Certificate(chain.slice(0, chain.indexOf('-----END CERTIFICATE-----') + 25));

describe('the local certificates', () => {
  it('are kept across starts, and the server one is made again for a new address under the same authority', async () => {
    const first = await loadOrCreateTls(folder, ['localhost', '127.0.0.1', '::1', '192.168.1.20']);
    const server = leaf(first.cert);
    const authority = new X509Certificate(first.caCert);
    expect(authority.ca).toBe(true);
    expect(server.ca).toBe(false);
    expect(server.verify(authority.publicKey)).toBe(true);
    expect(server.checkHost('localhost')).toBe('localhost');
    expect(server.checkIP('192.168.1.20')).toBe('192.168.1.20');
    // Apple platforms refuse server certificates valid for more than 825 days.
    expect(Date.parse(server.validTo) - Date.parse(server.validFrom)).toBeLessThanOrEqual(825 * 86_400_000);

    const again = await loadOrCreateTls(folder, ['localhost', '127.0.0.1', '::1', '192.168.1.20']);
    expect(leaf(again.cert).fingerprint256).toBe(server.fingerprint256);

    const moved = await loadOrCreateTls(folder, ['localhost', '127.0.0.1', '::1', '10.0.0.7']);
    const renewed = leaf(moved.cert);
    expect(renewed.fingerprint256).not.toBe(server.fingerprint256);
    expect(renewed.checkIP('10.0.0.7')).toBe('10.0.0.7');
    expect(new X509Certificate(moved.caCert).fingerprint256).toBe(authority.fingerprint256);
  });
});
