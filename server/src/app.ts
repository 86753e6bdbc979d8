// Builds one LiveMall node: data store, migrations, cache, event bus, jobs, the HTTP server with
// OpenAPI, error shape, guard and metrics, then every module in modules/index.ts.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { sql } from 'kysely';
import type { Config } from './platform/config.ts';
import { createLogger, type Logger } from './platform/logger.ts';
import { openDatabase, type DataStore } from './platform/db/database.ts';
import { collectMigrations, migrate } from './platform/db/migrate.ts';
import { openCache } from './platform/cache/index.ts';
import { EventBus } from './platform/events/outbox.ts';
import { JobQueue } from './platform/events/jobs.ts';
import { HealthRegistry } from './platform/health.ts';
import { ReconcileRegistry } from './platform/reconcile.ts';
import { Metrics } from './platform/metrics.ts';
import { TokenService } from './platform/auth/tokens.ts';
import { installGuard } from './platform/auth/guard.ts';
import { clientErrors, frameworkErrors, installErrorHandling } from './platform/errors.ts';
import { installRateLimits } from './platform/http/rate-limit.ts';
import { ErrorResponse, withNumberBounds } from './platform/http/schemas.ts';
import type { AppContext, Http, Module } from './platform/context.ts';
import type { Db } from './platform/db/types.ts';
import { systemRoutes } from './platform/http/system-routes.ts';
import { opsRoutes } from './platform/http/ops-routes.ts';
import { fileRoutes } from './platform/http/file-routes.ts';
import { webRoutes } from './platform/http/web-routes.ts';
import { installRequestIds, newRequestId } from './platform/http/request-id.ts';
import { installSecurityHeaders } from './platform/http/security-headers.ts';
import { installInputGuards } from './platform/http/input-guard.ts';
import { deploymentSecret } from './platform/db/settings.ts';
import { LocalDiskStorage } from './platform/storage/storage.ts';
import { registerMaintenance } from './platform/events/maintenance.ts';
import { modules as defaultModules } from './modules/index.ts';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const here = path.dirname(fileURLToPath(import.meta.url));

export interface App {
  ctx: AppContext;
  http: Http;
  /** "METHOD /path" of every registered route (for tests and docs checks). */
  routes: string[];
  store: DataStore;
  modules: Module[];
  /** Listen on HOST:PORT and start background workers and module parts. Returns the base URL. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

export interface CreateAppOptions {
  log?: Logger;
  /** Override the PGlite location (tests use 'memory://'); default DATA_DIR/pglite. */
  pgliteDir?: string;
  /** A dumped PGlite data directory to start from (see test/harness.ts). */
  pgliteTemplate?: Blob;
  modules?: Module[];
}

export async function createApp(config: Config, opts: CreateAppOptions = {}): Promise<App> {
  const log = opts.log ?? createLogger(config);
  const modules = opts.modules ?? defaultModules;
  const store = await openDatabase({
    url: config.databaseUrl,
    pgliteDir: opts.pgliteDir ?? path.join(config.dataDir, 'pglite'),
    poolMax: config.dbPoolMax,
    log,
    ...(opts.pgliteTemplate ? { pgliteTemplate: opts.pgliteTemplate } : {}),
  });
  const migrations = collectMigrations(migrationDirs(modules));
  const applied = await migrate(store.db, migrations, log);
  if (applied.length) log.info({ count: applied.length, backend: store.kind }, 'migrations applied');

  const cache = openCache({ redisUrl: config.redisUrl, prefix: config.redisPrefix, log });
  const metrics = new Metrics();
  const health = new HealthRegistry();
  const events = new EventBus(store.db, log, { nodeId: config.nodeId, checkPayloads: config.env !== 'production' });
  for (const m of modules) if (m.events) events.declare(m.name, m.events);
  const jobs = new JobQueue(store.db, log, { nodeId: config.nodeId });
  events.onDelivered = (e) => metrics.eventsDelivered.inc({ type: e.type });
  events.onFailed = (e) => metrics.eventsFailed.inc({ type: e.type });
  jobs.onFinished = (j, status) => metrics.jobsFinished.inc({ type: j.type, status });
  registerMaintenance(jobs);

  health.register(
    'db',
    async () => {
      await store.ping();
      return { status: 'up', backend: store.kind };
    },
    { critical: true },
  );
  health.register(
    'cache',
    async () => {
      await cache.ping();
      return { status: 'up', backend: cache.kind };
    },
    { critical: true },
  );

  const tokens = new TokenService(await jwtSecret(store.db, config), config.accessTokenTtlSec);
  const ctx: AppContext = {
    config,
    log,
    db: store.db,
    dbKind: store.kind,
    cache,
    events,
    jobs,
    metrics,
    health,
    tokens,
    reconcile: new ReconcileRegistry(),
    storage: new LocalDiskStorage(path.join(config.dataDir, 'uploads'), '/files'),
    services: {} as AppContext['services'],
    memberships: { merchantRole: async () => null },
    startupLinks: [],
  };
  for (const m of modules) await m.init?.(ctx);

  const routes: string[] = [];
  const http = await buildHttp(ctx, modules, routes);
  let listening = false;

  return {
    ctx,
    http,
    store,
    modules,
    routes,
    async listen() {
      const address = await http.listen({ host: config.host, port: config.port });
      listening = true;
      // PORT=0 (tests, benches): links handed out must carry the port actually bound.
      if (new URL(config.publicUrl).port === '0') config.publicUrl = address.replace('[::1]', '127.0.0.1');
      ctx.httpServer = http.server;
      if (config.workers) {
        events.start();
        jobs.start();
      }
      for (const m of modules) await m.start?.(ctx);
      return address.replace('[::1]', '127.0.0.1');
    },
    async close() {
      for (const m of [...modules].reverse()) {
        await m.stop?.(ctx).catch((err: unknown) => log.error({ err, module: m.name }, 'module stop failed'));
      }
      await Promise.all([events.stop(), jobs.stop()]);
      if (listening) await http.close();
      else await http.close().catch(() => undefined);
      await cache.close();
      await store.close();
    },
  };
}

