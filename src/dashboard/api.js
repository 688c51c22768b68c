// The control API, as documented in /__sim/openapi/control.yaml: the page uses nothing else.
import { $, setText } from './dom.js';

const BASE = '/__sim';
/** The control API's token, when qps-sim runs with one: the page is opened as /__sim/ui?token=... */
const TOKEN = new URLSearchParams(location.search).get('token');

/** A control API address, with the token when there is one (an event stream cannot send a header). */
export const withToken = (path) =>
  TOKEN ? `${path}${path.includes('?') ? '&' : '?'}token=${encodeURIComponent(TOKEN)}` : path;

/**
 * Calls an operation and returns its JSON answer (or text, or null for an empty one). An error answer
 * throws with the API's own message, which says what failed and why.
 */
export async function call(method, path, body, type = 'application/json') {
  const init = { method, headers: {} };
  if (body !== undefined) {
    init.headers['Content-Type'] = type;
    init.body = type === 'application/json' ? JSON.stringify(body) : body;
  }
  const response = await fetch(withToken(`${BASE}${path}`), init);
  const text = await response.text();
  const json = (response.headers.get('Content-Type') ?? '').includes('json') && text ? JSON.parse(text) : undefined;
  if (!response.ok) throw new Error(json?.message ?? `${method} ${path} answered ${response.status}`);
  return json ?? (text || null);
}

let noticeTimer;

/** Says what an action did, or why it failed, for a few seconds (read by screen readers too). */
export function notify(message, kind = 'info') {
  const notice = $('notice');
  setText(notice, message);
  notice.dataset.kind = kind;
  clearTimeout(noticeTimer);
  noticeTimer = setTimeout(() => setText(notice, ''), kind === 'error' ? 12_000 : 4_000);
}

/** Runs an action from a control, reporting its outcome; the button is disabled while it runs. */
export async function act(control, description, action) {
  if (control) control.disabled = true;
  try {
    const result = await action();
    notify(description);
    return result;
  } catch (error) {
    notify(`${description} failed: ${error.message}`, 'error');
    return undefined;
  } finally {
    if (control) control.disabled = false;
  }
}
