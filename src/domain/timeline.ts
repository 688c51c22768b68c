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
  sessionStep(sessionId: string, step: number): void;
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
 * The heap is kept as parallel arrays (index i of each is the same entry): time and scheduling order,
 * which comparisons read as plain numbers, and the job in its compact form (kind, number, reference).
 */
export class Timeline {
  private times: number[] = [];
  private seqs: number[] = [];
  private kinds: number[] = [];
  private nums: number[] = [];
  private refs: Array<string | Job | undefined> = [];
  private seq = 0;

  get size(): number {
    return this.times.length;
  }

  /** Schedules `job` (kept in compact form when it has one; otherwise the object is kept). */
  schedule(at: number, job: Job): void {
    this.push(at, this.seq++, job);
    this.up(this.times.length - 1);
  }

  /** The same as schedule(at, { type: 'sessionStep', sessionId, step }), without making the job object. */
  scheduleSessionStep(at: number, sessionId: string, step: number): void {
    this.add(at, STEP, step, sessionId);
  }

  /** The same as schedule(at, { type: 'expireSession', sessionId }), without making the job object. */
  scheduleExpiry(at: number, sessionId: string): void {
    this.add(at, EXPIRE, 0, sessionId);
  }

  /** Its state as plain data (jobs are data), and back. */
  dump(): { heap: TimedJob[]; seq: number } {
    const heap = this.times.map((at, i) => ({ ...this.job(i), at, seq: this.seqs[i] as number }));
    return { heap, seq: this.seq };
  }

  load(state: { heap: TimedJob[]; seq: number }): void {
    this.times = [];
    this.seqs = [];
    this.kinds = [];
    this.nums = [];
    this.refs = [];
    for (const { at, seq, ...job } of state.heap) this.push(at, seq, job as Job);
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

  /** Removes the earliest job and runs it (the caller has checked there is one, with nextAt()). */
  runNext(runner: JobRunner): void {
    const kind = this.kinds[0];
    const num = this.nums[0] as number;
    const ref = this.refs[0];
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
        return runner.sessionStep(ref as string, num);
      default:
        return runner.other(ref as Job);
    }
  }

  /** Removes and returns the earliest job (the caller has checked there is one, with nextAt()). */
  pop(): Job {
    const top = this.job(0);
    this.removeTop();
    return top;
  }

  private add(at: number, kind: number, num: number, ref: string | Job | undefined): void {
    this.times.push(at);
    this.seqs.push(this.seq++);
    this.pushCompact(kind, num, ref);
    this.up(this.times.length - 1);
  }

  private removeTop(): void {
    const at = this.times.pop() as number;
    const seq = this.seqs.pop() as number;
    const kind = this.kinds.pop() as number;
    const num = this.nums.pop() as number;
    const ref = this.refs.pop();
    if (this.times.length > 0) this.down(at, seq, kind, num, ref);
  }

  /** Appends an entry at the end of the arrays (not yet in its place in the heap). */
  private push(at: number, seq: number, job: Job): void {
    this.times.push(at);
    this.seqs.push(seq);
    // The compact form only for jobs whose fields have their types (a saved state may hold others).
    switch (job.type) {
      case 'expireSession':
        if (typeof job.sessionId === 'string') return this.pushCompact(EXPIRE, 0, job.sessionId);
        break;
      case 'sample':
        if (typeof job.tick === 'number') return this.pushCompact(SAMPLE, job.tick, undefined);
        break;
      case 'arrival':
        if (typeof job.n === 'number' && typeof job.accept === 'boolean')
          return this.pushCompact(job.accept ? ARRIVAL_ACCEPT : ARRIVAL, job.n, undefined);
        break;
      case 'sessionStep':
        if (typeof job.sessionId === 'string' && typeof job.step === 'number')
          return this.pushCompact(STEP, job.step, job.sessionId);
        break;
    }
    this.pushCompact(OTHER, 0, job);
  }

  private pushCompact(kind: number, num: number, ref: string | Job | undefined): void {
    this.kinds.push(kind);
    this.nums.push(num);
    this.refs.push(ref);
  }

  /** Entry i as a job object again (a fresh one: the caller may keep it). */
  private job(i: number): Job {
    const num = this.nums[i] as number;
    const ref = this.refs[i];
    switch (this.kinds[i]) {
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

  /** Does entry i come before an entry at `at` scheduled `seq`th? */
  private before(i: number, at: number, seq: number): boolean {
    const t = this.times[i] as number;
    return t < at || (t === at && (this.seqs[i] as number) < seq);
  }

  private copy(from: number, to: number): void {
    this.times[to] = this.times[from] as number;
    this.seqs[to] = this.seqs[from] as number;
    this.kinds[to] = this.kinds[from] as number;
    this.nums[to] = this.nums[from] as number;
    this.refs[to] = this.refs[from];
  }

  private put(i: number, at: number, seq: number, kind: number, num: number, ref: string | Job | undefined): void {
    this.times[i] = at;
    this.seqs[i] = seq;
    this.kinds[i] = kind;
    this.nums[i] = num;
    this.refs[i] = ref;
  }

  /** Moves entry i up to its place. */
  private up(i: number): void {
    const at = this.times[i] as number;
    const seq = this.seqs[i] as number;
    const kind = this.kinds[i] as number;
    const num = this.nums[i] as number;
    const ref = this.refs[i];
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.before(parent, at, seq)) break;
      this.copy(parent, i);
      i = parent;
    }
    this.put(i, at, seq, kind, num, ref);
  }

  /** Puts an entry at the root (which is free) and moves it down to its place. */
  private down(at: number, seq: number, kind: number, num: number, ref: string | Job | undefined): void {
    const n = this.times.length;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const child = r < n && this.before(r, this.times[l] as number, this.seqs[l] as number) ? r : l;
      if (!this.before(child, at, seq)) break;
      this.copy(child, i);
      i = child;
    }
    this.put(i, at, seq, kind, num, ref);
  }
}
