// Where a flash-sale unit taken in the cache ends: sold or back on sale, never lost. Every take
// records an attempt with a lease (stock-scripts.ts). The order transaction marks it 'settled' in
// flash_attempts; the undo of a refused order and the reconciler mark it 'expired' there, and only
// what the database says decides what the cache does: an expired attempt's unit goes back, a
// settled one is dropped from the live list and stays sold. Both sides insert the same key, so a
// late order transaction and the reconciler cannot both win.
//
// The counters themselves are (re)loaded from the database under a new generation (flash_items.
// cache_gen): attempts taken from counters that were lost cannot settle against the rebuilt ones,
// so a rebuild can count exactly the orders the database holds.
import { sql } from 'kysely';
import type { AppContext } from '../../../platform/context.ts';
import { transact } from '../../../platform/db/transact.ts';
import { AppError } from '../../../platform/errors.ts';
import {
  attemptKeys, EXPIRED_ATTEMPTS, FINALIZE_ATTEMPT, flashKeys, LOAD_FLASH_STOCK, loadKeys, orderReturnKeys, pairs, parseHeld, RETURN_ATTEMPT,
  RETURN_FLASH_STOCK,
} from './stock-scripts.ts';
import '../tables.ts';

export interface Attempt { attemptId: string; userId: number; quantity: number }

/** Expired attempts handled per item and pass; the next pass takes the rest. */
const EXPIRED_BATCH = 500;
/** Items of sessions that ended longer ago than this are done: no lease can still be running. */
const RECENT_SESSIONS = '1 day';

export class FlashAttempts {
  private readonly loading = new Map<number, Promise<void>>();

  constructor(private readonly ctx: AppContext) {}

  /**
   * Give back what did not become an order, keep what did: records 'expired' for attempts that
   * have no outcome yet (so a late order transaction now fails), then applies each outcome to the
   * cache. Idempotent per attempt id; safe to run from any node, any number of times.
   */
  async resolve(item: { id: number; cacheKey: string }, attempts: Attempt[]): Promise<{ returned: number; finalized: number }> {
    if (attempts.length === 0) return { returned: 0, finalized: 0 };
    const sorted = [...attempts].sort((a, b) => (a.attemptId < b.attemptId ? -1 : 1)); // one lock order
    const outcomes = await transact(this.ctx.db, async (trx) => {
      await trx.insertInto('flash_attempts')
        .values(sorted.map((a) => ({ attempt_id: a.attemptId, item_id: item.id, user_id: a.userId, quantity: a.quantity, outcome: 'expired' as const })))
        .onConflict((oc) => oc.column('attempt_id').doNothing()).execute();
      return trx.selectFrom('flash_attempts').select(['attempt_id', 'outcome'])
        .where('attempt_id', 'in', sorted.map((a) => a.attemptId)).execute();
    });
    const keys = attemptKeys(flashKeys(item.cacheKey));
    const done = await Promise.all(outcomes.map(async (o) => {
      const script = o.outcome === 'settled' ? FINALIZE_ATTEMPT : RETURN_ATTEMPT;
      return { outcome: o.outcome, changed: (await this.ctx.cache.run(script, keys, [o.attempt_id])) === 1 };
    }));
    return {
      returned: done.filter((d) => d.outcome === 'expired' && d.changed).length,
      finalized: done.filter((d) => d.outcome === 'settled' && d.changed).length,
    };
  }

  /**
   * A cancelled or timed-out order gives its units back, once: first in the database (the order's
   * flash row 'returned', with the counters' generation it was counted in), then in the cache. A
   * redelivery after a crash between the two tells the cache again; the cache ignores it if it
   * already heard, or if its counters were reloaded since (the reload counted the return).
   */
  async returnOrder(orderId: number): Promise<void> {
    const returned = await transact(this.ctx.db, async (trx) => {
      // The conditional update is the guard: of two deliveries at once, one returns.
      const f = await trx.updateTable('flash_orders').set({ status: 'returned' }).where('order_id', '=', orderId).where('status', '=', 'held')
        .returning(['item_id', 'quantity']).executeTakeFirst();
      if (f) {
        const item = await trx.updateTable('flash_items').set({ sold: sql`sold - ${f.quantity}` }).where('id', '=', f.item_id)
          .returning('cache_gen').executeTakeFirstOrThrow();
        await trx.updateTable('flash_orders').set({ returned_gen: item.cache_gen }).where('order_id', '=', orderId).execute();
      }
      return trx.selectFrom('flash_orders as f').innerJoin('flash_items as i', 'i.id', 'f.item_id')
        .select(['f.user_id', 'f.quantity', 'f.status', 'f.returned_gen', 'i.cache_key']).where('f.order_id', '=', orderId).executeTakeFirst();
    });
    if (returned?.status !== 'returned' || returned.returned_gen === null) return;
    await this.ctx.cache.run(RETURN_FLASH_STOCK, orderReturnKeys(flashKeys(returned.cache_key)),
      [String(returned.user_id), returned.quantity, `order:${orderId}`, String(returned.returned_gen)]);
  }

  /**
   * Load an item's counters unless the cache holds the generation the database names: first use,
   * the cache lost them (a restart), or it came back with an older copy (a restored snapshot).
   * One node rebuilds at a time (a lock in the cache); the others wait for its result.
   */
  async ensureLoaded(itemId: number): Promise<void> {
    let pending = this.loading.get(itemId);
    if (!pending) {
      pending = this.loadOnce(itemId).finally(() => this.loading.delete(itemId));
      this.loading.set(itemId, pending);
    }
    return pending;
  }

