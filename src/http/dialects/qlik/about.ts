import type { OpenApiDocument } from '../../../openapi/documents.js';
import { type Handlers, type HttpContext } from '../../context.js';
import { sendJson } from '../../send.js';
import { field, objectBody, optionalString } from './input.js';
import { errors } from '../../../domain/errors.js';

/** About, liveness, health and error logging. */
export function aboutHandlers(ctx: HttpContext, doc: OpenApiDocument): Handlers {
  const about = JSON.stringify({ buildVersion: ctx.build.version, buildDate: ctx.build.date });
  // As the QRS writes its own: one "METHOD /path" line per endpoint, from the document.
  const description = JSON.stringify(
    doc.operations.map(
      (op) => `${op.method} ${['backend', 'personal'].includes(op.area) ? `/qps${op.path}` : op.path}`,
    ),
  );
  return {
    getAbout: (_req, res) => sendJson(res, 200, about),
    getAboutDescription: (_req, res) => sendJson(res, 200, description),
    getAlive: (_req, res) => sendJson(res, 200, { value: true }),
    getHealth(_req, res) {
      res.status(ctx.world().health().healthy ? 200 : 503).end();
    },
    logError(req, res) {
      const body = objectBody(req.body);
      const message = field(body, 'Message');
      if (typeof message !== 'string' || message.trim() === '') throw errors.invalidBody('Message', 'is required');
      const report: { message: string; userDirectory?: string; userId?: string } = { message };
      const userDirectory = optionalString(body, 'UserDirectory');
      const userId = optionalString(body, 'UserId');
      if (userDirectory !== undefined) report.userDirectory = userDirectory;
      if (userId !== undefined) report.userId = userId;
      ctx.world().logClientError(report);
      res.status(200).end();
    },
  };
}
