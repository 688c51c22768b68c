import JSON5 from 'json5';
import express from 'express';
import { errors } from '../../../domain/errors.js';
import type { Attribute } from '../../../domain/users.js';
import { BODY_LIMIT } from '../../middleware/body.js';
import type { BodyReader } from '../../operations.js';

type Body = Record<string, unknown>;

/**
 * Reads a body as real clients send it to a QPS: JSON, or the lenient JSON some send (single quotes,
 * as in Qlik's TicketTest exchange), whatever the content type says.
 */
export function lenientJsonBody(): BodyReader {
  const text = express.text({ limit: BODY_LIMIT, type: () => true });
  return (call, done) => {
    const req = call.req as express.Request;
    text(req, call.res as express.Response, (err?: unknown) => {
      if (err !== undefined) {
        const tooLarge = (err as { type?: string }).type === 'entity.too.large';
        return done(tooLarge ? errors.bodyTooLarge(BODY_LIMIT) : errors.malformedJson((err as Error).message));
      }
      const raw = typeof req.body === 'string' ? req.body.trim() : '';
      if (raw === '') return done();
      try {
        call.body = JSON5.parse(raw);
        done();
      } catch (error) {
        done(errors.malformedJson((error as Error).message.replace(/^JSON5: /, '')));
      }
    });
  };
}

/** The body as an object, or a 400. */
export function objectBody(body: unknown): Body {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw errors.invalidBody('body', 'must be a JSON object');
  }
  return body as Body;
}

/** A field by name without regard to case (`UserId`, `userId`, `userid`). */
export function field(body: Body, name: string): unknown {
  const wanted = name.toLowerCase();
  for (const key of Object.keys(body)) if (key.toLowerCase() === wanted) return body[key];
  return undefined;
}

/** UserDirectory or UserId: a string, trimmed, not empty, without a backslash. */
export function userField(body: Body, name: string): string {
  const value = field(body, name);
  if (typeof value !== 'string')
    throw errors.invalidBody(name, value === undefined ? 'is required' : 'must be a string');
  const trimmed = value.trim();
  if (trimmed === '') throw errors.invalidBody(name, 'must not be empty');
  if (trimmed.includes('\\')) throw errors.invalidBody(name, 'must not contain a backslash');
  if (trimmed.length > 256) throw errors.invalidBody(name, 'must be at most 256 characters');
  return trimmed;
}

/** Attributes as Qlik writes them: an array of single-key objects with string values. */
export function attributesField(body: Body): Attribute[] {
  const value = field(body, 'Attributes');
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw errors.invalidBody('Attributes', 'must be an array of single-key objects');
  return value.map((item, i) => {
    const entries = item !== null && typeof item === 'object' && !Array.isArray(item) ? Object.entries(item) : [];
    const [entry] = entries;
    if (entries.length !== 1 || !entry) throw errors.invalidBody(`Attributes[${i}]`, 'must be an object with one key');
    const [name, raw] = entry;
    if (typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'boolean') {
      throw errors.invalidBody(`Attributes[${i}].${name}`, 'must be a string');
    }
    return [name, String(raw)] as const;
  });
}

export function optionalString(body: Body, name: string): string | undefined {
  const value = field(body, name);
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw errors.invalidBody(name, 'must be a string');
  return value;
}

/** `X-Qlik-User: UserDirectory=DIR; UserId=id` (spaces optional, values URL-encoded). */
export function parseQlikUser(header: string | undefined): { userDirectory: string; userId: string } | undefined {
  if (header === undefined) return undefined;
  const parts = new Map<string, string>();
  for (const part of header.split(';')) {
    const at = part.indexOf('=');
    if (at === -1) continue;
    const key = part.slice(0, at).trim().toLowerCase();
    try {
      parts.set(key, decodeURIComponent(part.slice(at + 1).trim()));
    } catch {
      parts.set(key, part.slice(at + 1).trim());
    }
  }
  const userDirectory = parts.get('userdirectory');
  const userId = parts.get('userid');
  if (!userDirectory || !userId) {
    throw errors.invalidHeader('X-Qlik-User', 'must be UserDirectory=<directory>; UserId=<id>');
  }
  return { userDirectory, userId };
}
