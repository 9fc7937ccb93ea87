import { resourceNamesFor } from '@baton/protocol';
import { assertQueueName } from '../codec.js';

const DEAD_SUFFIX = '_DEAD';

/** JetStream resource names of one work queue under a prefix. */
export interface QueueNames {
  /** The queue's own stream (work-queue retention). */
  stream: string;
  /** Its one durable pull consumer. */
  consumer: string;
}

/** Stream and consumer names of a queue: `<PREFIX>_Q_<name>` (case and dashes kept, so distinct names never collide). */
export function queueNamesFor(prefix: string, queue: string): QueueNames {
  assertQueueName(queue);
  // The upper-cased prefix is the dead stream's name without its suffix (`BATON_DEAD` -> `BATON`).
  const { deadStream } = resourceNamesFor(prefix);
  return { stream: `${deadStream.slice(0, -DEAD_SUFFIX.length)}_Q_${queue}`, consumer: 'workers' };
}
