/** @baton/log: structured logging with secret redaction and run context. */
export {
  type Logger,
  REDACTED_PATHS,
  type LoggerOptions,
  createLogger,
  type LogContext,
  withContext,
  silentLogger,
} from './logger.js';
