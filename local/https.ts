/**
 * `npm start -- --https`: TLS for phones on the same network. A local certificate authority is
 * made once and kept in the data folder (a phone that trusts it keeps trusting it, also after
 * `--reset`); the server's certificate, for localhost, 127.0.0.1, ::1 and this machine's LAN
 * IPv4 addresses, is signed by it and made again when the addresses change or it nears expiry.
 * Browsers register service workers only on origins with a trusted certificate, which is why a
 * phone should install the authority (served at `/local/tls/ca.crt`) rather than click through.
 */
import { X509Certificate } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { generate } from 'selfsigned';
import type { LocalHandler } from './dispatch.ts';

export interface TlsMaterial {
  /** The server's private key and its certificate chain (server, then authority), PEM. */
  key: string;
  cert: string;
  /** The authority's certificate, PEM: what a phone installs. */
  caCert: string;
  /** The names and addresses the server certificate is valid for. */
  hosts: string[];
}

/** This machine's IPv4 addresses on its networks (not loopback), as a phone would reach them. */
export function lanAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flatMap((addresses) => addresses ?? [])
    .filter((address) => address.family === 'IPv4' && !address.internal)
    .map((address) => address.address);
}

const renewBeforeMs = 30 * 24 * 60 * 60 * 1000;
const dayMs = 24 * 60 * 60 * 1000;

/** Loads the certificates from `folder`, making what is missing, expiring or too narrow. */
export async function loadOrCreateTls(folder: string, hosts: readonly string[]): Promise<TlsMaterial> {
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  const paths = {
    caKey: join(folder, 'ca-key.pem'),
    caCert: join(folder, 'ca.pem'),
    key: join(folder, 'server-key.pem'),
    cert: join(folder, 'server.pem'),
  };
  let ca = readPair(paths.caKey, paths.caCert);
  if (!ca || !fresh(ca.cert)) {
    const made = await generate([{ name: 'commonName', value: 'par-inspect local CA' }], {
      keySize: 2048,
      algorithm: 'sha256',
      notAfterDate: new Date(Date.now() + 5 * 365 * dayMs),
      extensions: [
        { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
        { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
      ],
    });
    ca = { key: made.private, cert: made.cert };
    writeFileSync(paths.caKey, ca.key, { mode: 0o600 });
    writeFileSync(paths.caCert, ca.cert);
  }
  let server = readPair(paths.key, paths.cert);
  if (!server || !fresh(server.cert) || !covers(server.cert, hosts) || !signedBy(server.cert, ca.cert)) {
    const made = await generate([{ name: 'commonName', value: 'localhost' }], {
      keySize: 2048,
      algorithm: 'sha256',
      // Apple platforms refuse server certificates valid for more than 825 days.
      notAfterDate: new Date(Date.now() + 365 * dayMs),
      ca: { key: ca.key, cert: ca.cert },
      extensions: [
        { name: 'basicConstraints', cA: false },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
        { name: 'extKeyUsage', serverAuth: true },
        {
          name: 'subjectAltName',
          altNames: hosts.map((host) =>
            isIp(host) ? { type: 7 as const, ip: host } : { type: 2 as const, value: host },
          ),
        },
      ],
    });
    server = { key: made.private, cert: made.cert };
    writeFileSync(paths.key, server.key, { mode: 0o600 });
    writeFileSync(paths.cert, server.cert);
  }
  return {
    key: server.key,
    cert: `${server.cert.trim()}\n${ca.cert.trim()}\n`,
    caCert: ca.cert,
    hosts: [...hosts],
  };
}

function readPair(keyPath: string, certPath: string): { key: string; cert: string } | null {
  try {
    const pair = { key: readFileSync(keyPath, 'utf8'), cert: readFileSync(certPath, 'utf8') };
    new X509Certificate(pair.cert);
    return pair;
  } catch {
    return null;
  }
}

function fresh(pem: string): boolean {
  return Date.parse(new X509Certificate(pem).validTo) - Date.now() > renewBeforeMs;
}

function covers(pem: string, hosts: readonly string[]): boolean {
  const certificate = new X509Certificate(pem);
  return hosts.every((host) =>
    isIp(host) ? certificate.checkIP(host) !== undefined : certificate.checkHost(host) !== undefined,
  );
}

function signedBy(pem: string, caPem: string): boolean {
  return new X509Certificate(pem).verify(new X509Certificate(caPem).publicKey);
}

function isIp(host: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.includes(':');
}

/** `GET /local/tls/ca.crt`: the authority, for a phone to install and trust. */
export function caCertificateHandler(tls: TlsMaterial): LocalHandler {
  return async (request, url) => {
    if (request.method.toUpperCase() !== 'GET' || url.pathname !== '/local/tls/ca.crt') return null;
    return {
      status: 200,
      headers: {
        'content-type': 'application/x-x509-ca-cert',
        'content-disposition': 'attachment; filename="par-inspect-local-ca.crt"',
        'cache-control': 'no-cache',
      },
      cookies: [],
      body: Buffer.from(tls.caCert),
    };
  };
}
