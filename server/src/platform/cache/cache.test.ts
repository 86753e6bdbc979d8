// One contract, two implementations: everything here runs against the in-process cache and, when
// REDIS_URL is set, against real Redis.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CACHE_BACKENDS, uniquePrefix } from '../../../test/backends.ts';
import type { Cache, CacheScript } from './cache.ts';
import { openCache } from './index.ts';

// Take up to `n` units if there are enough: the shape of a flash-sale stock decision.
const TAKE: CacheScript<number> = {
  name: 'test_take',
  lua: `
local have = tonumber(redis.call('GET', KEYS[1]) or '0')
local want = tonumber(ARGV[1])
if have < want then return -1 end
return redis.call('DECRBY', KEYS[1], want)`,
  local: (store, keys, args) => {
    const have = Number(store.get(keys[0]!) ?? '0');
    const want = Number(args[0]);
    if (have < want) return -1;
    return store.incrBy(keys[0]!, -want);
  },
};

// Leases: a member per holder in a sorted set scored by its deadline on the cache's clock, its
// details in a hash; the expired ones listed oldest first, each dropped at most once.
const LEASE: CacheScript<number> = {
  name: 'test_lease',
  lua: `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
return now`,
  local: (store, keys, args) => {
    const now = store.nowMs();
    store.zAdd(keys[0]!, now + Number(args[1]), args[0]!);
    store.hSet(keys[1]!, args[0]!, args[2]!);
    return now;
  },
};
const EXPIRED: CacheScript<string[]> = {
  name: 'test_expired',
  lua: `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
return redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[1]))`,
  local: (store, keys, args) => store.zRangeByScore(keys[0]!, store.nowMs(), Number(args[0])),
};
const DROP: CacheScript<[number, number, number, string[]]> = {
  name: 'test_drop',
  lua: `
local h = redis.call('HDEL', KEYS[2], ARGV[1])
local z = redis.call('ZREM', KEYS[1], ARGV[1])
return {h, z, redis.call('ZCARD', KEYS[1]), redis.call('HGETALL', KEYS[2])}`,
  local: (store, keys, args) => {
    const h = store.hDel(keys[1]!, args[0]!) ? 1 : 0;
    const z = store.zRem(keys[0]!, args[0]!) ? 1 : 0;
    return [h, z, store.zCard(keys[0]!), Object.entries(store.hGetAll(keys[1]!)).flat()];
  },
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(CACHE_BACKENDS)('cache contract on $name', (backend) => {
  let cache: Cache;
  let other: Cache; // a second client: another node
  beforeAll(() => {
    const prefix = uniquePrefix();
    cache = openCache({ redisUrl: backend.url, prefix });
    other = backend.url ? openCache({ redisUrl: backend.url, prefix }) : cache;
  });
  afterAll(async () => {
    await cache.close();
    if (other !== cache) await other.close();
  });

  it('gets, sets with NX and TTL, deletes', async () => {
    expect(await cache.get('k')).toBeNull();
    expect(await cache.set('k', 'v1')).toBe(true);
    expect(await cache.set('k', 'v2', { nx: true })).toBe(false);
    expect(await other.get('k')).toBe('v1');
    await cache.set('t', 'x', { ttlMs: 80 });
    expect(await cache.ttlMs('t')).toBeGreaterThan(0);
    await sleep(150);
    expect(await cache.get('t')).toBeNull();
    expect(await cache.del('k', 'missing')).toBe(1);
    expect(await cache.get('k')).toBeNull();
  });

  it('counts, hashes, sets, capped lists and sorted sets', async () => {
    expect(await cache.incrBy('c')).toBe(1);
    expect(await cache.incrBy('c', 41)).toBe(42);
    await cache.hSet('h', { a: '1', b: 'x' });
    expect(await cache.hIncrBy('h', 'a', 2)).toBe(3);
    expect(await cache.hGetAll('h')).toEqual({ a: '3', b: 'x' });
    expect(await cache.hGetAll('nope')).toEqual({});
    expect(await cache.sAdd('s', 'u1', 'u2', 'u1')).toBe(2);
    expect(await cache.sAdd('s', 'u2', 'u3')).toBe(1);
    expect(await cache.sCard('s')).toBe(3);
    expect(await cache.sIsMember('s', 'u3')).toBe(true);
    expect(await cache.sRem('s', 'u3', 'zz')).toBe(1);
    expect((await cache.sMembers('s')).sort()).toEqual(['u1', 'u2']);
    for (let i = 1; i <= 5; i++) await cache.lPushCapped('l', `m${i}`, 3);
    expect(await cache.lRange('l', 0, -1)).toEqual(['m5', 'm4', 'm3']);
    expect(await cache.lRange('l', 0, 0)).toEqual(['m5']);
    await cache.zIncrBy('z', 'alice', 5);
    await cache.zIncrBy('z', 'bob', 9);
    await cache.zIncrBy('z', 'alice', 6);
    expect(await cache.zTop('z', 2)).toEqual([
      { member: 'alice', score: 11 },
      { member: 'bob', score: 9 },
    ]);
  });

  it('rate-limits in a fixed window', async () => {
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await cache.rateLimit('rl', 3, 1000));
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, false, false]);
    expect(results[0]!.remaining).toBe(2);
    expect(results[4]!.resetMs).toBeGreaterThan(0);
    expect(results[4]!.resetMs).toBeLessThanOrEqual(1000);
  });

  it('runs a script atomically under concurrency from two clients: never oversells', async () => {
    await cache.set('stock', '100');
    const attempts = Array.from({ length: 300 }, (_, i) => (i % 2 ? cache : other).run(TAKE, ['stock'], [1]));
    const results = await Promise.all(attempts);
    expect(results.filter((r) => r >= 0)).toHaveLength(100);
    expect(results.filter((r) => r === -1)).toHaveLength(200);
    expect(await cache.get('stock')).toBe('0');
  });

  it('keeps leases on the cache clock: the expired listed oldest first, each dropped once, empty keys gone', async () => {
    const before = Date.now();
    const now = await cache.run(LEASE, ['leases', 'holders'], ['c', 0, 'user 3']);
    expect(Math.abs(now - before)).toBeLessThan(1000);
    await other.run(LEASE, ['leases', 'holders'], ['a', -60_000, 'user 1']);
    await cache.run(LEASE, ['leases', 'holders'], ['b', 60_000, 'user 2']);
    await sleep(5);
    expect(await other.run(EXPIRED, ['leases'], [10])).toEqual(['a', 'c']);
    expect(await cache.run(EXPIRED, ['leases'], [1])).toEqual(['a']);
    expect(await cache.run(DROP, ['leases', 'holders'], ['a'])).toEqual([1, 1, 2, expect.any(Array)]);
    const [h, z, left, rest] = await other.run(DROP, ['leases', 'holders'], ['a']);
    expect([h, z, left]).toEqual([0, 0, 2]);
    expect(Object.fromEntries(chunk(rest))).toEqual({ b: 'user 2', c: 'user 3' });
    await cache.run(DROP, ['leases', 'holders'], ['b']);
    expect(await cache.run(DROP, ['leases', 'holders'], ['c'])).toEqual([1, 1, 0, []]);
    expect(await cache.hGetAll('holders')).toEqual({});
    expect(await cache.ttlMs('leases')).toBe(-2);
  });

  it('delivers pub/sub messages across clients, in order, and stops after unsubscribe', async () => {
    const got: string[] = [];
    const unsubscribe = await other.subscribe('room:1', (m) => got.push(m));
    for (let i = 0; i < 20; i++) await cache.publish('room:1', `msg${i}`);
    for (let i = 0; i < 50 && got.length < 20; i++) await sleep(20);
    expect(got).toEqual(Array.from({ length: 20 }, (_, i) => `msg${i}`));
    await unsubscribe();
    await cache.publish('room:1', 'after');
    await sleep(100);
    expect(got).not.toContain('after');
  });
});

function chunk(flat: string[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (let i = 0; i < flat.length; i += 2) out.push([flat[i]!, flat[i + 1]!]);
  return out;
}
