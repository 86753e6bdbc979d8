// Opens the relational store: PostgreSQL when DATABASE_URL is set, otherwise PGlite (the same
// PostgreSQL, in WASM) stored under DATA_DIR. Both return int8/numeric as JS numbers: ids and fen
// amounts stay far below 2^53, and callers never juggle strings for money.
import fs from 'node:fs';
import path from 'node:path';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Logger } from 'pino';
import { PGliteDialect } from './pglite-dialect.ts';
import { lockDataDir } from './pglite-lock.ts';
import { copyIntoNewFolder } from './schema-template.ts';
import type { Database, Db } from './types.ts';

export interface DataStore {
  db: Db;
  kind: 'pglite' | 'postgres';
  ping(): Promise<void>;
  close(): Promise<void>;
  /** PGlite only: the whole data directory as a tarball (used as a test template). */
  dump?(): Promise<Blob>;
}

export interface OpenDatabaseOptions {
  /** postgres:// URL; when absent PGlite is used. */
  url?: string | undefined;
  /** PGlite data directory, or 'memory://' for a throwaway in-memory database. */
  pgliteDir?: string;
  poolMax?: number;
  log?: Logger;
  /** Start PGlite from a dumped data directory (tests: a pre-migrated template, ~3x faster than initdb). */
  pgliteTemplate?: Blob;
  /** A new data folder starts as a copy of this one, made once the folder is locked (schema-template.ts). */
  pgliteStartFrom?: string | undefined;
}

const INT8 = 20;
const NUMERIC = 1700;
const toNumber = (v: string) => Number(v);

export async function openDatabase(opts: OpenDatabaseOptions): Promise<DataStore> {
  if (opts.url) {
    const pool = new pg.Pool({
      connectionString: opts.url,
      max: opts.poolMax ?? 10,
      types: {
        getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
          oid === INT8 || oid === NUMERIC
            ? toNumber
            : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
      },
    });
    // An idle connection dropped by the server (restart, failover, database dropped): the pool
    // replaces it. Logged without the client object, which would dump the whole connection state.
    pool.on('error', (err) =>
      opts.log?.warn(
        { code: (err as { code?: string }).code, message: err.message },
        'idle PostgreSQL connection closed by the server',
      ),
    );
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return {
      db,
      kind: 'postgres',
      ping: async () => void (await sql`select 1`.execute(db)),
      close: () => db.destroy(),
    };
  }
  const { PGlite } = await import('@electric-sql/pglite');
  const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
  const dir = opts.pgliteDir ?? 'memory://';
  if (!dir.startsWith('memory://')) fs.mkdirSync(path.dirname(dir), { recursive: true });
  // One process per PGlite folder (pglite-lock.ts): refuse clearly rather than corrupt it.
  const unlock = dir.startsWith('memory://') ? () => undefined : lockDataDir(path.resolve(dir));
  let pglite: InstanceType<typeof PGlite>;
  try {
    if (opts.pgliteStartFrom) await copyIntoNewFolder(opts.pgliteStartFrom, dir);
    pglite = await PGlite.create(dir, {
      ...(opts.pgliteTemplate ? { loadDataDir: opts.pgliteTemplate } : {}),
      parsers: { [INT8]: toNumber, [NUMERIC]: toNumber },
      extensions: { pg_trgm },
    });
  } catch (err) {
    unlock();
    throw err;
  }
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite, opts.log) });
  return {
    db,
    kind: 'pglite',
    ping: async () => void (await sql`select 1`.execute(db)),
    close: async () => {
      try {
        await db.destroy();
      } finally {
        unlock();
      }
    },
    dump: async () => (await pglite.dumpDataDir('none')) as Blob,
  };
}
