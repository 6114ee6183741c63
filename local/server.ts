/**
 * The local runner behind `npm start`: emulators (started here, or already running), the table
 * and bucket, the handlers of every route behind a stand-in for API Gateway, the photo verifier
 * on s3rver's events, background exports, the publication webhook and the scheduled outbox
 * sweeper, and the demo data.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  BucketAlreadyExists,
  BucketAlreadyOwnedByYou,
  CreateBucketCommand,
  PutBucketCorsCommand,
} from '@aws-sdk/client-s3';
import { createDynamoDbClient, createS3Client } from '#adapters/clients.ts';
import { ensureTable } from '#adapters/dynamodb/table.ts';
import { LocalDirectory } from '#adapters/local-directory/directory.ts';
import { configureDeps } from '#adapters/wiring.ts';
import { routes } from '#routes/table.ts';
import type { LocalOptions } from './cli.ts';
import { type DataLayout, prepareDataDir } from './data-dir.ts';
import { startLocalDeliveries } from './deliveries.ts';
import { demoProvinceId } from './demo-data.ts';
import {
  createDispatcher,
  type Dispatch,
  type LocalRequest,
  maxPayloadBytes,
  startingUp,
} from './dispatch.ts';
import {
  EmulatorSetupError,
  freePort,
  type S3Emulator,
  startDynamoDbLocal,
  startS3rver,
} from './emulators.ts';
import { BackgroundTasks, localEventPublisher, startScheduledWorkers } from './events.ts';
import { caCertificateHandler, lanAddresses, loadOrCreateTls, type TlsMaterial } from './https.ts';
import { type LambdaHandler, loadHandler, repositoryRoot } from './lambda.ts';
import type { RunnerLog } from './log.ts';
import { createOidcProvider } from './oidc.ts';
import { listenForRelayedEvents, photoEventSink, subscribeToRelay, withRetries } from './photo-events.ts';
import { isS3ProxyPath, proxyToS3, s3ProxyPrefix } from './s3-proxy.ts';
import { type SeedOutcome, seedDemoData } from './seed.ts';
import { smokeDeliveryHandler } from './smoke-delivery.ts';
import { createSiteHandler } from './static.ts';
import { loadTokenAuthority, staffClientId, type TokenAuthority } from './tokens.ts';
import { prepareWebApp, type WebBuild } from './web-build.ts';

/** The handler of the HTTP API's `$default` route (unmatched method and path). */
const defaultRouteHandler = 'functions/fallback/not-found.ts';

/** Origins browsers may call the local API from (any port). */
export const localCorsOrigins = 'http://localhost:*,http://127.0.0.1:*';

export interface LocalServer {
  /** The public URL: `http://localhost:PORT`, the LAN address with --https, or --public-url. */
  url: string;
  /** Where the web app is: `url` and `/`. */
  appUrl: string;
  /** What became of the web app's build (built, reused, skipped or failed, and why). */
  web: WebBuild;
  /** With --https: the names and addresses of the certificate, and where its authority is. */
  tls: { hosts: string[]; caFile: string } | null;
  port: number;
  layout: DataLayout;
  dynamodb: { endpoint: string; startedHere: boolean };
  s3: { endpoint: string; startedHere: boolean; events: 'in-process' | 'relay' | 'none' };
  tableName: string;
  bucketName: string;
  seed: SeedOutcome | 'skipped';
  tokens: TokenAuthority;
  /** ScoresPublished deliveries waiting in the data folder at start, and dead letters. */
  deliveries: { pending: number; dead: number };
  /** Stops the server, waits briefly for background work, then stops the emulators started here. */
  stop(): Promise<void>;
}

/**
 * Starts everything; on failure, stops what it had started and rethrows. Machine problems
 * (port taken, Java missing, folder not writable) are EmulatorSetupError with one line.
 */
export async function startLocalServer(options: LocalOptions, log: RunnerLog): Promise<LocalServer> {
  const cleanups: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      await cleanup().catch((error: unknown) => log.error('while stopping', error));
    }
  };
  try {
    return await start(options, log, cleanups, stopAll);
  } catch (error) {
    await stopAll();
    throw error;
  }
}

