// Start a real LiveMall node for a test: fresh database (in-memory PGlite, or a new PostgreSQL
// database), isolated cache namespace, real HTTP listener on 127.0.0.1 with a random port.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createApp, migrationDirs, type App } from '../src/app.ts';
import { modules as allModules } from '../src/modules/index.ts';
import { openDatabase } from '../src/platform/db/database.ts';
import { collectMigrations, migrate } from '../src/platform/db/migrate.ts';
import { readSchemaTemplate, schemaKey, writeSchemaTemplate } from '../src/platform/db/schema-template.ts';
import { testConfig, type Config } from '../src/platform/config.ts';
import type { Module } from '../src/platform/context.ts';
import type { Logger } from '../src/platform/logger.ts';
import { createPostgresDatabase, uniquePrefix } from './backends.ts';
import { hashPassword } from '../src/modules/identity/passwords.ts';
import { Redis } from 'ioredis';

export interface TestNode {
  app: App;
  url: string;
  config: Config;
  /** fetch JSON against this node; `token` adds a bearer header. */
  api<T = any>(
    method: string,
    route: string,
    opts?: { body?: unknown; token?: string; headers?: Record<string, string> },
  ): Promise<{ status: number; body: T; headers: Headers }>;
  /** Register a user and return tokens, or sign in the one that exists. */
  userToken(
    phone: string,
    opts?: { admin?: boolean; password?: string },
  ): Promise<{ token: string; refreshToken: string; userId: number }>;
  close(): Promise<void>;
}

export interface TestNodeOptions {
  db?: 'pglite' | 'postgres';
  cache?: 'memory' | 'redis';
  /** Reuse an existing database (e.g. a second node, or a restart): its postgres URL or PGlite folder. */
  databaseUrl?: string;
  pgliteDir?: string;
  redisPrefix?: string;
  config?: Partial<Config>;
  modules?: Module[];
  listen?: boolean;
  /** The node's logger (a test that reads what the node logged passes one writing to its own sink). */
  log?: Logger;
}

let cachedHash: Promise<string> | undefined;
let template: Promise<Blob> | undefined;
const TEMPLATE_DIR = path.join(os.tmpdir(), 'livemall-schema');

/**
 * A PGlite data directory with every migration applied, dumped once and shared by all test
 * workers through a file keyed by the migrations (schema-template.ts): loading it takes ~1 s where a
 * fresh initdb plus migrations takes 4-6 s.
 */
function pgliteTemplate(): Promise<Blob> {
  template ??= (async () => {
    const migrations = collectMigrations(migrationDirs(allModules));
    const key = schemaKey(migrations);
    const cached = readSchemaTemplate(TEMPLATE_DIR, key);
    if (cached) return cached;
    const store = await openDatabase({ pgliteDir: 'memory://' });
    await migrate(store.db, migrations);
    const blob = await store.dump!();
    await store.close();
    await writeSchemaTemplate(TEMPLATE_DIR, key, blob);
    return blob;
  })();
  return template;
}
const TEST_PASSWORD = 'test1234';

