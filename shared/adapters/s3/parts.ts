/** The bucket's factory, for `wire` (shared/adapters/wiring.ts): BUCKET_NAME through the process's S3 clients. */
import { sharedS3Client, sharedS3Presigner } from '#adapters/clients.ts';
import { loadConfig } from '#config/env.ts';
import { S3FileStorage } from './files.ts';

export const files = () => new S3FileStorage(sharedS3Client(), loadConfig().BUCKET_NAME, sharedS3Presigner());
