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
    expect(await cache.zTop('z', 2)).toEqual([{ member: 'alice', score: 11 }, { member: 'bob', score: 9 }]);
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
