import { errors } from '../../../domain/errors.js';
import { proxyOf, type Handlers, type HttpContext } from '../../context.js';
import { cookieSession } from './front-end.js';

const escape = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/** Front end: a stand-in hub page for a logged-in browser. */
export function hubHandlers(ctx: HttpContext): Handlers {
  return {
    openHub(req, res) {
      const session = cookieSession(ctx.world(), req, proxyOf(res));
      if (!session) throw errors.notLoggedIn();
      const who = escape(`${session.userDirectory}\\${session.userId}`);
      res
        .status(200)
        .type('text/html; charset=utf-8')
        .send(
          `<!doctype html><html><head><meta charset="utf-8"><title>Qlik Sense hub (qps-sim)</title></head>` +
            `<body><h1>Qlik Sense hub (simulated by qps-sim)</h1><p>Logged in as ${who} (${escape(session.userName)}), ` +
            `session ${escape(session.id)}.</p></body></html>`,
        );
    },
  };
}
