// /health answers everyone with the status alone (load balancers, uptime checks); the details
// (node name, uptime, each dependency) are for operators: the OPS_TOKEN bearer or a platform
// admin. /metrics is for operators only: Prometheus sends OPS_TOKEN as its bearer token.
import { Type } from 'typebox';
import type { AppContext, Http } from '../context.ts';
import { errorResponses } from './schemas.ts';

const HealthT = Type.Object({
  status: Type.String({ description: 'up, degraded or down' }),
  node: Type.Optional(Type.String({ description: 'operators only' })),
  uptimeSec: Type.Optional(Type.Number({ description: 'operators only' })),
  checks: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'operators only' })),
});

export function systemRoutes(app: Http, ctx: AppContext): void {
  app.get(
    '/health',
    {
      config: { access: 'public' },
      schema: {
        tags: ['system'],
        summary: 'Liveness: status for everyone; node, uptime and checks with OPS_TOKEN or as a platform admin',
        response: { 200: HealthT, 503: HealthT },
      },
    },
    async (req, reply) => {
      const report = await ctx.health.report();
      reply.status(report.ok ? 200 : 503).header('cache-control', 'no-store');
      if (!req.isOperator && !req.actor?.isPlatformAdmin) return reply.send({ status: report.status });
      const uptimeSec = Math.round(process.uptime());
      return reply.send({ status: report.status, node: ctx.config.nodeId, uptimeSec, checks: report.checks });
    },
  );

  app.get(
    '/metrics',
    {
      config: { access: 'operator' },
      schema: {
        tags: ['system'],
        summary: 'Prometheus metrics (Authorization: Bearer OPS_TOKEN, or a platform admin)',
        security: [{ bearer: [] }],
        response: { ...errorResponses },
      },
    },
    async (_req, reply) => {
      reply.header('content-type', ctx.metrics.registry.contentType);
      return ctx.metrics.registry.metrics();
    },
  );

  app.get(
    '/openapi.json',
    {
      config: { access: 'public' },
      schema: { tags: ['system'], summary: 'This OpenAPI document', hide: true },
    },
    async () => app.swagger(),
  );
}
