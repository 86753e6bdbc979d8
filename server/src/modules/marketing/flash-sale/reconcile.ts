// Reconciliation of flash-sale units (registered in ctx.reconcile as 'marketing.flash_units'): per
// item, every unit of the allotment is sold (orders held or paid), for sale (the cache's counter)
// or in a live attempt (taken in the cache, its order not settled yet); flash_items.sold agrees with
// the orders; the cache counts each shopper's units as the database does; nobody is above the limit.
// It only reads. An item whose counters are not in the cache is checked on the database side only
// (the next load rebuilds the cache from the database).
import type { Discrepancy, ReconcileCheck, ReconcileScope } from '../../../platform/reconcile.ts';
import { flashKeys, pairs, parseHeld, SNAPSHOT_FLASH, snapshotKeys } from './stock-scripts.ts';
import '../tables.ts';

const CHECK = 'marketing.flash_units';
/** Rows listed per discrepancy at most (a broken item can involve thousands of shoppers). */
const MAX_ROWS = 20;

interface ItemBooks {
  id: number;
  merchant_id: number;
  stock: number;
  sold: number;
  per_user_limit: number;
  cache_key: string;
}

export function flashUnitsCheck(): ReconcileCheck {
  return {
    name: CHECK,
    description: 'flash-sale units: allotment = sold + for sale + in live attempts; the cache agrees with the database',
    run: runCheck,
  };
}

async function runCheck(scope: ReconcileScope): Promise<Discrepancy[]> {
  let q = scope.db
    .selectFrom('flash_items as i')
    .innerJoin('flash_sessions as s', 's.id', 'i.session_id')
    .select(['i.id', 'i.merchant_id', 'i.stock', 'i.sold', 'i.per_user_limit', 'i.cache_key'])
    .where('s.ends_at', '>=', scope.from)
    .orderBy('i.id');
  if (scope.merchantId !== undefined) q = q.where('i.merchant_id', '=', scope.merchantId);
  const items = await q.execute();
  if (items.length === 0) return [];
  const held = await scope.db
    .selectFrom('flash_orders')
    .select(['item_id', 'user_id', (eb) => eb.fn.sum<string>('quantity').as('n')])
    .where(
      'item_id',
      'in',
      items.map((i) => i.id),
    )
    .where('status', 'in', ['held', 'paid'])
    .groupBy(['item_id', 'user_id'])
    .execute();
  const out: Discrepancy[] = [];
  for (const item of items) {
    const mine = held.filter((h) => h.item_id === item.id);
    const perUser = new Map(mine.map((h) => [String(h.user_id), Number(h.n)] as const));
    out.push(...(await checkItem(scope, item, perUser)));
  }
  return out;
}

async function checkItem(scope: ReconcileScope, item: ItemBooks, dbHeld: Map<string, number>): Promise<Discrepancy[]> {
  const found: Discrepancy[] = [];
  const subject = `flash_item:${item.id}`;
  const report = (message: string, expected: number, actual: number, rows: unknown[]) =>
    found.push({
      check: CHECK,
      merchantId: item.merchant_id,
      subject,
      message,
      expected,
      actual,
      rows: rows.slice(0, MAX_ROWS),
    });
  const soldByOrders = [...dbHeld.values()].reduce((s, n) => s + n, 0);
  if (item.sold !== soldByOrders) {
    report('flash_items.sold differs from the units of its orders held or paid', soldByOrders, item.sold, [
      { itemId: item.id, sold: item.sold, orderUnits: soldByOrders },
    ]);
  }
  const over = [...dbHeld].filter(([, n]) => n > item.per_user_limit);
  if (over.length) {
    report(
      'shoppers hold more than the per-person limit',
      item.per_user_limit,
      Math.max(...over.map(([, n]) => n)),
      over.map(([userId, units]) => ({ userId: Number(userId), units })),
    );
  }

  const snapshot = await scope.cache.run(SNAPSHOT_FLASH, snapshotKeys(flashKeys(item.cache_key)), []);
  const [gen, remainingRaw, boughtFlat, attemptsFlat] = snapshot;
  if (gen === '' || remainingRaw === '') return found;
  const attempts = pairs(attemptsFlat);
  const outcomes = attempts.length
    ? await scope.db
        .selectFrom('flash_attempts')
        .select(['attempt_id', 'outcome'])
        .where(
          'attempt_id',
          'in',
          attempts.map(([id]) => id),
        )
        .execute()
    : [];
  const settled = new Set(outcomes.filter((o) => o.outcome === 'settled').map((o) => o.attempt_id));
  // Settled attempts are already among the orders; the rest still hold their unit in the cache.
  const live = attempts.filter(([id]) => !settled.has(id)).map(([id, h]) => ({ attemptId: id, held: parseHeld(h) }));
  const liveUnits = live.reduce((s, a) => s + a.held[1], 0);
  const remaining = Number(remainingRaw);
  if (soldByOrders + remaining + liveUnits !== item.stock) {
    report('allotment ≠ sold + for sale + in live attempts', item.stock, soldByOrders + remaining + liveUnits, [
      {
        itemId: item.id,
        stock: item.stock,
        sold: soldByOrders,
        remaining,
        liveAttempts: live.length,
        liveUnits,
        cacheGen: Number(gen),
      },
    ]);
  }

  const expected = new Map(dbHeld);
  for (const a of live) expected.set(a.held[0], (expected.get(a.held[0]) ?? 0) + a.held[1]);
  const cached = new Map(pairs(boughtFlat).map(([u, n]) => [u, Number(n)]));
  const users = new Set([...expected.keys(), ...cached.keys()]);
  const differ = [...users]
    .filter((u) => (expected.get(u) ?? 0) !== (cached.get(u) ?? 0))
    .map((u) => ({ userId: Number(u), database: expected.get(u) ?? 0, cache: cached.get(u) ?? 0 }));
  if (differ.length) {
    const sum = (side: 'database' | 'cache') => differ.reduce((s, d) => s + d[side], 0);
    report(
      "the cache counts shoppers' units differently from their orders and live attempts",
      sum('database'),
      sum('cache'),
      differ,
    );
  }
  return found;
}
