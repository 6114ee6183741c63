/**
 * The floor of the warm-latency benchmark (issue 12, target 4): a bare node:http server that
 * checks the bearer token as the local API Gateway stand-in does (local/tokens.ts: RS256, issuer,
 * exp and iat, audience) and then makes the same DynamoDB calls our route made for the same
 * request, recorded by the round-trip meter, with the SDK's document client, and answers their
 * items as JSON. Calls our route made concurrently run concurrently here. So only our code (the
 * middy stack, zod, the use case, the domain) differs between the two servers.
 *
 *   node --import tsx bench/support/floor-server.ts SPEC.json   (prints its port)
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  BatchGetCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { createLocalJWKSet, decodeProtectedHeader, type JSONWebKeySet, jwtVerify } from 'jose';
import { createDocumentClient } from '#adapters/clients.ts';
import { type CarriedValue, carry } from './floor-carry.ts';

export interface FloorCall {
  operation: string;
  input: Record<string, unknown>;
}

export interface FloorRoute {
  method: string;
  /** The exact path, or with `{id}` where a fresh ID per request goes (PUT of a new visit). */
  path: string;
  /** Groups of calls: the calls of one group ran concurrently, the groups one after the other. */
  groups: FloorCall[][];
  /** The ID in the recorded calls that `{id}` replaces. */
  recordedId?: string;
  /**
   * Values a read returned that later calls of the recording used (a visit's etag in the
   * transaction's condition, its unit's ID in the score keys): the floor takes each from its
   * own read, at the same place in the answer, as our code takes it from its read.
   */
  carried?: CarriedValue[];
  status: number;
}

export interface FloorSpec {
  issuer: string;
  jwks: JSONWebKeySet;
  audience: string;
  dynamodbEndpoint: string;
  routes: FloorRoute[];
}

const spec = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8')) as FloorSpec;
const client = createDocumentClient({ endpoint: spec.dynamodbEndpoint });
const keySet = createLocalJWKSet(spec.jwks);

/** The recorded call, sent as the adapter sent it (the document client's input). */
function send(call: FloorCall): Promise<unknown> {
  const input = call.input as never;
  switch (call.operation) {
    case 'GetItem':
      return client.send(new GetCommand(input));
    case 'Query':
      return client.send(new QueryCommand(input));
    case 'BatchGetItem':
      return client.send(new BatchGetCommand(input));
    case 'PutItem':
      return client.send(new PutCommand(input));
    case 'UpdateItem':
      return client.send(new UpdateCommand(input));
    case 'TransactWriteItems':
      return client.send(new TransactWriteCommand(input));
    default:
      throw new Error(`no floor for ${call.operation}`);
  }
}

async function verify(authorization: string | undefined): Promise<boolean> {
  const token = authorization?.startsWith('Bearer ') ? authorization.slice(7) : '';
  try {
    if (decodeProtectedHeader(token).kid === undefined) return false;
    const { payload } = await jwtVerify(token, keySet, {
      issuer: spec.issuer,
      algorithms: ['RS256'],
      requiredClaims: ['exp', 'iat'],
    });
    if (payload.iat !== undefined && payload.iat > Math.floor(Date.now() / 1000)) return false;
    const audience = payload.aud ?? payload.client_id;
    return (Array.isArray(audience) ? audience : [audience]).includes(spec.audience);
  } catch {
    return false;
  }
}

const exact = new Map(
  spec.routes.filter((r) => !r.path.includes('{id}')).map((r) => [`${r.method} ${r.path}`, r]),
);
const templated = spec.routes.filter((r) => r.path.includes('{id}'));
// Recorded calls as text once, so a fresh ID is one replace and one parse per request.
const texts = new Map(templated.map((r) => [r, JSON.stringify(r.groups)]));

function match(method: string, path: string): { route: FloorRoute; groups: FloorCall[][] } | null {
  const found = exact.get(`${method} ${path}`);
  if (found) return { route: found, groups: found.groups };
  for (const route of templated) {
    const [before, after] = route.path.split('{id}') as [string, string];
    if (route.method !== method || !path.startsWith(before) || !path.endsWith(after)) continue;
    const id = path.slice(before.length, path.length - after.length);
    const text = (texts.get(route) ?? '[]').replaceAll(route.recordedId ?? '\u0000', id);
    return { route, groups: JSON.parse(text) as FloorCall[][] };
  }
  return null;
}

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', async () => {
    try {
      if (chunks.length > 0) JSON.parse(Buffer.concat(chunks).toString('utf8'));
      if (!(await verify(request.headers.authorization))) {
        response.writeHead(401).end();
        return;
      }
      const url = new URL(request.url ?? '/', 'http://floor');
      const found = match(request.method ?? 'GET', url.pathname);
      if (!found) {
        response.writeHead(404).end();
        return;
      }
      const items: unknown[] = [];
      let groups = found.groups;
      for (let g = 0; g < groups.length; g++) {
        const results = await Promise.all((groups[g] ?? []).map(send));
        const carried = (found.route.carried ?? []).filter((entry) => entry.group === g);
        if (carried.length > 0)
          groups = [...groups.slice(0, g + 1), ...carry(groups.slice(g + 1), carried, results)];
        for (const result of results) {
          const out = result as { Item?: unknown; Items?: unknown[]; Responses?: Record<string, unknown[]> };
          if (out.Item) items.push(out.Item);
          if (out.Items) items.push(...out.Items);
          if (out.Responses) for (const list of Object.values(out.Responses)) items.push(...list);
        }
      }
      response.writeHead(found.route.status, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ items }));
    } catch (error) {
      response.writeHead(500, { 'content-type': 'text/plain' });
      response.end(error instanceof Error ? error.message : String(error));
    }
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  console.log(`floor listening on ${(server.address() as AddressInfo).port}`);
});
