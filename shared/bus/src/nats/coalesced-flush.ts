/**
 * Shares one PING/PONG among every caller of the same turn of the event loop: `flush()` resolves once the
 * server has seen everything this connection sent before the call. Acks use it, so the acks of a whole
 * batch of deliveries cost one round trip rather than one each.
 */
export class CoalescedFlush {
  #pending: Promise<void> | undefined;

  constructor(private readonly flushConnection: () => Promise<void>) {}

  flush(): Promise<void> {
    // setImmediate, not a microtask: a consumer's loop acks across many microtasks of the same turn.
    this.#pending ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      this.#pending = undefined;
      return this.flushConnection();
    });
    return this.#pending;
  }
}
