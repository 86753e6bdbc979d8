// The stock decision under heavy concurrency, on the in-process cache and on real Redis with two
// clients (two nodes): never oversold, nobody above the limit, returns idempotent.
import { afterAll, describe, expect, it } from 'vitest';
import { CACHE_BACKENDS, uniquePrefix } from '../../../../test/backends.ts';
import { openCache } from '../../../platform/cache/index.ts';
import type { Cache } from '../../../platform/cache/cache.ts';
import { flashKeys, NOT_LOADED, OVER_LIMIT, RETURN_FLASH_STOCK, SOLD_OUT, TAKE_FLASH_STOCK } from './stock-scripts.ts';

const caches: Cache[] = [];
afterAll(async () => { for (const c of caches) await c.close(); });

describe.each(CACHE_BACKENDS)('flash-sale stock scripts on $name', (backend) => {
  const nodes = () => {
    const prefix = uniquePrefix();
    const a = openCache({ redisUrl: backend.url, prefix });
    const b = backend.url ? openCache({ redisUrl: backend.url, prefix }) : a;
    caches.push(a, ...(b !== a ? [b] : []));
    return [a, b] as const;
  };

  it('sells exactly the stock to 2,000 racing buyers, each within the limit', async () => {
    const [a, b] = nodes();
    const k = flashKeys(1);
    await a.set(k.stock, '100');
    // 500 users, each tries 4 times, limit 2 per user.
    const attempts = Array.from({ length: 2000 }, (_, i) => ({ user: String(i % 500), node: i % 2 ? a : b }));
    const results = await Promise.all(attempts.map(({ user, node }) => node.run(TAKE_FLASH_STOCK, [k.stock, k.bought], [user, 1, 2]).then((r) => ({ user, r }))));
    const wins = results.filter((x) => x.r >= 0);
    expect(wins).toHaveLength(100);
    expect(await a.get(k.stock)).toBe('0');
    const perUser = new Map<string, number>();
    for (const w of wins) perUser.set(w.user, (perUser.get(w.user) ?? 0) + 1);
    expect(Math.max(...perUser.values())).toBeLessThanOrEqual(2);
    const bought = await a.hGetAll(k.bought);
    expect(Object.values(bought).reduce((s, v) => s + Number(v), 0)).toBe(100);
    expect(results.every((x) => x.r >= 0 || x.r === SOLD_OUT || x.r === OVER_LIMIT)).toBe(true);
  });

  it('refuses above the per-user limit before stock runs out, and when not loaded', async () => {
    const [a] = nodes();
    const k = flashKeys(2);
    expect(await a.run(TAKE_FLASH_STOCK, [k.stock, k.bought], ['u', 1, 1])).toBe(NOT_LOADED);
    await a.set(k.stock, '10');
    expect(await a.run(TAKE_FLASH_STOCK, [k.stock, k.bought], ['u', 2, 1])).toBe(OVER_LIMIT);
    expect(await a.run(TAKE_FLASH_STOCK, [k.stock, k.bought], ['u', 1, 1])).toBe(9);
    expect(await a.run(TAKE_FLASH_STOCK, [k.stock, k.bought], ['u', 1, 1])).toBe(OVER_LIMIT);
    expect(await a.run(TAKE_FLASH_STOCK, [k.stock, k.bought], ['v', 10, 20])).toBe(SOLD_OUT);
  });

  it('returns a unit once per order, even when told twice', async () => {
    const [a, b] = nodes();
    const k = flashKeys(3);
    await a.set(k.stock, '1');
    expect(await a.run(TAKE_FLASH_STOCK, [k.stock, k.bought], ['u', 1, 1])).toBe(0);
    const returns = await Promise.all([a, b, a, b].map((n) => n.run(RETURN_FLASH_STOCK, [k.stock, k.bought, k.returned], ['u', 1, 'order-9'])));
    expect(returns.filter((r) => r === 1)).toHaveLength(1);
    expect(await a.get(k.stock)).toBe('1');
    // The buyer may buy again after the return.
    expect(await b.run(TAKE_FLASH_STOCK, [k.stock, k.bought], ['u', 1, 1])).toBe(0);
  });
});
