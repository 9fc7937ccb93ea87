/** @baton/nats-launcher: starts a real nats-server (JetStream, random port, temp store) for tests, benchmarks and fault injection. */
export { startNatsServer, type NatsServer, type NatsServerOptions } from './start-nats-server.js';
export { findNatsServer } from './find-nats-server.js';
export { NatsServerNotFoundError, NatsServerStartError } from './errors.js';
