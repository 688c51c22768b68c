/** Work the simulation has scheduled for a simulated time. Plain data, so state can be saved. */
export type Job =
  | { type: 'expireSession'; sessionId: string }
  | { type: 'sample'; tick: number }
  | { type: 'arrival'; n: number; accept: boolean }
  | { type: 'sessionStep'; sessionId: string; step: number }
  | { type: 'scenarioStep'; run: number; index: number; rep: number }
  | { type: 'scenarioUndo'; run: number; index: number; rep: number }
  | { type: 'surgeLogin'; run: number; step: number; rep: number; i: number; virtualProxy?: string };

/** A job with its time and scheduling order, as saved. */
export type TimedJob = Job & { at: number; seq: number };

/**
 * A min-heap of jobs ordered by time, then by the order they were scheduled.
 *
 * The heap is kept as three parallel arrays (time, scheduling order, job) rather than one object per
 * entry: comparisons read plain numbers instead of a field of jobs of many shapes, and the jobs are
 * never given extra fields. Index i of each array is the same entry.
 */
export class Timeline {
  private times: number[] = [];
  private seqs: number[] = [];
  private jobs: Job[] = [];
  private seq = 0;

  get size(): number {
    return this.jobs.length;
  }

  /** Takes ownership of `job` (a fresh object from the caller). */
  schedule(at: number, job: Job): void {
    this.times.push(at);
    this.seqs.push(this.seq++);
    this.jobs.push(job);
    this.up(this.jobs.length - 1);
  }

  /** Its state as plain data (jobs are data), and back. */
  dump(): { heap: TimedJob[]; seq: number } {
    const heap = this.jobs.map((job, i) => ({ ...job, at: this.times[i] as number, seq: this.seqs[i] as number }));
    return { heap, seq: this.seq };
  }

  load(state: { heap: TimedJob[]; seq: number }): void {
    this.times = [];
    this.seqs = [];
    this.jobs = [];
    for (const { at, seq, ...job } of state.heap) {
      this.times.push(at);
      this.seqs.push(seq);
      this.jobs.push(job as Job);
    }
    this.seq = state.seq;
  }

  /** Time of the earliest job, if any. */
  nextAt(): number | undefined {
    return this.times[0];
  }

  /** Removes and returns the earliest job due at or before `time`. */
  takeDue(time: number): { at: number; job: Job } | undefined {
    const at = this.times[0];
    if (at === undefined || at > time) return undefined;
    return { at, job: this.pop() };
  }

  /** Removes and returns the earliest job (the caller has checked there is one, with nextAt()). */
  pop(): Job {
    const top = this.jobs[0] as Job;
    const lastAt = this.times.pop() as number;
    const lastSeq = this.seqs.pop() as number;
    const lastJob = this.jobs.pop() as Job;
    if (this.jobs.length > 0) this.down(lastAt, lastSeq, lastJob);
    return top;
  }

  private before(i: number, at: number, seq: number): boolean {
    const t = this.times[i] as number;
    return t < at || (t === at && (this.seqs[i] as number) < seq);
  }

  private move(from: number, to: number): void {
    this.times[to] = this.times[from] as number;
    this.seqs[to] = this.seqs[from] as number;
    this.jobs[to] = this.jobs[from] as Job;
  }

  private put(i: number, at: number, seq: number, job: Job): void {
    this.times[i] = at;
    this.seqs[i] = seq;
    this.jobs[i] = job;
  }

  /** Moves the entry at `i` up to its place. */
  private up(i: number): void {
    const at = this.times[i] as number;
    const seq = this.seqs[i] as number;
    const job = this.jobs[i] as Job;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.before(parent, at, seq)) break;
      this.move(parent, i);
      i = parent;
    }
    this.put(i, at, seq, job);
  }

  /** Puts an entry at the root (which is free) and moves it down to its place. */
  private down(at: number, seq: number, job: Job): void {
    const n = this.jobs.length;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const child = r < n && this.before(r, this.times[l] as number, this.seqs[l] as number) ? r : l;
      if (!this.before(child, at, seq)) break;
      this.move(child, i);
      i = child;
    }
    this.put(i, at, seq, job);
  }
}
