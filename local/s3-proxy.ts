/**
 * `/local/s3/*` on the API's port, passed through to s3rver: method, headers and body streamed
 * both ways. Presigned upload and download URLs name this path in local mode, so a browser only
 * ever talks to its own origin: a page on a phone cannot post to the phone's own 127.0.0.1,
 * nor an https page to plain http. s3rver checks no signatures, so the changed host is fine.
 */
import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { UnavailableError } from '#domain/errors.ts';
import { languageFromHeader } from '#http/language.ts';
import { problemResponse } from '#http/problem.ts';
import type { RunnerLog } from './log.ts';

export const s3ProxyPrefix = '/local/s3';

/** Headers about one connection, not the message (RFC 9110 §7.6.1): never forwarded. */
const hopByHop = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'upgrade',
  'host',
]);

/** Whether the request line's target is under the proxy's prefix. */
export function isS3ProxyPath(target: string): boolean {
  return (
    target === s3ProxyPrefix ||
    target.startsWith(`${s3ProxyPrefix}/`) ||
    target.startsWith(`${s3ProxyPrefix}?`)
  );
}

/**
 * Forwards one request to `target` (s3rver's `http://127.0.0.1:PORT`) and its answer back.
 * `Location` headers naming s3rver are rewritten to `publicPrefix`. Resolves when the answer is
 * sent; an s3rver that does not answer becomes a 503 problem.
 */
export function proxyToS3(
  req: IncomingMessage,
  res: ServerResponse,
  target: string,
  publicPrefix: string,
  log: RunnerLog,
): Promise<number> {
  const started = Date.now();
  const upstreamUrl = new URL(`${target}${(req.url ?? '/').slice(s3ProxyPrefix.length) || '/'}`);
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined && !hopByHop.has(name)) headers[name] = value;
  }
  return new Promise((resolve) => {
    const upstream = httpRequest(upstreamUrl, { method: req.method ?? 'GET', headers }, (answer) => {
      const back: Record<string, string | string[]> = {};
      for (const [name, value] of Object.entries(answer.headers)) {
        if (value === undefined || hopByHop.has(name)) continue;
        back[name] =
          name === 'location' && typeof value === 'string' && value.startsWith(target)
            ? `${publicPrefix}${value.slice(target.length)}`
            : value;
      }
      res.writeHead(answer.statusCode ?? 502, back);
      answer.pipe(res);
      answer.once('end', () => {
        log.info(`${req.method} ${req.url} ${answer.statusCode} ${Date.now() - started} ms (s3rver)`);
        resolve(answer.statusCode ?? 502);
      });
      answer.once('error', () => {
        res.destroy();
        resolve(502);
      });
    });
    upstream.once('error', (error) => {
      if (res.headersSent) {
        res.destroy();
        resolve(502);
        return;
      }
      log.error(`${req.method} ${req.url}: s3rver at ${target} did not answer`, error);
      const language = languageFromHeader(req.headers['accept-language']);
      const problem = problemResponse(
        new UnavailableError(
          { vi: 's3rver không trả lời; vui lòng thử lại sau.', en: 's3rver did not answer; retry later.' },
          2,
        ),
        language,
      );
      const body = Buffer.from(problem.body ?? '');
      const problemHeaders: Record<string, string> = { 'content-length': String(body.length) };
      for (const [name, value] of Object.entries(problem.headers ?? {}))
        problemHeaders[name.toLowerCase()] = String(value);
      res.writeHead(problem.statusCode ?? 503, problemHeaders).end(body);
      resolve(problem.statusCode ?? 503);
    });
    // A client that goes away mid-upload should not leave s3rver waiting for the rest.
    req.once('aborted', () => upstream.destroy());
    res.once('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    req.pipe(upstream);
  });
}
