// Every service transaction goes through transact(): on PostgreSQL two transactions can deadlock
// (40P01) or fail serialization (40001) however carefully locks are ordered (foreign keys, index
// pages, SERIALIZABLE callers), and the right answer is to run the whole unit of work again, not
// to hand the shopper a 500. The function may therefore run more than once: it must only touch
// the database through `trx` (no cache writes, no network, no pushes) — which every transaction
// here already has to obey, since a rollback would not undo those either.
import type { Db, Tx } from './types.ts';

/** PostgreSQL SQLSTATEs that mean "nothing was written, try the same work again". */
const RETRYABLE = new Set(['40001', '40P01']);

export const isRetryableTxError = (err: unknown): boolean =>
  RETRYABLE.has(String((err as { code?: unknown } | null)?.code ?? ''));

export interface TransactOptions {
  /** Attempts in all, the first included (default 6). */
  attempts?: number;
}

/**
 * Run `fn` in a transaction, retrying it on deadlock and serialization failures with jittered
 * backoff. Inside an open transaction it simply joins it: only the outermost caller can retry.
 */
export async function transact<T>(db: Db, fn: (trx: Tx) => Promise<T>, opts: TransactOptions = {}): Promise<T> {
  if (db.isTransaction) return fn(db as Tx);
  return retryingDeadlocks(db, () => inTransaction(db, fn), opts);
}

/**
 * Run `fn` (a transaction, or one statement on its own through `db`) again on deadlock and serialization
 * failures, with jittered backoff: 5, 10, 20, 40 … ms, each with up to as much again at random, so the losers
 * spread out. Inside an open transaction it runs once: that transaction is aborted, only its owner can retry.
 */
export async function retryingDeadlocks<T>(db: Db, fn: () => Promise<T>, opts: TransactOptions = {}): Promise<T> {
  if (db.isTransaction) return fn();
  const attempts = opts.attempts ?? 6;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!isRetryableTxError(err) || attempt >= attempts) throw err;
      const base = 5 * 2 ** (attempt - 1);
      await new Promise((resolve) => setTimeout(resolve, base + Math.random() * base));
    }
  }
}

const commitHooks = new WeakMap<object, Array<() => void>>();

/**
 * One transaction, no retry, whose afterCommit() callbacks run once it has committed (a rolled-back
 * attempt's are dropped). The outbox and the job runner open theirs with it; transact() does too.
 */
export async function inTransaction<T>(db: Db, fn: (trx: Tx) => Promise<T>): Promise<T> {
  const hooks: Array<() => void> = [];
  const out = await db.transaction().execute((trx) => {
    commitHooks.set(trx, hooks);
    return fn(trx);
  });
  for (const hook of hooks) hook();
  return out;
}

/**
 * Run `fn` once the work done through `db` has committed: at once outside a transaction. False, with
 * `fn` not kept, inside a transaction opened some other way, whose commit cannot be seen from here.
 * `fn` must not throw: the commit has happened whatever it does.
 */
export function afterCommit(db: Db, fn: () => void): boolean {
  if (!db.isTransaction) {
    fn();
    return true;
  }
  const hooks = commitHooks.get(db);
  hooks?.push(fn);
  return hooks !== undefined;
}
