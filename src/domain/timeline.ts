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

/** Runs jobs taken from a timeline: the kinds kept compact get their fields, any other its object. */
export interface JobRunner {
  expireSession(sessionId: string): void;
  sample(tick: number): void;
  arrival(n: number, accept: boolean): void;
  /** `memo`: what was scheduled with the step (see scheduleSessionStep), if it still is in memory. */
  sessionStep(sessionId: string, step: number, memo: unknown): void;
  other(job: Job): void;
}

/*
 * The jobs a day schedules by the million (session steps and expiries, arrivals, samples) are kept
 * as a kind, a number and a session id rather than as objects: a job waits minutes of simulated
 * time, long enough for the garbage collector to copy and promote every object that waits, while
 * numbers and existing strings cost it nothing. Any other job is kept as it is (kind OTHER).
 */
const OTHER = 0;
const EXPIRE = 1;
const SAMPLE = 2;
const ARRIVAL = 3;
const ARRIVAL_ACCEPT = 4;
const STEP = 5;

/**
 * A min-heap of jobs ordered by time, then by the order they were scheduled.
 *
 * The heap itself holds, for each position, the job's time and its slot; the rest of the job (its
 * scheduling order and its compact form: kind, number, reference) stays in its slot of a pool while
 * the job moves up and down the heap, so a move copies two numbers. Freed slots are reused. The
 * sift algorithm is the plain binary heap's, so the heap's order (as saved) is too.
 */
export class Timeline {
  /** By heap position, the first `count` of each. */
  private times = new Float64Array(1024);
  private slots = new Int32Array(1024);
  private count = 0;
  /** By slot. */
  private seqs: number[] = [];
  private kinds: number[] = [];
  private nums: number[] = [];
  private refs: Array<string | Job | undefined> = [];
  /** Kept in memory only, never saved. */
  private memos: unknown[] = [];
  private freeSlots: number[] = [];
  private seq = 0;

  get size(): number {
    return this.count;
  }

  /** Schedules `job` (kept in compact form when it has one; otherwise the object is kept). */
  schedule(at: number, job: Job): void {
    this.add(at, this.seq++, job);
  }

  /**
   * The same as schedule(at, { type: 'sessionStep', sessionId, step }), without making the job object.
   * `memo` is handed back to the runner with the step: something worked out before that the step needs
   * again. It is not saved (a step loaded from a saved state comes without it).
   */
  scheduleSessionStep(at: number, sessionId: string, step: number, memo?: unknown): void {
    this.memos[this.insert(at, this.seq++, STEP, step, sessionId)] = memo;
  }

  /** The same as schedule(at, { type: 'expireSession', sessionId }), without making the job object. */
  scheduleExpiry(at: number, sessionId: string): void {
    this.insert(at, this.seq++, EXPIRE, 0, sessionId);
  }

  /** Its state as plain data (jobs are data), and back. */
  dump(): { heap: TimedJob[]; seq: number } {
    const heap = [...this.times.subarray(0, this.count)].map((at, i) => {
      const slot = this.slots[i] as number;
      return { ...this.job(slot), at, seq: this.seqs[slot] as number };
    });
    return { heap, seq: this.seq };
  }

  load(state: { heap: TimedJob[]; seq: number }): void {
    this.count = 0;
    for (const array of [this.seqs, this.kinds, this.nums, this.refs, this.memos, this.freeSlots]) array.length = 0;
    // Saved in heap order: each entry is put at the end, where it already is in its place.
    for (const { at, seq, ...job } of state.heap) this.add(at, seq, job as Job, false);
    this.seq = state.seq;
  }

  /** Time of the earliest job, if any. */
  nextAt(): number | undefined {
    return this.count > 0 ? this.times[0] : undefined;
  }

  /** Removes and returns the earliest job due at or before `time`. */
  takeDue(time: number): { at: number; job: Job } | undefined {
    const at = this.nextAt();
    if (at === undefined || at > time) return undefined;
    return { at, job: this.pop() };
  }

  /** Removes the earliest job and runs it (the caller has checked there is one, with nextAt()). */
  runNext(runner: JobRunner): void {
    const slot = this.slots[0] as number;
    const kind = this.kinds[slot];
    const num = this.nums[slot] as number;
    const ref = this.refs[slot];
    const memo = this.memos[slot];
    this.removeTop();
    switch (kind) {
      case EXPIRE:
        return runner.expireSession(ref as string);
      case SAMPLE:
        return runner.sample(num);
      case ARRIVAL:
        return runner.arrival(num, false);
      case ARRIVAL_ACCEPT:
        return runner.arrival(num, true);
      case STEP:
        return runner.sessionStep(ref as string, num, memo);
      default:
        return runner.other(ref as Job);
    }
  }

  /** Removes and returns the earliest job (the caller has checked there is one, with nextAt()). */
  pop(): Job {
    const top = this.job(this.slots[0] as number);
    this.removeTop();
    return top;
  }

