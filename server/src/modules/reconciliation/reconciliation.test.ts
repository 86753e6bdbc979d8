// Reconciliation as an operator feature, through the HTTP API: a clean run says so, "run now"
// twice makes one run, the daily job runs yesterday, each shop sees only its own books, bad input
// is a clear 4xx, and a check that breaks is reported without stopping the others.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_BACKENDS } from '../../../test/backends.ts';
import { startNode, type TestNode } from '../../../test/harness.ts';
import { addressFor, until } from '../../../test/order-fixtures.ts';
import { ReconcileRegistry } from '../../platform/reconcile.ts';
import { DAILY_JOB } from './index.ts';
import { ReconciliationRunner } from './runner.ts';
import { settle, storefront, type Storefront } from './test-support.ts';

const PLATFORM_RUNS = '/api/platform/reconciliation/runs';
const shopRuns = (s: Storefront) => `/api/merchants/${s.shop.merchantId}/reconciliation/runs`;
type Finding = { check: string; subject: string; merchantId: number | null; message: string; rows: any[] };

describe.each(APP_BACKENDS)('reconciliation runs and reports on $name', (backend) => {
  let node: TestNode;
  let a: Storefront;
  let b: Storefront;
  let admin: { token: string };
  beforeAll(async () => {
    node = await startNode({ db: backend.db, cache: backend.cache });
    a = await storefront(node, '对账甲店', '13855500001', [{ title: '甲货', priceFen: 1500, stock: 20 }]);
    b = await storefront(node, '对账乙店', '13855500002', [{ title: '乙货', priceFen: 2500, stock: 20 }]);
    admin = a.shop.admin;
  });
  afterAll(async () => {
    await node?.close();
  });

  const get = (path: string, token?: string) => node.api('GET', path, token ? { token } : {});
  const post = (path: string, token: string, body: unknown = {}) => node.api('POST', path, { token, body });
  const finished = async (path: string, token: string) => {
    let body: any;
    await until(async () => {
      body = (await get(path, token)).body;
      return ['clean', 'discrepancies', 'failed'].includes(body.run?.status);
    }, 30_000);
    return body;
  };

  /** An unpaid order whose deadline passed long ago without the timeout having run: a real finding. */
  async function stuckOrder(s: Storefront, phone: string): Promise<number> {
    const buyer = await node.userToken(phone);
    const addr = await addressFor(node, buyer.token, '上海市');
    const items = [{ skuId: s.products[0]!.skuId, quantity: 1 }];
    const body = { idempotencyKey: `stuck-${phone}`, items, addressId: addr.id, couponIds: [] };
    const placed = await post('/api/orders', buyer.token, body);
    expect(placed.status).toBe(201);
    const orderId = placed.body.orders[0].orderId as number;
    await node.app.ctx.db
      .updateTable('orders')
      .set({ pay_deadline: new Date(Date.now() - 3600_000) })
      .where('id', '=', orderId)
      .execute();
    return orderId;
  }

  it('says "all clean" explicitly for a platform whose books agree, listing every check', async () => {
    await settle(node.app);
    const started = await node.api('POST', PLATFORM_RUNS, { token: admin.token });
    expect(started.status).toBe(202);
    expect(started.body.run).toMatchObject({ scope: 'platform', status: 'queued', clean: false });
    const report = await finished(`${PLATFORM_RUNS}/${started.body.run.id}`, admin.token);
    expect(report.run).toMatchObject({ status: 'clean', clean: true, discrepancyCount: 0 });
    expect(report.run.summary).toMatch(/^All clean/);
    expect(report.discrepancies).toEqual([]);
    const listed = (await get('/api/platform/reconciliation/checks', admin.token)).body as Array<{ name: string }>;
    const names = listed.map((c) => c.name);
    expect(report.checks.map((c: { name: string }) => c.name)).toEqual(names);
    expect(names).toEqual(
      expect.arrayContaining([
        'platform.outbox',
        'platform.jobs',
        'reconciliation.order_payments',
        'reconciliation.order_refunds',
        'reconciliation.order_stock',
      ]),
    );
    expect(report.checks.every((c: { status: string }) => c.status === 'clean')).toBe(true);
  });

  it('makes one run when "run now" is pressed many times before it starts', async () => {
    // Workers paused, so the run stays queued while the presses arrive (on PGlite it would
    // otherwise finish between two presses, and a press after a finished run starts a new one).
    await node.app.ctx.jobs.stop();
    const press = () => post(shopRuns(a), a.shop.owner.token, { day: '2026-11-30' });
    const presses = await Promise.all(Array.from({ length: 8 }, press));
    expect(presses.map((p) => p.status)).toEqual(Array(8).fill(202));
    const ids = new Set(presses.map((p) => p.body.run.id));
    expect(ids.size).toBe(1);
    node.app.ctx.jobs.start();
    const report = await finished(`${shopRuns(a)}/${[...ids][0]}`, a.shop.owner.token);
    expect(report.run).toMatchObject({ scope: 'shop', merchantId: a.shop.merchantId, clean: true });
    // A day is a local day in the report time zone (Asia/Shanghai: UTC+8).
    expect(report.run.from).toBe('2026-11-29T16:00:00.000Z');
    expect(report.run.to).toBe('2026-11-30T16:00:00.000Z');
  });

  it("shows each shop its own discrepancies with the rows, and never another shop's", async () => {
    const stuckA = await stuckOrder(a, '13955500001');
    const stuckB = await stuckOrder(b, '13955500002');
    const platform = await post(PLATFORM_RUNS, admin.token);
    const full = await finished(`${PLATFORM_RUNS}/${platform.body.run.id}`, admin.token);
    expect(full.run).toMatchObject({ status: 'discrepancies', clean: false });
    const subjects = (full.discrepancies as Finding[])
      .filter((d) => d.check === 'reconciliation.order_payments')
      .map((d) => [d.subject, d.merchantId]);
    expect(subjects).toEqual(
      expect.arrayContaining([
        [`order:${stuckA}`, a.shop.merchantId],
        [`order:${stuckB}`, b.shop.merchantId],
      ]),
    );
    const row = (full.discrepancies as Finding[]).find((d) => d.subject === `order:${stuckA}`)!;
    expect(row.message).toContain('past its deadline');
    expect(row.rows[0]).toMatchObject({ orderId: stuckA, status: 'pending_payment' });

    // Shop A sees the platform run narrowed to itself, and its own runs; nothing of shop B.
    const owner = a.shop.owner.token;
    const asA = (await get(`${shopRuns(a)}/${platform.body.run.id}`, owner)).body;
    expect(asA.discrepancies.length).toBeGreaterThan(0);
    expect((asA.discrepancies as Finding[]).every((d) => d.merchantId === a.shop.merchantId)).toBe(true);
    expect(asA.run.discrepancyCount).toBe(asA.discrepancies.length);
    const mine = await post(shopRuns(a), owner);
    const own = await finished(`${shopRuns(a)}/${mine.body.run.id}`, owner);
    expect((own.discrepancies as Finding[]).map((d) => d.subject)).toContain(`order:${stuckA}`);
    expect(JSON.stringify(own)).not.toContain(`order:${stuckB}`);
    const listA = (await get(shopRuns(a), owner)).body.items as Array<{ merchantId: number | null }>;
    expect(listA.every((r) => r.merchantId === null || r.merchantId === a.shop.merchantId)).toBe(true);
    const bRun = await post(shopRuns(b), b.shop.owner.token);
    expect((await get(`${shopRuns(a)}/${bRun.body.run.id}`, owner)).body.error.code).toBe('RUN_NOT_FOUND');
    expect((await get(shopRuns(b), owner)).status).toBe(403);
    // The platform can narrow its list to one shop.
    const filtered = await get(`${PLATFORM_RUNS}?merchantId=${b.shop.merchantId}`, admin.token);
    const listed = filtered.body.items as Array<{ id: number; merchantId: number }>;
    expect(listed.map((r) => r.id)).toContain(bRun.body.run.id);
    expect(listed.every((r) => r.merchantId === b.shop.merchantId)).toBe(true);

    // Put the books right again (the timeout runs) and the next run is clean.
    await node.app.ctx.db
      .updateTable('jobs')
      .set({ run_at: new Date() })
      .where('unique_key', 'in', [`order-timeout:${stuckA}`, `order-timeout:${stuckB}`])
      .execute();
    await settle(node.app);
    const again = await post(PLATFORM_RUNS, admin.token);
    expect((await finished(`${PLATFORM_RUNS}/${again.body.run.id}`, admin.token)).run.clean).toBe(true);
  });

  it("lets only the platform, or the shop's owners and staff, see and start runs", async () => {
    const anchor = await node.userToken('13955500003');
    const staff = `/api/merchants/${a.shop.merchantId}/staff`;
    await post(staff, a.shop.owner.token, { phone: '13955500003', role: 'anchor' });
    const shopper = await node.userToken('13955500004');
    expect((await get(shopRuns(a), anchor.token)).status).toBe(403);
    expect((await post(shopRuns(a), shopper.token)).status).toBe(403);
    expect((await get(PLATFORM_RUNS, a.shop.owner.token)).status).toBe(403);
    expect((await post(PLATFORM_RUNS, shopper.token)).status).toBe(403);
    expect((await get(PLATFORM_RUNS)).status).toBe(401);
  });

  it('answers bad input with a clear 4xx and starts nothing', async () => {
    const runs = () =>
      node.app.ctx.db.selectFrom('reconciliation_runs').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
    const before = await runs();
    const start = (body: unknown) => post(PLATFORM_RUNS, admin.token, body);
    expect((await start({ day: '2026-02-30' })).body.error.code).toBe('VALIDATION_FAILED');
    expect((await start({ day: '2026-12-01', from: '2026-12-01T00:00:00Z' })).body.error.code).toBe('RANGE_INVALID');
    const backwards = { from: '2026-12-02T00:00:00Z', to: '2026-12-01T00:00:00Z' };
    expect((await start(backwards)).body.error.code).toBe('RANGE_INVALID');
    expect((await start({ merchantId: 999999 })).status).toBe(404);
    expect((await start({ shop: 1 })).body.error.code).toBe('VALIDATION_FAILED');
    expect((await start('not json')).status).toBe(400);
    expect((await get(`${PLATFORM_RUNS}/999999`, admin.token)).body.error.code).toBe('RUN_NOT_FOUND');
    expect((await get(`${PLATFORM_RUNS}/abc`, admin.token)).status).toBe(400);
    expect(Number((await runs()).n)).toBe(Number(before.n));
  });

  it('runs every day on its own: the daily job reconciles yesterday for the whole platform', async () => {
    const booked = await node.app.ctx.db
      .selectFrom('jobs')
      .select(['id', 'unique_key'])
      .where('type', '=', DAILY_JOB)
      .where('status', '=', 'pending')
      .executeTakeFirstOrThrow();
    expect(booked.unique_key).toMatch(/^recurring:reconciliation\.daily:/);
    await node.app.ctx.db.updateTable('jobs').set({ run_at: new Date() }).where('id', '=', booked.id).execute();
    type Listed = { id: number; trigger: string; status: string; from: string; to: string };
    let run: Listed | undefined;
    await until(async () => {
      const list = (await get(PLATFORM_RUNS, admin.token)).body.items as Listed[];
      run = list.find((r) => r.trigger === 'schedule' && ['clean', 'discrepancies', 'failed'].includes(r.status));
      return !!run;
    }, 30_000);
    expect(new Date(run!.to).getTime() - new Date(run!.from).getTime()).toBe(24 * 3600_000);
    expect(new Date(run!.to).getTime()).toBeLessThanOrEqual(Date.now());
    expect(new Date(run!.to).getTime()).toBeGreaterThan(Date.now() - 24 * 3600_000);
  });

  it('reports a check that cannot finish, and still runs the others', async () => {
    const registry = new ReconcileRegistry();
    const found = (merchantId: number, subject: string, message: string) => [
      { check: 'x', merchantId, subject, message, expected: 1, actual: 2 },
    ];
    const broken = async (): Promise<never> => {
      throw new Error('books unreadable');
    };
    registry.register({ name: 'test.broken', description: 'always throws', run: broken });
    registry.register({
      name: 'test.finds',
      description: 'finds one thing',
      run: async () => found(a.shop.merchantId, 'thing:1', 'off by one'),
    });
    registry.register({
      name: 'test.leaks',
      description: 'ignores the shop it is asked about',
      run: async () => found(b.shop.merchantId, 'thing:2', 'another shop'),
    });
    const runner = new ReconciliationRunner({ ...node.app.ctx, reconcile: registry }, { confirmDelayMs: 10 });
    const r = await runner.evaluate({ merchantId: a.shop.merchantId, from: new Date(0), to: new Date() });
    expect(r.outcomes.map((o) => [o.name, o.status, o.count])).toEqual([
      ['test.broken', 'error', 0],
      ['test.finds', 'discrepancies', 1],
      ['test.leaks', 'clean', 0],
    ]);
    expect(r.outcomes[0]!.error).toBe('books unreadable');
    expect(r.discrepancies).toEqual([expect.objectContaining({ check: 'test.finds', subject: 'thing:1' })]);
  });

  it('keeps only what a check finds twice: a change caught half-way is not a discrepancy', async () => {
    let calls = 0;
    const registry = new ReconcileRegistry();
    const halfWay = { check: 'x', merchantId: null, subject: 'thing:3', message: 'in flight', expected: 0, actual: 1 };
    const flaky = async () => (++calls === 1 ? [halfWay] : []);
    registry.register({ name: 'test.flaky', description: 'sees a half-finished change once', run: flaky });
    const runner = new ReconciliationRunner({ ...node.app.ctx, reconcile: registry }, { confirmDelayMs: 10 });
    const r = await runner.evaluate({ merchantId: null, from: new Date(0), to: new Date() });
    expect(calls).toBe(2);
    expect(r.outcomes[0]).toMatchObject({ status: 'clean', count: 0 });
  });
});
