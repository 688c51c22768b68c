import type { Random } from './rng.js';
import type { Attribute } from './users.js';

export interface Ticket {
  ticket: string;
  proxy: string;
  userDirectory: string;
  userId: string;
  attributes: Attribute[];
  targetId: string | undefined;
  expiresAt: number;
}

export type Redemption = { ok: true; ticket: Ticket } | { ok: false; why: 'unknown' | 'expired' | 'otherProxy' };

export const TICKET_TTL_MS = 60_000;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A 16-character ticket drawn from the caller's seeded stream. */
export function ticketCode(random: Random): string {
  let code = '';
  for (let i = 0; i < 16; i++) code += ALPHABET[Math.floor(random.next() * ALPHABET.length)];
  return code;
}

/**
 * Login tickets: single use, valid for a minute on the simulator's clock, for one virtual proxy.
 * Kept in issue order, which is expiry order, so expired ones are swept cheaply.
 */
export class TicketStore {
  private readonly tickets = new Map<string, Ticket>();

  get size(): number {
    return this.tickets.size;
  }

  dump(): Ticket[] {
    return [...this.tickets.values()];
  }

  load(tickets: Ticket[]): void {
    this.tickets.clear();
    for (const ticket of tickets) this.tickets.set(ticket.ticket, ticket);
  }

  issue(ticket: Ticket, now: number): void {
    this.sweep(now);
    this.tickets.set(ticket.ticket, ticket);
  }

  /** Uses a ticket up (a ticket is good once, even when it is refused for being late). */
  redeem(code: string, proxy: string, now: number): Redemption {
    const ticket = this.tickets.get(code);
    if (!ticket) return { ok: false, why: 'unknown' };
    if (ticket.expiresAt <= now) {
      this.tickets.delete(code);
      return { ok: false, why: 'expired' };
    }
    if (ticket.proxy !== proxy) return { ok: false, why: 'otherProxy' };
    this.tickets.delete(code);
    return { ok: true, ticket };
  }

  private sweep(now: number): void {
    for (const [code, ticket] of this.tickets) {
      if (ticket.expiresAt > now) return;
      this.tickets.delete(code);
    }
  }
}