async function start(
  options: LocalOptions,
  log: RunnerLog,
  cleanups: Array<() => Promise<void>>,
  stopAll: () => Promise<void>,
): Promise<LocalServer> {
  const { layout, release } = prepareDataDir(options.dataDir, options.reset);
  // First in, so it runs last: the folder stays ours until everything on it has stopped.
  cleanups.push(async () => release());
  const lan = options.https ? lanAddresses() : [];
  const tls = options.https
    ? await loadOrCreateTls(join(layout.root, 'tls'), ['localhost', '127.0.0.1', '::1', ...lan])
    : null;

  // Bind the port first: a port in use should fail in a second, not after Java has started.
  let dispatch: Dispatch | null = null;
  let stream: StreamingHandler | null = null;
  const servers = await listen(
    options.port,
    {
      dispatch: (request) => (dispatch ? dispatch(request) : Promise.resolve(startingUp(request))),
      stream: (req, res) => stream?.(req, res) ?? null,
    },
    log,
    tls,
  );
  cleanups.push(() => closeServers(servers));
  const port = portOf(servers[0]);
  const url =
    options.publicUrl ?? (tls ? `https://${lan[0] ?? 'localhost'}:${port}` : `http://localhost:${port}`);
  // Built (or found unchanged) while the emulators start; a failed build leaves the API running.
  const webBuild: Promise<WebBuild> = options.web
    ? prepareWebApp({ webRoot: options.webRoot, repositoryRoot, log })
    : Promise.resolve({ status: 'skipped', dist: null, ms: 0, reason: '--no-web' });

  const tokens = await loadTokenAuthority(layout.signingKey, `${url}/local`);

  // Emulator ports are chosen now so that the handlers' environment is complete before they are
  // imported, and importing them (a few seconds of TypeScript) overlaps the emulators' start.
  const dynamodbPort = options.dynamodbEndpoint ? null : await freePort();
  const s3Port = options.s3Endpoint ? null : await freePort();
  const dynamodbEndpoint = options.dynamodbEndpoint ?? `http://127.0.0.1:${dynamodbPort}`;
  const s3Endpoint = options.s3Endpoint ?? `http://127.0.0.1:${s3Port}`;
  Object.assign(process.env, {
    TABLE_NAME: options.tableName,
    BUCKET_NAME: options.bucketName,
    DYNAMODB_ENDPOINT: dynamodbEndpoint,
    S3_ENDPOINT: s3Endpoint,
    // Presigned URLs name the proxy on our own origin; the verifier reads s3rver directly.
    S3_PUBLIC_ENDPOINT: `${url}${s3ProxyPrefix}`,
    CORS_ALLOWED_ORIGINS: localCorsOrigins,
    AWS_REGION: process.env.AWS_REGION || 'ap-southeast-1',
    // Staff accounts: the local directory in the data folder, never a user pool.
    LOCAL_DIRECTORY_FILE: layout.directory,
  });
  delete process.env.USER_POOL_ID;
  // Events go through the in-process publisher below, never to a real bus.
  delete process.env.EVENT_BUS_NAME;

  const [dynamodb, s3, handlers, notFound, web] = await Promise.all([
    dynamodbPort === null
      ? Promise.resolve(null)
      : startDynamoDbLocal({ port: dynamodbPort, dataDir: layout.dynamodb }).then((service) => {
          cleanups.push(() => service.stop());
          return service;
        }),
    s3Port === null
      ? Promise.resolve(null)
      : startS3rver({ port: s3Port, dataDir: layout.s3 }).then((service) => {
          cleanups.push(() => service.stop());
          return service;
        }),
    loadRouteHandlers(log),
    loadHandler(defaultRouteHandler),
    webBuild,
  ]);

  await prepareStorage(dynamodbEndpoint, s3Endpoint, options);

  const tasks = new BackgroundTasks(log);
  cleanups.push(() => tasks.settle(5_000));
  // Resumes what an earlier run left pending. It stops before the tasks settle (cleanups run in
  // reverse): an event a last sweep accepts after that waits on disk for the next start.
  const deliveries = await startLocalDeliveries({ layout, ...options, env: process.env, log });
  cleanups.push(() => deliveries.stop());
  const localEvents = await localEventPublisher({ tasks, log, deliveries: deliveries.queue });
  configureDeps({ events: localEvents });
  if (!notFound) throw new Error(`${defaultRouteHandler} is missing`);
  // Cleanups run in reverse: the timer stops before shutdown waits for the tasks it started.
  const stopSchedule = await startScheduledWorkers({ tasks, log });
  cleanups.push(async () => stopSchedule());

  const events = await connectPhotoEvents(options, s3, log, cleanups);

  const oidc = createOidcProvider({
    tokens,
    publicUrl: url,
    accessTokenSeconds: options.accessTokenSeconds,
    demoUnitId: demoProvinceId,
    directory: new LocalDirectory(layout.directory),
  });
  const ready = createDispatcher({
    tokens,
    handlers,
    notFound,
    log,
    local: [
      oidc,
      smokeDeliveryHandler(localEvents, options.webhookUrl),
      ...(tls ? [caCertificateHandler(tls)] : []),
    ],
    site: createSiteHandler({
      dist: web.dist,
      publicUrl: url,
      issuer: tokens.issuer,
      clientId: staffClientId,
    }),
  });
  // Seeded through the provisioning use cases (as npm run provision) before it opens to clients.
  const seed = options.seed ? await seedDemoData() : 'skipped';
  dispatch = ready;
  stream = (req, res) =>
    isS3ProxyPath(req.url ?? '') ? proxyToS3(req, res, s3Endpoint, `${url}${s3ProxyPrefix}`, log) : null;

  return {
    url,
    appUrl: `${url}/`,
    web,
    tls: tls ? { hosts: tls.hosts, caFile: join(layout.root, 'tls', 'ca.pem') } : null,
    port,
    layout,
    dynamodb: { endpoint: dynamodbEndpoint, startedHere: dynamodb !== null },
    s3: { endpoint: s3Endpoint, startedHere: s3 !== null, events },
    tableName: options.tableName,
    bucketName: options.bucketName,
    seed,
    tokens,
    deliveries: { pending: deliveries.pending, dead: deliveries.dead },
    // The API closes first so no request meets a stopped emulator; the rest in reverse order.
    stop: async () => {
      await closeServers(servers);
      await stopAll();
    },
  };
}

