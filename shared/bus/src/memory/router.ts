import { subjectMatches } from './subject-match.js';

/** A message on the in-process wire: bytes, as NATS would carry them, plus an optional reply path. */
export interface WireMessage {
  subject: string;
  payload: Uint8Array;
  /** Present on requests: sends the reply bytes back to the requester. */
  reply?: ((payload: Uint8Array) => void) | undefined;
}

/** Something listening on a subject pattern, alone or as a member of a queue group. */
export interface Endpoint {
  pattern: string;
  queue: string | undefined;
  deliver(message: WireMessage): void;
}

/**
 * Core-NATS routing: every plain subscriber whose pattern matches gets the message, and each
 * queue group (same pattern and group name) gets it once, round-robin among its members.
 */
export class SubjectRouter {
  readonly #endpoints = new Set<Endpoint>();
  readonly #turns = new Map<string, number>();

  /** Adds an endpoint; the returned function removes it. */
  add(endpoint: Endpoint): () => void {
    this.#endpoints.add(endpoint);
    return () => this.#endpoints.delete(endpoint);
  }

  /** Delivers a message; returns how many endpoints got it (0 means no responders). */
  route(message: WireMessage): number {
    const groups = new Map<string, Endpoint[]>();
    let delivered = 0;
    for (const endpoint of this.#endpoints) {
      if (!subjectMatches(endpoint.pattern, message.subject)) continue;
      if (endpoint.queue === undefined) {
        endpoint.deliver(message);
        delivered++;
        continue;
      }
      const key = `${endpoint.pattern} ${endpoint.queue}`;
      const members = groups.get(key) ?? [];
      members.push(endpoint);
      groups.set(key, members);
    }
    for (const [key, members] of groups) {
      const turn = this.#turns.get(key) ?? 0;
      this.#turns.set(key, turn + 1);
      members[turn % members.length]?.deliver(message);
      delivered++;
    }
    return delivered;
  }
}
