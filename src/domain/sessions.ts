import type { Attribute } from './users.js';
import { userKey } from './users.js';

export interface Session {
  id: string;
  /** Creation order in this world: keys the session's own random draws. */
  serial: number;
  /** The virtual proxy prefix the session belongs to ('' is the default proxy). */
  proxy: string;
  userDirectory: string;
  userId: string;
  /** userKey(userDirectory, userId), computed once. */
  userKey: string;
  userName: string;
  attributes: Attribute[];
  start: number;
  lastActive: number;
  /** Open apps: app id to the engine it is open on. */
  apps: Map<string, string>;
  /** The engine of the most recently opened app still open, if any. */
  engineId: string | undefined;
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Sessions indexed by id and by (proxy, user): lookups never scan. `version(proxy)` changes
 * whenever that proxy's sessions change, so serialized lists can be reused until then.
 */
export class SessionStore {
  private readonly byId = new Map<string, Session>();
  private readonly byProxy = new Map<string, Map<string, Session>>();
  private readonly byProxyUser = new Map<string, Map<string, Set<Session>>>();
  private readonly versions = new Map<string, number>();

  get size(): number {
    return this.byId.size;
  }

  version(proxy: string): number {
    return this.versions.get(proxy) ?? 0;
  }

  /** By id exactly as stored (lower case); callers with an id from outside lower-case it first. */
  get(id: string): Session | undefined {
    return this.byId.get(id);
  }

  all(): IterableIterator<Session> {
    return this.byId.values();
  }

  /** In start order (the order they were added). */
  ofProxy(proxy: string): Session[] {
    return [...(this.byProxy.get(proxy)?.values() ?? [])];
  }

  ofUser(proxy: string, userDirectory: string, userId: string): Session[] {
    return [...(this.byProxyUser.get(proxy)?.get(userKey(userDirectory, userId)) ?? [])];
  }

  /** Sessions on a proxy of the user with this userKey. */
  countOfUser(proxy: string, key: string): number {
    return this.byProxyUser.get(proxy)?.get(key)?.size ?? 0;
  }

  add(session: Session): void {
    const id = session.id.toLowerCase();
    this.byId.set(id, session);
    let ofProxy = this.byProxy.get(session.proxy);
    if (!ofProxy) this.byProxy.set(session.proxy, (ofProxy = new Map()));
    ofProxy.set(id, session);
    let users = this.byProxyUser.get(session.proxy);
    if (!users) this.byProxyUser.set(session.proxy, (users = new Map()));
    let own = users.get(session.userKey);
    if (!own) users.set(session.userKey, (own = new Set()));
    own.add(session);
    this.touchVersion(session.proxy);
  }

  remove(session: Session): void {
    this.byId.delete(session.id.toLowerCase());
    this.byProxy.get(session.proxy)?.delete(session.id.toLowerCase());
    const users = this.byProxyUser.get(session.proxy);
    const own = users?.get(session.userKey);
    own?.delete(session);
    if (own?.size === 0) users?.delete(session.userKey);
    this.touchVersion(session.proxy);
  }

  /** Records activity on a session (its lastActive moves). */
  markActive(session: Session, at: number): void {
    session.lastActive = at;
    this.touchVersion(session.proxy);
  }

  private touchVersion(proxy: string): void {
    this.versions.set(proxy, this.version(proxy) + 1);
  }
}
