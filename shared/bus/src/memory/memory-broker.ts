/**
 * The in-process transport: one broker object standing in for a NATS server with JetStream,
 * and any number of Bus clients connected to it (each one a simulated process).
 *
 * It exists for single-machine use (the embedded `baton run`) and fast tests, with the same
 * semantics as the NATS transport (both pass src/contract/bus-contract.ts). It is not a
 * second broker to grow and must never be what a multi-machine deployment uses. Nothing
 * persists: the broker lives and dies with its process.
 */
import { silentLogger, type Logger } from '@baton/log';
import { subjectsFor, type Subjects } from '@baton/protocol';
import type { Bus } from '../types.js';
import { BusError } from '../errors.js';
import { deadLetterOf, encodeMessage, type DeadLetterInput } from '../codec.js';
import { KvBucketState } from './kv.js';
import { MemoryBus, type BrokerCore } from './memory-bus.js';
import { ObjectBucketState } from './object-store.js';
import { QueueState, type QueueSettings } from './queue-state.js';
import { SubjectRouter, type WireMessage } from './router.js';
import { subjectMatches } from './subject-match.js';

/** Options of createMemoryBroker. */
export interface MemoryBrokerOptions {
  /** Subject prefix; default `baton`. */
  prefix?: string;
  logger?: Logger;
}

/** An in-process broker: connect clients to it; `corruptObject` is a fault hook for tests. */
export interface MemoryBroker {
  readonly subjects: Subjects;
  /** A new client (a simulated process) on this broker. */
  connect(): Bus;
  /** Test fault: damages a stored object so that reading it fails with ObjectDigestError. */
  corruptObject(bucket: string, name: string): Promise<void>;
  /** Closes every client and cancels every timer. */
  close(): Promise<void>;
}

class Broker implements BrokerCore, MemoryBroker {
  readonly subjects: Subjects;
  readonly router = new SubjectRouter();
  readonly #queues = new Map<string, QueueState>();
  readonly #kv = new Map<string, KvBucketState>();
  readonly #objects = new Map<string, ObjectBucketState>();
  readonly #clients = new Set<MemoryBus>();
  #connections = 0;

  constructor(
    private readonly log: Logger,
    prefix: string,
  ) {
    this.subjects = subjectsFor(prefix);
  }

  connect(): Bus {
    const bus = new MemoryBus(this, this.log.child({ client: ++this.#connections }));
    this.#clients.add(bus);
    return bus;
  }

  publish(message: WireMessage): void {
    this.router.route(message);
    // Like a JetStream stream, a queue captures plain publishes on its subject too.
    for (const queue of this.#queues.values())
      if (subjectMatches(queue.subject, message.subject)) queue.append(message.subject, message.payload);
  }

  deadLetter(input: DeadLetterInput): void {
    this.log.warn(
      { queue: input.queue, subject: input.subject, reason: input.reason, detail: input.detail },
      'dead letter',
    );
    this.publish({ subject: this.subjects.deadLetter(input.queue), payload: encodeMessage(deadLetterOf(input)) });
  }

  // Defining a queue again updates its settings (as updating a JetStream consumer does).
  queue(name: string, subject: string, settings: QueueSettings): QueueState {
    const existing = this.#queues.get(name);
    if (existing === undefined) {
      const created = new QueueState(name, subject, settings, (input) => this.deadLetter(input));
      this.#queues.set(name, created);
      return created;
    }
    if (existing.subject !== subject)
      throw new BusError(`work queue ${name} holds ${existing.subject}, not ${subject}`);
    existing.settings = settings;
    return existing;
  }

  kvBucket(bucket: string): KvBucketState {
    return getOrCreate(this.#kv, bucket, () => new KvBucketState(bucket));
  }

  objectBucket(bucket: string): ObjectBucketState {
    return getOrCreate(this.#objects, bucket, () => new ObjectBucketState(bucket));
  }

  corruptObject(bucket: string, name: string): Promise<void> {
    return new Promise((resolve) => {
      this.objectBucket(bucket).corrupt(name);
      resolve();
    });
  }

  async close(): Promise<void> {
    await Promise.all([...this.#clients].map((c) => c.close()));
    for (const queue of this.#queues.values()) queue.close();
  }
}

function getOrCreate<V>(map: Map<string, V>, key: string, create: () => V): V {
  const found = map.get(key);
  if (found !== undefined) return found;
  const made = create();
  map.set(key, made);
  return made;
}

/**
 * Creates an in-process broker (see the top of this file for what it is and is not for).
 * @example const broker = createMemoryBroker(); const bus = broker.connect();
 */
export function createMemoryBroker(options: MemoryBrokerOptions = {}): MemoryBroker {
  return new Broker((options.logger ?? silentLogger()).child({ bus: 'memory' }), options.prefix ?? 'baton');
}
