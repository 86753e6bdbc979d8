// Where a flash-sale unit taken in the cache ends: sold or back on sale, never lost. Every take
// records an attempt with a lease (stock-scripts.ts). The order transaction marks it 'settled' in
// flash_attempts; the undo of a refused order and the reconciler mark it 'expired' there, and only
// what the database says decides what the cache does: an expired attempt's unit goes back, a
// settled one is dropped from the live list and stays sold. Both sides insert the same key, so a
// late order transaction and the reconciler cannot both win.
import { sql } from 'kysely';
import type { AppContext } from '../../../platform/context.ts';
import { transact } from '../../../platform/db/transact.ts';
import type { FlashCounters } from './counters.ts';
import {
  attemptKeys,
  EXPIRED_ATTEMPTS,
  FINALIZE_ATTEMPT,
  flashKeys,
  orderReturnKeys,
  pairs,
  parseHeld,
  RETURN_ATTEMPT,
  RETURN_FLASH_STOCK,
} from './stock-scripts.ts';
import '../tables.ts';

export interface Attempt {
  attemptId: string;
  userId: number;
  quantity: number;
}

/** Expired attempts handled per item and pass; the next pass takes the rest. */
const EXPIRED_BATCH = 500;
/** Items of sessions that ended longer ago than this are done: no lease can still be running. */
const RECENT_SESSIONS = '1 day';

export class FlashAttempts {
  constructor(
    private readonly ctx: AppContext,
    private readonly counters: FlashCounters,
  ) {}

  /**
   * Give back what did not become an order, keep what did: records 'expired' for attempts that
   * have no outcome yet (so a late order transaction now fails), then applies each outcome to the
   * cache. Idempotent per attempt id; safe to run from any node, any number of times.
   */
  async resolve(item: { id: number; cacheKey: string }, attempts: Attempt[]) {
    if (attempts.length === 0) return { returned: 0, finalized: 0 };
    const ids = attempts.map((a) => a.attemptId).sort(); // one lock order
    const outcomes = await transact(this.ctx.db, async (trx) => {
      await trx
        .insertInto('flash_attempts')
        .values(
          attempts
            .map((a) => ({
              attempt_id: a.attemptId,
              item_id: item.id,
              user_id: a.userId,
              quantity: a.quantity,
              outcome: 'expired' as const,
            }))
            .sort((a, b) => (a.attempt_id < b.attempt_id ? -1 : 1)),
        )
        .onConflict((oc) => oc.column('attempt_id').doNothing())
        .execute();
      return trx
        .selectFrom('flash_attempts')
        .select(['attempt_id', 'outcome'])
        .where('attempt_id', 'in', ids)
        .execute();
    });
    const keys = attemptKeys(flashKeys(item.cacheKey));
    const done = await Promise.all(
      outcomes.map(async (o) => {
        const script = o.outcome === 'settled' ? FINALIZE_ATTEMPT : RETURN_ATTEMPT;
        return { outcome: o.outcome, changed: (await this.ctx.cache.run(script, keys, [o.attempt_id])) === 1 };
      }),
    );
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
      const f = await trx
        .updateTable('flash_orders')
        .set({ status: 'returned' })
        .where('order_id', '=', orderId)
        .where('status', '=', 'held')
        .returning(['item_id', 'quantity'])
        .executeTakeFirst();
      if (f) {
        const item = await trx
          .updateTable('flash_items')
          .set({ sold: sql`sold - ${f.quantity}` })
          .where('id', '=', f.item_id)
          .returning('cache_gen')
          .executeTakeFirstOrThrow();
        await trx
          .updateTable('flash_orders')
          .set({ returned_gen: item.cache_gen })
          .where('order_id', '=', orderId)
          .execute();
      }
      return trx
        .selectFrom('flash_orders as f')
        .innerJoin('flash_items as i', 'i.id', 'f.item_id')
        .select(['f.user_id', 'f.quantity', 'f.status', 'f.returned_gen', 'i.cache_key'])
        .where('f.order_id', '=', orderId)
        .executeTakeFirst();
    });
    if (returned?.status !== 'returned' || returned.returned_gen === null) return;
    const { user_id: userId, quantity, returned_gen: gen } = returned;
    await this.ctx.cache.run(RETURN_FLASH_STOCK, orderReturnKeys(flashKeys(returned.cache_key)), [
      String(userId),
      quantity,
      `order:${orderId}`,
      String(gen),
    ]);
  }

  /**
   * One reconciler pass (run by a recurring job on one node): (re)loads the counters of sessions
   * on or coming up when the cache lost them or holds an older copy, and resolves every attempt
   * whose lease ran out.
   */
  async reconcile(): Promise<{ items: number; returned: number; finalized: number; loaded: number }> {
    const items = await this.ctx.db
      .selectFrom('flash_items as i')
      .innerJoin('flash_sessions as s', 's.id', 'i.session_id')
      .select(['i.id', 'i.cache_key', 's.status', 's.ends_at'])
      .where('s.ends_at', '>', sql<Date>`now() - ${RECENT_SESSIONS}::interval`)
      .orderBy('i.id')
      .execute();
    const total = { items: items.length, returned: 0, finalized: 0, loaded: 0 };
    for (const item of items) {
      try {
        const selling = item.status === 'active' && new Date(item.ends_at).getTime() > Date.now();
        if (selling && !(await this.counters.state(item.id)).loaded) {
          await this.counters.ensureLoaded(item.id);
          total.loaded++;
        }
        const r = await this.resolveExpired({ id: item.id, cacheKey: item.cache_key });
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

  private async resolveExpired(item: { id: number; cacheKey: string }) {
    const k = flashKeys(item.cacheKey);
    const expired = pairs(await this.ctx.cache.run(EXPIRED_ATTEMPTS, [k.leases, k.attempts], [EXPIRED_BATCH]));
    // A lease without its record holds no unit: drop it.
    for (const [attemptId] of expired.filter(([, held]) => !held)) {
      await this.ctx.cache.run(FINALIZE_ATTEMPT, attemptKeys(k), [attemptId]);
    }
    return this.resolve(
      item,
      expired
        .filter(([, held]) => held)
        .map(([attemptId, held]): Attempt => {
          const [userId, quantity] = parseHeld(held);
          return { attemptId, userId: Number(userId), quantity };
        }),
    );
  }

  /** The recurring reconciler: a slot job on one node books one pass, which runs outside a transaction. */
  registerJobs(): void {
    this.ctx.jobs.register({
      type: 'marketing.flash_reconcile_pass',
      transactional: false,
      // Never a failed job: the next pass, a few seconds later, is the retry.
      run: async () => {
        await this.reconcile().catch((err: unknown) => this.ctx.log.error({ err }, 'flash-sale reconciliation failed'));
      },
    });
    this.ctx.jobs.recurring({
      type: 'marketing.flash_reconcile',
      everyMs: this.ctx.config.flashSale.reconcileEveryMs,
      run: async (job, db) => {
        await this.ctx.jobs.schedule(db, {
          type: 'marketing.flash_reconcile_pass',
          payload: {},
          maxAttempts: 1,
          uniqueKey: `flash-reconcile-pass:${job.id}`,
        });
      },
    });
  }
}
