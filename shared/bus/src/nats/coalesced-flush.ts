/**
 * Shares one PING/PONG among every caller in the same tick: `flush()` resolves once the server has seen
 * everything this connection sent before the call. Acks use it, so a thousand acks cost one round trip.
 */
export class CoalescedFlush {
  #pending: Promise<void> | undefined;

  constructor(private readonly flushConnection: () => Promise<void>) {}

  flush(): Promise<void> {
    // The flush is sent on a later microtask, after every ack queued in this tick has been written.
    this.#pending ??= Promise.resolve().then(() => {
      this.#pending = undefined;
      return this.flushConnection();
    });
    return this.#pending;
  }
}
