// The stock decision under heavy concurrency, on the in-process cache and on real Redis with two
// clients (two nodes): never oversold, nobody above the limit, every take an attempt that ends
// once (given back or kept), returns idempotent; and random sequences of takes, settlements,
// returns, expiries and reloads checked step by step against a model (fast-check).
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { CACHE_BACKENDS, uniquePrefix } from '../../../../test/backends.ts';
import { openCache } from '../../../platform/cache/index.ts';
import type { Cache } from '../../../platform/cache/cache.ts';
import {
  attemptKeys,
  EXPIRED_ATTEMPTS,
  FINALIZE_ATTEMPT,
  flashKeys,
  LOAD_FLASH_STOCK,
  loadKeys,
  NOT_LOADED,
  orderReturnKeys,
  OVER_LIMIT,
  pairs,
  RETURN_ATTEMPT,
  RETURN_FLASH_STOCK,
  RETURN_PENDING,
  RETURNED,
  SNAPSHOT_FLASH,
  snapshotKeys,
  SOLD_OUT,
  STALE_TOKEN,
  TAKE_FLASH_STOCK,
  takeKeys,
  TOKEN_USED,
} from './stock-scripts.ts';

const caches: Cache[] = [];
afterAll(async () => {
  for (const c of caches) await c.close();
});

/** The scripts as the service calls them, for one item. */
function counters(cache: Cache, name: string) {
  const k = flashKeys(name);
  return {
    load: (gen: number, stock: number, held: Record<string, number> = {}) =>
      cache.run(LOAD_FLASH_STOCK, loadKeys(k), [gen, stock, ...Object.entries(held).flat()]),
    take: (user: string, qty: number, limit: number, gen: number, attemptId: string, leaseMs = 60_000) =>
      cache.run(TAKE_FLASH_STOCK, takeKeys(k), [user, qty, limit, String(gen), attemptId, leaseMs]),
    giveBack: (attemptId: string) => cache.run(RETURN_ATTEMPT, attemptKeys(k), [attemptId]),
    finalize: (attemptId: string) => cache.run(FINALIZE_ATTEMPT, attemptKeys(k), [attemptId]),
    returnOrder: (user: string, qty: number, key: string, gen: number) =>
      cache.run(RETURN_FLASH_STOCK, orderReturnKeys(k), [user, qty, key, String(gen)]),
    lose: () => cache.del(...Object.values(k)),
    expired: async () => pairs(await cache.run(EXPIRED_ATTEMPTS, [k.leases, k.attempts], [1000])).map(([id]) => id),
    async snapshot() {
      const [gen, stock, bought, attempts] = await cache.run(SNAPSHOT_FLASH, snapshotKeys(k), []);
      const nonZero = pairs(bought)
        .filter(([, n]) => Number(n) !== 0)
        .map(([u, n]) => [u, Number(n)] as const);
      return { gen, stock, bought: Object.fromEntries(nonZero), attempts: Object.fromEntries(pairs(attempts)) };
    },
  };
}

