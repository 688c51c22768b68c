import { BoundedLog, type LogQuery } from './bounded-log.js';
import type { Verdict } from './faults.js';

export interface JournalEntry {
  seq: number;
  /** Simulated time the request arrived. */
  at: number;
  method: string;
  path: string;
  operationId: string | undefined;
  /** 0 when the connection was dropped without an answer. */
  status: number;
  /** Wall-clock time to answer, injected latency included. */
  durationMs: number;
  shapedBy: Verdict['shapedBy'];
}

export interface JournalQuery extends LogQuery {
  operation?: string;
}

/** The bounded request journal: each call to the simulated API, newest last. */
export class Journal {
  private readonly log: BoundedLog<JournalEntry>;

  constructor(capacity: number) {
    this.log = new BoundedLog(capacity);
  }

  record(entry: Omit<JournalEntry, 'seq'>): void {
    this.log.append((seq) => ({ seq, ...entry }));
  }

  query({ operation, ...query }: JournalQuery = {}): JournalEntry[] {
    return this.log.query(query, (e) => operation === undefined || e.operationId === operation);
  }

  get size(): number {
    return this.log.size;
  }

  dump() {
    return this.log.dump();
  }

  load(state: ReturnType<Journal['dump']>): void {
    this.log.load(state);
  }
}