export async function startNode(opts: TestNodeOptions = {}): Promise<TestNode> {
  let dropDb: (() => Promise<void>) | undefined;
  let databaseUrl = opts.databaseUrl;
  if (!databaseUrl && opts.db === 'postgres') {
    const created = await createPostgresDatabase();
    databaseUrl = created.url;
    dropDb = created.drop;
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'livemall-test-'));
  const config = testConfig({
    dataDir,
    databaseUrl,
    redisUrl: opts.cache === 'redis' ? process.env.REDIS_URL : undefined,
    redisPrefix: opts.redisPrefix ?? uniquePrefix(),
    seedDemo: false,
    demoStream: false,
    ...opts.config,
  });
  const useTemplate = !opts.pgliteDir && !databaseUrl && !opts.modules;
  const app = await createApp(config, {
    pgliteDir: opts.pgliteDir ?? 'memory://',
    ...(opts.modules ? { modules: opts.modules } : {}),
    ...(opts.log ? { log: opts.log } : {}),
    ...(useTemplate ? { pgliteTemplate: await pgliteTemplate() } : {}),
  });
  const url = opts.listen === false ? '' : await app.listen();

  const api: TestNode['api'] = async (method, route, o = {}) => {
    const headers: Record<string, string> = { ...(o.headers ?? {}) };
    if (o.body !== undefined) headers['content-type'] ??= 'application/json';
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    const res = await fetch(url + route, {
      method,
      headers,
      ...(o.body !== undefined ? { body: typeof o.body === 'string' ? o.body : JSON.stringify(o.body) } : {}),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON */
    }
    return { status: res.status, body: body as any, headers: res.headers };
  };

  return {
    app,
    url,
    config,
    api,
    async userToken(phone, o = {}) {
      const db = app.ctx.db;
      let user = await db.selectFrom('users').select('id').where('phone', '=', phone).executeTakeFirst();
      if (!user) {
        // Insert directly with a cached hash: argon2 per test user would dominate test time.
        cachedHash ??= hashPassword(TEST_PASSWORD);
        user = await db
          .insertInto('users')
          .values({
            phone,
            nickname: `u${phone.slice(-4)}`,
            password_hash: o.password ? await hashPassword(o.password) : await cachedHash,
            is_platform_admin: o.admin ?? false,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
      }
      if (!o.password) {
        // Skip argon2 verification (≈100 ms each): tests that exercise sign-in use the API directly.
        const t = await app.ctx.services.auth.trustedSignIn(user.id);
        return { token: t.accessToken, refreshToken: t.refreshToken, userId: user.id };
      }
      const r = await api('POST', '/api/auth/login', { body: { phone, password: o.password, refreshTokenIn: 'body' } });
      if (r.status !== 200) throw new Error(`login failed for ${phone}: ${JSON.stringify(r.body)}`);
      return {
        token: r.body.tokens.accessToken as string,
        refreshToken: r.body.tokens.refreshToken as string,
        userId: user.id,
      };
    },
    async close() {
      // Bounded: a teardown that hangs (seen once under heavy CPU contention on PGlite) must not
      // fail the suite after every assertion passed; it is reported instead.
      let timer: NodeJS.Timeout | undefined;
      const closed = await Promise.race([
        app.close().then(() => true),
        new Promise<false>((resolve) => {
          timer = setTimeout(() => resolve(false), 30_000);
          timer.unref();
        }),
      ]);
      clearTimeout(timer);
      if (!closed) process.stderr.write(`warning: test node did not close within 30 s (${opts.db ?? 'pglite'})\n`);
      await dropDb?.();
      // The node that made up the Redis prefix removes its keys (nodes given a prefix share it).
      if (config.redisUrl && !opts.redisPrefix)
        await dropRedisKeys(config.redisUrl, config.redisPrefix).catch(() => undefined);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function dropRedisKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/** Make a merchant with an owner (and optional staff) for tenancy tests; returns ids and tokens. */
export async function makeMerchant(node: TestNode, name: string, ownerPhone: string) {
  const admin = await node.userToken('13700000000', { admin: true });
  const owner = await node.userToken(ownerPhone);
  const r = await node.api('POST', '/api/platform/merchants', { token: admin.token, body: { name, ownerPhone } });
  if (r.status !== 201) throw new Error(`onboard failed: ${JSON.stringify(r.body)}`);
  return { merchantId: r.body.id as number, owner, admin };
}

/** A node in its own OS process (tsx server/src/main.ts), sharing the given database and Redis. */
export async function startChildNode(env: {
  databaseUrl: string;
  redisPrefix: string /** More environment, e.g. ORDER_PAYMENT_TIMEOUT_SEC. */;
  extra?: Record<string, string>;
}): Promise<{ url: string; api: TestNode['api']; kill(signal?: NodeJS.Signals): Promise<void> }> {
  const { spawn } = await import('node:child_process');
  const { freePort } = await import('./ports.ts');
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'livemall-child-'));
  const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
  // Its own process group, so a kill reaches the node process tsx starts, not only tsx itself
  // (a SIGKILLed tsx would leave the server running).
  const child = spawn(path.join(root, 'node_modules/.bin/tsx'), ['server/src/main.ts'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    detached: true,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      RTMP_PORT: '0',
      DATA_DIR: dataDir,
      DATABASE_URL: env.databaseUrl,
      REDIS_URL: process.env.REDIS_URL,
      REDIS_PREFIX: env.redisPrefix,
      SEED_DEMO: 'false',
      DEMO_STREAM: 'false',
      LOG_LEVEL: 'error',
      NODE_ENV: 'test',
      ...env.extra,
    },
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`child node exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/health`)).ok) break;
    } catch {
      /* starting */
    }
    if (Date.now() > deadline) {
      process.kill(-child.pid!, 'SIGKILL');
      throw new Error('child node did not start');
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  const api: TestNode['api'] = async (method, route, o = {}) => {
    const headers: Record<string, string> = { ...(o.headers ?? {}) };
    if (o.body !== undefined) headers['content-type'] ??= 'application/json';
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    const res = await fetch(url + route, {
      method,
      headers,
      ...(o.body !== undefined ? { body: JSON.stringify(o.body) } : {}),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON */
    }
    return { status: res.status, body: body as any, headers: res.headers };
  };
  return {
    url,
    api,
    async kill(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        process.kill(-child.pid!, signal);
        await exited;
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
