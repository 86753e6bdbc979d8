// Builds one LiveMall node: data store, migrations, cache, event bus, jobs, the HTTP server with
// OpenAPI, error shape, guard and metrics, then every module in modules/index.ts.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { sql } from 'kysely';
import type { Config } from './platform/config.ts';
import { createLogger, type Logger } from './platform/logger.ts';
import { openDatabase, type DataStore } from './platform/db/database.ts';
import { collectMigrations, migrate } from './platform/db/migrate.ts';
import { keepSchemaFolder, schemaFolderFor } from './platform/db/schema-template.ts';
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
  /** Where a new PGlite folder finds (or leaves) a copy of the migrated schema (schema-template.ts). */
  schemaCacheDir?: string;
  modules?: Module[];
  /** Filled with how long each step took, in ms (main.ts logs them at start). */
  phases?: Record<string, number>;
}

export async function createApp(config: Config, opts: CreateAppOptions = {}): Promise<App> {
  const log = opts.log ?? createLogger(config);
  const modules = opts.modules ?? defaultModules;
  let t0 = performance.now();
  const lap = (name: string) => {
    const now = performance.now();
    if (opts.phases) opts.phases[`${name}Ms`] = Math.round(now - t0);
    t0 = now;
  };
  const migrations = collectMigrations(migrationDirs(modules));
  const pgliteDir = opts.pgliteDir ?? path.join(config.dataDir, 'pglite');
  const schema = config.databaseUrl ? null : schemaFolderFor(opts.schemaCacheDir, pgliteDir, migrations);
  const store = await openDatabase({
    url: config.databaseUrl,
    pgliteDir,
    poolMax: config.dbPoolMax,
    log,
    ...(opts.pgliteTemplate ? { pgliteTemplate: opts.pgliteTemplate } : {}),
    pgliteStartFrom: schema?.cached ? schema.folder : undefined,
  });
  lap('dbOpen');
  const applied = await migrate(store.db, migrations, log);
  if (applied.length) log.info({ count: applied.length, backend: store.kind }, 'migrations applied');
  if (schema && !schema.cached) await keepSchemaFolder(store, pgliteDir, schema, log);
  lap('migrate');

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
  lap('init');

  const routes: string[] = [];
  const pendingValidators = new Set<() => void>();
  const http = await buildHttp(ctx, modules, routes, pendingValidators);
  let stopWarming: () => void = () => undefined;
  lap('http');
  let listening = false;

  return {
    ctx,
    http,
    store,
    modules,
    routes,
    async listen() {
      for (const m of modules) await m.ready?.(ctx);
      // A deep accept queue: when a pinned product makes thousands of viewers tap at once, connections
      // wait to be accepted instead of being reset at Node's default of 511 (the kernel caps it at somaxconn).
      const address = await http.listen({ host: config.host, port: config.port, backlog: 4096 });
      listening = true;
      stopWarming = warmValidators(pendingValidators, log);
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
      stopWarming();
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
 *
 * Compiling every route's validators at start was most of the start-up time, so each one compiles on
 * its first use; listen() then compiles the rest in the background (warmValidators), one per turn of
 * the event loop, so early requests neither wait for nor pay for it.
 */
function buildValidatorCompiler(externalSchemas: unknown, pending: Set<() => void>) {
  let instances: { strict: Ajv; coercing: Ajv } | undefined;
  const ajvs = () => {
    if (instances) return instances;
    const ajvOptions = { useDefaults: true, removeAdditional: false, strict: false, allErrors: false } as const;
    instances = {
      strict: addFormats(new Ajv({ ...ajvOptions, coerceTypes: false })),
      coercing: addFormats(new Ajv({ ...ajvOptions, coerceTypes: 'array' })),
    };
    for (const a of [instances.strict, instances.coercing]) {
      for (const s of Object.values((externalSchemas ?? {}) as Record<string, object>)) {
        a.addSchema(withNumberBounds(s));
      }
    }
    return instances;
  };
  return ({ schema, httpPart }: { schema: object; httpPart?: string }) => {
    let compiled: ValidateFunction | undefined;
    const compile = () => {
      if (compiled) return compiled;
      pending.delete(compile);
      const { strict, coercing } = ajvs();
      compiled = (httpPart === 'body' ? strict : coercing).compile(withNumberBounds(schema));
      return compiled;
    };
    pending.add(compile);
    // Fastify hands an Ajv function (one with schemaEnv) the request as parent data, which coercion and
    // defaults of a root value need: the marker keeps that, and the call passes it on.
    const validate = Object.assign(
      (data: unknown, dataCxt?: Parameters<ValidateFunction>[1]) => {
        const fn = compile();
        const ok = dataCxt ? fn(data, dataCxt) : fn(data);
        validate.errors = fn.errors;
        return ok;
      },
      { schemaEnv: true, errors: null as ValidateFunction['errors'] },
    );
    return validate;
  };
}

// Fastify's own default serializer compiler (fast-json-stringify), from Fastify's dependencies.
type SerializerFactory = (
  externalSchemas: unknown,
  opts: unknown,
) => (routeSchema: { schema: object }) => (data: unknown) => string;
const defaultSerializers = createRequire(createRequire(import.meta.url).resolve('fastify'))(
  '@fastify/fast-json-stringify-compiler',
) as () => SerializerFactory;

/** Response serializers, like the validators, are built on their first use or by warmValidators. */
function buildSerializerCompiler(externalSchemas: unknown, opts: unknown, pending: Set<() => void>) {
  const build = defaultSerializers()(externalSchemas, opts);
  return (routeSchema: { schema: object }) => {
    let compiled: ((data: unknown) => string) | undefined;
    const compile = () => {
      if (compiled) return compiled;
      pending.delete(compile);
      compiled = build(routeSchema);
      return compiled;
    };
    pending.add(compile);
    return (data: unknown) => compile()(data);
  };
}

/** Compiles the validators and serializers no request has needed yet, one per macrotask, until none is left or stop(). */
function warmValidators(pending: Set<() => void>, log: Logger) {
  let stopped = false;
  const next = () => {
    const compile = pending.values().next().value;
    if (stopped || !compile) return;
    try {
      compile();
    } catch (err) {
      pending.delete(compile);
      log.error({ err }, 'a route schema does not compile (its requests fail with 500)');
    }
    setImmediate(next);
  };
  setImmediate(next);
  return () => {
    stopped = true;
  };
}

async function buildHttp(
  ctx: AppContext,
  modules: Module[],
  routes: string[],
  pendingValidators: Set<() => void>,
): Promise<Http> {
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
    schemaController: {
      compilersFactory: {
        buildValidator: ((ext: unknown) => buildValidatorCompiler(ext, pendingValidators)) as never,
        buildSerializer: ((ext: unknown, opts: unknown) =>
          buildSerializerCompiler(ext, opts, pendingValidators)) as never,
      },
    },
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
