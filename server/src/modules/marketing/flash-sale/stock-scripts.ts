// The flash-sale stock decision, atomic in the cache layer: one Lua script on Redis (shared by
// every node), the same logic as a synchronous function in-process. Both decide "is there a unit
// left, and is this buyer still under the limit" and take the unit in the same step, so there is
// no oversell and nobody goes above the limit however many requests race.
import type { CacheScript } from '../../../platform/cache/cache.ts';

export const SOLD_OUT = -1;
export const OVER_LIMIT = -2;
export const NOT_LOADED = -3;

/**
 * KEYS[1] stock counter of the flash-sale item, KEYS[2] hash userId -> units bought.
 * ARGV[1] userId, ARGV[2] quantity, ARGV[3] per-user limit.
 * Returns the units left after taking, or SOLD_OUT / OVER_LIMIT / NOT_LOADED.
 */
export const TAKE_FLASH_STOCK: CacheScript<number> = {
  name: 'flash_take',
  lua: `
local stock = redis.call('GET', KEYS[1])
if not stock then return -3 end
stock = tonumber(stock)
local qty = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
local bought = tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '0')
if bought + qty > limit then return -2 end
if stock < qty then return -1 end
redis.call('HINCRBY', KEYS[2], ARGV[1], qty)
return redis.call('DECRBY', KEYS[1], qty)`,
  local: (store, keys, args) => {
    const raw = store.get(keys[0]!);
    if (raw === null) return NOT_LOADED;
    const stock = Number(raw);
    const qty = Number(args[1]);
    const limit = Number(args[2]);
    const bought = Number(store.hGet(keys[1]!, args[0]!) ?? '0');
    if (bought + qty > limit) return OVER_LIMIT;
    if (stock < qty) return SOLD_OUT;
    store.hIncrBy(keys[1]!, args[0]!, qty);
    return store.incrBy(keys[0]!, -qty);
  },
};

/**
 * Give units back (order cancelled or unpaid in time). Idempotent per order: KEYS[3] is a set of
 * order ids already returned, so a redelivered event cannot return a unit twice.
 * ARGV[1] userId, ARGV[2] quantity, ARGV[3] order id. Returns 1 if returned, 0 if already done.
 */
export const RETURN_FLASH_STOCK: CacheScript<number> = {
  name: 'flash_return',
  lua: `
if redis.call('SADD', KEYS[3], ARGV[3]) == 0 then return 0 end
redis.call('INCRBY', KEYS[1], ARGV[2])
redis.call('HINCRBY', KEYS[2], ARGV[1], -tonumber(ARGV[2]))
return 1`,
  local: (store, keys, args) => {
    if (!store.sAdd(keys[2]!, args[2]!)) return 0;
    store.incrBy(keys[0]!, Number(args[1]));
    store.hIncrBy(keys[1]!, args[0]!, -Number(args[1]));
    return 1;
  },
};

export const flashKeys = (itemId: number | string) => ({
  stock: `flash:{${itemId}}:stock`,
  bought: `flash:{${itemId}}:bought`,
  returned: `flash:{${itemId}}:returned`,
});
