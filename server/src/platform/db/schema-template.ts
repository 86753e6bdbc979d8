// A new PGlite data folder starts as a copy of a freshly migrated one. PGlite's initdb and the migrations
// are seconds of WASM work whose result is the same for every new folder of a checkout (and for every
// test), so it is done once per set of migrations and PGlite version and kept where a build cache
// belongs: a folder in node_modules/.cache for the node (copied file by file, then a plain PGlite start:
// under half the time PGlite's own loading of a dumped tar into a folder took), a dumped tar in the
// temporary folder for the tests' in-memory databases.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import { type DataStore, openDatabase } from './database.ts';
import type { MigrationFile } from './migrate.ts';

const PREFIX = 'pglite-schema-';
const FOLDER_PREFIX = 'pglite-folder-';
const pgliteEntry = () => createRequire(import.meta.url).resolve('@electric-sql/pglite');

/** `<node_modules>/.cache/livemall`, next to the PGlite package the node loads. */
export function defaultSchemaCacheDir(): string {
  const nodeModules = path.resolve(path.dirname(pgliteEntry()), '..', '..', '..');
  return path.join(nodeModules, '.cache', 'livemall');
}

function pgliteVersion(): string {
  const manifest = path.resolve(path.dirname(pgliteEntry()), '..', 'package.json');
  return (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { version: string }).version;
}

/** Names the schema: a dump is used only by the same migrations on the same PGlite. */
export function schemaKey(migrations: MigrationFile[]): string {
  return crypto
    .createHash('sha256')
    .update(pgliteVersion())
    .update(migrations.map((m) => `|${m.id}:${m.checksum}`).join(''))
    .digest('hex')
    .slice(0, 16);
}

const fileFor = (dir: string, key: string) => path.join(dir, `${PREFIX}${key}.tar`);

export function readSchemaTemplate(dir: string, key: string): Blob | null {
  const file = fileFor(dir, key);
  return fs.existsSync(file) ? new Blob([fs.readFileSync(file)]) : null;
}

/** Writes atomically (parallel writers never leave a half-written dump) and drops the other keys' dumps. */
export async function writeSchemaTemplate(dir: string, key: string, dump: Blob): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  const file = fileFor(dir, key);
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, Buffer.from(await dump.arrayBuffer()));
  fs.renameSync(tmp, file);
  dropOthers(dir, PREFIX, '.tar', file);
}

/** Removes the cache's other entries of one kind: the dumps (.tar) or folders of other keys. */
function dropOthers(dir: string, prefix: string, suffix: string, keep: string): void {
  for (const entry of fs.readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (entry.startsWith(prefix) && entry.endsWith(suffix) && full !== keep)
      fs.rmSync(full, { recursive: true, force: true });
  }
}

/** A PGlite folder that initdb has not run in (PGlite itself looks for PG_VERSION). */
const isNewPgliteFolder = (dir: string) => !dir.startsWith('memory://') && !fs.existsSync(path.join(dir, 'PG_VERSION'));

export interface SchemaFolder {
  cacheDir: string;
  key: string;
  /** The cached copy of the migrated schema for these migrations. */
  folder: string;
  /** Whether the cache holds it; false: this start makes it (keepSchemaFolder, after migrating). */
  cached: boolean;
}

/** For a new PGlite folder when the node has a cache folder; null when the data folder is not new. */
export function schemaFolderFor(
  cacheDir: string | undefined,
  pgliteDir: string,
  migrations: MigrationFile[],
): SchemaFolder | null {
  if (!cacheDir || !isNewPgliteFolder(pgliteDir)) return null;
  const key = schemaKey(migrations);
  const folder = path.join(cacheDir, `${FOLDER_PREFIX}${key}`);
  return { cacheDir, key, folder, cached: fs.existsSync(path.join(folder, 'PG_VERSION')) };
}

/** Called by whoever holds the data folder's lock: another process may have started in it meanwhile. */
export async function copyIntoNewFolder(from: string, to: string): Promise<void> {
  if (!isNewPgliteFolder(to)) return;
  fs.rmSync(to, { recursive: true, force: true });
  await copyFolder(from, to);
}

/**
 * The ~1,700 files several at a time on libuv's thread pool: one after another, as fs.cpSync does, took
 * 0.7-1.6 s on this VM's disk, eight at a time 0.2-0.25 s.
 */
async function copyFolder(from: string, to: string): Promise<void> {
  const files: string[] = [];
  const walk = (rel: string) => {
    fs.mkdirSync(path.join(to, rel), { recursive: true });
    for (const e of fs.readdirSync(path.join(from, rel), { withFileTypes: true })) {
      if (e.isDirectory()) walk(path.join(rel, e.name));
      else files.push(path.join(rel, e.name));
    }
  };
  walk('.');
  let next = 0;
  const copier = async () => {
    while (next < files.length) {
      const f = files[next++]!;
      await fs.promises.copyFile(path.join(from, f), path.join(to, f), fs.constants.COPYFILE_FICLONE);
    }
  };
  await Promise.all(Array.from({ length: 8 }, copier));
}

/**
 * Copies the just-migrated folder into the cache for the next new one. Nothing else runs on the database
 * yet, so after a checkpoint its files are what a dump would hold. A failure only costs the next new folder
 * its speed.
 */
export async function keepSchemaFolder(store: DataStore, pgliteDir: string, t: SchemaFolder, log: Logger) {
  const target = t.folder;
  const tmp = `${target}.${process.pid}.tmp`;
  try {
    await sql`checkpoint`.execute(store.db);
    fs.mkdirSync(t.cacheDir, { recursive: true });
    await copyFolder(pgliteDir, tmp);
    // Opened once and shut down cleanly: a copy of a folder taken from a running PostgreSQL starts with crash
    // recovery (and the checkpoint that ends it) every time; a copy of a shut-down one starts as a restart does.
    const copy = await openDatabase({ pgliteDir: tmp });
    const { rows } = await sql<{ segment: string; room: number }>`
      select pg_walfile_name(pg_current_wal_insert_lsn()) as segment,
        pg_size_bytes(current_setting('wal_segment_size'))
          - (pg_current_wal_insert_lsn() - '0/0'::pg_lsn) % pg_size_bytes(current_setting('wal_segment_size'))
          as room`.execute(copy.db);
    await copy.close();
    // The WAL segments PostgreSQL made ahead of the one it writes are left out (16 MB each; it makes them
    // again when it needs them), unless the shutdown's checkpoint record may have gone into the next one.
    const { segment, room } = rows[0]!;
    if (room > 1 << 20) {
      const walDir = path.join(tmp, 'pg_wal');
      for (const f of fs.readdirSync(walDir))
        if (/^[0-9A-F]{24}$/.test(f) && f > segment) fs.rmSync(path.join(walDir, f), { force: true });
    }
    fs.renameSync(tmp, target); // atomic; a node that kept the same key first wins
    dropOthers(t.cacheDir, FOLDER_PREFIX, '', target);
    log.info({ key: t.key }, 'kept the migrated schema for new data folders');
  } catch (err) {
    fs.rmSync(tmp, { recursive: true, force: true });
    if (!fs.existsSync(path.join(target, 'PG_VERSION')))
      log.warn({ err: (err as Error).message }, 'could not keep the migrated schema');
  }
}
