/**
 * The local data folder: DynamoDB Local's database, s3rver's objects, the token signing key and
 * the webhook delivery queue, so that data, tokens and undelivered events survive restarts.
 * `--reset` removes only what the runner put there, so a mistyped `--data-dir` can never wipe
 * someone's folder. One `npm start` at a time owns a folder (a lock file with its process ID):
 * a second one would share DynamoDB Local's database file and overwrite `tokens.env`.
 */
import { accessSync, constants, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
  /** The owner's process ID while an `npm start` uses the folder. */
  lock: string;
  /** The local directory of staff accounts (what Cognito holds in AWS): shared/adapters/local-directory. */
  directory: string;
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
    lock: join(root, 'npm-start.lock'),
    directory: join(root, 'directory.json'),
    deliveries: {
      pending: join(root, 'deliveries', 'pending'),
      dead: join(root, 'deliveries', 'dead'),
    },
  };
}

/** A data folder that this process owns until `release` (which only removes its own lock). */
export interface PreparedDataDir {
  layout: DataLayout;
  release(): void;
}

/**
 * Creates the folder, takes its lock (before `reset` empties it: a reset must never wipe the
 * store of a server still running on it) and checks that it is writable, failing with one line
 * that says what to do.
 */
export function prepareDataDir(root: string, reset: boolean): PreparedDataDir {
  const layout = dataLayout(root);
  try {
    mkdirSync(layout.root, { recursive: true });
  } catch (error) {
    throw unwritable(root, error);
  }
  const release = lockDataDir(layout);
  try {
    if (reset) {
      const deliveries = join(layout.root, 'deliveries');
      for (const path of [
        layout.dynamodb,
        layout.s3,
        layout.signingKey,
        layout.tokensEnv,
        layout.directory,
        deliveries,
      ]) {
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
    release();
    throw unwritable(root, error);
  }
  return { layout, release };
}

function errorCode(error: unknown): string {
  return error instanceof Error && 'code' in error ? String(error.code) : 'error';
}

function unwritable(root: string, error: unknown): EmulatorSetupError {
  return new EmulatorSetupError(
    `The data folder ${root} cannot be written (${errorCode(error)}): fix its permissions or choose another with --data-dir DIR.`,
  );
}

interface LockHolder {
  pid: number;
  startedAt: string;
}

/**
 * Takes the folder's lock with an exclusive create. A lock whose process is gone (killed with
 * SIGKILL, a reboot) is stale and taken over; so is one whose process ID now belongs to
 * something else than the runner (IDs are reused, in containers at once).
 */
function lockDataDir(layout: DataLayout): () => void {
  const mine: LockHolder = { pid: process.pid, startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      writeFileSync(layout.lock, `${JSON.stringify(mine)}\n`, { flag: 'wx' });
      return () => {
        if (readHolder(layout.lock)?.pid === process.pid) rmSync(layout.lock, { force: true });
      };
    } catch (error) {
      if (errorCode(error) !== 'EEXIST') throw unwritable(layout.root, error);
    }
    const holder = readHolder(layout.lock);
    if (holder && holder.pid !== process.pid && runnerIsAlive(holder.pid)) {
      throw new EmulatorSetupError(
        `The data folder ${layout.root} is in use by another npm start (process ${holder.pid}, started ${holder.startedAt}): stop that one first, or give this one its own folder with --data-dir DIR.`,
      );
    }
    // A half-written lock (the holder died while writing it) is as stale as a dead holder's.
    rmSync(layout.lock, { force: true });
  }
  throw new EmulatorSetupError(
    `The data folder ${layout.root} is being taken by another npm start at this moment: try again, or use --data-dir DIR.`,
  );
}

function readHolder(file: string): LockHolder | null {
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (
      typeof parsed === 'object' &&
      parsed !== null &&
      'pid' in parsed &&
      typeof parsed.pid === 'number' &&
      'startedAt' in parsed &&
      typeof parsed.startedAt === 'string'
    ) {
      return { pid: parsed.pid, startedAt: parsed.startedAt };
    }
  } catch {
    // Missing or unreadable: no holder.
  }
  return null;
}

function runnerIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: alive, under another user.
    if (errorCode(error) !== 'EPERM') return false;
  }
  try {
    // On Linux, make sure the ID is still a runner's (local/main.ts under tsx), not a reused one.
    const commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return commandLine.includes('local/main.ts');
  } catch {
    // No /proc (macOS) or not ours to read: believe the signal check.
    return true;
  }
}
