// Invitations: the shop's reward goes to the inviter and the new shopper once, on the new shopper's
// first paid order (not at sign-up), also when two first orders are paid at once or the event comes
// twice; a full refund before the order completes takes it back (unused coupons revoked, points
// deducted without going negative); after completion it stays.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_BACKENDS } from '../../../test/backends.ts';
import { makeShop, simpleProduct, type ShopFixture } from '../../../test/commerce-fixtures.ts';
import { startNode, type TestNode } from '../../../test/harness.ts';
import type { DomainEvents } from '../../platform/events/catalogue.ts';
import {
  asBuyer,
  asShop,
  grantPoints,
  paidCheckout,
  pointsBalance,
  runJobNow,
  settle,
} from '../aftersales/test-support.ts';
import { newDevice, share, signUp, visit } from './test-support.ts';

describe.each(APP_BACKENDS)('invitations on $name', (backend) => {
  let node: TestNode;
  let shop: ShopFixture;
  let skuId: number;
  let couponId: number;
  let seq = 0;
  beforeAll(async () => {
    node = await startNode({ db: backend.db, cache: backend.cache });
    shop = await makeShop(node, '邀请有礼店', '13862000001');
    skuId = (await simpleProduct(node, shop, '邀请礼盒', 5000, 500)).skuId;
    couponId = (
      await node.api('POST', `/api/merchants/${shop.merchantId}/coupons`, {
        token: shop.owner.token,
        body: {
          title: '邀请券',
          kind: 'fixed',
          amountFen: 500,
          validDays: 30,
          totalQuantity: 100,
          channels: ['invite'],
        },
      })
    ).body.id;
    const configured = await node.api('PUT', `/api/merchants/${shop.merchantId}/growth/invite-settings`, {
      token: shop.owner.token,
      body: {
        enabled: true,
        inviter: { couponTemplateIds: [], points: 100 },
        invitee: { couponTemplateIds: [couponId], points: 50 },
      },
    });
    expect(configured.status).toBe(200);
  }, 180_000);
  afterAll(async () => {
    await node?.close();
  });

  /** An inviter, and a new shopper who signed up through their invitation. */
  async function invited() {
    seq++;
    const inviter = await node.userToken(`1386200${String(seq).padStart(2, '0')}01`);
    const link = await share(node, { token: inviter.token }, 'invite', shop.merchantId);
    const device = newDevice();
    await visit(node, link.token, { visitorKey: device });
    const invitee = await signUp(node, `1386200${String(seq).padStart(2, '0')}02`, device);
    await settle(node);
    return { inviter, invitee };
  }
  const invitations = async (token: string) => (await node.api('GET', '/api/me/invitations', { token })).body;
  const unusedCoupons = async (token: string) =>
    ((await node.api('GET', '/api/me/coupons?status=unused', { token })).body as Array<{ templateId: number }>).filter(
      (c) => c.templateId === couponId,
    ).length;

  it('rewards both sides once on the first paid order, even with two paid at once and a redelivered event', async () => {
    const { inviter, invitee } = await invited();
    expect((await invitations(inviter.token)).sent).toMatchObject([
      { status: 'pending', inviteeUserId: invitee.userId },
    ]);
    expect(await pointsBalance(node, invitee.userId)).toBe(0); // nothing at sign-up

    const [a, b] = await Promise.all([
      paidCheckout(node, invitee, 'invite-first-a', [{ skuId, quantity: 1 }]),
      paidCheckout(node, invitee, 'invite-first-b', [{ skuId, quantity: 1 }]),
    ]);
    await settle(node);
    // The same order.paid again (a redelivery under a new event id) grants nothing more.
    const paid = await node.app.ctx.db
      .selectFrom('outbox_events')
      .select('payload')
      .where('type', '=', 'order.paid')
      .where('aggregate_id', '=', String(a.orders[0]!.orderId))
      .executeTakeFirstOrThrow();
    await node.app.ctx.db.transaction().execute((trx) =>
      node.app.ctx.events.emit(trx, {
        type: 'order.paid',
        aggregateType: 'order',
        aggregateId: 'replay',
        payload: paid.payload as DomainEvents['order.paid'],
      }),
    );
    await settle(node);

    const sent = (await invitations(inviter.token)).sent[0];
    expect(sent.status).toBe('rewarded');
    expect([a.orders[0]!.orderId, b.orders[0]!.orderId]).toContain(sent.orderId);
    expect(sent.rewards).toEqual([expect.objectContaining({ role: 'inviter', kind: 'points', points: 100 })]);
    expect(await pointsBalance(node, inviter.userId)).toBe(100);
    expect(await pointsBalance(node, invitee.userId)).toBe(50);
    expect(await unusedCoupons(invitee.token)).toBe(1);
    const received = (await invitations(invitee.token)).received[0];
    expect(received.rewards.map((r: { kind: string; status: string }) => [r.kind, r.status])).toEqual([
      ['coupon', 'granted'],
      ['points', 'granted'],
    ]);
  });

  it('takes the reward back when that order is fully refunded before it completes, never below zero', async () => {
    const { inviter, invitee } = await invited();
    const paid = await paidCheckout(node, invitee, 'invite-refund', [{ skuId, quantity: 1 }]);
    await settle(node);
    expect(await pointsBalance(node, inviter.userId)).toBe(100);
    // The inviter spent 70 of the 100 already: 30 can be taken back, and the balance stops at zero.
    await node.app.ctx.db
      .transaction()
      .execute((trx) => node.app.ctx.services.points.spend(trx, inviter.userId, 70, 'spent-elsewhere'));
    const order = paid.orders[0]!;
    const asked = await asBuyer(node, invitee.token).request(
      order.orderId,
      order.lines.map((l) => ({ lineId: l.id, quantity: l.quantity })),
    );
    expect((await asShop(node, shop).approve(asked.body.id)).status).toBe(200);
    await settle(node);
    expect((await asBuyer(node, invitee.token).order(order.orderId)).status).toBe('refunded');

    const sent = (await invitations(inviter.token)).sent[0];
    expect(sent.status).toBe('reversed');
    expect(sent.rewards).toEqual([
      expect.objectContaining({ status: 'partly_revoked', points: 100, pointsRevoked: 30 }),
    ]);
    expect(await pointsBalance(node, inviter.userId)).toBe(0);
    expect(await pointsBalance(node, invitee.userId)).toBe(0);
    expect(await unusedCoupons(invitee.token)).toBe(0);
    // Granted once: a later order of the same shopper does not reward again.
    await paidCheckout(node, invitee, 'invite-after-refund', [{ skuId, quantity: 1 }]);
    await settle(node);
    expect(await pointsBalance(node, inviter.userId)).toBe(0);
  });

  it('keeps the reward once the order completed (a refund after the window changes nothing)', async () => {
    const { inviter, invitee } = await invited();
    const paid = await paidCheckout(node, invitee, 'invite-complete', [{ skuId, quantity: 1 }]);
    const orderId = paid.orders[0]!.orderId;
    await settle(node);
    await asShop(node, shop).ship(orderId);
    await node.api('POST', `/api/orders/${orderId}/confirm-receipt`, { token: invitee.token });
    await settle(node);
    expect(await runJobNow(node, `order-complete:${orderId}`)).toBe(true);
    await settle(node);
    expect((await invitations(inviter.token)).sent[0].status).toBe('settled');
    // A full refund reported after completion (e.g. a late dispute) does not take the reward back.
    const completed = await node.app.ctx.db
      .selectFrom('outbox_events')
      .select('payload')
      .where('type', '=', 'order.completed')
      .where('aggregate_id', '=', String(orderId))
      .executeTakeFirstOrThrow();
    const p = completed.payload as DomainEvents['order.completed'];
    await node.app.ctx.db.transaction().execute((trx) =>
      node.app.ctx.events.emit(trx, {
        type: 'order.refunded',
        aggregateType: 'order',
        aggregateId: orderId,
        payload: {
          orderId,
          merchantId: p.merchantId,
          userId: p.userId,
          roomId: null,
          refundId: 999_999,
          paymentRefundId: null,
          amountFen: p.totalFen,
          shippingFen: 0,
          full: true,
          paidFen: p.totalFen,
          totalFen: p.totalFen,
          refundedFen: p.totalFen,
          goodsPaidFen: p.totalFen,
          goodsRefundedFen: p.totalFen,
          pointsUsed: 0,
          items: [],
        },
      }),
    );
    await settle(node);
    expect((await invitations(inviter.token)).sent[0].status).toBe('settled');
    expect(await pointsBalance(node, inviter.userId)).toBe(100);
  });

  it('does not invite an existing account, and refuses a coupon not given out by invitation', async () => {
    const inviter = await node.userToken('13862009001');
    const old = await node.userToken('13862009002');
    const link = await share(node, { token: inviter.token }, 'invite', shop.merchantId);
    await visit(node, link.token, { token: old.token });
    await settle(node);
    expect((await invitations(inviter.token)).sent).toEqual([]);
    await grantPoints(node, old.userId, 1, 'noop'); // an old account, already with history
    const claimCentre = (
      await node.api('POST', `/api/merchants/${shop.merchantId}/coupons`, {
        token: shop.owner.token,
        body: { title: '普通券', kind: 'fixed', amountFen: 100, validDays: 3, totalQuantity: 10 },
      })
    ).body.id;
    const refused = await node.api('PUT', `/api/merchants/${shop.merchantId}/growth/invite-settings`, {
      token: shop.owner.token,
      body: {
        enabled: true,
        inviter: { couponTemplateIds: [claimCentre], points: 0 },
        invitee: { couponTemplateIds: [], points: 0 },
      },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('INVITE_COUPON_CHANNEL');
  });
});