/** Creates the table and the bucket when missing; the bucket takes browser form POSTs from localhost. */
async function prepareStorage(dynamodbEndpoint: string, s3Endpoint: string, options: LocalOptions) {
  try {
    await ensureTable(createDynamoDbClient({ endpoint: dynamodbEndpoint }), options.tableName);
  } catch (error) {
    throw unreachable('DynamoDB', dynamodbEndpoint, error);
  }
  const s3 = createS3Client({ endpoint: s3Endpoint });
  try {
    await s3.send(new CreateBucketCommand({ Bucket: options.bucketName }));
  } catch (error) {
    if (!(error instanceof BucketAlreadyOwnedByYou || error instanceof BucketAlreadyExists)) {
      throw unreachable('S3', s3Endpoint, error);
    }
  }
  await s3.send(
    new PutBucketCorsCommand({
      Bucket: options.bucketName,
      CORSConfiguration: {
        CORSRules: [
          {
            AllowedOrigins: localCorsOrigins.split(','),
            AllowedMethods: ['GET', 'POST', 'PUT', 'HEAD'],
            AllowedHeaders: ['*'],
            ExposeHeaders: ['ETag'],
            MaxAgeSeconds: 600,
          },
        ],
      },
    }),
  );
}

function unreachable(what: string, endpoint: string, error: unknown): EmulatorSetupError {
  const reason = error instanceof Error ? error.message : String(error);
  return new EmulatorSetupError(`${what} at ${endpoint} cannot be used (${reason}): is it running?`);
}

/** Imports every route's handler module now, so a broken one shows at start, not at first call. */
async function loadRouteHandlers(log: RunnerLog): Promise<Map<string, LambdaHandler | null>> {
  const loaded = await Promise.all(
    routes.map(async (route) => [route.name, await loadHandler(route.handler)] as const),
  );
  const missing = loaded.filter(([, handler]) => handler === null).map(([name]) => name);
  if (missing.length > 0)
    log.warn(`routes without a handler module yet (they answer 500): ${missing.join(', ')}`);
  return new Map(loaded);
}

async function connectPhotoEvents(
  options: LocalOptions,
  s3: S3Emulator | null,
  log: RunnerLog,
  cleanups: Array<() => Promise<void>>,
): Promise<'in-process' | 'relay' | 'none'> {
  const sink = await photoEventSink(options.bucketName, log);
  if (s3) {
    s3.onEvent((notification) => void withRetries(sink, notification, log));
    return 'in-process';
  }
  if (options.s3EventsUrl) {
    const listener = await listenForRelayedEvents(sink, log);
    cleanups.push(() => closeServers([listener.server]));
    try {
      await subscribeToRelay(options.s3EventsUrl, options.bucketName, listener.url);
    } catch (error) {
      throw unreachable('The S3 event relay', options.s3EventsUrl, error);
    }
    return 'relay';
  }
  log.warn('S3_ENDPOINT without S3_EVENTS_URL: uploads get no verifier, photos stay pending');
  return 'none';
}

