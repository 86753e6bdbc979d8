// The flash-sale stock decision, atomic in the cache layer: one Lua script on Redis (shared by
// every node), the same logic as a synchronous function in-process. A take decides "is there a unit
// left, and is this buyer still under the limit", takes the unit and records the attempt (with a
// lease on the cache's clock) in one step, so there is no oversell, nobody goes above the limit
// however many requests race, and no unit can be taken without a record that gives it back.
//
// Per item (all keys share the item's hash tag): `gen` the load generation, `stock` units for sale,
// `bought` userId -> units held (live attempts and orders not returned), `attempts` attemptId ->
// "userId:quantity", `leases` attemptId scored by its deadline, `used` attempt ids ever taken (one
// purchase per token), `returned` order keys already given back, `pending` returns that arrived for
// a generation not loaded yet. A load replaces all of them.
import type { CacheScript, LocalStore } from '../../../platform/cache/cache.ts';

export const SOLD_OUT = -1;
export const OVER_LIMIT = -2;
export const NOT_LOADED = -3;
/** The token was issued for another load of the item's counters (the cache was rebuilt since). */
export const STALE_TOKEN = -4;
/** This token already took a unit once. */
export const TOKEN_USED = -5;

export const flashKeys = (cacheKey: string) => ({
  gen: `flash:{${cacheKey}}:gen`,
  stock: `flash:{${cacheKey}}:stock`,
  bought: `flash:{${cacheKey}}:bought`,
  attempts: `flash:{${cacheKey}}:attempts`,
  leases: `flash:{${cacheKey}}:leases`,
  used: `flash:{${cacheKey}}:used`,
  returned: `flash:{${cacheKey}}:returned`,
  pending: `flash:{${cacheKey}}:pending`,
  loading: `flash:{${cacheKey}}:loading`,
});
export type FlashKeys = ReturnType<typeof flashKeys>;

const LUA_NOW = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

type Six = [string, string, string, string, string, string];

/** KEYS: gen stock bought attempts leases used. Returns the key list a take needs, in order. */
export const takeKeys = (k: FlashKeys) => [k.gen, k.stock, k.bought, k.attempts, k.leases, k.used];

/**
 * ARGV: userId, quantity, per-user limit, the token's generation, attempt id, lease ms.
 * Returns the units left after taking, or SOLD_OUT / OVER_LIMIT / NOT_LOADED / STALE_TOKEN / TOKEN_USED.
 * The limit is checked before the token's reuse, so a retried winning request reads "limit
 * reached" and gets its order back through its idempotency key.
 */
export const TAKE_FLASH_STOCK: CacheScript<number> = {
  name: 'flash_take_v2',
  lua: `
local gen = redis.call('GET', KEYS[1])
local stock = redis.call('GET', KEYS[2])
if not gen or not stock then return -3 end
if gen ~= ARGV[4] then return -4 end
stock = tonumber(stock)
local qty = tonumber(ARGV[2])
local bought = tonumber(redis.call('HGET', KEYS[3], ARGV[1]) or '0')
if bought + qty > tonumber(ARGV[3]) then return -2 end
if redis.call('SISMEMBER', KEYS[6], ARGV[5]) == 1 then return -5 end
if stock < qty then return -1 end
${LUA_NOW}
redis.call('SADD', KEYS[6], ARGV[5])
redis.call('HSET', KEYS[4], ARGV[5], ARGV[1] .. ':' .. ARGV[2])
redis.call('ZADD', KEYS[5], now + tonumber(ARGV[6]), ARGV[5])
redis.call('HINCRBY', KEYS[3], ARGV[1], qty)
return redis.call('DECRBY', KEYS[2], qty)`,
  local: (store, keys, args) => {
    const [genKey, stockKey, boughtKey, attemptsKey, leasesKey, usedKey] = keys as Six;
    const [user, qtyArg, limit, tokenGen, attemptId, leaseMs] = args as Six;
    const gen = store.get(genKey);
    const raw = store.get(stockKey);
    if (gen === null || raw === null) return NOT_LOADED;
    if (gen !== tokenGen) return STALE_TOKEN;
    const qty = Number(qtyArg);
    if (Number(store.hGet(boughtKey, user) ?? '0') + qty > Number(limit)) return OVER_LIMIT;
    if (store.sIsMember(usedKey, attemptId)) return TOKEN_USED;
    if (Number(raw) < qty) return SOLD_OUT;
    store.sAdd(usedKey, attemptId);
    store.hSet(attemptsKey, attemptId, `${user}:${qtyArg}`);
    store.zAdd(leasesKey, store.nowMs() + Number(leaseMs), attemptId);
    store.hIncrBy(boughtKey, user, qty);
    return store.incrBy(stockKey, -qty);
  },
};

