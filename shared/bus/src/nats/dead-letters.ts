import type { Logger } from '@baton/log';
import type { Subjects } from '@baton/protocol';
import {
  DiscardPolicy,
  RetentionPolicy,
  StorageType,
  type JetStreamClient,
  type JetStreamManager,
} from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { deadLetterOf, encodeMessage, type DeadLetterInput } from '../codec.js';
import { ensureStream } from './ensure-stream.js';

const DEAD_LETTER_MAX_AGE_MS = 14 * 24 * 60 * 60 * 1000;
const DEAD_LETTER_DUPLICATE_WINDOW_MS = 10 * 60 * 1000;

/**
 * Writes DeadLetters into the prefix's dead-letter stream (limits retention, 14 days). Each is published with
 * `Nats-Msg-Id: <stream>:<seq>`, so several processes reacting to the same advisory store it once.
 */
export class DeadLetters {
  #ready: Promise<unknown> | undefined;

  constructor(
    private readonly jsm: JetStreamManager,
    private readonly js: JetStreamClient,
    private readonly subjects: Subjects,
    private readonly streamName: string,
    private readonly logger: Logger,
  ) {}

  /** Creates (or verifies) the dead-letter stream once per bus. */
  ensure(): Promise<unknown> {
    this.#ready ??= ensureStream(this.jsm, {
      name: this.streamName,
      subjects: [this.subjects.deadLetterAll()],
      retention: RetentionPolicy.Limits,
      storage: StorageType.File,
      discard: DiscardPolicy.Old,
      max_age: nanos(DEAD_LETTER_MAX_AGE_MS),
      duplicate_window: nanos(DEAD_LETTER_DUPLICATE_WINDOW_MS),
      num_replicas: 1,
    }).catch((err: unknown) => {
      this.#ready = undefined;
      throw err;
    });
    return this.#ready;
  }

  /**
   * Stores one dead letter and resolves once the server has it. `dedupeId` (`<stream>:<seq>` for work items)
   * makes a second write of the same message a no-op within the duplicate window.
   */
  async write(input: DeadLetterInput, dedupeId?: string): Promise<void> {
    await this.ensure();
    const subject = this.subjects.deadLetter(input.queue);
    const payload = encodeMessage(deadLetterOf(input));
    await this.js.publish(subject, payload, dedupeId === undefined ? undefined : { msgID: dedupeId });
    this.logger.warn(
      { queue: input.queue, subject: input.subject, reason: input.reason, detail: input.detail },
      'message dead-lettered',
    );
  }
}
