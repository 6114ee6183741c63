/**
 * Options of `npm start` (local/main.ts), from the command line and the environment. Pure, so
 * the runner's behaviour for a given invocation can be read off one object.
 */
import { isAbsolute, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import * as z from 'zod/mini';
import { EmulatorSetupError } from './emulators.ts';

export interface LocalOptions {
  /** Port of the API on localhost (0 picks a free one). */
  port: number;
  /** Where DynamoDB Local's and s3rver's data and the token signing key live. */
  dataDir: string;
  /** Empty the data folder before starting. */
  reset: boolean;
  /** Emulators already running (DYNAMODB_ENDPOINT, S3_ENDPOINT); absent: start our own. */
  dynamodbEndpoint: string | undefined;
  s3Endpoint: string | undefined;
  /** The event relay of an external s3rver started by local/emulators.ts (S3_EVENTS_URL). */
  s3EventsUrl: string | undefined;
  tableName: string;
  bucketName: string;
  /** Where ScoresPublished events are delivered, with the API key in `x-api-key`. */
  webhookUrl: string | undefined;
  webhookApiKey: string | undefined;
  /** Skip the demo data (an empty store, e.g. to try one's own units). */
  seed: boolean;
  /** Serve over TLS on every interface (phones on the same network), with a local certificate. */
  https: boolean;
  /** The address browsers use, when not the default (`http://localhost:PORT`, or the LAN one with --https). */
  publicUrl: string | undefined;
  /** Build (when its sources changed) and serve the web app at `/`. */
  web: boolean;
  /** The web app's folder (its vite.config.ts; the build goes to its dist/). */
  webRoot: string;
  /** Lifetime of the OIDC provider's access and id tokens. */
  accessTokenSeconds: number;
}

export const usage = `Usage: npm start -- [--port N] [--data-dir DIR] [--reset] [--no-seed] [--no-web] [--https] [--public-url URL]

Serves the par-inspect web app and API on http://localhost:3000 over DynamoDB Local and s3rver,
with demo data and a local OpenID Connect provider to sign in with.
  --port N          port of the app and API (default: PORT or 3000)
  --data-dir DIR    where the local data lives (default: LOCAL_DATA_DIR or .local-data in the repository)
  --reset           empty the data folder first (a fresh store, demo data seeded again)
  --no-seed         do not create the demo province, template and users
  --no-web          do not build or serve the web app (the API only)
  --https           serve over TLS on every network interface, for phones on the same network: a
                    certificate for localhost and this machine's LAN addresses is made once in the
                    data folder, and the LAN address (https://192.168.x.y:3000) is the one to open
  --public-url URL  the address browsers use, if not the default (http://localhost:PORT, or the LAN
                    address with --https), e.g. behind a tunnel
Environment: DYNAMODB_ENDPOINT, S3_ENDPOINT (and S3_EVENTS_URL) use emulators already running;
LOCAL_TABLE_NAME, LOCAL_BUCKET_NAME name the table and bucket; PUBLICATION_WEBHOOK_URL and
PUBLICATION_WEBHOOK_API_KEY receive ScoresPublished events; POWERTOOLS_LOG_LEVEL sets the handlers' log level;
LOCAL_ACCESS_TOKEN_SECONDS sets how long the app's access tokens last (default 3600); LOCAL_WEB_ROOT
names another web app folder (default web/).`;

/** What the user asked for that is not a run: `--help`. */
export class HelpRequested extends Error {}

const portSchema = z.coerce.number().check(z.int(), z.gte(0), z.lte(65_535));
const urlSchema = z.url({ protocol: /^https?$/ });
// DynamoDB table names and S3 bucket names; the stricter bucket rule is what s3rver enforces.
const tableNameSchema = z.string().check(z.regex(/^[A-Za-z0-9_.-]{3,255}$/));
const bucketNameSchema = z.string().check(z.regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/));

/**
 * Reads the options; a bad flag or value throws EmulatorSetupError with a one-line message.
 * @param repositoryRoot the default data folder is `.local-data` inside it (git-ignored there).
 */
export function parseOptions(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  repositoryRoot: string,
): LocalOptions {
  let values: ReturnType<typeof parse>['values'];
  try {
    values = parse(argv).values;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new EmulatorSetupError(`${message}. Run npm start -- --help for the options.`);
  }
  if (values.help) throw new HelpRequested(usage);

  const port = portSchema.safeParse(values.port ?? env.PORT ?? 3000);
  if (!port.success) {
    throw new EmulatorSetupError(
      `The port must be a number from 0 to 65535, not "${values.port ?? env.PORT}".`,
    );
  }
  const dataDir = values['data-dir'] ?? env.LOCAL_DATA_DIR ?? '.local-data';
  return {
    port: port.data,
    dataDir: isAbsolute(dataDir) ? dataDir : resolve(repositoryRoot, dataDir),
    reset: values.reset === true,
    dynamodbEndpoint: optionalUrl(env, 'DYNAMODB_ENDPOINT'),
    s3Endpoint: optionalUrl(env, 'S3_ENDPOINT'),
    s3EventsUrl: optionalUrl(env, 'S3_EVENTS_URL'),
    tableName: named(env, 'LOCAL_TABLE_NAME', 'par-inspect-local', tableNameSchema),
    bucketName: named(env, 'LOCAL_BUCKET_NAME', 'par-inspect-local', bucketNameSchema),
    webhookUrl: optionalUrl(env, 'PUBLICATION_WEBHOOK_URL'),
    webhookApiKey: env.PUBLICATION_WEBHOOK_API_KEY || undefined,
    seed: values['no-seed'] !== true,
    https: values.https === true,
    publicUrl: publicUrl(values['public-url']),
    web: values['no-web'] !== true,
    webRoot: resolve(repositoryRoot, env.LOCAL_WEB_ROOT?.trim() || 'web'),
    accessTokenSeconds: accessTokenSeconds(env.LOCAL_ACCESS_TOKEN_SECONDS),
  };
}

function publicUrl(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const parsed = urlSchema.safeParse(value.trim());
  if (!parsed.success || new URL(parsed.data).pathname !== '/') {
    throw new EmulatorSetupError(
      `--public-url must be an http(s) origin such as https://192.168.1.20:3000, not "${value}".`,
    );
  }
  return new URL(parsed.data).origin;
}

const lifetimeSchema = z.coerce.number().check(z.int(), z.gte(10), z.lte(24 * 60 * 60));

function accessTokenSeconds(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return 3600;
  const parsed = lifetimeSchema.safeParse(value);
  if (!parsed.success) {
    throw new EmulatorSetupError(
      `LOCAL_ACCESS_TOKEN_SECONDS must be a whole number from 10 to 86400, not "${value}".`,
    );
  }
  return parsed.data;
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    options: {
      port: { type: 'string', short: 'p' },
      'data-dir': { type: 'string' },
      reset: { type: 'boolean' },
      'no-seed': { type: 'boolean' },
      'no-web': { type: 'boolean' },
      https: { type: 'boolean' },
      'public-url': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
}

function optionalUrl(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name]?.trim();
  if (!value) return undefined;
  const parsed = urlSchema.safeParse(value);
  if (!parsed.success) throw new EmulatorSetupError(`${name} must be an http(s) URL, not "${value}".`);
  return parsed.data.replace(/\/+$/, '');
}

function named(env: NodeJS.ProcessEnv, name: string, fallback: string, schema: z.ZodMiniString): string {
  const value = env[name]?.trim() || fallback;
  if (!schema.safeParse(value).success) {
    throw new EmulatorSetupError(`${name} "${value}" is not a valid name for it.`);
  }
  return value;
}
