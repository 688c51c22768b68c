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

/** One virtual proxy's sessions: by id (in start order), by user, and a version that changes with them. */
interface ProxySessions {
  byId: Map<string, Session>;
  /** By userKey; a user's sessions in start order (a user holds a few at most). */
  byUser: Map<string, Session[]>;
  version: number;
}

/**
 * Sessions indexed by id and by (proxy, user): lookups never scan. `version(proxy)` changes
 * whenever that proxy's sessions change, so serialized lists can be reused until then.
 */
export class SessionStore {
  private readonly byId = new Map<string, Session>();
  /** Everything kept per proxy in one record, so that adding, removing or touching a session finds it once. */
  private readonly proxies = new Map<string, ProxySessions>();

  get size(): number {
    return this.byId.size;
  }

  version(proxy: string): number {
    return this.proxies.get(proxy)?.version ?? 0;
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
    return [...(this.proxies.get(proxy)?.byId.values() ?? [])];
  }

  ofUser(proxy: string, userDirectory: string, userId: string): Session[] {
    return [...(this.proxies.get(proxy)?.byUser.get(userKey(userDirectory, userId)) ?? [])];
  }

  /** Sessions on a proxy of the user with this userKey. */
  countOfUser(proxy: string, key: string): number {
    return this.proxies.get(proxy)?.byUser.get(key)?.length ?? 0;
  }

  add(session: Session): void {
    const id = session.id.toLowerCase();
    this.byId.set(id, session);
    const ofProxy = this.ofProxyRecord(session.proxy);
    ofProxy.byId.set(id, session);
    const own = ofProxy.byUser.get(session.userKey);
    if (!own) ofProxy.byUser.set(session.userKey, [session]);
    else if (!own.includes(session)) own.push(session);
    ofProxy.version++;
  }

  remove(session: Session): void {
    const id = session.id.toLowerCase();
    this.byId.delete(id);
    const ofProxy = this.ofProxyRecord(session.proxy);
    ofProxy.byId.delete(id);
    const own = ofProxy.byUser.get(session.userKey);
    const at = own ? own.indexOf(session) : -1;
    if (own && at >= 0) own.splice(at, 1);
    if (own?.length === 0) ofProxy.byUser.delete(session.userKey);
    ofProxy.version++;
  }

  /** Records activity on a session (its lastActive moves). */
  markActive(session: Session, at: number): void {
    session.lastActive = at;
    this.ofProxyRecord(session.proxy).version++;
  }

  private ofProxyRecord(proxy: string): ProxySessions {
    let record = this.proxies.get(proxy);
    if (!record) this.proxies.set(proxy, (record = { byId: new Map(), byUser: new Map(), version: 0 }));
    return record;
  }
}
