import type { Response } from 'express';

const JSON_TYPE = 'application/json; charset=utf-8';

/** Sends a JSON body; a string is taken as already serialized (and reused by callers that cache). */
export function sendJson(res: Response, status: number, body: unknown): void {
  res
    .status(status)
    .set('Content-Type', JSON_TYPE)
    .send(typeof body === 'string' ? body : JSON.stringify(body));
}
