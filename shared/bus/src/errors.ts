/** Base class of every bus error; retry on the class, never on message text. */
export class BusError extends Error {
  override name = 'BusError';
}

/** A request found nobody listening on its subject. */
export class NoRespondersError extends BusError {
  override name = 'NoRespondersError';
  constructor(
    readonly subject: string,
    options?: ErrorOptions,
  ) {
    super(`no responders on ${subject}`, options);
  }
}

/** A request got no reply within its timeout. */
export class RequestTimeoutError extends BusError {
  override name = 'RequestTimeoutError';
  constructor(
    readonly subject: string,
    readonly timeoutMs: number,
    options?: ErrorOptions,
  ) {
    super(`no reply on ${subject} within ${timeoutMs} ms`, options);
  }
}

/** The responder answered with an error (carried as data across the bus). */
export class RemoteError extends BusError {
  override name = 'RemoteError';
  constructor(
    readonly subject: string,
    readonly remoteName: string,
    remoteMessage: string,
    readonly data?: Record<string, unknown>,
  ) {
    super(`${remoteName} from ${subject}: ${remoteMessage}`);
  }
}

/** A message failed its schema; `issues` says which fields and why. */
export class InvalidMessageError extends BusError {
  override name = 'InvalidMessageError';
  constructor(
    readonly subject: string,
    readonly issues: string,
    options?: ErrorOptions,
  ) {
    super(`invalid message on ${subject}: ${issues}`, options);
  }
}

/** A KV create or compare-and-set lost: the key exists, or its revision moved on. */
export class KvConflictError extends BusError {
  override name = 'KvConflictError';
  constructor(
    readonly bucket: string,
    readonly key: string,
    readonly expectedRevision: number | null,
    options?: ErrorOptions,
  ) {
    super(
      expectedRevision === null
        ? `${bucket}/${key} already exists`
        : `${bucket}/${key} is no longer at revision ${expectedRevision}`,
      options,
    );
  }
}

/** A KV key, bucket or queue name with characters the transport cannot carry. */
export class InvalidNameError extends BusError {
  override name = 'InvalidNameError';
  constructor(
    readonly kind: string,
    readonly value: string,
  ) {
    super(`invalid ${kind}: ${JSON.stringify(value)}`);
  }
}

/** An object's bytes do not match the digest recorded when it was stored. */
export class ObjectDigestError extends BusError {
  override name = 'ObjectDigestError';
  constructor(
    readonly bucket: string,
    readonly object: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`object ${bucket}/${object} is corrupt: digest ${actual}, expected ${expected}`);
  }
}

/** The bus was closed; nothing more can be sent or received. */
export class BusClosedError extends BusError {
  override name = 'BusClosedError';
  constructor() {
    super('the bus is closed');
  }
}

/** A message or KV value larger than the bus carries (the NATS server's max_payload). */
export class MessageTooLargeError extends BusError {
  override name = 'MessageTooLargeError';
  constructor(
    readonly where: string,
    readonly bytes: number,
    readonly limit: number,
    options?: ErrorOptions,
  ) {
    super(
      `${where}: ${bytes} bytes, over the ${limit} bytes one message may hold (the NATS server's max_payload)`,
      options,
    );
  }
}

/** The plan a run's record references is not in the object store (deleted, or written to another cluster). */
export class PlanMissingError extends Error {
  override name = 'PlanMissingError';
  constructor(
    readonly bucket: string,
    readonly object: string,
  ) {
    super(`the plan ${bucket}/${object} named by a run's record or a plan reply is not in the object store`);
  }
}
