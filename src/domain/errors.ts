/** What went wrong, independent of any wire format; each dialect maps a kind to its status. */
export type ErrorKind =
  | 'injected'
  | 'badRequest'
  | 'unauthorized'
  | 'notFound'
  | 'methodNotAllowed'
  | 'payloadTooLarge'
  | 'unsupportedMediaType'
  | 'forbidden'
  | 'conflict'
  | 'unavailable';

export class SimError extends Error {
  override readonly name = 'SimError';

  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

const quote = (value: string) => JSON.stringify(value);

/** The catalogue: every error the simulator raises, with a message that says what to do. */
export const errors = {
  badXrfkey: (rule: string) =>
    new SimError(
      'unauthorized',
      'badXrfkey',
      `Xrfkey check failed: ${rule}. Send the same 16 letters or digits as the Xrfkey query parameter and the X-Qlik-Xrfkey header.`,
      { rule },
    ),
  unknownVirtualProxy: (prefix: string, known: string[]) =>
    new SimError(
      'notFound',
      'unknownVirtualProxy',
      `No virtual proxy with prefix ${quote(prefix)}. Configured prefixes: ${known.map((p) => (p === '' ? '(default)' : quote(p))).join(', ')}.`,
      { prefix },
    ),
  routeNotFound: (method: string, path: string, listedAt = 'GET /qps/about/description') =>
    new SimError('notFound', 'routeNotFound', `No operation at ${method} ${path}. ${listedAt} lists them.`),
  methodNotAllowed: (method: string, path: string, allowed: string[]) =>
    new SimError(
      'methodNotAllowed',
      'methodNotAllowed',
      `${method} is not allowed on ${path}; allowed: ${allowed.join(', ')}.`,
      { allowed },
    ),
  sessionNotFound: (id: string, prefix: string) =>
    new SimError(
      'notFound',
      'sessionNotFound',
      `No session with id ${quote(id)} on virtual proxy ${prefix === '' ? '(default)' : quote(prefix)}. It may have ended or timed out, or belong to another virtual proxy.`,
      { id, prefix },
    ),
  malformedSessionId: (id: string) =>
    new SimError(
      'notFound',
      'malformedSessionId',
      `No session with id ${quote(id)}: session ids are UUIDs such as 3f2b1c4e-8d7a-4b6e-9f10-2a3b4c5d6e7f.`,
      { id },
    ),
  userNotFound: (userDirectory: string, userId: string) =>
    new SimError(
      'notFound',
      'userNotFound',
      `No user ${quote(userId)} in user directory ${quote(userDirectory)}. GET /__sim/state lists the directories.`,
      { userDirectory, userId },
    ),
  invalidBody: (field: string, reason: string) =>
    new SimError('badRequest', 'invalidBody', `Invalid request body: ${field ? `${field} ` : ''}${reason}.`, {
      field,
      reason,
    }),
  invalidHeader: (name: string, reason: string) =>
    new SimError('badRequest', 'invalidHeader', `Invalid ${name} header: it ${reason}.`, { name }),
  malformedJson: (reason: string) =>
    new SimError('badRequest', 'malformedJson', `The request body is not valid JSON: ${reason}.`),
  unsupportedMediaType: (received: string, accepted = 'application/json') =>
    new SimError(
      'unsupportedMediaType',
      'unsupportedMediaType',
      `Content-Type ${quote(received)} is not accepted here; send ${accepted}.`,
    ),
  bodyTooLarge: (limit: string) =>
    new SimError('payloadTooLarge', 'bodyTooLarge', `The request body is larger than the ${limit} limit.`, { limit }),
  invalidQuery: (parameter: string, reason: string) =>
    new SimError('badRequest', 'invalidQuery', `Invalid query parameter ${parameter}: ${reason}.`, { parameter }),
  injected: (status: number, message: string | undefined, shapedBy: Array<{ id: string }>) =>
    new SimError(
      'injected',
      'injected',
      message ?? `Injected failure: status ${status} from qps-sim fault rule ${shapedBy.map((s) => s.id).join(', ')}.`,
      { status, shapedBy },
    ),
  noScenario: () =>
    new SimError('notFound', 'noScenario', 'No scenario is loaded. PUT one (YAML or JSON) to /__sim/scenario.'),
  faultNotFound: (id: string) =>
    new SimError('notFound', 'faultNotFound', `No fault rule with id ${quote(id)}. GET /__sim/faults lists them.`),
  ticketRefused: (why: string) =>
    new SimError(
      'forbidden',
      'ticketRefused',
      `Access denied: the ticket is ${why}. Tickets are good once, for a minute, on the virtual proxy that issued them.`,
      { why },
    ),
  sessionLimit: (userDirectory: string, userId: string, limit: number) =>
    new SimError(
      'forbidden',
      'sessionLimit',
      `Access denied: ${userDirectory}\\${userId} already has ${limit} sessions on this virtual proxy, the most allowed.`,
      { limit },
    ),
  sessionExists: (id: string) =>
    new SimError('conflict', 'sessionExists', `A session with id ${quote(id)} already exists.`, { id }),
  notLoggedIn: () =>
    new SimError(
      'unauthorized',
      'notLoggedIn',
      'No session: log in with a ticket (append qlikTicket=<ticket> to the URL).',
    ),
  engineDown: (hostName: string) => new SimError('unavailable', 'engineDown', `The engine ${hostName} is down.`),
  engineNotFound: (id: string) =>
    new SimError(
      'notFound',
      'engineNotFound',
      `No engine with id ${quote(id)}. GET /__sim/cluster lists the engines.`,
      {
        id,
      },
    ),
};
