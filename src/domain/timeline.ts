/** Work the simulation has scheduled for a simulated time. Plain data, so state can be saved. */
export type Job =
  | { type: 'expireSession'; sessionId: string }
  | { type: 'sample'; tick: number }
  | { type: 'arrival'; n: number }
  | { type: 'sessionStep'; sessionId: string; step: number };

interface Entry {
  at: number;
  seq: number;
  job: Job;
}

const before = (a: Entry, b: Entry) => a.at < b.at || (a.at === b.at && a.seq < b.seq);

/** A min-heap of jobs ordered by time, then by the order they were scheduled. */
export class Timeline {
  private heap: Entry[] = [];
  private seq = 0;

  get size(): number {
    return this.heap.length;
  }

  schedule(at: number, job: Job): void {
    this.heap.push({ at, seq: this.seq++, job });
    this.up(this.heap.length - 1);
  }

  /** Time of the earliest job, if any. */
  nextAt(): number | undefined {
    return this.heap[0]?.at;
  }

  /** Removes and returns the earliest job due at or before `time`. */
  takeDue(time: number): { at: number; job: Job } | undefined {
    const top = this.heap[0];
    if (!top || top.at > time) return undefined;
    const last = this.heap.pop() as Entry;
    if (this.heap.length > 0) {
      this.heap[0] = last;
      this.down(0);
    }
    return top;
  }

  private up(i: number): void {
    const h = this.heap;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(h[i] as Entry, h[parent] as Entry)) break;
      [h[i], h[parent]] = [h[parent] as Entry, h[i] as Entry];
      i = parent;
    }
  }

  private down(i: number): void {
    const h = this.heap;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && before(h[l] as Entry, h[m] as Entry)) m = l;
      if (r < h.length && before(h[r] as Entry, h[m] as Entry)) m = r;
      if (m === i) return;
      [h[i], h[m]] = [h[m] as Entry, h[i] as Entry];
      i = m;
    }
  }
}
