import { timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { SimError } from '../../domain/errors.js';
import { sendJson } from '../send.js';

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3})$/;

const same = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

function presented(authorization: string | undefined, query: unknown): string | undefined {
  const bearer = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  return bearer ?? (typeof query === 'string' ? query : undefined);
}

/**
 * Who may use the control API: without a token, only clients on loopback; with one, whoever presents
 * it (`Authorization: Bearer <token>`, or `?token=` where a header cannot be set, as for the
 * dashboard's event stream). The dashboard's page and assets hold no state and need no token.
 */
export function controlAccess(token: string | undefined): RequestHandler {
  return (req, res, next) => {
    const fail = (status: number, error: SimError) => sendJson(res, status, { message: error.message });
    if (token === undefined) {
      if (LOOPBACK.test(req.socket.remoteAddress ?? '')) return next();
      return fail(
        403,
        new SimError(
          'forbidden',
          'controlLoopbackOnly',
          'The control API answers only on loopback unless qps-sim runs with --control-token.',
        ),
      );
    }
    if (req.path === '/ui' || req.path.startsWith('/ui/')) return next();
    const given = presented(req.get('authorization'), req.query.token);
    if (given !== undefined && same(given, token)) return next();
    res.set('WWW-Authenticate', 'Bearer realm="qps-sim control API"');
    fail(
      401,
      new SimError(
        'unauthorized',
        'controlToken',
        'The control API needs its token: send Authorization: Bearer <token> (or ?token=<token>).',
      ),
    );
  };
}
