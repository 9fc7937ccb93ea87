/**
 * An unbounded push queue read as an AsyncIterable: producers `push`, `end` finishes it after
 * the buffered items. Used for live feeds (KV watch) where the producer must never block.
 */
export class AsyncQueue<T> implements AsyncIterable<T> {
  #items: T[] = [];
  #ended = false;
  #waiter: ((result: IteratorResult<T>) => void) | undefined;

  /** @param onReturn called once when the reader stops early or the queue ends. */
  constructor(private readonly onReturn: () => void = () => undefined) {}

  /** Adds an item, handing it straight to a waiting reader. */
  push(item: T): void {
    if (this.#ended) return;
    const waiter = this.#waiter;
    if (waiter !== undefined) {
      this.#waiter = undefined;
      waiter({ value: item, done: false });
    } else {
      this.#items.push(item);
    }
  }

  /** Finishes the iteration once the buffered items are read. */
  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.onReturn();
    const waiter = this.#waiter;
    this.#waiter = undefined;
    waiter?.({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () => {
        if (this.#items.length > 0) return Promise.resolve({ value: this.#items.shift() as T, done: false });
        if (this.#ended) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => (this.#waiter = resolve));
      },
      return: () => {
        this.#items = [];
        this.end();
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }
}
