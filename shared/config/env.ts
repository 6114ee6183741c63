/**
 * Configuration from the environment, read once at start. A missing value fails fast with a
 * message that names it, instead of a confusing SDK error on the first request.
 */
import * as z from 'zod/mini';

const envSchema = z.object({
  TABLE_NAME: z.string().check(z.minLength(1)),
  BUCKET_NAME: z.string().check(z.minLength(1)),
  EVENT_BUS_NAME: z.optional(z.string().check(z.minLength(1))),
  DYNAMODB_ENDPOINT: z.optional(z.url()),
  S3_ENDPOINT: z.optional(z.url()),
  /** Local mode: where browsers reach the bucket (`${publicUrl}/local/s3`); only presigned URLs name it. */
  S3_PUBLIC_ENDPOINT: z.optional(z.url()),
  AWS_REGION: z.optional(z.string().check(z.minLength(1))),
  /** The Cognito user pool of staff accounts: only the functions that manage staff get it. */
  USER_POOL_ID: z.optional(z.string().check(z.minLength(1))),
  /** Local mode and tests: the JSON file of the local directory that stands in for Cognito. */
  LOCAL_DIRECTORY_FILE: z.optional(z.string().check(z.minLength(1))),
});

export type Config = z.infer<typeof envSchema>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const names = parsed.error.issues.map((issue) => issue.path.join('.')).join(', ');
    throw new Error(`par-inspect configuration: missing or invalid environment variables: ${names}`);
  }
  return parsed.data;
}
