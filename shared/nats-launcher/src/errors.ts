/** The nats-server binary was not found; the message says how to install it. */
export class NatsServerNotFoundError extends Error {
  override name = 'NatsServerNotFoundError';
  constructor(readonly searched: readonly string[]) {
    super(
      `nats-server not found (looked in: ${searched.join(', ')}). ` +
        'Install it with `apt-get update && apt-get install -y nats-server`, or set NATS_SERVER_BIN to its path.',
    );
  }
}

/** nats-server exited or stayed silent before it was ready to accept connections. */
export class NatsServerStartError extends Error {
  override name = 'NatsServerStartError';
  constructor(
    readonly binary: string,
    readonly args: readonly string[],
    readonly output: string,
    options?: ErrorOptions,
  ) {
    super(`nats-server did not become ready (${binary} ${args.join(' ')}):\n${output.slice(-2000)}`, options);
  }
}
