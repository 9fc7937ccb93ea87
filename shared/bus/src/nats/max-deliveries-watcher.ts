import type { Logger } from '@baton/log';
import { JetStreamApiError, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { z } from 'zod';
import type { DeadLetters } from './dead-letters.js';
import type { QueueNames } from './nats-names.js';

const NO_MESSAGE_FOUND = 10037;

/** The fields we read of `io.nats.jetstream.advisory.v1.max_deliver` (third-party payload: unknown keys allowed). */
const MaxDeliveriesAdvisory = z.looseObject({
  stream: z.string(),
  consumer: z.string(),
  stream_seq: z.number().int().positive(),
  deliveries: z.number().int().nonnegative(),
});

/**
 * Moves messages that ran out of deliveries to the dead letter and out of the work stream.
 *
 * JetStream only emits an advisory when a message reaches max_deliver (the last consumer may have died
 * without acking, so nobody can term it); the message itself stays in a work-queue stream forever. Every
 * process that opened the queue listens in one queue group; the dead letter is published with
 * `Nats-Msg-Id: <stream>:<seq>` and the delete is idempotent, so a handler that runs twice does no harm.
 *
 * The server emits the advisory when it next tries to deliver the message, i.e. while some consumer is
 * pulling, and that consumer's bus is subscribed here. An advisory whose handler fails (connection lost
 * mid-way) is not repeated: the message then stays in the stream, counted by size(), until an operator acts.
 */
export function watchMaxDeliveries(
  nc: NatsConnection,
  jsm: JetStreamManager,
  queue: string,
  names: QueueNames,
  deadLetters: DeadLetters,
  logger: Logger,
): Subscription {
  const subject = `$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.${names.stream}.${names.consumer}`;
  const handle = async (data: Uint8Array) => {
    const advisory = MaxDeliveriesAdvisory.parse(JSON.parse(new TextDecoder().decode(data)));
    const seq = advisory.stream_seq;
    const stored = await getOrNull(jsm, names.stream, seq);
    if (stored === null) return;
    await deadLetters.write(
      {
        queue,
        subject: stored.subject,
        reason: 'max_deliveries',
        detail: `delivered ${advisory.deliveries} times without an ack`,
        deliveries: advisory.deliveries,
        payload: stored.data,
        msgId: stored.header?.get('Nats-Msg-Id') || undefined,
      },
      `${names.stream}:${seq}`,
    );
    await deleteIfPresent(jsm, names.stream, seq);
  };
  return nc.subscribe(subject, {
    queue: `${names.stream}-max-deliveries`,
    callback: (err, msg) => {
      if (err !== null) {
        logger.error({ err, queue }, 'max-deliveries advisory subscription failed');
        return;
      }
      handle(msg.data).catch((cause: unknown) =>
        logger.error(
          { err: cause, queue },
          'could not dead-letter a message past max deliveries; it stays in the work stream',
        ),
      );
    },
  });
}

async function getOrNull(jsm: JetStreamManager, stream: string, seq: number) {
  try {
    return await jsm.streams.getMessage(stream, { seq });
  } catch (err) {
    if (err instanceof JetStreamApiError && err.code === NO_MESSAGE_FOUND) return null;
    throw err;
  }
}

async function deleteIfPresent(jsm: JetStreamManager, stream: string, seq: number): Promise<void> {
  try {
    await jsm.streams.deleteMessage(stream, seq, false);
  } catch (err) {
    if (err instanceof JetStreamApiError && err.code === NO_MESSAGE_FOUND) return;
    throw err;
  }
}
