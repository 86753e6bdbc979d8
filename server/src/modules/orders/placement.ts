// Place an order: price on the server, reserve stock, write one order per shop and one pending
// payment, all in one transaction — a failure anywhere leaves nothing behind (no order, no
// reserved unit). The idempotency key makes a retried request return the same orders.
import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { AppContext } from '../../platform/context.ts';
import type { Db } from '../../platform/db/types.ts';
import { AppError, badRequest, conflict } from '../../platform/errors.ts';
import { quoteView } from '../checkout/checkout-service.ts';
import {
  amountsDigest,
  pricingInputOf,
  requestHash,
  type CheckoutRequest,
  type QuoteClaims,
} from '../checkout/request.ts';
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

/** What placing a new order starts from, once the request, the address and the quote have been checked. */
interface Placing {
  userId: number;
  input: PlaceOrderInput;
  address: Awaited<ReturnType<AppContext['services']['shipping']['getAddress']>>;
  pricingInput: PricingInput;
  requestHash: string;
  quotedTotal: number | undefined;
  /** How the quoted total split over shops and lines (absent from older tokens). */
  quotedAmounts: string | undefined;
}

/** What holding a one-SKU basket's units came to (null: not tried, or the basket reserves as usual). */
type StockOutcome =
  | { orderId: number; skuId: number; quantity: number }
  | { short: { skuId: number; requested: number; available: number } }
  | null;

