import { describe, expect, it } from 'vitest';
import { AckPayload, parseAckReply } from './ack-reply.js';

describe('parseAckReply', () => {
  it('reads delivery count and stream sequence from the old and the new reply forms', () => {
    expect(parseAckReply('$JS.ACK.BATON_Q_jobs.workers.3.42.40.1700000000000000000.5')).toEqual({
      deliveryCount: 3,
      streamSeq: 42,
    });
    expect(parseAckReply('$JS.ACK._.ACCHASH.BATON_Q_jobs.workers.1.7.7.1700000000000000000.0.rnd')).toEqual({
      deliveryCount: 1,
      streamSeq: 7,
    });
  });

  it('returns null for anything that is not a JetStream delivery', () => {
    expect(parseAckReply(undefined)).toBeNull();
    expect(parseAckReply('_INBOX.abc')).toBeNull();
    expect(parseAckReply('$JS.ACK.too.short')).toBeNull();
    expect(parseAckReply('$JS.ACK.S.C.x.y.z.1.0')).toBeNull();
  });

  it('encodes a delayed nak in nanoseconds', () => {
    expect(new TextDecoder().decode(AckPayload.nakWithDelay(1500))).toBe('-NAK {"delay":1500000000}');
  });
});
