// How many transactions PostgreSQL aborted as deadlock victims in the test's database. transact()
// retries them, so a test sees a right answer either way; this makes the lock order observable.
import { sql } from 'kysely';
import type { TestNode } from './harness.ts';

export async function deadlockCount(node: TestNode): Promise<number> {
  if (node.app.ctx.dbKind !== 'postgres') return 0;
  const r = await sql<{
    n: number;
  }>`select deadlocks::int as n from pg_stat_database where datname = current_database()`.execute(node.app.ctx.db);
  return r.rows[0]!.n;
}

/**
 * The count once every backend has reported: statistics are flushed when a backend goes idle, at
 * the latest when the pool closes an idle connection (10 s), so wait that long on PostgreSQL.
 */
export async function settledDeadlockCount(node: TestNode): Promise<number> {
  if (node.app.ctx.dbKind !== 'postgres') return 0;
  await new Promise((r) => setTimeout(r, 11_000));
  return deadlockCount(node);
}