  /** Adds a job in its compact form when it has one (and its fields have their types; a saved state may hold others). */
  private add(at: number, seq: number, job: Job, sift = true): number {
    switch (job.type) {
      case 'expireSession':
        if (typeof job.sessionId === 'string') return this.insert(at, seq, EXPIRE, 0, job.sessionId, sift);
        break;
      case 'sample':
        if (typeof job.tick === 'number') return this.insert(at, seq, SAMPLE, job.tick, undefined, sift);
        break;
      case 'arrival':
        if (typeof job.n === 'number' && typeof job.accept === 'boolean')
          return this.insert(at, seq, job.accept ? ARRIVAL_ACCEPT : ARRIVAL, job.n, undefined, sift);
        break;
      case 'sessionStep':
        if (typeof job.sessionId === 'string' && typeof job.step === 'number')
          return this.insert(at, seq, STEP, job.step, job.sessionId, sift);
        break;
    }
    return this.insert(at, seq, OTHER, 0, job, sift);
  }

  /** Puts a job in a free slot and its time at the end of the heap, then (with `sift`) moves it up to its place. */
  private insert(
    at: number,
    seq: number,
    kind: number,
    num: number,
    ref: string | Job | undefined,
    sift = true,
  ): number {
    let slot = this.freeSlots.pop();
    if (slot === undefined) {
      slot = this.refs.length;
      this.seqs.push(seq);
      this.kinds.push(kind);
      this.nums.push(num);
      this.refs.push(ref);
      this.memos.push(undefined);
    } else {
      this.seqs[slot] = seq;
      this.kinds[slot] = kind;
      this.nums[slot] = num;
      this.refs[slot] = ref;
    }
    if (this.count === this.times.length) this.grow();
    this.times[this.count] = at;
    this.slots[this.count] = slot;
    this.count++;
    if (sift) this.up(this.count - 1);
    return slot;
  }

  /** Removes the root (its slot is freed): the last entry takes its place and moves down to its own. */
  private removeTop(): void {
    const freed = this.slots[0] as number;
    this.refs[freed] = undefined; // let go of the session id or job
    this.memos[freed] = undefined;
    this.freeSlots.push(freed);
    this.count--;
    const at = this.times[this.count] as number;
    const slot = this.slots[this.count] as number;
    if (this.count > 0) this.down(at, slot);
  }

  private grow(): void {
    const times = new Float64Array(this.times.length * 2);
    const slots = new Int32Array(this.slots.length * 2);
    times.set(this.times);
    slots.set(this.slots);
    this.times = times;
    this.slots = slots;
  }

  /** The job in a slot as a job object again (a fresh one: the caller may keep it). */
  private job(slot: number): Job {
    const num = this.nums[slot] as number;
    const ref = this.refs[slot];
    switch (this.kinds[slot]) {
      case EXPIRE:
        return { type: 'expireSession', sessionId: ref as string };
      case SAMPLE:
        return { type: 'sample', tick: num };
      case ARRIVAL:
        return { type: 'arrival', n: num, accept: false };
      case ARRIVAL_ACCEPT:
        return { type: 'arrival', n: num, accept: true };
      case STEP:
        return { type: 'sessionStep', sessionId: ref as string, step: num };
      default:
        return ref as Job;
    }
  }

  /** Does the entry at heap position i come before an entry at `at` scheduled `seq`th? */
  private before(i: number, at: number, seq: number): boolean {
    const t = this.times[i] as number;
    return t < at || (t === at && (this.seqs[this.slots[i] as number] as number) < seq);
  }

  /** Does an entry at `at` scheduled `seq`th come before the entry at heap position i? */
  private precedes(at: number, seq: number, i: number): boolean {
    const t = this.times[i] as number;
    return at < t || (at === t && seq < (this.seqs[this.slots[i] as number] as number));
  }

  /** Does the entry at heap position i come before the one at j? */
  private earlier(i: number, j: number): boolean {
    const a = this.times[i] as number;
    const b = this.times[j] as number;
    return (
      a < b ||
      (a === b && (this.seqs[this.slots[i] as number] as number) < (this.seqs[this.slots[j] as number] as number))
    );
  }

  /** Moves the entry at position i up to its place: the entries above it that come later move down a level. */
  private up(i: number): void {
    const at = this.times[i] as number;
    const slot = this.slots[i] as number;
    const seq = this.seqs[slot] as number;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.precedes(at, seq, parent)) break;
      this.times[i] = this.times[parent] as number;
      this.slots[i] = this.slots[parent] as number;
      i = parent;
    }
    this.times[i] = at;
    this.slots[i] = slot;
  }

  /** Puts an entry at the root (which is free) and moves it down to its place: the earlier child moves up. */
  private down(at: number, slot: number): void {
    const seq = this.seqs[slot] as number;
    const n = this.count;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const child = r < n && this.earlier(r, l) ? r : l;
      if (!this.before(child, at, seq)) break;
      this.times[i] = this.times[child] as number;
      this.slots[i] = this.slots[child] as number;
      i = child;
    }
    this.times[i] = at;
    this.slots[i] = slot;
  }
}
