import type { Engine } from '../../../domain/engine.js';
import { errors } from '../../../domain/errors.js';
import type { Handlers } from '../../operations.js';
import { field, objectBody, parseQlikUser } from './input.js';

const hostOf = (uri: string): string | undefined => {
  try {
    return new URL(uri.includes('://') ? uri : `https://${uri}`).hostname.toLowerCase();
  } catch {
    return undefined;
  }
};

/**
 * The load-balancing module: `{ AppName, QlikSenseEngines }` in and out, the engines reordered by the
 * virtual proxy's strategy, AppName unchanged. Down and draining engines are left out; engines the
 * cluster does not know come last, in their order.
 */
export function loadBalancingHandlers(): Handlers {
  return {
    prioritizeEngines(call) {
      const body = objectBody(call.body);
      const appName = field(body, 'AppName');
      const uris = field(body, 'QlikSenseEngines');
      if (typeof appName !== 'string') throw errors.invalidBody('AppName', 'must be a string');
      if (!Array.isArray(uris) || !uris.every((u) => typeof u === 'string')) {
        throw errors.invalidBody('QlikSenseEngines', 'must be an array of engine URIs');
      }
      const { world } = call;
      const byHost = new Map(world.cluster.engines.map((e) => [e.hostName.toLowerCase(), e]));
      const known = new Map<Engine, string>();
      const unknown: string[] = [];
      for (const uri of uris as string[]) {
        const engine = byHost.get(hostOf(uri) ?? '');
        if (engine && !known.has(engine)) known.set(engine, uri);
        else if (!engine) unknown.push(uri);
      }
      const user = parseQlikUser(call.header('x-qlik-user')) ?? { userDirectory: '', userId: '' };
      const prefix = call.header('x-qlik-virtual-proxy-prefix')?.replace(/^\/+|\/+$/g, '') ?? '';
      if (!world.proxy(prefix)) {
        throw errors.invalidHeader(
          'X-Qlik-Virtual-Proxy-Prefix',
          `names no virtual proxy of the site (${JSON.stringify(prefix)})`,
        );
      }
      const decision = world.prioritizeEngines(prefix, { ...user, appId: appName }, appName, [...known.keys()]);
      const ranked = decision.engineIds.map((id) => known.get(world.cluster.engine(id)) as string);
      call.json(200, { AppName: appName, QlikSenseEngines: [...ranked, ...unknown] });
    },
  };
}