  /** The cache's generation for the item when it matches the database's, else null (reload). */
  private async current(itemId: number) {
    const item = await this.ctx.db.selectFrom('flash_items').select(['cache_key', 'cache_gen']).where('id', '=', itemId).executeTakeFirstOrThrow();
    const k = flashKeys(item.cache_key);
    const cached = await this.ctx.cache.get(k.gen);
    return { k, cached: cached === null ? null : Number(cached), loaded: cached !== null && Number(cached) === item.cache_gen };
  }

  private async loadOnce(itemId: number): Promise<void> {
    const { k, loaded } = await this.current(itemId);
    if (loaded) return;
    if (!(await this.ctx.cache.set(k.loading, this.ctx.config.nodeId, { nx: true, ttlMs: 10_000 }))) {
      for (let i = 0; i < 60 && !(await this.current(itemId)).loaded; i++) await new Promise((r) => setTimeout(r, 50));
      if (!(await this.current(itemId)).loaded) throw new AppError(503, 'FLASH_BUSY', 'The flash sale is loading; try again in a moment', { retryAfterMs: 1000 });
      return;
    }
    try {
      const again = await this.current(itemId); // another node may have loaded it meanwhile
      if (again.loaded) return;
      // The new generation is taken under the item's row lock, which every settlement and return
      // also takes: settlements of older generations committed before (counted below) or fail, and
      // returns after it carry the new generation (applied by the load, or into it).
      const snapshot = await transact(this.ctx.db, async (trx) => {
        const item = await trx.updateTable('flash_items').set({ cache_gen: sql`greatest(cache_gen, ${again.cached ?? 0}) + 1` }).where('id', '=', itemId)
          .returning(['stock', 'cache_gen']).executeTakeFirstOrThrow();
        const held = await trx.selectFrom('flash_orders').select(['user_id', sql<string>`sum(quantity)`.as('n')])
          .where('item_id', '=', itemId).where('status', '!=', 'returned').groupBy('user_id').execute();
        return { item, held };
      });
      const taken = snapshot.held.reduce((s, h) => s + Number(h.n), 0);
      await this.ctx.cache.run(LOAD_FLASH_STOCK, loadKeys(k), [
        snapshot.item.cache_gen, snapshot.item.stock - taken, ...snapshot.held.flatMap((h) => [String(h.user_id), String(h.n)]),
      ]);
      this.ctx.log.info({ itemId, gen: snapshot.item.cache_gen, remaining: snapshot.item.stock - taken }, 'flash-sale counters loaded');
    } finally {
      await this.ctx.cache.del(k.loading);
    }
  }

  /**
   * One reconciler pass (run by a recurring job on one node): loads the counters of sessions that
   * are on or coming up if the cache lost them, and resolves every attempt whose lease ran out.
   */
  async reconcile(): Promise<{ items: number; returned: number; finalized: number; loaded: number }> {
    const items = await this.ctx.db.selectFrom('flash_items as i').innerJoin('flash_sessions as s', 's.id', 'i.session_id')
      .select(['i.id', 'i.cache_key', 'i.cache_gen', 's.status', 's.ends_at'])
      .where('s.ends_at', '>', sql<Date>`now() - ${RECENT_SESSIONS}::interval`).orderBy('i.id').execute();
    const total = { items: items.length, returned: 0, finalized: 0, loaded: 0 };
    for (const item of items) {
      try {
        const k = flashKeys(item.cache_key);
        const selling = item.status === 'active' && new Date(item.ends_at).getTime() > Date.now();
        const cached = await this.ctx.cache.get(k.gen);
        if (selling && (cached === null || Number(cached) !== item.cache_gen)) {
          await this.ensureLoaded(item.id);
          total.loaded++;
        }
        const expired = pairs(await this.ctx.cache.run(EXPIRED_ATTEMPTS, [k.leases, k.attempts], [EXPIRED_BATCH]));
        // A lease without its record holds no unit: drop it.
        for (const [attemptId] of expired.filter(([, held]) => !held)) await this.ctx.cache.run(FINALIZE_ATTEMPT, attemptKeys(k), [attemptId]);
        const attempts = expired.filter(([, held]) => held).map(([attemptId, held]): Attempt => {
          const [userId, quantity] = parseHeld(held);
          return { attemptId, userId: Number(userId), quantity };
        });
        const r = await this.resolve({ id: item.id, cacheKey: item.cache_key }, attempts);
        total.returned += r.returned;
        total.finalized += r.finalized;
      } catch (err) {
        // One item's trouble (the cache unreachable) must not stop the others; the next pass retries.
        this.ctx.log.error({ err, itemId: item.id }, 'flash-sale reconciliation of an item failed');
      }
    }
    if (total.returned || total.loaded) this.ctx.log.info(total, 'flash-sale units reconciled');
    return total;
  }

  /** The recurring reconciler: a slot job on one node books one pass, which runs outside a transaction. */
  registerJobs(): void {
    this.ctx.jobs.register({
      type: 'marketing.flash_reconcile_pass', transactional: false,
      // Never a failed job: the next pass, a few seconds later, is the retry.
      run: async () => { await this.reconcile().catch((err: unknown) => this.ctx.log.error({ err }, 'flash-sale reconciliation failed')); },
    });
    this.ctx.jobs.recurring({
      type: 'marketing.flash_reconcile', everyMs: this.ctx.config.flashSale.reconcileEveryMs,
      run: async (job, db) => {
        await this.ctx.jobs.schedule(db, { type: 'marketing.flash_reconcile_pass', payload: {}, uniqueKey: `flash-reconcile-pass:${job.id}`, maxAttempts: 1 });
      },
    });
  }
}
