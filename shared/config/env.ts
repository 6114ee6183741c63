/**
 * Configuration from the environment, read once at start. A missing value fails fast with a
 * message that names it, instead of a confusing SDK error on the first request.
 */
import { z } from 'zod';

const envSchema = z.object({
  TABLE_NAME: z.string().min(1),
  BUCKET_NAME: z.string().min(1),
  EVENT_BUS_NAME: z.string().min(1).optional(),
  DYNAMODB_ENDPOINT: z.url().optional(),
  S3_ENDPOINT: z.url().optional(),
  /** Local mode: where browsers reach the bucket (`${publicUrl}/local/s3`); only presigned URLs name it. */
  S3_PUBLIC_ENDPOINT: z.url().optional(),
  AWS_REGION: z.string().min(1).optional(),
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
