// Loading an item's flash-sale counters into the cache from the database, under a new generation
// (flash_items.cache_gen). Needed on first use, when the cache lost them (a Redis restart) and when
// it came back with an older copy (a restored snapshot). Attempts taken from counters that were
// lost cannot settle against the rebuilt ones (settlement checks the generation), so a load can
// count exactly the orders the database holds.
import { sql } from 'kysely';
import type { AppContext } from '../../../platform/context.ts';
import { transact } from '../../../platform/db/transact.ts';
import { AppError } from '../../../platform/errors.ts';
import { flashKeys, LOAD_FLASH_STOCK, loadKeys } from './stock-scripts.ts';
import '../tables.ts';

/** How long a node may hold the load lock before another may take over (a crashed loader). */
const LOAD_LOCK_MS = 10_000;
/** How long a request waits for another node's load before answering FLASH_BUSY. */
const WAIT_FOR_LOAD_MS = 3000;

const busy = () =>
  new AppError(503, 'FLASH_BUSY', 'The flash sale is loading; try again in a moment', { retryAfterMs: 1000 });

export class FlashCounters {
  private readonly loading = new Map<number, Promise<void>>();

  constructor(private readonly ctx: AppContext) {}

  /**
   * Load an item's counters unless the cache holds the generation the database names. One node
   * loads at a time (a lock in the cache), one load per item per node; the others wait for it.
   */
  async ensureLoaded(itemId: number): Promise<void> {
    let pending = this.loading.get(itemId);
    if (!pending) {
      pending = this.loadOnce(itemId).finally(() => this.loading.delete(itemId));
      this.loading.set(itemId, pending);
    }
    return pending;
  }

  /** Whether the cache holds the item's counters of the database's generation. */
  async state(itemId: number) {
    const item = await this.ctx.db
      .selectFrom('flash_items')
      .select(['cache_key', 'cache_gen'])
      .where('id', '=', itemId)
      .executeTakeFirstOrThrow();
    const k = flashKeys(item.cache_key);
    const [gen, stock] = await Promise.all([this.ctx.cache.get(k.gen), this.ctx.cache.get(k.stock)]);
    const cachedGen = gen === null ? null : Number(gen);
    return { k, cachedGen, loaded: cachedGen === item.cache_gen && stock !== null };
  }

  private async loadOnce(itemId: number): Promise<void> {
    const { k, loaded } = await this.state(itemId);
    if (loaded) return;
    if (!(await this.ctx.cache.set(k.loading, this.ctx.config.nodeId, { nx: true, ttlMs: LOAD_LOCK_MS }))) {
      const until = Date.now() + WAIT_FOR_LOAD_MS;
      while (!(await this.state(itemId)).loaded) {
        if (Date.now() > until) throw busy();
        await new Promise((r) => setTimeout(r, 50));
      }
      return;
    }
    try {
      const again = await this.state(itemId); // another node may have loaded it meanwhile
      if (!again.loaded) await this.load(itemId, again.cachedGen ?? 0);
    } finally {
      await this.ctx.cache.del(k.loading);
    }
  }

  private async load(itemId: number, cachedGen: number): Promise<void> {
    // The new generation is taken under the item's row lock, which every settlement and every
    // return also takes: settlements of older generations committed before it (and are counted
    // here) or fail, and returns after it carry the new generation (the load applies them).
    const snapshot = await transact(this.ctx.db, async (trx) => {
      const item = await trx
        .updateTable('flash_items')
        .set({ cache_gen: sql`greatest(cache_gen, ${cachedGen}) + 1` })
        .where('id', '=', itemId)
        .returning(['stock', 'cache_gen', 'cache_key'])
        .executeTakeFirstOrThrow();
      const held = await trx
        .selectFrom('flash_orders')
        .select(['user_id', sql<string>`sum(quantity)`.as('n')])
        .where('item_id', '=', itemId)
        .where('status', '!=', 'returned')
        .groupBy('user_id')
        .execute();
      return { item, held };
    });
    const { item, held } = snapshot;
    const remaining = item.stock - held.reduce((s, h) => s + Number(h.n), 0);
    const perUser = held.flatMap((h) => [String(h.user_id), String(h.n)]);
    const keys = loadKeys(flashKeys(item.cache_key));
    await this.ctx.cache.run(LOAD_FLASH_STOCK, keys, [item.cache_gen, remaining, ...perUser]);
    this.ctx.log.info({ itemId, gen: item.cache_gen, remaining }, 'flash-sale counters loaded');
  }
}
