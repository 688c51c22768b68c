import type { OpenApiDocument } from '../../../openapi/documents.js';
import type { HttpContext } from '../../context.js';
import type { Handlers } from '../../operations.js';

/** About: build information, and the endpoint list generated from the seed document (per proxy, made once). */
export function aboutHandlers(ctx: HttpContext, doc: OpenApiDocument): Handlers {
  const about = Buffer.from(JSON.stringify({ buildVersion: ctx.build.version, buildDate: ctx.build.date }));
  const descriptions = new Map<string, Buffer>();
  const describe = (prefix: string) =>
    Buffer.from(
      JSON.stringify(
        doc.operations.map((op) => ({
          method: op.method,
          path: `${prefix === '' ? '' : `/${prefix}`}/qps${op.path}`,
          description: op.summary.replace(/^Qlik Sense Enterprise /, '') || op.description,
        })),
      ),
    );
  return {
    getProxyAbout: (call) => call.json(200, about),
    getProxyApiDescription(call) {
      const { prefix } = call.proxy;
      let body = descriptions.get(prefix);
      if (body === undefined) descriptions.set(prefix, (body = describe(prefix)));
      call.json(200, body);
    },
  };
}