export function migrationDirs(modules: Module[]): string[] {
  return [
    path.join(here, 'platform/db/migrations'),
    ...modules.flatMap((m) => (m.migrationsDir ? [m.migrationsDir] : [])),
  ];
}

/** JWT_SECRET if given; otherwise one generated on first start and kept in the database, shared by all nodes. */
async function jwtSecret(db: Db, config: Config): Promise<string> {
  return config.jwtSecret ?? deploymentSecret(db, 'jwt_secret');
}

/**
 * Bodies are validated strictly (no type coercion, unknown fields rejected); path and query
 * strings are coerced to the declared types because they only ever arrive as text. Integers and
 * numbers without bounds get the column-safe defaults of withNumberBounds. Set through the schema
 * controller so every encapsulated plugin (each with its own shared schemas) uses it.
 */
function buildValidatorCompiler(externalSchemas: unknown) {
  const ajvOptions = { useDefaults: true, removeAdditional: false, strict: false, allErrors: false } as const;
  const strictAjv = addFormats(new Ajv({ ...ajvOptions, coerceTypes: false }));
  const coercingAjv = addFormats(new Ajv({ ...ajvOptions, coerceTypes: 'array' }));
  for (const a of [strictAjv, coercingAjv]) {
    for (const s of Object.values((externalSchemas ?? {}) as Record<string, object>)) a.addSchema(withNumberBounds(s));
  }
  return ({ schema, httpPart }: { schema: object; httpPart?: string }) =>
    (httpPart === 'body' ? strictAjv : coercingAjv).compile(withNumberBounds(schema));
}

async function buildHttp(ctx: AppContext, modules: Module[], routes: string[]): Promise<Http> {
  const { config, log } = ctx;
  const app = Fastify({
    loggerInstance: log,
    bodyLimit: config.bodyLimitBytes,
    requestIdHeader: false, // ours, always: platform/http/request-id.ts
    trustProxy: config.trustProxy as boolean | string[], // or a hop count: Fastify takes it, its types omit it
    genReqId: newRequestId,
    routerOptions: { ignoreTrailingSlash: true },
    frameworkErrors,
    clientErrorHandler: clientErrors, // our error shape for router and HTTP-parser refusals
    schemaController: { compilersFactory: { buildValidator: buildValidatorCompiler as never } },
  }).withTypeProvider<TypeBoxTypeProvider>() as unknown as Http;

  app.addSchema(ErrorResponse);

  app.addHook('onRoute', (r) => {
    for (const m of [r.method].flat()) routes.push(`${m} ${r.url}`);
  });
  installErrorHandling(app);
  installRequestIds(app);
  installSecurityHeaders(app);
  installInputGuards(app);
  app.addHook('onResponse', async (req, reply) => {
    ctx.metrics.httpDuration.observe(
      { method: req.method, route: req.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'LiveMall API',
        version: '1.0.0',
        description:
          'Live commerce platform API. Money is integer fen. Every error is { error: { code, message, details } }.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    },
    refResolver: {
      buildLocalReference: (json, _base, _frag, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`),
    },
  });
  installGuard(app, {
    tokens: ctx.tokens,
    cache: ctx.cache,
    memberships: { merchantRole: (u, m) => ctx.memberships.merchantRole(u, m) },
    openPrefixes: ['/docs', '/shop/', '/admin/'],
    opsToken: config.opsToken,
  });
  installRateLimits(app, { cache: ctx.cache, ...config.rateLimits });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  systemRoutes(app, ctx);
  opsRoutes(app, ctx);
  fileRoutes(app, ctx);
  const webApps = await webRoutes(app);
  for (const name of webApps)
    ctx.startupLinks.push(
      `${name === 'shop' ? 'Shop (H5)' : 'Console'}${' '.repeat(name === 'shop' ? 6 : 8)} ${ctx.config.publicUrl}/${name}/`,
    );
  for (const m of modules) if (m.routes) await app.register(async (scope) => m.routes!(scope as Http, ctx));
  await app.ready();
  return app;
}

export { sql };
