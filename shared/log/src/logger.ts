import { pino, type DestinationStream, type Logger, type LevelWithSilent } from 'pino';
import pretty from 'pino-pretty';

export type { Logger } from 'pino';

/** Paths whose values never reach a log line (API keys, authorization headers, tokens, passwords). */
export const REDACTED_PATHS: readonly string[] = [
  'apiKey',
  '*.apiKey',
  'api_key',
  '*.api_key',
  'token',
  '*.token',
  'accessToken',
  '*.accessToken',
  'password',
  '*.password',
  'secret',
  '*.secret',
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'headers["x-api-key"]',
  '*.headers["x-api-key"]',
  'headers.cookie',
  '*.headers.cookie',
  'env.ANTHROPIC_API_KEY',
  '*.env.ANTHROPIC_API_KEY',
  'env.NATS_TOKEN',
  '*.env.NATS_TOKEN',
];

/** Options of createLogger. */
export interface LoggerOptions {
  /** Component name (`coordinator`, `worker`, …). */
  name: string;
  /** Default: `BATON_LOG_LEVEL`, else `info`. */
  level?: LevelWithSilent;
  /** Human-readable output; default: when stderr is a TTY. */
  pretty?: boolean;
  /** Where lines go; default stderr (stdout stays for command output). */
  destination?: DestinationStream;
  /** Extra paths to redact. */
  redact?: readonly string[];
}

const LEVELS = new Set(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

function envLevel(): LevelWithSilent | undefined {
  const v = process.env.BATON_LOG_LEVEL;
  return v !== undefined && LEVELS.has(v) ? (v as LevelWithSilent) : undefined;
}

/**
 * A pino logger: JSON lines by default, pretty on a TTY, secrets redacted by path.
 * @example const log = createLogger({ name: 'worker' }).child({ runId, subtaskId });
 */
export function createLogger(options: LoggerOptions): Logger {
  const level = options.level ?? envLevel() ?? 'info';
  const usePretty = options.pretty ?? (process.stderr.isTTY === true && options.destination === undefined);
  const destination =
    options.destination ??
    (usePretty ? pretty({ sync: true, destination: 2, colorize: true }) : pino.destination({ dest: 2, sync: true }));
  return pino(
    {
      name: options.name,
      level,
      redact: { paths: [...REDACTED_PATHS, ...(options.redact ?? [])], censor: '[redacted]' },
      serializers: { err: pino.stdSerializers.err },
      base: { pid: process.pid },
    },
    destination,
  );
}

/** The ids a log line can carry. */
export interface LogContext {
  runId?: string;
  subtaskId?: string;
  workerId?: string;
  attempt?: number;
}

/** A child logger whose every line carries the given run / subtask / worker ids. */
export function withContext(logger: Logger, context: LogContext): Logger {
  return logger.child(Object.fromEntries(Object.entries(context).filter(([, v]) => v !== undefined)));
}

/** A logger that writes nothing (tests, libraries used without one). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
