import { errors as natsErrors } from '@nats-io/transport-node';
import { BusClosedError, NoRespondersError, RequestTimeoutError } from './errors.js';

/**
 * True for an error of a bus, KV or queue that is down or slow for a moment, recognised by its class: the bus's own
 * (closed, timed out, no responders) and nats.js's for what its JetStream and KV calls throw as they are (a lost or
 * closed connection, a timed-out or failed request). Retrying the operation later may succeed; anything else will not.
 */
export function isTransientError(err: unknown): boolean {
  return (
    err instanceof BusClosedError ||
    err instanceof RequestTimeoutError ||
    err instanceof NoRespondersError ||
    err instanceof natsErrors.ConnectionError ||
    err instanceof natsErrors.ClosedConnectionError ||
    err instanceof natsErrors.TimeoutError ||
    err instanceof natsErrors.RequestError
  );
}