/** Answers a request itself, streaming both ways (the s3rver proxy); null leaves it to dispatch. */
type StreamingHandler = (req: IncomingMessage, res: ServerResponse) => Promise<unknown> | null;

interface Handlers {
  dispatch: Dispatch;
  stream: StreamingHandler;
}

/**
 * Listens on the loopback interfaces only (IPv4, and IPv6 where the machine has it), so the
 * demo tokens never open the API to the network; with TLS (--https, asked for to let phones
 * in) on every IPv4 interface.
 */
async function listen(
  port: number,
  handlers: Handlers,
  log: RunnerLog,
  tls: TlsMaterial | null,
): Promise<Server[]> {
  const first = await listenOn(port, tls ? '0.0.0.0' : '127.0.0.1', handlers, log, tls).catch(
    (error: unknown) => {
      throw portProblem(port, error);
    },
  );
  const bound = portOf(first);
  const servers = [first];
  try {
    servers.push(await listenOn(bound, '::1', handlers, log, tls));
  } catch (error) {
    // No IPv6 loopback here is fine; someone else on [::1]:port would shadow us for `localhost`.
    if (error instanceof Error && 'code' in error && error.code === 'EADDRINUSE') {
      await closeServers(servers);
      throw portProblem(port, error);
    }
  }
  return servers;
}

function portProblem(port: number, error: unknown): Error {
  if (error instanceof Error && 'code' in error && error.code === 'EADDRINUSE') {
    const next = port === 0 ? 3001 : port + 1;
    return new EmulatorSetupError(
      `Port ${port} is already in use: stop what runs there, or choose another port with PORT=${next} npm start.`,
    );
  }
  if (error instanceof Error && 'code' in error && error.code === 'EACCES') {
    return new EmulatorSetupError(
      `Port ${port} needs privileges: choose a port above 1023, e.g. PORT=3000 npm start.`,
    );
  }
  return error instanceof Error ? error : new Error(String(error));
}

function listenOn(
  port: number,
  host: string,
  handlers: Handlers,
  log: RunnerLog,
  tls: TlsMaterial | null,
): Promise<Server> {
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    const handling = serve(req, res, handlers, log);
    inFlight.add(handling);
    void handling.finally(() => inFlight.delete(handling));
  };
  const server: Server = tls
    ? createTlsServer({ key: tls.key, cert: tls.cert }, onRequest)
    : createServer(onRequest);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

function portOf(server: Server | undefined): number {
  const address = server?.address();
  if (!address || typeof address === 'string') throw new Error('the server is not listening');
  return (address satisfies AddressInfo).port;
}

/** Requests being handled: shutdown lets them finish before the emulators stop under them. */
const inFlight = new Set<Promise<void>>();
const inFlightGraceMs = 10_000;

async function closeServers(servers: Server[]): Promise<void> {
  const closed = servers.map(
    (server) =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  );
  // An approval half-way through should finish rather than meet a stopped DynamoDB Local.
  await Promise.race([
    Promise.allSettled([...inFlight]),
    new Promise((resolve) => setTimeout(resolve, inFlightGraceMs).unref()),
  ]);
  for (const server of servers) server.closeAllConnections();
  await Promise.all(closed);
}

async function serve(req: IncomingMessage, res: ServerResponse, handlers: Handlers, log: RunnerLog) {
  const started = Date.now();
  try {
    // Uploads through the s3rver proxy stream: a 10 MiB photo is never held here whole.
    const streamed = handlers.stream(req, res);
    if (streamed) {
      await streamed;
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
      size += bytes.length;
      // Keep one byte past the limit so the dispatcher sees the body is too large, no more.
      if (size <= maxPayloadBytes + 1) chunks.push(bytes);
    }
    const request: LocalRequest = {
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      headers: req.headers,
      body: size === 0 ? undefined : Buffer.concat(chunks),
      ...(req.socket.remoteAddress ? { sourceIp: req.socket.remoteAddress.replace(/^::ffff:/, '') } : {}),
    };
    const response = await handlers.dispatch(request);
    const headers: Record<string, string | string[]> = { ...response.headers };
    if (response.cookies.length > 0) headers['set-cookie'] = response.cookies;
    headers['content-length'] = String(response.body.length);
    res.writeHead(response.status, headers).end(response.body);
    log.info(`${request.method} ${request.url} ${response.status} ${Date.now() - started} ms`);
  } catch (error) {
    log.error(`${req.method} ${req.url} failed in the local server`, error);
    if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
    res.end();
  }
}