describe.each(CACHE_BACKENDS)('flash-sale stock scripts on $name', (backend) => {
  const nodes = () => {
    const prefix = uniquePrefix();
    const a = openCache({ redisUrl: backend.url, prefix });
    const b = backend.url ? openCache({ redisUrl: backend.url, prefix }) : a;
    caches.push(a, ...(b !== a ? [b] : []));
    return [a, b] as const;
  };

  it('sells exactly the stock to 2,000 racing buyers, each within the limit, each win an attempt', async () => {
    const [a, b] = nodes();
    const [ca, cb] = [counters(a, 'race'), counters(b, 'race')];
    await ca.load(1, 100);
    // 500 users, each tries 4 times, limit 2 per user.
    const attempts = Array.from({ length: 2000 }, (_, i) => ({
      user: String(i % 500),
      id: `t${i}`,
      node: i % 2 ? ca : cb,
    }));
    const results = await Promise.all(
      attempts.map(({ user, id, node }) => node.take(user, 1, 2, 1, id).then((r) => ({ user, id, r }))),
    );
    const wins = results.filter((x) => x.r >= 0);
    expect(wins).toHaveLength(100);
    const perUser = new Map<string, number>();
    for (const w of wins) perUser.set(w.user, (perUser.get(w.user) ?? 0) + 1);
    expect(Math.max(...perUser.values())).toBeLessThanOrEqual(2);
    const snap = await ca.snapshot();
    expect(snap.stock).toBe('0');
    expect(Object.values(snap.bought).reduce((s, v) => s + v, 0)).toBe(100);
    expect(Object.keys(snap.attempts).sort()).toEqual(wins.map((w) => w.id).sort());
    expect(results.every((x) => x.r >= 0 || x.r === SOLD_OUT || x.r === OVER_LIMIT)).toBe(true);
  });

  it('refuses above the limit, a used token, a token of an older load, and when not loaded', async () => {
    const [a] = nodes();
    const c = counters(a, 'refusals');
    expect(await c.take('u', 1, 1, 1, 'x1')).toBe(NOT_LOADED);
    await c.load(3, 10);
    expect(await c.take('u', 1, 1, 2, 'x1')).toBe(STALE_TOKEN);
    expect(await c.take('u', 2, 1, 3, 'x1')).toBe(OVER_LIMIT);
    expect(await c.take('u', 1, 2, 3, 'x1')).toBe(9);
    expect(await c.take('u', 1, 1, 3, 'x2')).toBe(OVER_LIMIT);
    expect(await c.take('u', 1, 2, 3, 'x1')).toBe(TOKEN_USED);
    expect(await c.take('v', 10, 20, 3, 'x3')).toBe(SOLD_OUT);
    // Given back, the token still cannot buy again; a new one can.
    expect(await c.giveBack('x1')).toBe(1);
    expect(await c.take('u', 1, 2, 3, 'x1')).toBe(TOKEN_USED);
    expect(await c.take('u', 1, 2, 3, 'x4')).toBe(9);
  });

  it('gives an attempt back once however often and from however many nodes it is told', async () => {
    const [a, b] = nodes();
    const [ca, cb] = [counters(a, 'once'), counters(b, 'once')];
    await ca.load(1, 1);
    expect(await ca.take('u', 1, 1, 1, 'att')).toBe(0);
    const returns = await Promise.all([ca, cb, ca, cb].map((n) => n.giveBack('att')));
    expect(returns.filter((r) => r === 1)).toHaveLength(1);
    expect(await ca.snapshot()).toEqual({ gen: '1', stock: '1', bought: {}, attempts: {} });
    expect(await cb.finalize('att')).toBe(0);
    expect(await cb.take('u', 1, 1, 1, 'att2')).toBe(0);
  });

  it('lists attempts whose lease ran out, and a finalized attempt keeps its unit', async () => {
    const [a] = nodes();
    const c = counters(a, 'lease');
    await c.load(1, 5);
    await c.take('u', 1, 5, 1, 'dead', -1);
    await c.take('u', 1, 5, 1, 'alive', 60_000);
    await c.take('v', 2, 5, 1, 'sold', -1);
    expect((await c.expired()).sort()).toEqual(['dead', 'sold']);
    expect(await c.finalize('sold')).toBe(1);
    expect(await c.giveBack('dead')).toBe(1);
    expect(await c.expired()).toEqual([]);
    expect(await c.snapshot()).toEqual({ gen: '1', stock: '2', bought: { u: 1, v: 2 }, attempts: { alive: 'u:1' } });
  });

  it('returns an order once into its generation, never into a later one, and keeps it for a load to come', async () => {
    const [a, b] = nodes();
    const [ca, cb] = [counters(a, 'orders'), counters(b, 'orders')];
    await ca.load(1, 0, { u: 2 });
    // Told twice at once by two nodes: returned once.
    const twice = await Promise.all([ca.returnOrder('u', 1, 'order:9', 1), cb.returnOrder('u', 1, 'order:9', 1)]);
    expect(twice.sort()).toEqual([0, RETURNED]);
    // Returned under an older generation: the counters loaded since counted it already.
    expect(await ca.returnOrder('u', 1, 'order:8', 0)).toBe(0);
    // Returned under a generation not loaded yet: its load applies it, once; another's load drops it.
    expect(await cb.returnOrder('u', 1, 'order:7', 2)).toBe(RETURN_PENDING);
    expect(await cb.returnOrder('x', 5, 'order:6', 3)).toBe(RETURN_PENDING);
    expect(await ca.load(1, 99)).toBe(0);
    expect(await ca.load(2, 0, { u: 1 })).toBe(1);
    expect(await ca.snapshot()).toEqual({ gen: '2', stock: '1', bought: {}, attempts: {} });
    expect(await cb.returnOrder('u', 1, 'order:7', 2)).toBe(0);
    await ca.lose();
    expect(await ca.returnOrder('u', 1, 'order:5', 2)).toBe(RETURN_PENDING);
    expect((await ca.snapshot()).gen).toBe('');
  });

  it('keeps every unit sold, for sale or in a live attempt through random sequences (model-based)', async () => {
    const [a, b] = nodes();
    const seed = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
    process.stdout.write(`flash stock-scripts property seed (${backend.name}): ${seed}\n`);
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 5, maxLength: 60, size: 'max' }), async (ops) => {
        const name = `model-${run++}`;
        await runAgainstModel([counters(a, name), counters(b, name)], ops);
      }),
      { seed, numRuns: backend.url ? 60 : 150 },
    );
    process.stdout.write(`stale calls ${(globalThis as any).__dbg}\n`);
  }, 120_000);
});

