import type { Engine } from '../../../domain/engine.js';
import type { Session } from '../../../domain/sessions.js';
import type { Ticket } from '../../../domain/tickets.js';
import type { Attribute } from '../../../domain/users.js';

export const attributesOf = (pairs: readonly Attribute[]) => pairs.map(([name, value]) => ({ [name]: value }));

export const sessionOf = (session: Session) => ({
  UserDirectory: session.userDirectory,
  UserId: session.userId,
  Attributes: attributesOf(session.attributes),
  SessionId: session.id,
});

export const ticketOf = (ticket: Ticket, targetUri: string | null) => ({
  UserDirectory: ticket.userDirectory,
  UserId: ticket.userId,
  Attributes: attributesOf(ticket.attributes),
  Ticket: ticket.ticket,
  TargetUri: targetUri,
});

/** `20260105T090000.000+0000`, the engine's way of writing a time. */
const engineTime = (ms: number) => new Date(ms).toISOString().replace(/[-:]/g, '').replace(/Z$/, '+0000');

/** A session is active while its user has acted in the last five minutes. */
const ACTIVE_MS = 5 * 60_000;

/** An engine's /healthcheck document, in the real shape (memory in MB, CPU a 30-second average). */
export function healthcheckOf(engine: Engine, now: number, sessionOf: (id: string) => Session | undefined) {
  const sessions = [...engine.sessions.keys()].map(sessionOf).filter((s): s is Session => s !== undefined);
  const active = sessions.filter((s) => now - s.lastActive < ACTIVE_MS);
  const activeDocs = new Set(active.flatMap((s) => [...s.apps].filter(([, e]) => e === engine.id).map(([app]) => app)));
  const loaded = [...engine.apps.keys()];
  return {
    version: '12.1657.3',
    started: engineTime(engine.started),
    mem: {
      committed: engine.memoryUsedMb,
      allocated: engine.memoryUsedMb,
      free: engine.memoryTotalMb - engine.memoryUsedMb,
      totalPhysical: engine.memoryTotalMb,
    },
    cpu: { total: engine.cpu },
    session: { active: active.length, total: sessions.length },
    apps: {
      active_docs: [...activeDocs],
      in_memory_docs: loaded.filter((id) => !activeDocs.has(id)),
      loaded_docs: loaded,
      calls: engine.counters.lookups,
      selections: 0,
    },
    users: { active: new Set(active.map((s) => s.userKey)).size, total: engine.users.size },
    cache: {
      hits: engine.counters.hits,
      lookups: engine.counters.lookups,
      added: engine.counters.added,
      replaced: engine.counters.replaced,
      bytes_added: engine.counters.bytesAdded,
    },
    saturated: engine.saturated,
  };
}
