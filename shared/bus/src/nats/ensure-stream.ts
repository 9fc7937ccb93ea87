import {
  JetStreamApiError,
  type ConsumerConfig,
  type ConsumerInfo,
  type JetStreamManager,
  type StreamConfig,
  type StreamInfo,
} from '@nats-io/jetstream';

const STREAM_NOT_FOUND = 10059;
const CONSUMER_NOT_FOUND = 10014;

function isApiError(err: unknown, code: number): boolean {
  return err instanceof JetStreamApiError && err.code === code;
}

// True when every field we asked for already has that value (the server adds defaults we did not set).
function matches(existing: object, wanted: object): boolean {
  const have = existing as Record<string, unknown>;
  return Object.entries(wanted).every(([key, value]) => JSON.stringify(have[key]) === JSON.stringify(value));
}

async function streamInfoOrNull(jsm: JetStreamManager, name: string): Promise<StreamInfo | null> {
  try {
    return await jsm.streams.info(name);
  } catch (err) {
    if (isApiError(err, STREAM_NOT_FOUND)) return null;
    throw err;
  }
}

/** Creates the stream, or verifies an existing one and updates the fields that differ; safe to run from many processes at once. */
export async function ensureStream(
  jsm: JetStreamManager,
  config: Partial<StreamConfig> & { name: string },
): Promise<StreamInfo> {
  let existing = await streamInfoOrNull(jsm, config.name);
  if (existing === null) {
    try {
      return await jsm.streams.add(config);
    } catch (err) {
      // Another process may have created it between our info and add; re-read and reconcile.
      existing = await streamInfoOrNull(jsm, config.name);
      if (existing === null) throw err;
    }
  }
  if (matches(existing.config, config)) return existing;
  return jsm.streams.update(config.name, config);
}

async function consumerInfoOrNull(jsm: JetStreamManager, stream: string, name: string): Promise<ConsumerInfo | null> {
  try {
    return await jsm.consumers.info(stream, name);
  } catch (err) {
    if (isApiError(err, CONSUMER_NOT_FOUND)) return null;
    throw err;
  }
}

/** Creates the durable consumer, or verifies an existing one and updates the fields that differ. */
export async function ensureConsumer(
  jsm: JetStreamManager,
  stream: string,
  config: Partial<ConsumerConfig> & { durable_name: string },
): Promise<ConsumerInfo> {
  let existing = await consumerInfoOrNull(jsm, stream, config.durable_name);
  if (existing === null) {
    try {
      return await jsm.consumers.add(stream, config);
    } catch (err) {
      existing = await consumerInfoOrNull(jsm, stream, config.durable_name);
      if (existing === null) throw err;
    }
  }
  if (matches(existing.config, config)) return existing;
  return jsm.consumers.update(stream, config.durable_name, config);
}
