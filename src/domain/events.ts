import { BoundedLog, type LogQuery } from './bounded-log.js';

export type SimEventType =
  | 'session.started'
  | 'session.ended'
  | 'session.appsClosed'
  | 'user.loggedOut'
  | 'login.denied'
  | 'app.loaded'
  | 'app.unloaded'
  | 'app.openFailed'
  | 'engine.statusChanged'
  | 'engine.saturationChanged'
  | 'proxy.healthChanged'
  | 'ticket.issued'
  | 'ticket.refused'
  | 'client.error'
  | 'scenario.loaded'
  | 'scenario.step'
  | 'scenario.stepUndone'
  | 'scenario.cleared'
  | 'simulator.reset';

export interface SimEvent {
  seq: number;
  at: number;
  type: SimEventType;
  [detail: string]: unknown;
}

export interface EventQuery extends LogQuery {
  type?: string;
}

/** The bounded log of domain events. */
export class EventLog {
  private readonly log: BoundedLog<SimEvent>;

  constructor(capacity: number) {
    this.log = new BoundedLog(capacity);
  }

  record(at: number, type: SimEventType, details: Record<string, unknown> = {}): SimEvent {
    return this.log.push({ seq: this.log.nextSeq, at, type, ...details });
  }

  /** Newest last; `since` is exclusive; `limit` keeps the newest. */
  query({ type, ...query }: EventQuery = {}): SimEvent[] {
    return this.log.query(query, (e) => type === undefined || e.type === type);
  }

  get size(): number {
    return this.log.size;
  }

  dump() {
    return this.log.dump();
  }

  load(state: ReturnType<EventLog['dump']>): void {
    this.log.load(state);
  }

  get lastSeq(): number {
    return this.log.lastSeq;
  }
}
