interface Slot<T> {
  done: boolean;
  value: T | undefined;
  promise: Promise<T> | undefined;
}

/**
 * Rows leave in the order they came, however their answers arrive. At most `capacity` rows wait
 * between reader and writer: when the oldest is slow, `push` makes the reader wait rather than
 * buffer more (this bounds both the reorder buffer and the requests queued behind it).
 *
 * `push` and the sink return a promise only when the caller must wait, so rows that are ready
 * at once (checkpoint hits, invalid rows) cost no event-loop turn.
 */
export class OrderedWindow<T> {
  readonly capacity: number;
  readonly #sink: (item: T) => Promise<void> | undefined;
  #slots: Array<Slot<T>> = [];
  #head = 0;
  /** Most rows ever waiting at once. */
  peak = 0;

  constructor(capacity: number, sink: (item: T) => Promise<void> | undefined) {
    this.capacity = capacity;
    this.#sink = sink;
  }

  get size(): number {
    return this.#slots.length - this.#head;
  }

  push(item: T | Promise<T>): Promise<void> | undefined {
    if (this.size === 0 && !(item instanceof Promise)) return this.#sink(item);
    const slot: Slot<T> = { done: false, value: undefined, promise: undefined };
    if (item instanceof Promise) {
      slot.promise = item.then((value) => {
        slot.done = true;
        slot.value = value;
        return value;
      });
      // Awaited when it reaches the head; if the run fails before that, nobody will: not unhandled.
      slot.promise.catch(() => undefined);
    } else {
      slot.done = true;
      slot.value = item;
    }
    this.#slots.push(slot);
    if (this.size > this.peak) this.peak = this.size;
    return this.#flush(false);
  }

  /** Writes every row still waiting, in order. */
  async drain(): Promise<void> {
    while (this.size > 0) await this.#flush(true);
  }

  #flush(all: boolean): Promise<void> | undefined {
    while (this.size > 0) {
      const slot = this.#slots[this.#head]!;
      if (!slot.done) {
        if (!all && this.size < this.capacity) return undefined;
        return slot.promise!.then(() => this.#flush(all));
      }
      this.#slots[this.#head++] = undefined as unknown as Slot<T>;
      if (this.#head > 1024 && this.#head * 2 > this.#slots.length) {
        this.#slots = this.#slots.slice(this.#head);
        this.#head = 0;
      }
      const wait = this.#sink(slot.value!);
      if (wait) return wait.then(() => this.#flush(all));
    }
    return undefined;
  }
}
