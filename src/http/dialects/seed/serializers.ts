import type { Session } from '../../../domain/sessions.js';
import type { Attribute } from '../../../domain/users.js';

/** The seed contract groups attribute values by name: `[{ name: 'group', values: ['Sales', 'HR'] }]`. */
export function attributesOf(pairs: readonly Attribute[]): Array<{ name: string; values: string[] }> {
  const grouped = new Map<string, string[]>();
  for (const [name, value] of pairs) {
    const values = grouped.get(name);
    if (values) values.push(value);
    else grouped.set(name, [value]);
  }
  return [...grouped].map(([name, values]) => ({ name, values }));
}

export const iso = (ms: number): string => new Date(ms).toISOString();

export function sessionOf(session: Session) {
  return {
    sessionId: session.id,
    userDirectory: session.userDirectory,
    userId: session.userId,
    userName: session.userName,
    sessionStart: iso(session.start),
    lastActive: iso(session.lastActive),
    attributes: attributesOf(session.attributes),
  };
}
