// The ids already handed to the 'message' handlers, bounded: the oldest id is
// forgotten when the window is full. A Map keeps insertion order, so the first
// key is the oldest.

import type { AckStatus } from './types.js';

/** What the client remembers of a message it handled: the ack it gave, if any. */
export interface Seen {
  ack?: AckStatus;
}

export class SeenIds {
  private readonly ids = new Map<string, Seen>();

  constructor(private readonly limit: number) {}

  get(id: string): Seen | undefined {
    return this.ids.get(id);
  }

  /** add remembers id (as new) and returns its entry. */
  add(id: string): Seen {
    const entry: Seen = {};
    this.ids.set(id, entry);
    while (this.ids.size > this.limit) {
      const oldest = this.ids.keys().next().value as string;
      this.ids.delete(oldest);
    }
    return entry;
  }

  get size(): number {
    return this.ids.size;
  }
}
