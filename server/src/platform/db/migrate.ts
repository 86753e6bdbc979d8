// Versioned SQL migrations. Every module keeps its .sql files in its own migrations/ folder; all
// files are applied in global filename order (numbered ranges per module keep that order stable).
// Everything runs in one transaction under an advisory lock, so two nodes starting together
// apply each migration exactly once, and a failing migration leaves nothing half-applied.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { Db } from './types.ts';

export interface MigrationFile {
  id: string;
  file: string;
  sql: string;
  checksum: string;
}

const MIGRATION_LOCK_KEY = 74_240_001;

export function collectMigrations(dirs: string[]): MigrationFile[] {
  const files: MigrationFile[] = [];
  const seen = new Map<string, string>();
  for (const dir of dirs) {
    if (!fs.existsSync(dir)) continue;
    for (const name of fs.readdirSync(dir).filter((f) => f.endsWith('.sql'))) {
      const id = name.replace(/\.sql$/, '');
      const file = path.join(dir, name);
      if (seen.has(id)) throw new Error(`Duplicate migration id ${id}: ${seen.get(id)} and ${file}`);
      seen.set(id, file);
      const text = fs.readFileSync(file, 'utf8');
      files.push({ id, file, sql: text, checksum: crypto.createHash('sha256').update(text).digest('hex') });
    }
  }
  return files.sort((a, b) => a.id.localeCompare(b.id));
}

const warnIfEdited = (m: MigrationFile, checksum: string, log?: Logger) => {
  if (checksum !== m.checksum)
    log?.warn({ migration: m.id }, 'applied migration was edited since; write a new one instead');
};

/** What schema_migrations holds, or null when the table is not there yet. */
async function appliedMigrations(db: Db): Promise<Map<string, string> | null> {
  try {
    const { rows } = await sql<{ id: string; checksum: string }>`select id, checksum from schema_migrations`.execute(
      db,
    );
    return new Map(rows.map((r) => [r.id, r.checksum]));
  } catch {
    return null;
  }
}

export async function migrate(db: Db, migrations: MigrationFile[], log?: Logger): Promise<string[]> {
  // A restart: every migration is applied already, which one read shows without the lock and the transaction.
  const known = await appliedMigrations(db);
  if (known && migrations.every((m) => known.has(m.id))) {
    for (const m of migrations) warnIfEdited(m, known.get(m.id)!, log);
    return [];
  }
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`.execute(trx);
    await sql`create table if not exists schema_migrations (
      id text primary key,
      checksum text not null,
      applied_at timestamptz not null default now()
    )`.execute(trx);
    const { rows } = await sql<{ id: string; checksum: string }>`select id, checksum from schema_migrations`.execute(
      trx,
    );
    const applied = new Map(rows.map((r) => [r.id, r.checksum]));
    const done: string[] = [];
    for (const m of migrations) {
      const previous = applied.get(m.id);
      if (previous !== undefined) {
        warnIfEdited(m, previous, log);
        continue;
      }
      log?.info({ migration: m.id }, 'applying migration');
      await sql.raw(m.sql).execute(trx);
      await sql`insert into schema_migrations (id, checksum) values (${m.id}, ${m.checksum})`.execute(trx);
      done.push(m.id);
    }
    return done;
  });
}
