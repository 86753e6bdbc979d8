// Which real backends a test runs against: always the embedded defaults (PGlite + in-process
// cache), and PostgreSQL + Redis too when DATABASE_URL / REDIS_URL are set (they are on CI).
import crypto from 'node:crypto';
import pg from 'pg';

export interface Backend {
  name: string;
  /** postgres URL of a fresh database for this test, or undefined for in-memory PGlite. */
  databaseUrl?: string | undefined;
  redisUrl?: string | undefined;
}

export const DB_BACKENDS: Array<{ name: 'pglite' | 'postgres'; url?: string }> = [
  { name: 'pglite' },
  ...(process.env.DATABASE_URL ? [{ name: 'postgres' as const, url: process.env.DATABASE_URL }] : []),
];

export const CACHE_BACKENDS: Array<{ name: 'memory' | 'redis'; url?: string }> = [
  { name: 'memory' },
  ...(process.env.REDIS_URL ? [{ name: 'redis' as const, url: process.env.REDIS_URL }] : []),
];

/** Embedded defaults, plus the real servers when configured: the matrix app-level tests use. */
export const APP_BACKENDS: Array<{ name: string; db: 'pglite' | 'postgres'; cache: 'memory' | 'redis' }> = [
  { name: 'pglite+memory', db: 'pglite', cache: 'memory' },
  ...(process.env.DATABASE_URL || process.env.REDIS_URL
    ? [
        {
          name: `${process.env.DATABASE_URL ? 'postgres' : 'pglite'}+${process.env.REDIS_URL ? 'redis' : 'memory'}`,
          db: (process.env.DATABASE_URL ? 'postgres' : 'pglite') as 'pglite' | 'postgres',
          cache: (process.env.REDIS_URL ? 'redis' : 'memory') as 'memory' | 'redis',
        },
      ]
    : []),
];

/** A brand-new PostgreSQL database on the DATABASE_URL server; drop() removes it. */
export async function createPostgresDatabase(
  baseUrl = process.env.DATABASE_URL!,
): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `lm_test_${crypto.randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: baseUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

export const uniquePrefix = () => `lmtest:${crypto.randomBytes(5).toString('hex')}:`;
