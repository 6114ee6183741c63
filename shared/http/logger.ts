import { Logger } from '@aws-lambda-powertools/logger';

/**
 * Log level when nothing configures one. Under Vitest (which sets `VITEST`) the default is
 * SILENT so test output stays readable; `POWERTOOLS_LOG_LEVEL`, `LOG_LEVEL` or Lambda's own
 * `AWS_LAMBDA_LOG_LEVEL` still win, so a test run can turn logs back on.
 */
function defaultLogLevel(): 'SILENT' | undefined {
  const env = process.env;
  const configured = env.POWERTOOLS_LOG_LEVEL || env.LOG_LEVEL || env.AWS_LAMBDA_LOG_LEVEL;
  return !configured && env.VITEST ? 'SILENT' : undefined;
}

/**
 * The one structured JSON logger of the HTTP functions (service `par-inspect`). The middy stack
 * appends the API Gateway request ID and the route to every line of an invocation.
 */
export const logger = new Logger({
  serviceName: 'par-inspect',
  ...(defaultLogLevel() ? { logLevel: 'SILENT' } : {}),
});
