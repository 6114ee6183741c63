/**
 * The runner's own terminal output: short human lines (the handlers keep their JSON logs). A
 * failing background job shows its message; the stack only with POWERTOOLS_LOG_LEVEL=DEBUG.
 */
export interface RunnerLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string, error?: unknown): void;
}

export function consoleLog(options: { quiet?: boolean } = {}): RunnerLog {
  const debug = process.env.POWERTOOLS_LOG_LEVEL?.toUpperCase() === 'DEBUG';
  const time = () => new Date().toISOString().slice(11, 19);
  return {
    info(message) {
      if (!options.quiet) console.log(`${time()} ${message}`);
    },
    warn(message) {
      console.warn(`${time()} warning: ${message}`);
    },
    error(message, error) {
      const reason = error instanceof Error ? error.message : error === undefined ? '' : String(error);
      console.error(`${time()} error: ${message}${reason ? `: ${reason}` : ''}`);
      if (debug && error instanceof Error && error.stack) console.error(error.stack);
    },
  };
}