type Op =
  | { kind: 'take'; user: number; qty: number; reuse: boolean; stale: boolean; expired: boolean; node: number }
  | { kind: 'settle' | 'giveBack' | 'finalize' | 'redeliver'; pick: number; node: number }
  | { kind: 'returnOrder'; pick: number; crash: boolean; node: number }
  | { kind: 'lose' | 'reloadBegin' | 'reloadEnd' | 'reload'; node: number };

const oneIn = (n: number) => fc.nat(n - 1).map((x) => x === 0);
const PICKS = ['giveBack', 'finalize', 'redeliver'] as const;
const CACHE_EVENTS = ['lose', 'reloadBegin', 'reloadEnd', 'reload'] as const;
const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('take' as const),
      user: fc.nat(3),
      qty: fc.integer({ min: 1, max: 3 }),
      reuse: oneIn(6),
      stale: oneIn(10),
      expired: fc.boolean(),
      node: fc.nat(1),
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('settle' as const), pick: fc.nat(20), node: fc.nat(1) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constantFrom(...PICKS), pick: fc.nat(20), node: fc.nat(1) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('returnOrder' as const),
      pick: fc.nat(20),
      crash: oneIn(3),
      node: fc.nat(1),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constantFrom(...CACHE_EVENTS), node: fc.nat(1) }) },
);

const ALLOTMENT = 8;
const LIMIT = 4;
const sumQty = <T extends { qty: number }>(xs: Iterable<T>) => [...xs].reduce((s, x) => s + x.qty, 0);

/**
 * The database (orders, the generation) and the cache as the service drives them, kept by hand;
 * the scripts must agree after every step. A reload is two steps (the database read under a new
 * generation, then the load), with returns, takes and losses of the cache in between.
 */
