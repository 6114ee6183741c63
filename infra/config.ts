/**
 * Deployment settings from CDK context (`cdk.json` or `-c key=value`). The configuration fails
 * closed: a setting without which the deployment would quietly not work (the ranking system's
 * endpoint) has no default, unless `-c demo=true` says that a deployment that delivers nowhere
 * is what is wanted (`npm run synth`, the infra tests). docs/deploy.md lists every setting.
 */
import type { Node } from 'constructs';
import { recordSettingDefaults, recordSymbolPattern } from '#config/record-settings.ts';
import type { RecordSettings } from '#domain/record.ts';

export interface DeploymentConfig {
  /** Browser origins allowed by the API's and the bucket's CORS (exact origins). */
  readonly allowedOrigins: string[];
  /** The ranking system's HTTPS endpoint that receives ScoresPublished events. */
  readonly rankingEndpoint: string;
  /** Name or ARN of the Secrets Manager secret holding the ranking system's API key. */
  readonly rankingApiKeySecret: string;
  /** The header that carries the API key. */
  readonly rankingApiKeyHeader: string;
  /** Prefix of the Cognito domain that serves the OAuth token endpoint; unique per region. */
  readonly authDomainPrefix: string | undefined;
  /** Where alarm notifications are emailed, if anywhere. */
  readonly alarmEmail: string | undefined;
  /**
   * The agency that issues inspection records (`-c recordAuthority=... recordAgency=...
   * recordSymbol=... recordPlace=...`); Nghệ An's Sở Nội vụ by default.
   */
  readonly records: RecordSettings;
  /** `-c demo=true`: placeholders stand in for the settings a real deployment must give. */
  readonly demo: boolean;
}

/** A setting is missing or wrong: the CLI prints the message as one line and exits non-zero. */
export class ConfigError extends Error {}

export const configDefaults = {
  /** Only with `demo=true`: `.invalid` never resolves, so deliveries fail into the dead-letter queue. */
  demoRankingEndpoint: 'https://ranking.invalid/par-inspect/scores-published',
  rankingApiKeySecret: 'par-inspect/ranking-api-key',
  rankingApiKeyHeader: 'x-api-key',
} as const;

/** Reads the deployment settings from the app's context. */
export function readConfig(node: Node): DeploymentConfig {
  const text = (key: string): string | undefined => {
    const value: unknown = node.tryGetContext(key);
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
  };
  const origins: unknown = node.tryGetContext('allowedOrigins');
  const allowedOrigins = (
    Array.isArray(origins) ? origins.map(String) : typeof origins === 'string' ? origins.split(',') : []
  )
    .map((origin) => origin.trim().replace(/\/+$/, ''))
    .filter(Boolean);
  for (const origin of allowedOrigins) {
    if (!/^https?:\/\/[^/*]+$/.test(origin)) {
      throw new ConfigError(
        `allowedOrigins: "${origin}" is not an exact origin like https://forms.example.gov.vn`,
      );
    }
  }
  const demoValue: unknown = node.tryGetContext('demo');
  const demo = demoValue === true || demoValue === 'true';
  const given = text('rankingEndpoint');
  if (given === undefined && !demo) {
    throw new ConfigError(
      'rankingEndpoint is not set: pass -c rankingEndpoint=https://<the ranking system>/... (or put it in cdk.json), or -c demo=true for a deployment that delivers ScoresPublished nowhere',
    );
  }
  const rankingEndpoint = given ?? configDefaults.demoRankingEndpoint;
  if (!/^https:\/\/[^/\s]+/.test(rankingEndpoint)) {
    throw new ConfigError(
      `rankingEndpoint "${rankingEndpoint}" must be an https:// URL (EventBridge API destinations need HTTPS)`,
    );
  }
  const records: RecordSettings = {
    authority: text('recordAuthority') ?? recordSettingDefaults.authority,
    agency: text('recordAgency') ?? recordSettingDefaults.agency,
    symbol: text('recordSymbol') ?? recordSettingDefaults.symbol,
    place: text('recordPlace') ?? recordSettingDefaults.place,
  };
  if (!recordSymbolPattern.test(records.symbol) || records.symbol.length > 20) {
    throw new ConfigError(
      `recordSymbol "${records.symbol}" must be capital letters and digits, at most 20 (the SNV of Số: 12/BB-SNV)`,
    );
  }
  return {
    allowedOrigins,
    records,
    rankingEndpoint,
    rankingApiKeySecret: text('rankingApiKeySecret') ?? configDefaults.rankingApiKeySecret,
    rankingApiKeyHeader: text('rankingApiKeyHeader') ?? configDefaults.rankingApiKeyHeader,
    authDomainPrefix: text('authDomainPrefix'),
    alarmEmail: text('alarmEmail'),
    demo,
  };
}
