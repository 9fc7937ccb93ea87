import { errors as natsErrors } from '@nats-io/transport-node';
import { describe, expect, it } from 'vitest';
import {
  BusClosedError,
  KvConflictError,
  MessageTooLargeError,
  NoRespondersError,
  RequestTimeoutError,
} from './errors.js';
import { isTransientError } from './transient-error.js';

describe('isTransientError', () => {
  it.each([
    ['the bus closed', new BusClosedError(), true],
    ['a request timed out', new RequestTimeoutError('baton.x', 10), true],
    ['no responders', new NoRespondersError('baton.x'), true],
    ["nats.js's lost connection", new natsErrors.ConnectionError('connection refused'), true],
    ["nats.js's closed connection", new natsErrors.ClosedConnectionError(), true],
    ["nats.js's timeout", new natsErrors.TimeoutError(), true],
    ["nats.js's failed request", new natsErrors.RequestError('request failed'), true],
    ['a lost compare-and-set', new KvConflictError('b', 'k', 3), false],
    ['a value over max_payload', new MessageTooLargeError('b/k', 2, 1), false],
    ['a plain error merely named like a timeout', Object.assign(new Error('x'), { name: 'TimeoutError' }), false],
    ['something not an error', 'TimeoutError', false],
  ])('%s: %s', (_what, err, transient) => {
    expect(isTransientError(err)).toBe(transient);
  });
});
