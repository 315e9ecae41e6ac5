// One line per event on stderr, so service managers (journald, launchd, the Windows event
// log via the wrapper) capture it with their own timestamps and rotation.
type Level = 'info' | 'warn' | 'error';

function write(level: Level, message: string): void {
  process.stderr.write(`${new Date().toISOString()} ${level} ${message}\n`);
}

export const log = {
  info: (message: string) => write('info', message),
  warn: (message: string) => write('warn', message),
  error: (message: string) => write('error', message),
};

/** An error as one short line, for logs and for `error` fields sent to the server. */
export function describeError(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as NodeJS.ErrnoException).code;
    // Node reports a failed dual-stack connect as an AggregateError with an empty message.
    const message = err.message || (err instanceof AggregateError ? err.errors.map(describeError).join('; ') : '') || err.name;
    return code && !message.includes(code) ? `${message} (${code})` : message;
  }
  return String(err);
}