/** KEYS: stock bought attempts leases. */
export const attemptKeys = (k: FlashKeys) => [k.stock, k.bought, k.attempts, k.leases];

/**
 * An attempt that did not become an order: its unit back on sale and off the buyer's count.
 * ARGV[1] attempt id. Returns 1, or 0 when the attempt is not live (already given back or
 * finalized, or taken before the counters were reloaded): idempotent per attempt.
 */
export const RETURN_ATTEMPT: CacheScript<number> = {
  name: 'flash_return_attempt',
  lua: `
local held = redis.call('HGET', KEYS[3], ARGV[1])
if not held then return 0 end
redis.call('HDEL', KEYS[3], ARGV[1])
redis.call('ZREM', KEYS[4], ARGV[1])
local sep = string.find(held, ':', 1, true)
local qty = tonumber(string.sub(held, sep + 1))
redis.call('INCRBY', KEYS[1], qty)
redis.call('HINCRBY', KEYS[2], string.sub(held, 1, sep - 1), -qty)
return 1`,
  local: (store, keys, args) => {
    const [stockKey, boughtKey, attemptsKey, leasesKey] = keys as [string, string, string, string];
    const held = store.hGet(attemptsKey, args[0]!);
    if (held === null) return 0;
    store.hDel(attemptsKey, args[0]!);
    store.zRem(leasesKey, args[0]!);
    const [user, qty] = parseHeld(held);
    store.incrBy(stockKey, qty);
    store.hIncrBy(boughtKey, user, -qty);
    return 1;
  },
};

/** An attempt that became an order: no longer live; its unit stays sold. ARGV[1] attempt id. Returns 1 or 0. */
export const FINALIZE_ATTEMPT: CacheScript<number> = {
  name: 'flash_finalize_attempt',
  lua: `
redis.call('ZREM', KEYS[4], ARGV[1])
return redis.call('HDEL', KEYS[3], ARGV[1])`,
  local: (store, keys, args) => {
    store.zRem(keys[3]!, args[0]!);
    return store.hDel(keys[2]!, args[0]!) ? 1 : 0;
  },
};

/**
 * Attempts whose lease has run out on the cache's clock, oldest first. KEYS: leases attempts.
 * ARGV[1] at most this many. Returns [attemptId, "userId:quantity", …] (the record may be gone).
 */
export const EXPIRED_ATTEMPTS: CacheScript<string[]> = {
  name: 'flash_expired_attempts',
  lua: `
${LUA_NOW}
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[1]))
local out = {}
for _, id in ipairs(ids) do
  table.insert(out, id)
  table.insert(out, redis.call('HGET', KEYS[2], id) or '')
end
return out`,
  local: (store, keys, args) =>
    store.zRangeByScore(keys[0]!, store.nowMs(), Number(args[0])).flatMap((id) => [id, store.hGet(keys[1]!, id) ?? '']),
};

/** KEYS: gen stock bought returned pending. */
export const orderReturnKeys = (k: FlashKeys) => [k.gen, k.stock, k.bought, k.returned, k.pending];

export const RETURNED = 1;
export const RETURN_PENDING = 2;

/**
 * Give an order's units back (cancelled, or unpaid in time). ARGV: userId, quantity, return key
 * (e.g. "order:12"), the generation the database recorded with the return. Into counters of that
 * generation: once per key (RETURNED, else 0). Counters of a later generation counted the return
 * when they were loaded (0). Counters not loaded yet, or older: kept for the load of that
 * generation, whose database read came before the return (RETURN_PENDING).
 */
export const RETURN_FLASH_STOCK: CacheScript<number> = {
  name: 'flash_return_v2',
  lua: `
local current = redis.call('GET', KEYS[1])
local gen = tonumber(ARGV[4])
if current and tonumber(current) > gen then return 0 end
if not current or tonumber(current) < gen then
  redis.call('HSET', KEYS[5], ARGV[3], ARGV[4] .. ':' .. ARGV[1] .. ':' .. ARGV[2])
  return 2
end
if redis.call('SADD', KEYS[4], ARGV[3]) == 0 then return 0 end
redis.call('INCRBY', KEYS[2], ARGV[2])
redis.call('HINCRBY', KEYS[3], ARGV[1], -tonumber(ARGV[2]))
return 1`,
  local: (store, keys, args) => {
    const [genKey, stockKey, boughtKey, returnedKey, pendingKey] = keys as [string, string, string, string, string];
    const [user, qty, key, genArg] = args as [string, string, string, string];
    const current = store.get(genKey);
    if (current !== null && Number(current) > Number(genArg)) return 0;
    if (current === null || Number(current) < Number(genArg)) {
      store.hSet(pendingKey, key, `${genArg}:${user}:${qty}`);
      return RETURN_PENDING;
    }
    if (!store.sAdd(returnedKey, key)) return 0;
    store.incrBy(stockKey, Number(qty));
    store.hIncrBy(boughtKey, user, -Number(qty));
    return RETURNED;
  },
};

