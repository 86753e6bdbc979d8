// Place an order: price on the server, reserve stock, write one order per shop and one pending
// payment, all in one transaction — a failure anywhere leaves nothing behind (no order, no
// reserved unit). The idempotency key makes a retried request return the same orders.
import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { AppContext } from '../../platform/context.ts';
import type { Db } from '../../platform/db/types.ts';
import { AppError, badRequest, conflict } from '../../platform/errors.ts';
import { quoteView } from '../checkout/checkout-service.ts';
import { pricingInputOf, requestHash, type CheckoutRequest, type QuoteClaims } from '../checkout/request.ts';
import { summarize, type PricingInput } from '../checkout/pipeline.ts';
import type { AddressSnapshot } from './tables.ts';
import './tables.ts';
import { transact } from '../../platform/db/transact.ts';

/** A checkout request (checkout/request.ts, the same shape the quote took) plus what placing needs. */
export interface PlaceOrderInput extends CheckoutRequest {
  idempotencyKey: string;
  addressId: number;
  buyerNote?: string | undefined;
  /** From the quote the shopper saw; if the price moved since, we refuse rather than charge more. */
  quoteToken?: string | undefined;
  /** Checked out from the cart: the ordered SKUs leave it (the cart module reacts to order.placed). */
  fromCart?: boolean | undefined;
}

/** An order as the placement answers it. */
interface PlacedOrder {
  orderId: number;
  orderNo: string;
  merchantId: number;
  status: 'pending_payment' | 'paid';
  totalFen: number;
}

export const newOrderNo = (prefix = '') =>
  `${prefix}${new Date().toISOString().slice(2, 10).replace(/-/g, '')}${crypto.randomInt(10 ** 9, 10 ** 10 - 1)}`;

export class OrderPlacement {
  constructor(private readonly ctx: AppContext) {}

  async place(userId: number, input: PlaceOrderInput) {
    this.ctx.services.checkout.validate(input);
    const requestKey = requestHash(input);
    // Decisions made outside the database come first (a flash-sale unit in the cache), so the
    // thousands who lose a flash sale cost no SQL at all. A retry of a winning request finds its
    // unit already counted (limit reached, or its single-use token spent) and gets its order back through the idempotency key.
    let undo: () => Promise<void>;
    try {
      const { pipeline } = this.ctx.services.checkout;
      undo = await pipeline.beforePlace(userId, input.items, pricingInputOf(input, undefined));
    } catch (err) {
      if (err instanceof AppError && (err.code === 'FLASH_LIMIT_REACHED' || err.code === 'FLASH_TOKEN_USED')) {
        const replay = await this.findCheckout(this.ctx.db, userId, input.idempotencyKey, requestKey).catch(() => null);
        if (replay) return replay;
      }
      throw err;
    }
    try {
      const address = await this.ctx.services.shipping.getAddress(this.ctx.db, userId, input.addressId);
      let pricingInput = pricingInputOf(input, address.province);
      let quotedTotal: number | undefined;
      if (input.quoteToken) {
        const q = await this.ctx.tokens.verifyPayload<QuoteClaims>(input.quoteToken, 'quote');
        if (q === 'expired') throw badRequest('QUOTE_EXPIRED', 'The quote has expired; get a new one');
        if (!q || q.u !== userId || q.h !== requestKey) {
          throw badRequest(
            'QUOTE_INVALID',
            'The quote was for a different basket, deal, coupons, points, room or address; quote this order again',
          );
        }
        // Exactly what the quote applied: an auto choice is not made again on changed ground.
        const usePoints = q.pt > 0 ? q.pt : false;
        pricingInput = { ...pricingInput, couponIds: q.c ?? pricingInput.couponIds, usePoints };
        quotedTotal = q.t;
      }
      try {
        return await this.placeNew(userId, input, address, pricingInput, requestKey, quotedTotal);
      } catch (err) {
        // A retry of a request that went through fails in there (its checkout row exists, its coupon is used)
        // and gets its orders back. Looked up only on failure, so a new order pays no lookup.
        const replay = await this.findCheckout(this.ctx.db, userId, input.idempotencyKey, requestKey);
        if (!replay) throw err;
        await undo();
        return replay;
      }
    } catch (err) {
      await undo().catch((e: unknown) => this.ctx.log.error({ err: e }, 'undoing pre-placement decisions failed'));
      throw err;
    }
  }

