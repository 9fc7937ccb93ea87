import type { RequestHandler, RequestOptions, Schema, SubscribeOptions, Subscription } from '../types.js';
import { BusClosedError, InvalidMessageError, NoRespondersError, RequestTimeoutError } from '../errors.js';
import { decodeMessage, decodeReply, encodeErrorReply, encodeMessage, encodeReply } from '../codec.js';
import { asPromise, type ClientContext } from './client.js';
import { Listener, attachListener } from './pubsub.js';

const DEFAULT_TIMEOUT_MS = 5000;

/** Sends a request and waits for the first reply, like a NATS request with no-responders detection. */
export function request<Res>(
  client: ClientContext,
  subject: string,
  replySchema: Schema<Res>,
  message: unknown,
  options?: RequestOptions,
): Promise<Res> {
  const timeoutMs = options?.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return new Promise<Res>((resolve, reject) => {
    client.assertOpen();
    let settled = false;
    const finish = (settle: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      forget();
      settle();
    };
    const timer = setTimeout(() => finish(() => reject(new RequestTimeoutError(subject, timeoutMs))), timeoutMs);
    const forget = client.onClose(() => finish(() => reject(new BusClosedError())));
    // Resolving with the decode promise makes its RemoteError or InvalidMessageError the request's rejection.
    const reply = (payload: Uint8Array) =>
      finish(() => resolve(asPromise(() => decodeReply(subject, replySchema, payload))));
    const responders = client.router.route({ subject, payload: encodeMessage(message), reply });
    if (responders === 0) finish(() => reject(new NoRespondersError(subject)));
  });
}

/** Serves requests: each is validated and handled at once (a slow handler never blocks the next request). */
export function serve<Req, Res>(
  client: ClientContext,
  subject: string,
  requestSchema: Schema<Req>,
  handler: RequestHandler<Req, Res>,
  options?: SubscribeOptions,
): Subscription {
  client.assertOpen();
  const listener = new Listener('concurrent', async (message) => {
    const reply = message.reply;
    if (reply === undefined) {
      client.log.warn({ subject: message.subject }, 'message without a reply path on a served subject ignored');
      return;
    }
    // A closed client is a dead process: whatever its handlers still compute never leaves it.
    const send = (payload: Uint8Array) => {
      if (!client.closed.aborted) reply(payload);
    };
    const decoded = decodeMessage(requestSchema, message.payload);
    if (!decoded.ok) {
      client.log.warn({ subject: message.subject, issues: decoded.issues }, 'invalid request answered with an error');
      send(encodeErrorReply(new InvalidMessageError(message.subject, decoded.issues)));
      return;
    }
    try {
      send(encodeReply(await handler(decoded.value, { subject: message.subject })));
    } catch (err) {
      client.log.warn({ err, subject: message.subject }, 'request handler threw; error reply sent');
      send(encodeErrorReply(err));
    }
  });
  return attachListener(client, subject, options?.queue, listener);
}
