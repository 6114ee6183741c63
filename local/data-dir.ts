/**
 * The local data folder: DynamoDB Local's database, s3rver's objects and the token signing key,
 * so that data and tokens survive restarts. `--reset` removes only what the runner put there,
 * so a mistyped `--data-dir` can never wipe someone's folder.
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
}

export function dataLayout(root: string): DataLayout {
  return {
    root,
    dynamodb: join(root, 'dynamodb'),
    s3: join(root, 's3'),
    signingKey: join(root, 'jwt-signing-key.json'),
    tokensEnv: join(root, 'tokens.env'),
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
      for (const path of [layout.dynamodb, layout.s3, layout.signingKey, layout.tokensEnv]) {
        rmSync(path, { recursive: true, force: true });
      }
    }
    for (const folder of [layout.root, layout.dynamodb, layout.s3]) mkdirSync(folder, { recursive: true });
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