/** KEYS: gen stock bought attempts leases used returned pending. */
export const loadKeys = (k: FlashKeys) => [
  k.gen,
  k.stock,
  k.bought,
  k.attempts,
  k.leases,
  k.used,
  k.returned,
  k.pending,
];

/**
 * Load an item's counters from the database: ARGV generation, units for sale, then userId, units
 * pairs. Replaces whatever an older generation left (its attempts can no longer settle), then
 * applies the returns that arrived for this generation before it was loaded. A load of the same
 * or an older generation changes nothing. Returns 1 if loaded.
 */
export const LOAD_FLASH_STOCK: CacheScript<number> = {
  name: 'flash_load_v2',
  lua: `
local current = redis.call('GET', KEYS[1])
if current and tonumber(current) >= tonumber(ARGV[1]) then return 0 end
local pending = redis.call('HGETALL', KEYS[8])
redis.call('DEL', KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8])
redis.call('SET', KEYS[2], ARGV[2])
for i = 3, #ARGV, 2 do redis.call('HSET', KEYS[3], ARGV[i], ARGV[i + 1]) end
for i = 1, #pending, 2 do
  local g, user, qty = string.match(pending[i + 1], '^(%d+):([^:]+):(%d+)$')
  if g == ARGV[1] then
    redis.call('SADD', KEYS[7], pending[i])
    redis.call('INCRBY', KEYS[2], qty)
    redis.call('HINCRBY', KEYS[3], user, -tonumber(qty))
  end
end
redis.call('SET', KEYS[1], ARGV[1])
return 1`,
  local: (store, keys, args) => {
    const current = store.get(keys[0]!);
    if (current !== null && Number(current) >= Number(args[0])) return 0;
    const pending = Object.entries(store.hGetAll(keys[7]!));
    for (const key of keys.slice(1)) store.del(key);
    store.set(keys[1]!, args[1]!);
    for (let i = 2; i < args.length; i += 2) store.hSet(keys[2]!, args[i]!, args[i + 1]!);
    for (const [returnKey, value] of pending) {
      const [g, user, qty] = value.split(':') as [string, string, string];
      if (g !== args[0]) continue;
      store.sAdd(keys[6]!, returnKey);
      store.incrBy(keys[1]!, Number(qty));
      store.hIncrBy(keys[2]!, user, -Number(qty));
    }
    store.set(keys[0]!, args[0]!);
    return 1;
  },
};

/**
 * What the reconciliation check compares, read at one instant. KEYS: gen stock bought attempts.
 * Returns [gen, stock, bought flat, attempts flat] ('' when missing).
 */
export const snapshotKeys = (k: FlashKeys) => [k.gen, k.stock, k.bought, k.attempts];
export const SNAPSHOT_FLASH: CacheScript<[string, string, string[], string[]]> = {
  name: 'flash_snapshot',
  lua: `
return {redis.call('GET', KEYS[1]) or '', redis.call('GET', KEYS[2]) or '',
  redis.call('HGETALL', KEYS[3]), redis.call('HGETALL', KEYS[4])}`,
  local: (store, keys) => [
    store.get(keys[0]!) ?? '',
    store.get(keys[1]!) ?? '',
    flat(store, keys[2]!),
    flat(store, keys[3]!),
  ],
};

const flat = (store: LocalStore, key: string) => Object.entries(store.hGetAll(key)).flat();

/** "userId:quantity" -> [userId, quantity]. */
export function parseHeld(held: string): [string, number] {
  const sep = held.indexOf(':');
  return [held.slice(0, sep), Number(held.slice(sep + 1))];
}

/** A flat [k1, v1, k2, v2…] reply as pairs. */
export function pairs(flatList: string[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (let i = 0; i < flatList.length; i += 2) out.push([flatList[i]!, flatList[i + 1]!]);
  return out;
}
