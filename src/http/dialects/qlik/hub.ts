import { errors } from '../../../domain/errors.js';
import type { Handlers } from '../../operations.js';
import { cookieSession } from './front-end.js';

const escape = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/** Front end: a stand-in hub page for a logged-in browser. */
export function hubHandlers(): Handlers {
  return {
    openHub(call) {
      const session = cookieSession(call);
      if (!session) throw errors.notLoggedIn();
      const who = escape(`${session.userDirectory}\\${session.userId}`);
      call.text(
        200,
        `<!doctype html><html><head><meta charset="utf-8"><title>Qlik Sense hub (qps-sim)</title></head>` +
          `<body><h1>Qlik Sense hub (simulated by qps-sim)</h1><p>Logged in as ${who} (${escape(session.userName)}), ` +
          `session ${escape(session.id)}.</p></body></html>`,
        'text/html; charset=utf-8',
      );
    },
  };
}
