/**
 * Deployment settings from CDK context (`cdk.json` or `-c key=value`). Every value has a default
 * that lets `npm run synth` work offline; docs/deploy.md says which ones a real deployment sets.
 */
import type { Node } from 'constructs';

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
}

export const configDefaults = {
  rankingEndpoint: 'https://ranking.invalid/par-inspect/scores-published',
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
      throw new Error(`allowedOrigins: "${origin}" is not an exact origin like https://forms.example.gov.vn`);
    }
  }
  const rankingEndpoint = text('rankingEndpoint') ?? configDefaults.rankingEndpoint;
  if (!rankingEndpoint.startsWith('https://')) {
    throw new Error('rankingEndpoint must be an https:// URL (EventBridge API destinations need HTTPS)');
  }
  return {
    allowedOrigins,
    rankingEndpoint,
    rankingApiKeySecret: text('rankingApiKeySecret') ?? configDefaults.rankingApiKeySecret,
    rankingApiKeyHeader: text('rankingApiKeyHeader') ?? configDefaults.rankingApiKeyHeader,
    authDomainPrefix: text('authDomainPrefix'),
    alarmEmail: text('alarmEmail'),
  };
}
