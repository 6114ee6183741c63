/**
 * The server under test, as the browser tests see it: the one `npm start` server of this run
 * (started by ./global-setup.ts), its request log (to prove from the server's side what reached
 * it, which Playwright's offline switch cannot show for a service worker's own requests), and
 * API calls with tokens of any role (to read back what the phone sent, or act as the manager).
 */
import { readFileSync, statSync } from 'node:fs';
import { expect, inject } from 'vitest';
import { z } from 'zod';
import { type CallOptions, client, type Reply } from '../../e2e/support/http.ts';

export { demoProvinceId } from './inspector.ts';

/** One line of the server's request log: `HH:MM:SS METHOD URL STATUS N ms` (and what served it). */
export interface LoggedRequest {
  method: string;
  url: string;
  status: number;
}

const requestLine = /^\d\d:\d\d:\d\d (GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS) (\S+) (\d{3}) \d+ ms\b/;
const tokenReply = z.object({ token: z.string() });

export interface AppServer {
  url: string;
  /** A mark in the request log: the requests answered after it are {@link AppServer.requestsSince}. */
  mark(): number;
  requestsSince(mark: number): LoggedRequest[];
  /** The whole log so far, for failure messages. */
  log(): string;
  /** A token from POST /local/tokens. */
  token(body: {
    role: 'inspector' | 'manager' | 'admin';
    unitId: string;
    sub?: string;
    name?: string;
  }): Promise<string>;
  call(method: string, path: string, options?: CallOptions): Promise<Reply>;
}

export function appServer(): AppServer {
  const url = inject('appUrl');
  const logFile = inject('appLog');
  const call = client(url);
  return {
    url,
    mark: () => statSync(logFile).size,
    requestsSince: (mark) => parseRequests(readFileSync(logFile).subarray(mark).toString('utf8')),
    log: () => readFileSync(logFile, 'utf8'),
    async token(body) {
      const reply = await call('POST', '/local/tokens', { body });
      expect(reply.status, reply.text).toBe(200);
      return tokenReply.parse(reply.body).token;
    },
    call,
  };
}

/** The requests in a piece of the server's output, in the order they were answered. */
export function parseRequests(output: string): LoggedRequest[] {
  const requests: LoggedRequest[] = [];
  for (const line of output.split('\n')) {
    const match = requestLine.exec(line.trim());
    if (match?.[1] && match[2] && match[3]) {
      requests.push({ method: match[1], url: match[2], status: Number(match[3]) });
    }
  }
  return requests;
}
