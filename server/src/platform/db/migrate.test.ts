import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase, DB_BACKENDS } from '../../../test/backends.ts';
import { openDatabase, type DataStore } from './database.ts';
import { collectMigrations, migrate } from './migrate.ts';
import { modules } from '../../modules/index.ts';

const cleanups: Array<() => Promise<void>> = [];

function migrationsDir(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lm-mig-'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  cleanups.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

async function freshStore(kind: 'pglite' | 'postgres'): Promise<{ store: DataStore; url?: string }> {
  if (kind === 'pglite') {
    const store = await openDatabase({ pgliteDir: 'memory://' });
    cleanups.push(() => store.close());
    return { store };
  }
  const created = await createPostgresDatabase();
  const store = await openDatabase({ url: created.url });
  cleanups.push(async () => {
    await store.close();
    await created.drop();
  });
  return { store, url: created.url };
}

describe.each(DB_BACKENDS)('migrations on $name', (backend) => {
  it('applies every module migration once; a second run changes nothing', async () => {
    const { store } = await freshStore(backend.name);
    const dirs = [
      path.resolve('src/platform/db/migrations'),
      ...modules.flatMap((m) => (m.migrationsDir ? [m.migrationsDir] : [])),
    ];
    const all = collectMigrations(dirs);
    expect(all.map((m) => m.id)).toEqual([...all.map((m) => m.id)].sort());
    const first = await migrate(store.db, all);
    expect(first).toEqual(all.map((m) => m.id));
    expect(await migrate(store.db, all)).toEqual([]);
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from schema_migrations`.execute(store.db);
    expect(rows[0]!.n).toBe(all.length);
  });

  it('rolls back everything when one migration fails', async () => {
    const { store } = await freshStore(backend.name);
    const dir = migrationsDir({
      '0001_ok.sql': 'create table t_ok (id int primary key);',
      '0002_bad.sql': 'create table t_bad (id int primary key); select * from no_such_table;',
    });
    await expect(migrate(store.db, collectMigrations([dir]))).rejects.toThrow();
    const { rows } = await sql<{
      n: number;
    }>`select count(*)::int as n from information_schema.tables where table_name in ('t_ok', 't_bad', 'schema_migrations')`.execute(
      store.db,
    );
    expect(rows[0]!.n).toBe(0);
  });

  it('on a restart reads what is applied once; a new migration still runs, an edited one is only warned', async () => {
    const { store } = await freshStore(backend.name);
    const dir = migrationsDir({ '0001_a.sql': 'create table restart_a (id int primary key);' });
    expect(await migrate(store.db, collectMigrations([dir]))).toEqual(['0001_a']);
    const warnings: unknown[] = [];
    const log = { info: () => undefined, warn: (o: unknown) => warnings.push(o) } as unknown as Logger;
    expect(await migrate(store.db, collectMigrations([dir]), log)).toEqual([]);
    expect(warnings).toEqual([]);
    fs.writeFileSync(path.join(dir, '0001_a.sql'), 'create table restart_a (id int primary key); -- edited');
    expect(await migrate(store.db, collectMigrations([dir]), log)).toEqual([]);
    expect(warnings).toEqual([{ migration: '0001_a' }]);
    fs.writeFileSync(path.join(dir, '0002_b.sql'), 'create table restart_b (id int primary key);');
    expect(await migrate(store.db, collectMigrations([dir]), log)).toEqual(['0002_b']);
    expect(warnings).toEqual([{ migration: '0001_a' }, { migration: '0001_a' }]);
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from schema_migrations`.execute(store.db);
    expect(rows[0]!.n).toBe(2);
  });

  it('refuses two migrations with the same id', () => {
    const a = migrationsDir({ '0001_x.sql': 'select 1;' });
    const b = migrationsDir({ '0001_x.sql': 'select 2;' });
    expect(() => collectMigrations([a, b])).toThrow(/Duplicate migration id/);
  });

  it.runIf(backend.name === 'postgres')('is safe when two nodes migrate at once (advisory lock)', async () => {
    const { url } = await freshStore('postgres');
    const stores = await Promise.all([openDatabase({ url }), openDatabase({ url }), openDatabase({ url })]);
    cleanups.push(async () => {
      for (const s of stores) await s.close();
    });
    const dir = migrationsDir({
      '0001_a.sql': 'create table race_a (id int primary key);',
      '0002_b.sql': 'create table race_b (id int primary key); insert into race_b values (1);',
    });
    const ms = collectMigrations([dir]);
    const applied = await Promise.all(stores.map((s) => migrate(s.db, ms)));
    // Exactly one node applied each migration; the others found them done.
    expect(applied.flat().sort()).toEqual(['0001_a', '0002_b']);
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from race_b`.execute(stores[0]!.db);
    expect(rows[0]!.n).toBe(1);
  });
});
