export interface Logged {
  seq: number;
}

export interface LogQuery {
  /** Exclusive: only entries with a greater sequence number. */
  since?: number;
  /** Keeps the newest this many. */
  limit?: number;
}

/** A log that keeps the newest `capacity` entries, numbered from 1; oldest dropped first. */
export class BoundedLog<T extends Logged> {
  private items: T[] = [];
  private seq = 0;

  constructor(private readonly capacity: number) {}

  append(make: (seq: number) => T): T {
    return this.push(make(this.nextSeq));
  }

  /** The number the next entry gets. */
  get nextSeq(): number {
    return this.seq + 1;
  }

  /** Appends an entry the caller numbered nextSeq (append() without a closure, for the hot paths). */
  push(item: T): T {
    if (item.seq !== this.seq + 1) throw new RangeError(`entry ${item.seq} pushed where ${this.seq + 1} is next`);
    this.seq = item.seq;
    this.items.push(item);
    // Trim in batches so that appending stays O(1) amortized.
    if (this.items.length > this.capacity * 1.25) this.items = this.items.slice(this.items.length - this.capacity);
    return item;
  }

  /** Newest last. */
  query({ since = 0, limit }: LogQuery = {}, keep: (item: T) => boolean = () => true): T[] {
    const found = this.list().filter((item) => item.seq > since && keep(item));
    return limit === undefined ? found : found.slice(Math.max(0, found.length - limit));
  }

  list(): T[] {
    return this.items.length > this.capacity ? this.items.slice(this.items.length - this.capacity) : this.items;
  }

  get size(): number {
    return Math.min(this.items.length, this.capacity);
  }

  /** Its state as plain data (for saving the simulator's state), and back. */
  dump(): { items: T[]; seq: number } {
    return { items: this.list(), seq: this.seq };
  }

  load(state: { items: T[]; seq: number }): void {
    this.items = state.items.slice(-this.capacity);
    this.seq = state.seq;
  }

  get lastSeq(): number {
    return this.seq;
  }
}
