// The copy of a product page every node shares (in the cache, for a while). A read that started before an
// edit must not store what it read once the edit has dropped the copy: every node would then show the old
// page, and quote the old price, until the copy expired. So each edit gives the product a new epoch, and a read
// stores its page only if the epoch is still the one it saw before it read the database.
import crypto from 'node:crypto';
import type { Cache, CacheScript } from '../../platform/cache/cache.ts';

const PAGE_TTL_MS = 30_000;
/** Far longer than any read of a page takes: a read that began before an edit finds the edit's epoch. */
const EPOCH_TTL_MS = 24 * 3600_000;

export const productCacheKey = (productId: number) => `catalog:product:${productId}`;
const epochKey = (productId: number) => `catalog:product-epoch:${productId}`;

// KEYS: page, epoch. ARGV: the epoch seen before the read ('' for none), the page, its TTL.
const STORE_IF_UNCHANGED: CacheScript<number> = {
  name: 'catalog_page_store',
  lua: `
local e = redis.call('GET', KEYS[2]) or ''
if e ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return 1`,
  local: (store, keys, args) => {
    if ((store.get(keys[1]!) ?? '') !== args[0]) return 0;
    store.set(keys[0]!, args[1]!, Number(args[2]));
    return 1;
  },
};

// KEYS: page, epoch. ARGV: the epoch's TTL, a new epoch (random: an epoch evicted and written again is never
// the one a read saw before).
const FORGET: CacheScript<number> = {
  name: 'catalog_page_forget',
  lua: `
redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[1])
redis.call('DEL', KEYS[1])
return 1`,
  local: (store, keys, args) => {
    store.set(keys[1]!, args[1]!, Number(args[0]));
    store.del(keys[0]!);
    return 1;
  },
};

export class SharedPages {
  constructor(private readonly cache: Cache) {}

  /** The shared page, else `read`'s (stored for the other nodes unless an edit came in meanwhile). */
  async get<P>(productId: number, read: () => Promise<P>): Promise<P> {
    const hit = await this.cache.get(productCacheKey(productId));
    if (hit) return JSON.parse(hit) as P;
    const seen = (await this.cache.get(epochKey(productId))) ?? '';
    const page = await read();
    const keys = [productCacheKey(productId), epochKey(productId)];
    await this.cache.run(STORE_IF_UNCHANGED, keys, [seen, JSON.stringify(page), PAGE_TTL_MS]);
    return page;
  }

  /** After an edit has committed: drop the shared pages, and refuse the reads already under way. */
  async forget(productIds: number[]): Promise<void> {
    const forget = (id: number) =>
      this.cache.run(FORGET, [productCacheKey(id), epochKey(id)], [EPOCH_TTL_MS, crypto.randomUUID()]);
    await Promise.all(productIds.map(forget));
  }
}
