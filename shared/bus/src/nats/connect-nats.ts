import type { Logger } from '@baton/log';
import { connect } from '@nats-io/transport-node';
import type { Bus } from '../types.js';
import { NatsBus } from './nats-bus.js';

/** Options of connectNats. */
export interface NatsBusOptions {
  /** One or more `nats://host:port` URLs. */
  servers: string | string[];
  /** Subject and resource prefix. Default `baton`. */
  prefix?: string;
  logger?: Logger;
  /** Connection name shown by the server's monitoring. */
  name?: string;
  /** Reconnect attempts before giving up; default -1 (forever: a broker restart must not kill a service). */
  maxReconnectAttempts?: number;
  /** Wait between reconnect attempts. Default 250 ms. */
  reconnectTimeWaitMs?: number;
  /** Timeout of the first connection. Default 5000 ms. */
  connectTimeoutMs?: number;
}

/**
 * Connects to NATS (JetStream enabled) and returns the Bus over it; it reconnects on its own after a server restart.
 * @example const bus = await connectNats({ servers: 'nats://127.0.0.1:4222', logger });
 */
export async function connectNats(options: NatsBusOptions): Promise<Bus> {
  const nc = await connect({
    servers: options.servers,
    ...(options.name === undefined ? {} : { name: options.name }),
    maxReconnectAttempts: options.maxReconnectAttempts ?? -1,
    reconnectTimeWait: options.reconnectTimeWaitMs ?? 250,
    timeout: options.connectTimeoutMs ?? 5_000,
  });
  try {
    return await NatsBus.open(nc, options.prefix ?? 'baton', options.logger);
  } catch (err) {
    await nc.close();
    throw err;
  }
}
