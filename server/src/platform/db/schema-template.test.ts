// A new PGlite data folder starts as a copy of the migrated schema this checkout kept the first time: the
// copy holds the schema and none of the first folder's rows, runs and restarts like a folder made by initdb,
// and a change to the migrations makes a new copy rather than reuse the old one.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp, migrationDirs, type App } from '../../app.ts';
import { modules } from '../../modules/index.ts';
import { testConfig } from '../config.ts';
import { collectMigrations } from './migrate.ts';
import { schemaKey } from './schema-template.ts';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'livemall-schema-test-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
const cacheDir = path.join(root, 'cache');

async function open(name: string, extraMigrations?: string) {
  const lines: Array<{ msg: string }> = [];
  const log = pino({ level: 'info' }, { write: (l: string) => void lines.push(JSON.parse(l)) });
  const mods = extraMigrations ? [...modules, { name: 'extra', migrationsDir: extraMigrations }] : modules;
  const app = await createApp(testConfig({ dataDir: path.join(root, name), workers: false }), {
    log,
    modules: mods,
    schemaCacheDir: cacheDir,
  });
  return { app, said: (msg: string) => lines.some((l) => l.msg === msg) };
}
const setting = async (app: App, key: string) =>
  (await sql<{ n: number }>`select count(*)::int as n from platform_settings where key = ${key}`.execute(app.ctx.db))
    .rows[0]!.n;
const folders = () => fs.readdirSync(cacheDir).filter((f) => f.startsWith('pglite-folder-'));

describe('a new data folder from the kept schema', () => {
  it('keeps the schema once, and starts the next folders from it without their neighbours rows', async () => {
    const first = await open('first');
    expect(first.said('migrations applied')).toBe(true);
    expect(first.said('kept the migrated schema for new data folders')).toBe(true);
    await sql`insert into platform_settings (key, value) values ('only_in_first', '{}')`.execute(first.app.ctx.db);
    await first.app.close();
    const key = schemaKey(collectMigrations(migrationDirs(modules)));
    expect(folders()).toEqual([`pglite-folder-${key}`]);
    // The WAL segments made ahead of the one being written are left out of the copy.
    const wal = fs.readdirSync(path.join(cacheDir, folders()[0]!, 'pg_wal')).filter((f) => /^[0-9A-F]{24}$/.test(f));
    expect(wal).toHaveLength(1);

    const second = await open('second');
    expect(second.said('migrations applied')).toBe(false);
    expect(second.said('kept the migrated schema for new data folders')).toBe(false);
    expect(await setting(second.app, 'only_in_first')).toBe(0);
    await sql`insert into platform_settings (key, value) values ('only_in_second', '{}')`.execute(second.app.ctx.db);
    await second.app.close();
    // A restart on the copied folder: its rows are there, nothing is copied over them.
    const again = await open('second');
    expect(await setting(again.app, 'only_in_second')).toBe(1);
    await again.app.close();
  });

  it('makes a new copy when the migrations change, and drops the old one', async () => {
    const extra = path.join(root, 'extra-migrations');
    fs.mkdirSync(extra);
    fs.writeFileSync(path.join(extra, '9990_schema_template_test.sql'), 'create table schema_template_probe (id int);');
    const before = folders();
    const changed = await open('third', extra);
    expect(changed.said('migrations applied')).toBe(true);
    await sql`select * from schema_template_probe`.execute(changed.app.ctx.db);
    await changed.app.close();
    expect(folders()).toHaveLength(1);
    expect(folders()).not.toEqual(before);
  });
});