  private async placeNew(
    userId: number,
    input: PlaceOrderInput,
    address: Awaited<ReturnType<AppContext['services']['shipping']['getAddress']>>,
    pricingInput: PricingInput,
    requestHash: string,
    quotedTotal: number | undefined,
  ) {
    return transact(this.ctx.db, async (trx) => {
      const priced = await this.ctx.services.checkout.price(trx, userId, input.items, pricingInput);
      if (priced.undeliverable.length)
        throw new AppError(
          422,
          'NOT_DELIVERABLE',
          priced.undeliverable.map((u) => u.reason).join('; '),
          priced.undeliverable,
        );
      const groups = summarize(priced);
      const total = groups.reduce((s, g) => s + g.totalFen, 0);
      if (quotedTotal !== undefined && quotedTotal !== total) {
        throw conflict(
          'PRICE_CHANGED',
          `The total changed from ${quotedTotal} to ${total} fen since the quote; please confirm the new price`,
          quoteView(priced),
        );
      }
      await this.refuseWhenSoldOut(trx, groups);
      const deadline = new Date(Date.now() + this.ctx.config.orderPaymentTimeoutSec * 1000);
      const snapshot: AddressSnapshot = {
        name: address.name,
        phone: address.phone,
        province: address.province,
        city: address.city,
        district: address.district,
        districtCode: address.districtCode,
        detail: address.detail,
        postalCode: address.postalCode,
      };
      // The payment first, so the checkout and its orders are written with its id (no update after).
      const checkoutNo = newOrderNo('C');
      const payment =
        total > 0
          ? await this.ctx.services.payments.createPayment(trx, {
              userId,
              amountFen: total,
              subject: subjectOf(groups),
              bizType: 'order',
              bizId: checkoutNo,
              merchantId: groups.length === 1 ? groups[0]!.merchantId : null,
              expiresAt: deadline,
            })
          : null;
      // The idempotency key's unique row: of two identical requests at once, the loser fails here (and place()
      // answers it with the winner's orders).
      const checkout = await trx
        .insertInto('checkouts')
        .values({
          checkout_no: checkoutNo,
          user_id: userId,
          idempotency_key: input.idempotencyKey,
          request_hash: requestHash,
          payment_id: payment?.paymentId ?? null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const created: Array<PlacedOrder & { lineIds: Map<string, number> }> = [];
      const roomMerchantId = priced.effects.roomMerchantId as number | null | undefined;
      for (const g of groups) {
        // The room is credited only on the order of the shop whose room it is.
        const roomId = input.roomId && roomMerchantId === g.merchantId ? input.roomId : null;
        const order = await this.insertOrder(trx, {
          checkoutId: checkout.id,
          paymentId: payment?.paymentId ?? null,
          userId,
          g,
          deadline,
          snapshot,
          roomId,
          buyerNote: input.buyerNote ?? '',
          pointsUsed: Number(
            (priced.effects.pointsUsedByMerchant as Record<number, number> | undefined)?.[g.merchantId] ?? 0,
          ),
        });
        created.push(order);
      }
      for (const o of created) {
        await this.ctx.jobs.schedule(trx, {
          type: 'orders.payment_timeout',
          payload: { orderId: o.orderId },
          runAt: deadline,
          uniqueKey: `order-timeout:${o.orderId}`,
        });
        const g = groups.find((x) => x.merchantId === o.merchantId)!;
        await this.ctx.events.emit(trx, {
          type: 'order.placed',
          aggregateType: 'order',
          aggregateId: o.orderId,
          payload: {
            orderId: o.orderId,
            merchantId: o.merchantId,
            userId,
            roomId: input.roomId ?? null,
            fromCart: input.fromCart === true,
            totalFen: g.totalFen,
            items: g.lines.map((l) => ({
              skuId: l.skuId,
              productId: l.productId,
              quantity: l.quantity,
              payableFen: l.amountFen,
            })),
          },
        });
      }
      // Stock comes last. Everything above touches only this shopper's new rows; the stock rows of a SKU
      // everyone is buying ("上链接") are locked here, for the last few statements before the commit, so a
      // burst queues on a short lock rather than on the whole placement. Every stock row of the basket is
      // locked in one global order (sku, warehouse): two multi-shop baskets cannot deadlock.
      // A basket of one SKU needs no lock up front: its reservation locks its one row (inventory's hot path).
      const skuIds = [...new Set(groups.flatMap((g) => g.lines.map((l) => l.skuId)))];
      if (skuIds.length > 1) await this.ctx.services.inventory.lockStock(trx, skuIds);
      for (const o of created) {
        const g = groups.find((x) => x.merchantId === o.merchantId)!;
        // Throws OUT_OF_STOCK (aborting everything above) when short.
        await this.ctx.services.inventory.reserve(trx, {
          orderId: o.orderId,
          merchantId: g.merchantId,
          lines: g.lines.map((l) => ({ skuId: l.skuId, quantity: l.quantity })),
        });
      }
      // Deals after stock, as every other path that holds both locks them.
      await this.ctx.services.checkout.pipeline.commit(priced, created, trx);
      if (!payment) {
        // Fully discounted: nothing to pay, the orders are paid at once.
        for (const o of created) await this.ctx.services.orders.markPaid(trx, o.orderId, null);
        for (const o of created) o.status = 'paid';
      }
      // The answer is what this transaction wrote: no read-back after the commit.
      return {
        checkoutNo,
        orders: created.map(({ lineIds: _, ...o }) => o),
        payment: payment
          ? {
              paymentNo: payment.paymentNo,
              amountFen: payment.amountFen,
              status: payment.status,
              expiresAt: payment.expiresAt,
              cashierUrl: payment.cashierUrl,
            }
          : null,
      };
    });
  }

  /**
   * Most of the shoppers who lose a sold-out burst stop here, on a plain read, without queueing for the stock
   * lock. Only a shortcut: the locked reservation below still decides for everyone who gets past it.
   */
  private async refuseWhenSoldOut(trx: Db, groups: Array<{ lines: Array<{ skuId: number; quantity: number }> }>) {
    const wanted = new Map<number, number>();
    for (const l of groups.flatMap((g) => g.lines)) wanted.set(l.skuId, (wanted.get(l.skuId) ?? 0) + l.quantity);
    const available = await this.ctx.services.inventory.available([...wanted.keys()], trx);
    const short = [...wanted]
      .filter(([skuId, requested]) => (available.get(skuId) ?? 0) < requested)
      .map(([skuId, requested]) => ({ skuId, requested, available: Math.max(0, available.get(skuId) ?? 0) }));
    if (short.length) throw conflict('OUT_OF_STOCK', 'Not enough stock for some items', short);
  }

  private async findCheckout(db: Db, userId: number, key: string, requestHash: string) {
    const c = await db
      .selectFrom('checkouts')
      .select(['id', 'request_hash'])
      .where('user_id', '=', userId)
      .where('idempotency_key', '=', key)
      .executeTakeFirst();
    if (!c) return null;
    if (c.request_hash !== requestHash)
      throw conflict('IDEMPOTENCY_KEY_REUSED', 'This idempotency key was used for a different order');
    return this.result(db, c.id);
  }

  private async result(db: Db, checkoutId: number) {
    const c = await db.selectFrom('checkouts').selectAll().where('id', '=', checkoutId).executeTakeFirstOrThrow();
    const orders = await db
      .selectFrom('orders')
      .select(['id', 'order_no', 'merchant_id', 'status', 'total_fen'])
      .where('checkout_id', '=', checkoutId)
      .orderBy('id')
      .execute();
    const payment = c.payment_id ? await this.ctx.services.payments.briefOf(db, c.payment_id) : undefined;
    return {
      checkoutNo: c.checkout_no,
      orders: orders.map((o) => ({
        orderId: o.id,
        orderNo: o.order_no,
        merchantId: o.merchant_id,
        status: o.status,
        totalFen: o.total_fen,
      })),
      payment: payment
        ? {
            paymentNo: payment.payment_no,
            amountFen: payment.amount_fen,
            status: payment.status,
            expiresAt: payment.expires_at,
            cashierUrl: await this.ctx.services.payments.testCashierUrl(payment.payment_no),
          }
        : null,
    };
  }

  private async insertOrder(
    trx: Db,
    o: {
      checkoutId: number;
      paymentId: number | null;
      userId: number;
      g: ReturnType<typeof summarize>[number];
      deadline: Date;
      snapshot: AddressSnapshot;
      roomId: number | null;
      buyerNote: string;
      pointsUsed: number;
    },
  ): Promise<PlacedOrder & { lineIds: Map<string, number> }> {
    const { g } = o;
    const orderNo = newOrderNo();
    // The order and its first history row in one statement.
    const order = await trx
      .with('placed', (db) =>
        db
          .insertInto('orders')
          .values({
            order_no: orderNo,
            checkout_id: o.checkoutId,
            payment_id: o.paymentId,
            user_id: o.userId,
            merchant_id: g.merchantId,
            room_id: o.roomId,
            status: 'pending_payment',
            goods_fen: g.goodsFen,
            discount_fen: g.discountFen,
            shipping_fen: g.shippingFen,
            total_fen: g.totalFen,
            points_used: o.pointsUsed,
            charges: JSON.stringify(g.charges.map((c) => ({ step: c.step, reason: c.reason, amountFen: c.amountFen }))),
            address: JSON.stringify(o.snapshot),
            buyer_note: o.buyerNote.slice(0, 200),
            pay_deadline: o.deadline,
          })
          .returning('id'),
      )
      .insertInto('order_status_history')
      .columns(['order_id', 'from_status', 'to_status', 'actor_user_id', 'note'])
      .expression((eb) =>
        eb
          .selectFrom('placed')
          .select([
            'placed.id',
            sql<null>`null::text`.as('from_status'),
            sql<string>`'pending_payment'::text`.as('to_status'),
            sql<number>`${o.userId}::bigint`.as('actor_user_id'),
            sql<string>`${'下单'}::text`.as('note'),
          ]),
      )
      .returning('order_id as id')
      .executeTakeFirstOrThrow();
    const lineIds = new Map<string, number>();
    for (const l of g.lines) {
      const goods = l.listUnitPriceFen * l.quantity;
      const row = await trx
        .insertInto('order_lines')
        .values({
          order_id: order.id,
          sku_id: l.skuId,
          product_id: l.productId,
          product_title: l.productTitle,
          sku_name: l.skuName,
          image_url: l.imageUrl,
          quantity: l.quantity,
          list_unit_price_fen: l.listUnitPriceFen,
          unit_price_fen: l.unitPriceFen,
          goods_fen: goods,
          discount_fen: goods - l.amountFen,
          payable_fen: l.amountFen,
          adjustments: JSON.stringify(l.adjustments),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      lineIds.set(l.lineId, row.id);
    }
    const status: PlacedOrder['status'] = 'pending_payment';
    return { orderId: order.id, orderNo, merchantId: g.merchantId, status, totalFen: g.totalFen, lineIds };
  }
}

function subjectOf(groups: Array<{ lines: Array<{ productTitle: string }> }>): string {
  const titles = groups.flatMap((g) => g.lines.map((l) => l.productTitle));
  return titles.length > 1 ? `${titles[0]} 等${titles.length}件商品` : (titles[0] ?? 'LiveMall 订单');
}
