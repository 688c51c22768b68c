import type { OpenApiDocument } from '../../../openapi/documents.js';
import { proxyOf, type Handlers, type HttpContext } from '../../context.js';
import { sendJson } from '../../send.js';

/** About: build information, and the endpoint list generated from the seed document. */
export function aboutHandlers(ctx: HttpContext, doc: OpenApiDocument): Handlers {
  const about = JSON.stringify({ buildVersion: ctx.build.version, buildDate: ctx.build.date });
  const descriptions = new Map<string, string>();
  const describe = (prefix: string) =>
    JSON.stringify(
      doc.operations.map((op) => ({
        method: op.method,
        path: `${prefix === '' ? '' : `/${prefix}`}/qps${op.path}`,
        description: op.summary.replace(/^Qlik Sense Enterprise /, '') || op.description,
      })),
    );
  return {
    getProxyAbout: (_req, res) => sendJson(res, 200, about),
    getProxyApiDescription(_req, res) {
      const { prefix } = proxyOf(res);
      let body = descriptions.get(prefix);
      if (body === undefined) descriptions.set(prefix, (body = describe(prefix)));
      sendJson(res, 200, body);
    },
  };
}
