/** What the `$JS.ACK…` reply subject of a JetStream delivery says about it. */
export interface AckInfo {
  /** 1 on the first delivery. */
  deliveryCount: number;
  /** Position in the stream. */
  streamSeq: number;
}

/**
 * Parses a delivery's reply subject, in both the old form
 * `$JS.ACK.<stream>.<consumer>.<delivered>.<sseq>.<dseq>.<ts>.<pending>` and the new one with domain and
 * account hash after `ACK`; null when it is not a JetStream delivery.
 */
export function parseAckReply(reply: string | undefined): AckInfo | null {
  if (reply === undefined || !reply.startsWith('$JS.ACK.')) return null;
  const tokens = reply.split('.');
  const offset = tokens.length === 9 ? 4 : tokens.length >= 11 ? 6 : -1;
  if (offset < 0) return null;
  const deliveryCount = Number(tokens[offset]);
  const streamSeq = Number(tokens[offset + 1]);
  return Number.isInteger(deliveryCount) && Number.isInteger(streamSeq) ? { deliveryCount, streamSeq } : null;
}

const encoder = new TextEncoder();

/** The ack protocol's payloads (sent to the delivery's reply subject). */
export const AckPayload = {
  ack: encoder.encode('+ACK'),
  nak: encoder.encode('-NAK'),
  working: encoder.encode('+WPI'),
  // No reason on the wire: servers before 2.11 compare the payload to a bare `+TERM`.
  term: encoder.encode('+TERM'),
  nakWithDelay: (delayMs: number) =>
    encoder.encode(`-NAK ${JSON.stringify({ delay: Math.round(delayMs) * 1_000_000 })}`),
} as const;
