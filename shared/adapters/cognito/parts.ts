/**
 * The identity directory's factory, for `wire` (shared/adapters/wiring.ts): Cognito's admin APIs
 * on USER_POOL_ID in AWS; the local directory's file (LOCAL_DIRECTORY_FILE) under npm start and
 * in tests. Neither configured: a use case that calls it fails loudly (before the record is written).
 */
import { sharedCognitoClient } from '#adapters/clients.ts';
import { LocalDirectory } from '#adapters/local-directory/directory.ts';
import { loadConfig } from '#config/env.ts';
import type { IdentityDirectory } from '#ports/staff.ts';
import { CognitoDirectory } from './directory.ts';

const unconfigured = (): never => {
  throw new Error('No identity directory configured (USER_POOL_ID, or LOCAL_DIRECTORY_FILE in local mode)');
};

// Built for every part list (scripts take them all): refusing only when used.
const missingDirectory: IdentityDirectory = {
  createAccount: unconfigured,
  getAccount: unconfigured,
  setRole: unconfigured,
  setUnit: unconfigured,
  setName: unconfigured,
  setEnabled: unconfigured,
  resetTotp: unconfigured,
  deleteAccount: unconfigured,
};

export const directory = (): IdentityDirectory => {
  const config = loadConfig();
  if (config.USER_POOL_ID) return new CognitoDirectory(sharedCognitoClient(), config.USER_POOL_ID);
  if (config.LOCAL_DIRECTORY_FILE) return new LocalDirectory(config.LOCAL_DIRECTORY_FILE);
  return missingDirectory;
};
