// Withdrawals: many at once never take more than the balance, an approval pays out once (one
// out-batch number, one transfer), a refused payout and a rejection give the money back, a
// transient failure is retried, and a negative balance (a refund after withdrawal) blocks withdrawing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_BACKENDS } from '../../../test/backends.ts';
import { makeShop, type ShopFixture } from '../../../test/commerce-fixtures.ts';
import { startNode, type TestNode } from '../../../test/harness.ts';
import { until } from '../../../test/order-fixtures.ts';
import type { SandboxPayout } from './payout/sandbox.ts';
import { books, centre, complete, distributionShop, paidOrder, promoter, refund, touch } from './test-support.ts';

describe.each(APP_BACKENDS)('distribution withdrawals on $name', (backend) => {
  let node: TestNode;
  let shop: ShopFixture;
  let a: { skuId: number; productId: number };
  let sandbox: SandboxPayout;
  let phones = 0;
  beforeAll(async () => {
    node = await startNode({ db: backend.db, cache: backend.cache });
    ({ shop, a } = await distributionShop(node, '提现店', '13720000000'));
    sandbox = node.app.ctx.services.withdrawals.payout as SandboxPayout;
  }, 90_000);
  afterAll(async () => {
    await node?.close();
  });

  /** A fresh promoter with a settled balance of 10 % of `units` × ¥100, and the order that earned it. */
  async function earner(units: number) {
    phones++;
    const p = await promoter(node, shop, `1372001${String(phones).padStart(4, '0')}`);
    const c = await node.userToken(`1372002${String(phones).padStart(4, '0')}`);
    await touch(node, shop.merchantId, p.userId, c.userId);
    const o = await paidOrder(node, c, [{ skuId: a.skuId, quantity: units }]);
    await complete(node, o.orderId);
    expect((await centre(node, p, shop.merchantId)).earnings.balanceFen).toBe(units * 1000);
    return { ...p, order: o };
  }
  const withdraw = (p: { token: string }, amountFen: number, idempotencyKey: string) =>
    node.api('POST', `/api/me/distribution/merchants/${shop.merchantId}/withdrawals`, {
      token: p.token,
      body: { amountFen, idempotencyKey },
    });
  const approve = (id: number, token = shop.owner.token, merchantId = shop.merchantId) =>
    node.api('POST', `/api/merchants/${merchantId}/distribution/withdrawals/${id}/approve`, { token });
  const statusOf = async (id: number) =>
    (
      await node.app.ctx.db
        .selectFrom('distribution_withdrawals')
        .select('status')
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
    ).status;

  it('of 30 withdrawals at once takes only what the balance covers, and never below zero', async () => {
    const p = await earner(10);
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => withdraw(p, 1000, `many-${i}-key`)));
    expect(answers.filter((r) => r.status === 200)).toHaveLength(10);
    const refused = answers.filter((r) => r.status !== 200);
    expect(new Set(refused.map((r) => r.body.error.code))).toEqual(new Set(['WITHDRAWAL_INSUFFICIENT_BALANCE']));
    expect((await centre(node, p, shop.merchantId)).earnings.balanceFen).toBe(0);
    // All ten approved at once: ten transfers, one each, ¥100 in all.
    const ids = answers.filter((r) => r.status === 200).map((r) => r.body.id as number);
    const approvals = await Promise.all(ids.map((id) => approve(id)));
    expect(approvals.map((r) => r.status)).toEqual(ids.map(() => 200));
    await until(async () => (await Promise.all(ids.map(statusOf))).every((s) => s === 'paid'));
    const outs = new Set(answers.filter((r) => r.status === 200).map((r) => r.body.outBatchNo as string));
    const paid = sandbox.paid.filter((t) => outs.has(t.outBatchNo));
    expect(paid.map((t) => t.amountFen).reduce((x, y) => x + y, 0)).toBe(10_000);
    expect(new Set(paid.map((t) => t.outBatchNo)).size).toBe(10);
    expect(await books(node, shop.merchantId)).toEqual([]);
  });

  it('answers the same request sent 20 times at once with one withdrawal and one debit', async () => {
    const p = await earner(1);
    const answers = await Promise.all(Array.from({ length: 20 }, () => withdraw(p, 400, 'same-tap-key')));
    expect(answers.map((r) => r.status)).toEqual(answers.map(() => 200));
    expect(new Set(answers.map((r) => r.body.id)).size).toBe(1);
    expect((await centre(node, p, shop.merchantId)).earnings.balanceFen).toBe(600);
  });

  it('pays an approval sent 20 times at once once: one state move, one transfer', async () => {
    const p = await earner(1);
    const w = await withdraw(p, 1000, 'double-approve');
    const answers = await Promise.all(Array.from({ length: 20 }, () => approve(w.body.id)));
    expect(answers.filter((r) => r.status === 200)).toHaveLength(1);
    expect(new Set(answers.filter((r) => r.status !== 200).map((r) => r.body.error.code))).toEqual(
      new Set(['WITHDRAWAL_STATE']),
    );
    await until(async () => (await statusOf(w.body.id)) === 'paid');
    expect(sandbox.paid.filter((t) => t.outBatchNo === w.body.outBatchNo)).toHaveLength(1);
  });

  it('returns the money to the balance when the payout is refused', async () => {
    const p = await earner(1);
    const w = await withdraw(p, 700, 'refused-payout');
    sandbox.plan('reject');
    await approve(w.body.id);
    await until(async () => (await statusOf(w.body.id)) === 'failed');
    expect((await centre(node, p, shop.merchantId)).earnings.balanceFen).toBe(1000);
    expect(sandbox.paid.filter((t) => t.outBatchNo === w.body.outBatchNo)).toEqual([]);
    expect(await books(node, shop.merchantId)).toEqual([]);
  });

  it('retries a payout whose answer was lost under the same out-batch number, and pays once', async () => {
    const p = await earner(1);
    const w = await withdraw(p, 1000, 'lost-answer');
    sandbox.plan('transient');
    await approve(w.body.id);
    await until(async () => (await statusOf(w.body.id)) === 'paid', 20_000);
    expect(sandbox.calls.filter((n) => n === w.body.outBatchNo)).toHaveLength(2);
    expect(sandbox.paid.filter((t) => t.outBatchNo === w.body.outBatchNo)).toHaveLength(1);
  });

  it('gives the money back when the shop rejects the withdrawal, and a second decision is refused', async () => {
    const p = await earner(1);
    const w = await withdraw(p, 500, 'rejected-one');
    const base = `/api/merchants/${shop.merchantId}/distribution/withdrawals/${w.body.id}`;
    const rejected = await node.api('POST', `${base}/reject`, { token: shop.owner.token, body: { note: '信息不全' } });
    expect(rejected.body.status).toBe('rejected');
    expect((await centre(node, p, shop.merchantId)).earnings.balanceFen).toBe(1000);
    expect((await approve(w.body.id)).body.error.code).toBe('WITHDRAWAL_STATE');
  });

  it('lets a refund after withdrawal take the balance negative, and then refuses any withdrawal', async () => {
    const p = await earner(1);
    const w = await withdraw(p, 1000, 'all-out-key');
    await approve(w.body.id);
    await until(async () => (await statusOf(w.body.id)) === 'paid');
    await refund(node, p.order.orderId, [{ lineId: p.order.lines[0]!.lineId, quantity: 1 }]);
    expect((await centre(node, p, shop.merchantId)).earnings.balanceFen).toBe(-1000);
    const refused = await withdraw(p, 100, 'in-debt-key');
    expect([refused.status, refused.body.error.code]).toEqual([409, 'WITHDRAWAL_INSUFFICIENT_BALANCE']);
    expect(await books(node, shop.merchantId)).toEqual([]);
  });

  it("keeps another shop out of this shop's withdrawals", async () => {
    const p = await earner(1);
    const w = await withdraw(p, 300, 'tenancy-key');
    const other = await makeShop(node, '别家店', '13720009999');
    expect((await approve(w.body.id, other.owner.token)).status).toBe(403);
    const own = await approve(w.body.id, other.owner.token, other.merchantId);
    expect([own.status, own.body.error.code]).toEqual([404, 'WITHDRAWAL_NOT_FOUND']);
    const list = await node.api('GET', `/api/merchants/${other.merchantId}/distribution/withdrawals`, {
      token: other.owner.token,
    });
    expect(list.body.items).toEqual([]);
    const below = await withdraw(p, 50, 'too-little');
    expect(below.body.error.code).toBe('WITHDRAWAL_BELOW_MINIMUM');
  });
});
