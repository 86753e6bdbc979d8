import { Type } from 'typebox';
import type { AppContext, Http } from '../context.ts';

export function systemRoutes(app: Http, ctx: AppContext): void {
  app.get('/health', {
    config: { access: 'public' },
    schema: {
      tags: ['system'],
      summary: 'Liveness and dependencies: db, cache, media',
      response: {
        200: Type.Object({ status: Type.String(), node: Type.String(), uptimeSec: Type.Number(), checks: Type.Record(Type.String(), Type.Unknown()) }),
        503: Type.Object({ status: Type.String(), node: Type.String(), uptimeSec: Type.Number(), checks: Type.Record(Type.String(), Type.Unknown()) }),
      },
    },
  }, async (_req, reply) => {
    const report = await ctx.health.report();
    return reply.status(report.ok ? 200 : 503).send({
      status: report.status, node: ctx.config.nodeId, uptimeSec: Math.round(process.uptime()), checks: report.checks,
    });
  });

  app.get('/metrics', {
    config: { access: 'public' },
    schema: { tags: ['system'], summary: 'Prometheus metrics', hide: false },
  }, async (_req, reply) => {
    reply.header('content-type', ctx.metrics.registry.contentType);
    return ctx.metrics.registry.metrics();
  });

  app.get('/openapi.json', {
    config: { access: 'public' },
    schema: { tags: ['system'], summary: 'This OpenAPI document', hide: true },
  }, async () => app.swagger());
}
