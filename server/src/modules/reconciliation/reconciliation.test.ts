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
  afterAll(async () => { await node?.close(); });

  const finished = async (path: string, token: string) => {
    let body: any;
    await until(async () => {
      body = (await node.api('GET', path, { token })).body;
      return ['clean', 'discrepancies', 'failed'].includes(body.run?.status);
    }, 30_000);
    return body;
  };

  /** An unpaid order whose deadline passed long ago without the timeout having run: a real finding. */
  async function stuckOrder(s: Storefront, phone: string): Promise<number> {
    const buyer = await node.userToken(phone);
    const addr = await addressFor(node, buyer.token, '上海市');
    const placed = await node.api('POST', '/api/orders', { token: buyer.token, body: { idempotencyKey: `stuck-${phone}`, items: [{ skuId: s.products[0]!.skuId, quantity: 1 }], addressId: addr.id, couponIds: [] } });
    expect(placed.status).toBe(201);
    const orderId = placed.body.orders[0].orderId as number;
    await node.app.ctx.db.updateTable('orders').set({ pay_deadline: new Date(Date.now() - 3600_000) }).where('id', '=', orderId).execute();
    return orderId;
  }

  it('says "all clean" explicitly for a platform whose books agree, listing every check', async () => {
    await settle(node.app);
    const started = await node.api('POST', '/api/platform/reconciliation/runs', { token: admin.token });
    expect(started.status).toBe(202);
    expect(started.body.run).toMatchObject({ scope: 'platform', status: 'queued', clean: false });
    const report = await finished(`/api/platform/reconciliation/runs/${started.body.run.id}`, admin.token);
    expect(report.run).toMatchObject({ status: 'clean', clean: true, discrepancyCount: 0 });
    expect(report.run.summary).toMatch(/^All clean/);
    expect(report.discrepancies).toEqual([]);
    const names = (await node.api('GET', '/api/platform/reconciliation/checks', { token: admin.token })).body.map((c: { name: string }) => c.name);
    expect(report.checks.map((c: { name: string }) => c.name)).toEqual(names);
    expect(names).toEqual(expect.arrayContaining(['platform.outbox', 'platform.jobs', 'reconciliation.order_payments', 'reconciliation.order_refunds', 'reconciliation.order_stock']));
    expect(report.checks.every((c: { status: string }) => c.status === 'clean')).toBe(true);
  });

  it('makes one run when "run now" is pressed many times before it starts', async () => {
    // Workers paused, so the run stays queued while the presses arrive (on PGlite it would
    // otherwise finish between two presses, and a press after a finished run starts a new one).
    await node.app.ctx.jobs.stop();
    const presses = await Promise.all(Array.from({ length: 8 }, () => node.api('POST', `/api/merchants/${a.shop.merchantId}/reconciliation/runs`, { token: a.shop.owner.token, body: { day: '2026-11-30' } })));
    expect(presses.map((p) => p.status)).toEqual(Array(8).fill(202));
    const ids = new Set(presses.map((p) => p.body.run.id));
    expect(ids.size).toBe(1);
    node.app.ctx.jobs.start();
    const report = await finished(`/api/merchants/${a.shop.merchantId}/reconciliation/runs/${[...ids][0]}`, a.shop.owner.token);
    expect(report.run).toMatchObject({ scope: 'shop', merchantId: a.shop.merchantId, clean: true });
    // A day is a local day in the report time zone (Asia/Shanghai: UTC+8).
    expect(report.run.from).toBe('2026-11-29T16:00:00.000Z');
    expect(report.run.to).toBe('2026-11-30T16:00:00.000Z');
  });

  it('shows each shop its own discrepancies with the rows, and never another shop\'s', async () => {
    const stuckA = await stuckOrder(a, '13955500001');
    const stuckB = await stuckOrder(b, '13955500002');
    const platform = await node.api('POST', '/api/platform/reconciliation/runs', { token: admin.token, body: {} });
    const full = await finished(`/api/platform/reconciliation/runs/${platform.body.run.id}`, admin.token);
    expect(full.run).toMatchObject({ status: 'discrepancies', clean: false });
    const subjects = full.discrepancies.filter((d: { check: string }) => d.check === 'reconciliation.order_payments').map((d: { subject: string; merchantId: number }) => [d.subject, d.merchantId]);
    expect(subjects).toEqual(expect.arrayContaining([[`order:${stuckA}`, a.shop.merchantId], [`order:${stuckB}`, b.shop.merchantId]]));
    const row = full.discrepancies.find((d: { subject: string }) => d.subject === `order:${stuckA}`);
    expect(row.message).toContain('past its deadline');
    expect(row.rows[0]).toMatchObject({ orderId: stuckA, status: 'pending_payment' });

    // Shop A sees the platform run narrowed to itself, and its own runs; nothing of shop B.
    const asA = (await node.api('GET', `/api/merchants/${a.shop.merchantId}/reconciliation/runs/${platform.body.run.id}`, { token: a.shop.owner.token })).body;
    expect(asA.discrepancies.length).toBeGreaterThan(0);
    expect(asA.discrepancies.every((d: { merchantId: number }) => d.merchantId === a.shop.merchantId)).toBe(true);
    expect(asA.run.discrepancyCount).toBe(asA.discrepancies.length);
    const mine = await node.api('POST', `/api/merchants/${a.shop.merchantId}/reconciliation/runs`, { token: a.shop.owner.token, body: {} });
    const own = await finished(`/api/merchants/${a.shop.merchantId}/reconciliation/runs/${mine.body.run.id}`, a.shop.owner.token);
    expect(own.discrepancies.map((d: { subject: string }) => d.subject)).toContain(`order:${stuckA}`);
    expect(JSON.stringify(own)).not.toContain(`order:${stuckB}`);
    const listA = (await node.api('GET', `/api/merchants/${a.shop.merchantId}/reconciliation/runs`, { token: a.shop.owner.token })).body;
    expect(listA.items.every((r: { merchantId: number | null }) => r.merchantId === null || r.merchantId === a.shop.merchantId)).toBe(true);
    const bRun = await node.api('POST', `/api/merchants/${b.shop.merchantId}/reconciliation/runs`, { token: b.shop.owner.token, body: {} });
    expect((await node.api('GET', `/api/merchants/${a.shop.merchantId}/reconciliation/runs/${bRun.body.run.id}`, { token: a.shop.owner.token })).body.error.code).toBe('RUN_NOT_FOUND');
    expect((await node.api('GET', `/api/merchants/${b.shop.merchantId}/reconciliation/runs`, { token: a.shop.owner.token })).status).toBe(403);
    // The platform can narrow its list to one shop.
    const listed = (await node.api('GET', `/api/platform/reconciliation/runs?merchantId=${b.shop.merchantId}`, { token: admin.token })).body;
    expect(listed.items.map((r: { id: number }) => r.id)).toContain(bRun.body.run.id);
    expect(listed.items.every((r: { merchantId: number }) => r.merchantId === b.shop.merchantId)).toBe(true);

    // Put the books right again (the timeout runs) and the next run is clean.
    await node.app.ctx.db.updateTable('jobs').set({ run_at: new Date() }).where('unique_key', 'in', [`order-timeout:${stuckA}`, `order-timeout:${stuckB}`]).execute();
    await settle(node.app);
    const again = await node.api('POST', '/api/platform/reconciliation/runs', { token: admin.token, body: {} });
    expect((await finished(`/api/platform/reconciliation/runs/${again.body.run.id}`, admin.token)).run.clean).toBe(true);
  });

  it('lets only the platform, or the shop\'s owners and staff, see and start runs', async () => {
    const anchor = await node.userToken('13955500003');
    await node.api('POST', `/api/merchants/${a.shop.merchantId}/staff`, { token: a.shop.owner.token, body: { phone: '13955500003', role: 'anchor' } });
    const shopper = await node.userToken('13955500004');
    expect((await node.api('GET', `/api/merchants/${a.shop.merchantId}/reconciliation/runs`, { token: anchor.token })).status).toBe(403);
    expect((await node.api('POST', `/api/merchants/${a.shop.merchantId}/reconciliation/runs`, { token: shopper.token, body: {} })).status).toBe(403);
    expect((await node.api('GET', '/api/platform/reconciliation/runs', { token: a.shop.owner.token })).status).toBe(403);
    expect((await node.api('POST', '/api/platform/reconciliation/runs', { token: shopper.token, body: {} })).status).toBe(403);
    expect((await node.api('GET', '/api/platform/reconciliation/runs')).status).toBe(401);
  });

  it('answers bad input with a clear 4xx and starts nothing', async () => {
    const before = await node.app.ctx.db.selectFrom('reconciliation_runs').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
    const post = (body: unknown) => node.api('POST', '/api/platform/reconciliation/runs', { token: admin.token, body });
    expect((await post({ day: '2026-02-30' })).body.error.code).toBe('VALIDATION_FAILED');
    expect((await post({ day: '2026-12-01', from: '2026-12-01T00:00:00Z' })).body.error.code).toBe('RANGE_INVALID');
    expect((await post({ from: '2026-12-02T00:00:00Z', to: '2026-12-01T00:00:00Z' })).body.error.code).toBe('RANGE_INVALID');
    expect((await post({ merchantId: 999999 })).status).toBe(404);
    expect((await post({ shop: 1 })).body.error.code).toBe('VALIDATION_FAILED');
    expect((await post('not json')).status).toBe(400);
    expect((await node.api('GET', '/api/platform/reconciliation/runs/999999', { token: admin.token })).body.error.code).toBe('RUN_NOT_FOUND');
    expect((await node.api('GET', '/api/platform/reconciliation/runs/abc', { token: admin.token })).status).toBe(400);
    const after = await node.app.ctx.db.selectFrom('reconciliation_runs').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('runs every day on its own: the daily job reconciles yesterday for the whole platform', async () => {
    const booked = await node.app.ctx.db.selectFrom('jobs').select(['id', 'unique_key']).where('type', '=', DAILY_JOB).where('status', '=', 'pending').executeTakeFirstOrThrow();
    expect(booked.unique_key).toMatch(/^recurring:reconciliation\.daily:/);
    await node.app.ctx.db.updateTable('jobs').set({ run_at: new Date() }).where('id', '=', booked.id).execute();
    let run: { id: number; status: string; from: string; to: string } | undefined;
    await until(async () => {
      const list = (await node.api('GET', '/api/platform/reconciliation/runs', { token: admin.token })).body.items as Array<{ id: number; trigger: string; status: string; from: string; to: string }>;
      run = list.find((r) => r.trigger === 'schedule' && ['clean', 'discrepancies', 'failed'].includes(r.status));
      return !!run;
    }, 30_000);
    expect(new Date(run!.to).getTime() - new Date(run!.from).getTime()).toBe(24 * 3600_000);
    expect(new Date(run!.to).getTime()).toBeLessThanOrEqual(Date.now());
    expect(new Date(run!.to).getTime()).toBeGreaterThan(Date.now() - 24 * 3600_000);
  });

  it('reports a check that cannot finish, and still runs the others', async () => {
    const registry = new ReconcileRegistry();
    registry.register({ name: 'test.broken', description: 'always throws', run: async () => { throw new Error('books unreadable'); } });
    registry.register({ name: 'test.finds', description: 'finds one thing', run: async () => [{ check: 'x', merchantId: a.shop.merchantId, subject: 'thing:1', message: 'off by one', expected: 1, actual: 2 }] });
    registry.register({ name: 'test.leaks', description: 'ignores the shop it is asked about', run: async () => [{ check: 'x', merchantId: b.shop.merchantId, subject: 'thing:2', message: 'another shop', expected: 1, actual: 2 }] });
    const runner = new ReconciliationRunner({ ...node.app.ctx, reconcile: registry }, { confirmDelayMs: 10 });
    const r = await runner.evaluate({ merchantId: a.shop.merchantId, from: new Date(0), to: new Date() });
    expect(r.outcomes.map((o) => [o.name, o.status, o.count])).toEqual([['test.broken', 'error', 0], ['test.finds', 'discrepancies', 1], ['test.leaks', 'clean', 0]]);
    expect(r.outcomes[0]!.error).toBe('books unreadable');
    expect(r.discrepancies).toEqual([expect.objectContaining({ check: 'test.finds', subject: 'thing:1' })]);
  });

  it('keeps only what a check finds twice: a change caught half-way is not a discrepancy', async () => {
    let calls = 0;
    const registry = new ReconcileRegistry();
    registry.register({
      name: 'test.flaky', description: 'sees a half-finished change once',
      run: async () => (++calls === 1 ? [{ check: 'x', merchantId: null, subject: 'thing:3', message: 'in flight', expected: 0, actual: 1 }] : []),
    });
    const runner = new ReconciliationRunner({ ...node.app.ctx, reconcile: registry }, { confirmDelayMs: 10 });
    const r = await runner.evaluate({ merchantId: null, from: new Date(0), to: new Date() });
    expect(calls).toBe(2);
    expect(r.outcomes[0]).toMatchObject({ status: 'clean', count: 0 });
  });
});
