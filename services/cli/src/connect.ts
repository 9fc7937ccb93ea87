import { connectNats, type Bus } from '@baton/bus';
import type { Logger } from '@baton/log';
import { CliError } from './errors.js';

/** Connects to a Baton cluster's NATS, with an error that says what to check when it is unreachable. */
export async function connectCluster(url: string, logger?: Logger): Promise<Bus> {
  try {
    return await connectNats({
      servers: url,
      name: 'baton-cli',
      maxReconnectAttempts: 3,
      connectTimeoutMs: 5_000,
      ...(logger ? { logger } : {}),
    });
  } catch (err) {
    throw new CliError(
      `cannot reach NATS at ${url}: ${err instanceof Error ? err.message : String(err)}. Is nats-server running (with -js)?`,
      1,
      { cause: err },
    );
  }
}
