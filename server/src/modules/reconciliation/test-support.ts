// Helpers for the reconciliation suites: wait until every reaction has happened (outbox delivered,
// due jobs done), run the checks, and a shop with shipping and products made through the API.
import { sql } from 'kysely';
import type { Db } from '../../platform/db/types.ts';
import type { App } from '../../app.ts';
import { makeShop, simpleProduct, type ShopFixture } from '../../../test/commerce-fixtures.ts';
import type { TestNode } from '../../../test/harness.ts';
import type { RunScope } from './runner.ts';

/** What is still moving: events not yet delivered (failing ones included) and jobs due or retrying. */
export async function inFlight(db: Db) {
  const events = await db
    .selectFrom('outbox_events')
    .select(['id', 'type', 'attempts', 'last_error'])
    .where('dispatched_at', 'is', null)
    .where('dead_at', 'is', null)
    .orderBy('id')
    .limit(20)
    .execute();
  const jobs = await db
    .selectFrom('jobs')
    .select(['id', 'type', 'attempts', 'last_error'])
    .where('status', '=', 'pending')
    .where((eb) =>
      eb.or([
        eb('run_at', '<=', sql<Date>`now()`),
        eb('last_error', 'is not', null),
        eb('locked_until', '>', sql<Date>`now()`),
      ]),
    )
    .orderBy('id')
    .limit(20)
    .execute();
  return { events, jobs };
}

/**
 * Wait until the outbox is drained and no job is due, nudging the workers. Fails with what is
 * stuck (and why) rather than letting a check report the half-way state.
 */
export async function settle(app: App, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  let quietSince = 0;
  for (;;) {
    app.ctx.events.wake();
    app.ctx.jobs.wake();
    const moving = await inFlight(app.ctx.db);
    if (moving.events.length === 0 && moving.jobs.length === 0) {
      // Two quiet looks in a row: a handler may be scheduling the next step right now.
      if (quietSince && Date.now() - quietSince > 120) return;
      quietSince ||= Date.now();
    } else {
      quietSince = 0;
    }
    if (Date.now() > end) throw new Error(`outbox/jobs did not drain in ${timeoutMs} ms: ${JSON.stringify(moving)}`);
    await new Promise((r) => setTimeout(r, 40));
  }
}

export const everything = (): RunScope => ({ merchantId: null, from: new Date(0), to: new Date(Date.now() + 60_000) });

/** Run every check now (in-process, stored like any run) and return the report. */
export async function reconcile(app: App, scope: RunScope = everything()) {
  const svc = app.ctx.services.reconciliation;
  return svc.report(await svc.store.runNow(scope, 'manual', null));
}

/** Discrepancies in a form that reads well in an assertion failure. */
export const findings = (report: Awaited<ReturnType<typeof reconcile>>) => [
  ...report.checks.filter((c) => c.status === 'error').map((c) => ({ check: c.name, error: c.error })),
  ...report.discrepancies.map((d) => ({
    check: d.check,
    subject: d.subject,
    message: d.message,
    expected: d.expected,
    actual: d.actual,
    rows: d.rows,
  })),
];

export interface Storefront {
  shop: ShopFixture;
  products: Array<{ productId: number; skuId: number; priceFen: number }>;
}

/** A shop that charges 6 + 1 yuan per extra piece for shipping, with the given one-SKU products. */
export async function storefront(
  node: TestNode,
  name: string,
  ownerPhone: string,
  products: Array<{ title: string; priceFen: number; stock: number }>,
): Promise<Storefront> {
  const shop = await makeShop(node, name, ownerPhone);
  const tpl = await node.api('POST', `/api/merchants/${shop.merchantId}/shipping-templates`, {
    token: shop.owner.token,
    body: {
      name: '默认',
      chargeBy: 'pieces',
      isDefault: true,
      rules: [{ regions: ['*'], firstUnits: 1, firstFeeFen: 600, extraUnits: 1, extraFeeFen: 100 }],
    },
  });
  if (tpl.status !== 201) throw new Error(`shipping template: ${tpl.status} ${JSON.stringify(tpl.body)}`);
  const made = [];
  for (const p of products) {
    made.push({ ...(await simpleProduct(node, shop, p.title, p.priceFen, p.stock)), priceFen: p.priceFen });
  }
  return { shop, products: made };
}