async function runAgainstModel(nodes: Array<ReturnType<typeof counters>>, ops: Op[]): Promise<void> {
  // The database.
  let dbGen = 1;
  // counted: the loaded counters hold the order's units as taken (not given back into them).
  type Order = { user: string; qty: number; returned: boolean; returnedGen: number; counted: boolean };
  const orders = new Map<string, Order>();
  let reload: { gen: number; snapshot: Set<string> } | null = null;
  // The cache.
  let cacheGen: number | null = 1;
  let stock = ALLOTMENT;
  const live = new Map<string, { user: string; qty: number; gen: number; settled: boolean; expired: boolean }>();
  const used = new Set<string>();
  const returnedKeys = new Set<string>();
  const pending = new Map<string, number>();
  let ids = 0;
  const pickFrom = <T>(list: T[], i: number) => (list.length ? list[i % list.length] : undefined);
  const bought = () => {
    const m = new Map<string, number>();
    const add = (u: string, n: number) => m.set(u, (m.get(u) ?? 0) + n);
    for (const a of live.values()) if (!a.settled) add(a.user, a.qty);
    for (const o of orders.values()) if (o.counted) add(o.user, o.qty);
    return m;
  };
  const tellCache = async (node: ReturnType<typeof counters>, key: string) => {
    const o = orders.get(key)!;
    const expected =
      cacheGen !== null && cacheGen > o.returnedGen
        ? 0
        : cacheGen === null || cacheGen < o.returnedGen
          ? RETURN_PENDING
          : returnedKeys.has(key)
            ? 0
            : RETURNED;
    expect(await node.returnOrder(o.user, o.qty, key, o.returnedGen)).toBe(expected);
    if (expected === RETURN_PENDING) pending.set(key, o.returnedGen);
    if (expected === RETURNED) {
      returnedKeys.add(key);
      o.counted = false;
      stock += o.qty;
    }
  };
  const begin = () => {
    dbGen = Math.max(dbGen, cacheGen ?? 0) + 1;
    reload = { gen: dbGen, snapshot: new Set([...orders].filter(([, o]) => !o.returned).map(([k]) => k)) };
  };
  const end = async (node: ReturnType<typeof counters>, r: { gen: number; snapshot: Set<string> }) => {
    const held = [...r.snapshot].map((k) => ({ k, ...orders.get(k)! }));
    const perUser: Record<string, number> = {};
    for (const o of held) perUser[o.user] = (perUser[o.user] ?? 0) + o.qty;
    const loads = cacheGen === null || cacheGen < r.gen;
    expect(await node.load(r.gen, ALLOTMENT - sumQty(held), perUser)).toBe(loads ? 1 : 0);
    if (!loads) return;
    cacheGen = r.gen;
    live.clear();
    used.clear();
    returnedKeys.clear();
    for (const [k, o] of orders) o.counted = r.snapshot.has(k);
    for (const [k, g] of pending)
      if (g === r.gen) {
        orders.get(k)!.counted = false;
        returnedKeys.add(k);
      }
    pending.clear();
    stock = ALLOTMENT - sumQty([...orders.values()].filter((o) => o.counted));
  };

  await nodes[0]!.load(1, ALLOTMENT);
  for (const op of ops) {
    const node = nodes[op.node % nodes.length]!;
    if (op.kind === 'take') {
      const user = String(op.user);
      const id = op.reuse && used.size ? [...used][op.qty % used.size]! : `a${ids++}`;
      const tokenGen = (cacheGen ?? dbGen) - (op.stale ? 1 : 0);
      const expected =
        cacheGen === null
          ? NOT_LOADED
          : tokenGen !== cacheGen
            ? STALE_TOKEN
            : (bought().get(user) ?? 0) + op.qty > LIMIT
              ? OVER_LIMIT
              : used.has(id)
                ? TOKEN_USED
                : stock < op.qty
                  ? SOLD_OUT
                  : stock - op.qty;
      expect(await node.take(user, op.qty, LIMIT, tokenGen, id, op.expired ? -1 : 60_000)).toBe(expected);
      if (expected >= 0) {
        stock -= op.qty;
        used.add(id);
        live.set(id, { user, qty: op.qty, gen: tokenGen, settled: false, expired: op.expired });
      }
    } else if (op.kind === 'settle') {
      // The order transaction commits only for an attempt of the database's generation.
      const id = pickFrom(
        [...live].filter(([, a]) => !a.settled && a.gen === dbGen).map(([i]) => i),
        op.pick,
      );
      if (id) {
        const a = live.get(id)!;
        a.settled = true;
        orders.set(`order:${id}`, { user: a.user, qty: a.qty, returned: false, returnedGen: 0, counted: true });
      }
    } else if (op.kind === 'giveBack') {
      // Only asked for attempts the database did not settle (live, already given back, or unknown).
      const id =
        pickFrom(
          [...used].filter((i) => !live.get(i)?.settled),
          op.pick,
        ) ?? 'never-taken';
      const a = live.get(id);
      expect(await node.giveBack(id)).toBe(a ? 1 : 0);
      if (a) {
        live.delete(id);
        stock += a.qty;
      }
    } else if (op.kind === 'finalize') {
      const id = pickFrom([...orders.keys()], op.pick)?.slice('order:'.length);
      if (id) {
        expect(await node.finalize(id)).toBe(live.has(id) ? 1 : 0);
        live.delete(id);
      }
    } else if (op.kind === 'returnOrder') {
      // The database first (with its generation), then the cache — unless the node dies in between.
      const key = pickFrom(
        [...orders].filter(([, o]) => !o.returned).map(([k]) => k),
        op.pick,
      );
      if (key) {
        const o = orders.get(key)!;
        o.returned = true;
        o.returnedGen = dbGen;
        if (!op.crash) await tellCache(node, key);
      }
    } else if (op.kind === 'redeliver') {
      const key = pickFrom(
        [...orders].filter(([, o]) => o.returned).map(([k]) => k),
        op.pick,
      );
      if (key) await tellCache(node, key);
    } else if (op.kind === 'lose') {
      await node.lose();
      cacheGen = null;
      stock = 0;
      live.clear();
      used.clear();
      returnedKeys.clear();
      pending.clear();
    } else if (op.kind === 'reloadBegin') {
      if (!reload) begin();
    } else if (op.kind === 'reloadEnd') {
      if (reload) {
        const r: { gen: number; snapshot: Set<string> } = reload;
        reload = null;
        await end(node, r);
      }
    } else if (!reload) {
      begin();
      const r: { gen: number; snapshot: Set<string> } = reload!;
      reload = null;
      await end(node, r);
    }

    const snap = await nodes[0]!.snapshot();
    const b = bought();
    expect(snap).toEqual(
      cacheGen === null
        ? { gen: '', stock: '', bought: {}, attempts: {} }
        : {
            gen: String(cacheGen),
            stock: String(stock),
            bought: Object.fromEntries([...b].filter(([, n]) => n !== 0)),
            attempts: Object.fromEntries([...live].map(([id, a]) => [id, `${a.user}:${a.qty}`])),
          },
    );
    expect((await node.expired()).sort()).toEqual(
      [...live]
        .filter(([, a]) => a.expired)
        .map(([id]) => id)
        .sort(),
    );
    // The books: every unit is for sale, in an unsettled attempt or in an order the counters hold.
    if (cacheGen !== null) {
      const inAttempts = sumQty([...live.values()].filter((a) => !a.settled));
      expect(stock + inAttempts + sumQty([...orders.values()].filter((o) => o.counted))).toBe(ALLOTMENT);
      expect(Math.max(0, ...b.values())).toBeLessThanOrEqual(LIMIT);
    }
    // The database never oversells nor holds anyone above the limit.
    const kept = [...orders.values()].filter((o) => !o.returned);
    expect(sumQty(kept)).toBeLessThanOrEqual(ALLOTMENT);
    for (const u of new Set(kept.map((o) => o.user))) {
      expect(sumQty(kept.filter((o) => o.user === u))).toBeLessThanOrEqual(LIMIT);
    }
  }
}
