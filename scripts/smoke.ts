/**
 * `npm run smoke -- --stage PREFIX --unit ID` after a deploy, or `npm run smoke -- --local`
 * against `npm start`: checks that the deployment works as its users will use it, one line per
 * check, exit code 1 if any failed.
 *
 * 1. health; 2. the OpenAPI document; 3. an unauthenticated call refused; 4. the ranking
 * client's client-credentials token accepted on the publication list; 5. a signed-in person's
 * read (in AWS a temporary inspector, signed in by SRP with a TOTP code computed from the secret
 * of the authenticator it registers, deleted afterwards); 6. a test ScoresPublished delivery
 * (marked `test: true`, IDs starting with `smoke-test`) that the ranking system can drop.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import {
  createSmokeUser,
  deleteUser,
  putBusEvent,
  stackOutputs,
  userPoolClientSecret,
} from '#adapters/aws-account.ts';
import { signInWithSrpAndTotp } from '#adapters/cognito/srp-sign-in.ts';
import { eventTypes, rankingScope, smokeTestScoresPublished } from '#routes/integration.ts';

const usage = `Usage: npm run smoke -- --stage PREFIX --unit ID | --local [--url URL] [--unit ID]

  --stage PREFIX  the deployed stacks' name prefix (ParInspect: reads ParInspectApi's outputs)
  --unit ID       the unit of the temporary signed-in user (the province's root unit ID)
  --local         against npm start (default http://localhost:3000, or --url); --unit defaults
                  to the demo province nghe-an`;

class UsageError extends Error {}

interface Target {
  apiUrl: string;
  /** A token of the ranking machine client. */
  rankingToken(): Promise<string>;
  /** A signed-in person's access token, and what to clean up afterwards. */
  personToken(): Promise<string>;
  /** Sends the test ScoresPublished; answers where it went. */
  testDelivery(): Promise<string>;
  cleanup(): Promise<void>;
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      stage: { type: 'string' },
      local: { type: 'boolean' },
      url: { type: 'string' },
      unit: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(usage);
    return 0;
  }
  if (!values.local === !values.stage) throw new UsageError('give either --stage PREFIX or --local');
  const target = values.local
    ? localTarget(values.url ?? `http://localhost:${process.env.PORT ?? 3000}`, values.unit ?? 'nghe-an')
    : await stageTarget(values.stage ?? '', values.unit);

  let failed = 0;
  const check = async (name: string, run: () => Promise<string>) => {
    try {
      console.log(`ok    ${name}: ${await run()}`);
    } catch (error) {
      failed += 1;
      console.log(`FAIL  ${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  const api = (path: string, token?: string) =>
    fetch(`${target.apiUrl}${path}`, {
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'accept-language': 'en' },
      signal: AbortSignal.timeout(15_000),
    });
  const expectStatus = async (response: Response, status: number) => {
    const text = await response.text();
    if (response.status !== status)
      throw new Error(`answered ${response.status}, expected ${status}: ${text.slice(0, 200)}`);
    return text;
  };

  try {
    await check('health', async () => {
      const body = JSON.parse(await expectStatus(await api('/v1/health'), 200)) as { status?: unknown };
      if (body.status !== 'ok') throw new Error(`status is ${JSON.stringify(body.status)}`);
      return `${target.apiUrl}/v1/health is ok`;
    });
    await check('openapi', async () => {
      const document = JSON.parse(await expectStatus(await api('/v1/openapi.json'), 200)) as {
        openapi?: unknown;
        paths?: Record<string, unknown>;
      };
      if (typeof document.openapi !== 'string' || !document.openapi.startsWith('3.1')) {
        throw new Error(`not an OpenAPI 3.1 document (openapi: ${JSON.stringify(document.openapi)})`);
      }
      const paths = Object.keys(document.paths ?? {});
      if (!paths.includes('/v1/publications')) throw new Error('the document has no /v1/publications');
      return `OpenAPI ${document.openapi}, ${paths.length} paths`;
    });
    await check('unauthenticated refused', async () => {
      const response = await api('/v1/units');
      await response.text();
      if (response.status !== 401)
        throw new Error(`GET /v1/units without a token answered ${response.status}`);
      return 'GET /v1/units without a token answered 401';
    });
    await check('ranking client', async () => {
      const token = await target.rankingToken();
      const body = JSON.parse(await expectStatus(await api('/v1/publications', token), 200)) as {
        items?: unknown[];
      };
      return `client-credentials token (${rankingScope}) read ${body.items?.length ?? 0} publication(s)`;
    });
    await check('signed-in read', async () => {
      const token = await target.personToken();
      const body = JSON.parse(await expectStatus(await api('/v1/units', token), 200)) as {
        items?: Array<{ unitId?: string }>;
      };
      return `an inspector read GET /v1/units: ${body.items?.map((unit) => unit.unitId).join(', ') || 'no unit'}`;
    });
    await check('test delivery', () => target.testDelivery());
  } finally {
    await target.cleanup().catch((error: unknown) => {
      failed += 1;
      console.log(`FAIL  cleanup: ${error instanceof Error ? error.message : String(error)}`);
    });
  }
  console.log(failed === 0 ? 'smoke test passed' : `smoke test failed: ${failed} check(s)`);
  return failed === 0 ? 0 : 1;
}

/** npm start: tokens from its /local/tokens, the test event through its local bus. */
function localTarget(apiUrl: string, unitId: string): Target {
  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${apiUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`POST ${path} answered ${response.status}: ${text.slice(0, 200)}`);
    return JSON.parse(text) as Record<string, unknown>;
  };
  const token = async (body: unknown) => {
    const reply = await post('/local/tokens', body);
    if (typeof reply.token !== 'string') throw new Error('/local/tokens gave no token');
    return reply.token;
  };
  return {
    apiUrl,
    rankingToken: () => token({ role: 'ranking' }),
    personToken: () => token({ role: 'inspector', unitId, sub: `smoke-${randomUUID()}`, name: 'smoke test' }),
    async testDelivery() {
      const reply = await post('/local/smoke/scores-published', {});
      return `test ScoresPublished ${String(reply.publicationId)} accepted by the local bus, ${
        typeof reply.deliveredTo === 'string'
          ? `delivered to ${reply.deliveredTo}`
          : 'logged (no PUBLICATION_WEBHOOK_URL)'
      }`;
    },
    async cleanup() {},
  };
}

/** A deployed stage, from its API stack's outputs, with the caller's AWS credentials. */
async function stageTarget(stage: string, unitId: string | undefined): Promise<Target> {
  if (!unitId) throw new UsageError('--unit ID (the province root unit) is required with --stage');
  const stack = `${stage}Api`;
  const outputs = await stackOutputs(stack);
  const need = (key: string) => {
    const value = outputs[key];
    if (!value) throw new UsageError(`stack ${stack} has no ${key} output`);
    return value;
  };
  const apiUrl = need('ApiUrl').replace(/\/+$/, '');
  const pool = need('UserPoolId');
  const peopleClient = need('PeopleClientId');
  const rankingClient = need('RankingClientId');
  const tokenEndpoint = need('TokenEndpoint');
  const bus = need('EventBusName');
  const email = `smoke-test+${randomUUID()}@example.invalid`;
  let created = false;
  return {
    apiUrl,
    async rankingToken() {
      const secret = await userPoolClientSecret(pool, rankingClient);
      const response = await fetch(tokenEndpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`${rankingClient}:${secret}`).toString('base64')}`,
        },
        body: new URLSearchParams({ grant_type: 'client_credentials', scope: rankingScope }),
        signal: AbortSignal.timeout(15_000),
      });
      const body = (await response.json()) as { access_token?: string; error?: string };
      if (!response.ok || !body.access_token) {
        throw new Error(`the token endpoint answered ${response.status} ${body.error ?? ''}`);
      }
      return body.access_token;
    },
    async personToken() {
      // Random, and meeting the pool's policy (upper, lower, digit, symbol, 12+).
      const password = `Sm0ke-${randomBytes(18).toString('base64url')}!a`;
      await createSmokeUser({ userPoolId: pool, email, password, role: 'inspector', unitId });
      created = true;
      return signInWithSrpAndTotp({ userPoolId: pool, clientId: peopleClient, username: email, password });
    },
    async testDelivery() {
      const detail = smokeTestScoresPublished(new Date(), randomUUID());
      await putBusEvent(bus, eventTypes.scoresPublished, detail);
      return `test ScoresPublished ${detail.publicationId} accepted by bus ${bus} (delivery failures land in RankingDeadLetters)`;
    },
    async cleanup() {
      if (created) await deleteUser(pool, email);
    },
  };
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`smoke: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  },
);
