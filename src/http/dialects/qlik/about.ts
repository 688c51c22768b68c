import type { OpenApiDocument } from '../../../openapi/documents.js';
import type { HttpContext } from '../../context.js';
import type { Handlers } from '../../operations.js';
import { field, objectBody, optionalString } from './input.js';
import { errors } from '../../../domain/errors.js';

/** About, liveness, health and error logging. */
export function aboutHandlers(ctx: HttpContext, doc: OpenApiDocument): Handlers {
  const about = Buffer.from(JSON.stringify({ buildVersion: ctx.build.version, buildDate: ctx.build.date }));
  // As the QRS writes its own: one "METHOD /path" line per endpoint, from the document.
  const description = Buffer.from(
    JSON.stringify(
      doc.operations.map(
        (op) => `${op.method} ${['backend', 'personal'].includes(op.area) ? `/qps${op.path}` : op.path}`,
      ),
    ),
  );
  const alive = Buffer.from(JSON.stringify({ value: true }));
  return {
    getAbout: (call) => call.json(200, about),
    getAboutDescription: (call) => call.json(200, description),
    getAlive: (call) => call.json(200, alive),
    getHealth(call) {
      call.end(call.world.health().healthy ? 200 : 503);
    },
    logError(call) {
      const body = objectBody(call.body);
      const message = field(body, 'Message');
      if (typeof message !== 'string' || message.trim() === '') throw errors.invalidBody('Message', 'is required');
      const report: { message: string; userDirectory?: string; userId?: string } = { message };
      const userDirectory = optionalString(body, 'UserDirectory');
      const userId = optionalString(body, 'UserId');
      if (userDirectory !== undefined) report.userDirectory = userDirectory;
      if (userId !== undefined) report.userId = userId;
      call.world.logClientError(report);
      call.end(200);
    },
  };
}
