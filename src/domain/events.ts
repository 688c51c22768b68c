export type SimEventType =
  'session.started' | 'session.ended' | 'user.loggedOut' | 'proxy.healthChanged' | 'simulator.reset';

export interface SimEvent {
  seq: number;
  at: number;
  type: SimEventType;
  [detail: string]: unknown;
}

export interface EventQuery {
  since?: number;
  type?: string;
  limit?: number;
}

/** A bounded log of domain events, oldest dropped first. */
export class EventLog {
  private items: SimEvent[] = [];
  private seq = 0;

  constructor(private readonly capacity: number) {}

  record(at: number, type: SimEventType, details: Record<string, unknown> = {}): SimEvent {
    const event: SimEvent = { seq: ++this.seq, at, type, ...details };
    this.items.push(event);
    if (this.items.length > this.capacity) this.items.splice(0, this.items.length - this.capacity);
    return event;
  }

  /** Newest last; `since` is exclusive; `limit` keeps the newest. */
  query({ since = 0, type, limit }: EventQuery = {}): SimEvent[] {
    const found = this.items.filter((e) => e.seq > since && (type === undefined || e.type === type));
    return limit === undefined ? found : found.slice(Math.max(0, found.length - limit));
  }

  get size(): number {
    return this.items.length;
  }

  get lastSeq(): number {
    return this.seq;
  }
}
