// The README's first command, for real: `tsx src/main.ts` on an empty data folder seeds demo data,
// serves /health, /openapi.json and /docs, prints the URLs and logins; seeding again changes nothing.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/platform/db/database.ts';
import { freePort } from './ports.ts';

const serverDir = path.resolve(import.meta.dirname, '..');
const tsx = path.resolve(serverDir, '../node_modules/.bin/tsx');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'livemall-start-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

// Tables whose rows are runtime traffic rather than seeded data.
const RUNTIME_TABLES = new Set([
  'schema_migrations',
  'outbox_events',
  'processed_events',
  'jobs',
  'auth_sessions',
  'refresh_tokens',
  'platform_settings',
]);

async function tableCounts(): Promise<Record<string, number>> {
  const store = await openDatabase({ pgliteDir: path.join(dataDir, 'pglite') });
  try {
    const { rows } = await sql<{
      table_name: string;
    }>`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`.execute(
      store.db,
    );
    const counts: Record<string, number> = {};
    for (const { table_name } of rows) {
      // Analytics tables are derived from runtime activity (outbox facts, rollups), not seeded.
      if (RUNTIME_TABLES.has(table_name) || table_name.startsWith('analytics_')) continue;
      const r = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table_name)}`.execute(store.db);
      counts[table_name] = r.rows[0]!.n;
    }
    return counts;
  } finally {
    await store.close();
  }
}

const OPS = 'startup-test-operator-token-0123456789';

describe('npm start on an empty data folder', () => {
  it('seeds, serves and prints the banner; a second seed changes nothing', async () => {
    const port = await freePort();
    const env = {
      ...process.env,
      PORT: String(port),
      RTMP_PORT: String(await freePort()),
      DATA_DIR: dataDir,
      DEMO_STREAM: 'false',
      LOG_LEVEL: 'warn',
      NODE_ENV: 'development',
      DATABASE_URL: '',
      REDIS_URL: '',
      OPS_TOKEN: OPS,
    };
    const child = spawn(tsx, ['src/main.ts'], { cwd: serverDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      out += d;
    });
    try {
      const deadline = Date.now() + 90_000;
      while (!out.includes('Demo sign-ins') && Date.now() < deadline && child.exitCode === null)
        await new Promise((r) => setTimeout(r, 200));
      expect(out).toContain('Demo sign-ins');
      expect(out).toContain(`http://127.0.0.1:${port}/docs`);
      expect(out).toContain('13800000000');
      const health = await fetch(`http://127.0.0.1:${port}/health`, { headers: { authorization: `Bearer ${OPS}` } });
      expect(health.status).toBe(200);
      expect(((await health.json()) as { checks: Record<string, unknown> }).checks).toHaveProperty('db');
      expect((await fetch(`http://127.0.0.1:${port}/openapi.json`)).status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${port}/docs`)).status).toBe(200);
      const login = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ phone: '13800000001', password: 'demo1234' }),
      });
      expect(login.status).toBe(200);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }

    const before = await tableCounts();
    expect(before.users).toBeGreaterThanOrEqual(10);
    expect(before.merchants).toBe(2);
    const seed = spawnSync(tsx, ['src/seed/cli.ts'], {
      cwd: serverDir,
      env: { ...env, LOG_LEVEL: 'warn' },
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(seed.status, seed.stderr).toBe(0);
    // Not a terminal: a few plain progress lines (each 10 %), naming the step, ending at 100 %.
    const progress = seed.stdout.split('\n').filter((l) => l.startsWith('seeding demo data:'));
    expect(progress.some((l) => l.includes('identity/accounts'))).toBe(true);
    expect(progress.at(-1)).toMatch(/100%/);
    expect(progress.length).toBeLessThanOrEqual(12);
    expect(await tableCounts()).toEqual(before);
  }, 300_000);
});
