/**
 * The local data folder: DynamoDB Local's database, s3rver's objects, the token signing key and
 * the webhook delivery queue, so that data, tokens and undelivered events survive restarts.
 * `--reset` removes only what the runner put there, so a mistyped `--data-dir` can never wipe
 * someone's folder.
 */
import { accessSync, constants, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EmulatorSetupError } from './emulators.ts';

export interface DataLayout {
  root: string;
  /** DynamoDB Local's `-dbPath` (it writes `shared-local-instance.db` there). */
  dynamodb: string;
  /** s3rver's directory: one folder per bucket. */
  s3: string;
  /** The RS256 key that signs local tokens (private JWK). */
  signingKey: string;
  /** Ready `export` lines with the demo tokens of the last start, for `source`. */
  tokensEnv: string;
  /** The local event bus's webhook deliveries: one JSON file per event (local/deliveries.ts). */
  deliveries: {
    /** Accepted, not yet delivered: retried until delivered or too old. */
    pending: string;
    /** Given up on (refused, or out of retries): listed and replayed by `npm run dead-letters`. */
    dead: string;
  };
}

export function dataLayout(root: string): DataLayout {
  return {
    root,
    dynamodb: join(root, 'dynamodb'),
    s3: join(root, 's3'),
    signingKey: join(root, 'jwt-signing-key.json'),
    tokensEnv: join(root, 'tokens.env'),
    deliveries: {
      pending: join(root, 'deliveries', 'pending'),
      dead: join(root, 'deliveries', 'dead'),
    },
  };
}

/**
 * Creates the folder (emptied first with `reset`) and checks that it is writable, failing with
 * one line that says what to do.
 */
export function prepareDataDir(root: string, reset: boolean): DataLayout {
  const layout = dataLayout(root);
  try {
    if (reset) {
      const deliveries = join(layout.root, 'deliveries');
      for (const path of [layout.dynamodb, layout.s3, layout.signingKey, layout.tokensEnv, deliveries]) {
        rmSync(path, { recursive: true, force: true });
      }
    }
    const folders = [
      layout.root,
      layout.dynamodb,
      layout.s3,
      layout.deliveries.pending,
      layout.deliveries.dead,
    ];
    for (const folder of folders) mkdirSync(folder, { recursive: true });
    accessSync(layout.root, constants.W_OK);
    // A real write: some mounts report W_OK and still refuse writes.
    const probe = join(layout.root, '.write-check');
    writeFileSync(probe, '');
    rmSync(probe);
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : 'error';
    throw new EmulatorSetupError(
      `The data folder ${root} cannot be written (${code}): fix its permissions or choose another with --data-dir DIR.`,
    );
  }
  return layout;
}
