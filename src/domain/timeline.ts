/** Work the simulation has scheduled for a simulated time. Plain data, so state can be saved. */
export type Job =
  | { type: 'expireSession'; sessionId: string }
  | { type: 'sample'; tick: number }
  | { type: 'arrival'; n: number; accept: boolean }
  | { type: 'sessionStep'; sessionId: string; step: number }
  | { type: 'scenarioStep'; run: number; index: number; rep: number }
  | { type: 'scenarioUndo'; run: number; index: number; rep: number }
  | { type: 'surgeLogin'; run: number; step: number; rep: number; i: number; virtualProxy?: string };

/** A job with its time and scheduling order (kept on the job itself: one object per job, not two). */
type Entry = Job & { at: number; seq: number };

const before = (a: Entry, b: Entry) => a.at < b.at || (a.at === b.at && a.seq < b.seq);

/** A min-heap of jobs ordered by time, then by the order they were scheduled. */
export class Timeline {
  private heap: Entry[] = [];
  private seq = 0;

  get size(): number {
    return this.heap.length;
  }

  /** Takes ownership of `job` (a fresh object from the caller). */
  schedule(at: number, job: Job): void {
    const entry = job as Entry;
    entry.at = at;
    entry.seq = this.seq++;
    this.heap.push(entry);
    this.up(this.heap.length - 1);
  }

  /** Its state as plain data (jobs are data), and back. */
  dump(): { heap: Array<Job & { at: number; seq: number }>; seq: number } {
    return { heap: this.heap.map((e) => ({ ...e })), seq: this.seq };
  }

  load(state: { heap: Array<Job & { at: number; seq: number }>; seq: number }): void {
    this.heap = state.heap.map((e) => ({ ...e }));
    this.seq = state.seq;
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
    return { at: top.at, job: top };
  }

  private up(i: number): void {
    const h = this.heap;
    const item = h[i] as Entry;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const above = h[parent] as Entry;
      if (!before(item, above)) break;
      h[i] = above;
      i = parent;
    }
    h[i] = item;
  }

  private down(i: number): void {
    const h = this.heap;
    const item = h[i] as Entry;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= h.length) break;
      const r = l + 1;
      const child = r < h.length && before(h[r] as Entry, h[l] as Entry) ? r : l;
      if (!before(h[child] as Entry, item)) break;
      h[i] = h[child] as Entry;
      i = child;
    }
    h[i] = item;
  }
}
