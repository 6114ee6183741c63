import { httpHandler } from '#http/handler.ts';
import { buildOpenApiDocument } from '#openapi/document.ts';
import { getOpenApiRoute } from '#routes/table.ts';

/**
 * Built once per container: the document depends only on code, and converting every schema on
 * each request would cost a cold-start's worth of CPU per call.
 */
const document = buildOpenApiDocument();

export const handler = httpHandler({
  route: getOpenApiRoute,
  async handle() {
    return {
      status: 200,
      body: document,
      // It changes only with a deployment; clients and CDNs may keep it for a few minutes.
      headers: { 'cache-control': 'public, max-age=300' },
    };
  },
});
