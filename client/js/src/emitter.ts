// A small typed event emitter: handlers run in the order they were added, one
// throwing does not stop the others.

export type Handler<T> = (value: T) => unknown;

export class Emitter<Events extends { [K in keyof Events]: unknown }> {
  private readonly handlers: { [K in keyof Events]?: Handler<Events[K]>[] } = {};

  on<K extends keyof Events>(event: K, fn: Handler<Events[K]>): () => void {
    (this.handlers[event] ??= []).push(fn);
    return () => this.off(event, fn);
  }

  off<K extends keyof Events>(event: K, fn: Handler<Events[K]>): void {
    const list = this.handlers[event];
    if (!list) return;
    const i = list.indexOf(fn);
    if (i >= 0) list.splice(i, 1);
  }

  /**
   * emit calls every handler of event with value. It returns what they
   * returned (a handler may return a promise) and what they threw.
   */
  emit<K extends keyof Events>(event: K, value: Events[K]): { results: unknown[]; thrown: unknown[] } {
    const results: unknown[] = [];
    const thrown: unknown[] = [];
    for (const fn of [...(this.handlers[event] ?? [])]) {
      try {
        results.push(fn(value));
      } catch (e) {
        thrown.push(e);
      }
    }
    return { results, thrown };
  }
}