/** The next order id, drawn in SQL (a hold draws it before the order is written). */
const NEXT_ORDER_ID = sql<number>`nextval(pg_get_serial_sequence('orders', 'id'))`;
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
      let quotedAmounts: string | undefined;
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
        quotedAmounts = q.a;
      }
      try {
        return await this.placeNew({
          userId,
          input,
          address,
          pricingInput,
          requestHash: requestKey,
          quotedTotal,
          quotedAmounts,
        });
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

  private async placeNew(p: Placing) {
    const stock = await this.holdStock(p.input.items);
    try {
      return await this.placeInTransaction(p, stock);
    } catch (err) {
      if (stock && 'orderId' in stock) await this.giveBack(stock.orderId);
      throw err;
    }
  }

  /**
   * A basket of one SKU holds its units first, in a statement of its own (inventory's hold), with the id its
   * order will have: under a burst the stock row is then never locked across a round trip to this node. Or it
   * learns the SKU is short, and is refused (after pricing, whose refusals come first) without a lock.
   */
  private async holdStock(items: PlaceOrderInput['items']): Promise<StockOutcome> {
    const skuIds = new Set(items.map((i) => i.skuId));
    if (skuIds.size !== 1) return null;
    const quantity = items.reduce((s, i) => s + i.quantity, 0);
    if (!Number.isSafeInteger(quantity) || quantity <= 0 || quantity > 999) return null;
    const skuId = items[0]!.skuId;
    const outcome = await this.ctx.services.inventory.hold({ orderId: NEXT_ORDER_ID, skuId, quantity });
    if (!outcome) return null;
    return 'orderId' in outcome
      ? { orderId: outcome.orderId, skuId, quantity }
      : { short: { skuId, requested: quantity, available: outcome.short } };
  }

  /** The hold of an order that was not made goes back (if this fails, the sweep gives it back later). */
  private async giveBack(orderId: number): Promise<void> {
    await this.ctx.services.inventory
      .releaseHold(orderId)
      .catch((err: unknown) => this.ctx.log.error({ err, orderId }, 'giving back a stock hold failed'));
  }

  private async placeInTransaction(p: Placing, stock: StockOutcome) {
    const { userId, input, address, pricingInput, requestHash, quotedTotal, quotedAmounts } = p;
    const held = stock && 'orderId' in stock ? stock : null;
    return transact(this.ctx.db, async (trx) => {
      const priced = await this.ctx.services.checkout.price(trx, userId, input.items, pricingInput, 'place');
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
      if (quotedAmounts !== undefined && quotedAmounts !== amountsDigest(groups)) {
        throw conflict(
          'PRICE_CHANGED',
          'The prices or discounts of some items changed since the quote; please confirm the new amounts',
          quoteView(priced),
        );
      }
      if (stock && 'short' in stock) throw conflict('OUT_OF_STOCK', 'Not enough stock for some items', [stock.short]);
      if (!held) await this.refuseWhenSoldOut(trx, groups);
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
          id: held?.orderId,
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
      // The shopper's own coupons and points before the stock (see commitsOwnRowsOnly).
      await this.ctx.services.checkout.pipeline.commit(priced, created, trx, 'own');
      // Stock comes last. Everything above touches only this shopper's new rows; the stock rows of a SKU
      // everyone is buying ("上链接") are locked here, for the last few statements before the commit, so a
      // burst queues on a short lock rather than on the whole placement. Every stock row of the basket is
      // locked in one global order (sku, warehouse): two multi-shop baskets cannot deadlock.
      // A basket of one SKU needs no lock up front: its reservation locks its one row (inventory's hot path).
      if (held) {
        // A held basket (one SKU, so one order under the held id) only confirms its hold.
        await this.ctx.services.inventory.confirmHold(trx, { ...held, merchantId: created[0]!.merchantId });
      } else {
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
      }
      // Deals after stock, as every other path that holds both locks them.
      await this.ctx.services.checkout.pipeline.commit(priced, created, trx, 'shared');
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
   * Most of the shoppers who lose a sold-out burst stop here, without queueing for the stock lock, on the
   * stock every node keeps to show (dropped as soon as a movement commits; read through `trx` when this node
   * has no copy). Only a shortcut: the locked reservation still decides for everyone who gets past it.
   */
  private async refuseWhenSoldOut(trx: Db, groups: Array<{ lines: Array<{ skuId: number; quantity: number }> }>) {
    const wanted = new Map<number, number>();
    for (const l of groups.flatMap((g) => g.lines)) wanted.set(l.skuId, (wanted.get(l.skuId) ?? 0) + l.quantity);
    const available = await this.ctx.services.inventory.shownAvailable([...wanted.keys()], trx);
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
      /** The id the order was held under (see holdStock); otherwise the sequence gives one. */
      id?: number | undefined;
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
    const lines = g.lines.map((l) => {
      const goods = l.listUnitPriceFen * l.quantity;
      return {
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
        adjustments: l.adjustments,
      };
    });
    const charges = g.charges.map((c) => ({ step: c.step, reason: c.reason, amountFen: c.amountFen }));
    // The order, its first history row and its lines in one statement (a basket has one line per SKU).
    const { rows } = await sql<{ order_id: number; id: number; sku_id: number }>`
      with placed as (
        insert into orders (id, order_no, checkout_id, payment_id, user_id, merchant_id, room_id, status, goods_fen,
          discount_fen, shipping_fen, total_fen, points_used, charges, address, buyer_note, pay_deadline)
        overriding system value
        values (${o.id ?? NEXT_ORDER_ID}, ${orderNo}, ${o.checkoutId}, ${o.paymentId}, ${o.userId}, ${g.merchantId},
          ${o.roomId}, 'pending_payment', ${g.goodsFen}, ${g.discountFen}, ${g.shippingFen}, ${g.totalFen},
          ${o.pointsUsed}, ${JSON.stringify(charges)}::jsonb, ${JSON.stringify(o.snapshot)}::jsonb,
          ${o.buyerNote.slice(0, 200)}, ${o.deadline})
        returning id
      ), history as (
        insert into order_status_history (order_id, from_status, to_status, actor_user_id, note)
        select id, null, 'pending_payment', ${o.userId}, ${'下单'} from placed
      )
      insert into order_lines (order_id, sku_id, product_id, product_title, sku_name, image_url, quantity,
        list_unit_price_fen, unit_price_fen, goods_fen, discount_fen, payable_fen, adjustments)
      select placed.id, l.sku_id, l.product_id, l.product_title, l.sku_name, l.image_url, l.quantity,
        l.list_unit_price_fen, l.unit_price_fen, l.goods_fen, l.discount_fen, l.payable_fen, l.adjustments
      from placed, jsonb_to_recordset(${JSON.stringify(lines)}::jsonb) as l(sku_id bigint, product_id bigint,
        product_title text, sku_name text, image_url text, quantity integer, list_unit_price_fen bigint,
        unit_price_fen bigint, goods_fen bigint, discount_fen bigint, payable_fen bigint, adjustments jsonb)
      returning order_id, id, sku_id`.execute(trx);
    const lineIdOfSku = new Map(rows.map((r) => [Number(r.sku_id), Number(r.id)]));
    const lineIds = new Map(g.lines.map((l) => [l.lineId, lineIdOfSku.get(l.skuId)!]));
    const orderId = Number(rows[0]!.order_id);
    const status: PlacedOrder['status'] = 'pending_payment';
    return { orderId, orderNo, merchantId: g.merchantId, status, totalFen: g.totalFen, lineIds };
  }
}

function subjectOf(groups: Array<{ lines: Array<{ productTitle: string }> }>): string {
  const titles = groups.flatMap((g) => g.lines.map((l) => l.productTitle));
  return titles.length > 1 ? `${titles[0]} 等${titles.length}件商品` : (titles[0] ?? 'LiveMall 订单');
}
