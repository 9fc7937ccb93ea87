/** @baton/bus: one interface, two transports (NATS and in-process) passing one contract suite. */
export {
  type Schema,
  TransportKind,
  type Subscription,
  type MessageContext,
  type MessageHandler,
  type RequestHandler,
  type SubscribeOptions,
  type RequestOptions,
  type WorkQueueDef,
  type WorkPublishOptions,
  type WorkPublishAck,
  type Delivery,
  type ConsumeOptions,
  type WorkQueue,
  type KvEntry,
  type KvChange,
  type KvOptions,
  type KvWatchOptions,
  type Kv,
  type ObjectInfo,
  type ObjectSource,
  type ObjectReader,
  type ObjectStore,
  type Bus,
} from './types.js';
export {
  BusError,
  NoRespondersError,
  RequestTimeoutError,
  RemoteError,
  InvalidMessageError,
  KvConflictError,
  InvalidNameError,
  ObjectDigestError,
  BusClosedError,
  MessageTooLargeError,
  PlanMissingError,
} from './errors.js';
export { isTransientError } from './transient-error.js';
export { RunPlans } from './run-plans.js';
export { connectNats, type NatsBusOptions } from './nats/connect-nats.js';
export { createMemoryBroker, type MemoryBroker, type MemoryBrokerOptions } from './memory/memory-broker.js';
