/** The environment every project function gets: the names its adapters and middleware read. */

import { recordSettingDefaults, recordSettingVariables } from '#config/record-settings.ts';
import type { RecordSettings } from '#domain/record.ts';
import { rankingScope } from '#routes/integration.ts';

/** The Cognito resource server and its one scope, defined once in shared/routes/integration.ts. */
export { rankingResourceServer, rankingScope, rankingScopeName } from '#routes/integration.ts';

/** Log level and service name for Powertools, unless a function overrides them. */
export const serviceName = 'par-inspect';

export interface FunctionEnvironmentInput {
  /** The table's (generated) name. */
  readonly tableName: string;
  /** The bucket's (generated) name. */
  readonly bucketName: string;
  /** The project's event bus name. */
  readonly eventBusName: string;
  /** Browser origins allowed by CORS. */
  readonly allowedOrigins: readonly string[];
  /** The agency named on inspection records. @default Nghệ An's Sở Nội vụ */
  readonly records?: RecordSettings;
}

/**
 * Names, not permissions: a function that knows the bucket's name still cannot touch it
 * unless its route's `access` says so, so every function gets the same, complete set.
 */
export function functionEnvironment(input: FunctionEnvironmentInput): Record<string, string> {
  return {
    TABLE_NAME: input.tableName,
    BUCKET_NAME: input.bucketName,
    EVENT_BUS_NAME: input.eventBusName,
    CORS_ALLOWED_ORIGINS: input.allowedOrigins.join(','),
    RANKING_SCOPE: rankingScope,
    POWERTOOLS_LOG_LEVEL: 'INFO',
    POWERTOOLS_SERVICE_NAME: serviceName,
    ...Object.fromEntries(
      (Object.keys(recordSettingVariables) as Array<keyof RecordSettings>).map((name) => [
        recordSettingVariables[name],
        (input.records ?? recordSettingDefaults)[name],
      ]),
    ),
  };
}
