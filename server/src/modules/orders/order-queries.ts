// Reading orders: the shopper's own, and the shop's with search, filters and CSV export.
import { sql, type SqlBool } from 'kysely';
import type { Actor } from '../../platform/auth/access.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Db } from '../../platform/db/types.ts';
import { toCsv } from '../../platform/csv.ts';
import { notFound } from '../../platform/errors.ts';
import { escapeLike } from '../inventory/inventory-service.ts';
import {
  adjustmentTotals,
  customerTotals,
  hasPaidOrder,
  lineNames,
  linesOf,
  orderNos,
  pointsBasis,
  salesByShop,
} from './order-reads.ts';
import type { OrderStatus } from './tables.ts';
import './tables.ts';

export interface MerchantOrderFilter {
  status?: OrderStatus | undefined;
  q?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  roomId?: number | undefined;
  page: number;
  pageSize: number;
}

export class OrderQueries {
  constructor(private readonly ctx: AppContext) {}

  private summaryColumns = [
    'o.id',
    'o.order_no',
    'o.merchant_id',
    'o.user_id',
    'o.status',
    'o.goods_fen',
    'o.discount_fen',
    'o.shipping_fen',
    'o.total_fen',
    'o.refunded_fen',
    'o.room_id',
    'o.created_at',
    'o.paid_at',
    'o.pay_deadline',
  ] as const;

  private async withLines(db: Db, rows: Array<{ id: number } & Record<string, unknown>>) {
    if (rows.length === 0) return [];
    const lines = await db
      .selectFrom('order_lines')
      .select([
        'id',
        'order_id',
        'product_id',
        'sku_id',
        'product_title',
        'sku_name',
        'image_url',
        'quantity',
        'unit_price_fen',
        'payable_fen',
      ])
      .where(
        'order_id',
        'in',
        rows.map((r) => r.id),
      )
      .orderBy('id')
      .execute();
    const names = await this.ctx.services.directory.merchantNames(
      rows.map((r) => r.merchant_id as number),
      db,
    );
    return rows.map((r) =>
      toSummary(
        r,
        lines.filter((l) => l.order_id === r.id),
        names.get(r.merchant_id as number) ?? '',
      ),
    );
  }

  /**
   * Tenancy for modules taking an order id from a shop (stock ledger filters) or a shopper (after-sales
   * filters): the shop's order or the shopper's own, else 404 ORDER_NOT_FOUND.
   */
  async requireOwnOrder(db: Db, owner: { merchantId: number } | { userId: number }, orderId: number): Promise<void> {
    let q = db.selectFrom('orders').select('id').where('id', '=', orderId);
    q = 'merchantId' in owner ? q.where('merchant_id', '=', owner.merchantId) : q.where('user_id', '=', owner.userId);
    if (!(await q.executeTakeFirst())) throw notFound('Order', 'ORDER_NOT_FOUND');
  }

  // ---- reads for other modules (order-reads.ts), in the caller's executor ----
  /** Title and SKU name of each order line by id (an after-sale's lines). */
  lineNames(db: Db, lineIds: readonly number[]) {
    return lineNames(db, lineIds);
  }
  /** The order number of each order by id. */
  orderNos(db: Db, orderIds: readonly number[]) {
    return orderNos(db, orderIds);
  }
  /** Every line of the order: id, SKU, quantity. */
  linesOf(db: Db, orderId: number) {
    return linesOf(db, orderId);
  }
  /** Paid, refunded and points spent on the order (goods without shipping too), or null. */
  pointsBasis(db: Db, orderId: number) {
    return pointsBasis(db, orderId);
  }
  /** Each shopper who has paid the shop: paid orders, spend net of refunds, last payment. */
  customerTotals(merchantId: number, db: Db = this.ctx.db) {
    return customerTotals(db, merchantId);
  }
  /** Per shop with paid orders in the last 7 days: orders and GMV today and over the 7 days. */
  salesByShop(db: Db = this.ctx.db) {
    return salesByShop(db, this.ctx.config.analytics.timeZone);
  }
  /** Has the shopper ever paid an order? */
  hasPaidOrder(db: Db, userId: number) {
    return hasPaidOrder(db, userId);
  }
  /** Per price adjustment ref (with this prefix) on the shop's paid orders: orders carrying it, discount given. */
  adjustmentTotals(db: Db, merchantId: number, refPrefix: string) {
    return adjustmentTotals(db, merchantId, refPrefix);
  }

  /** Of these users, those who have ordered from the shop (who it may address as its customers). */
  async customersAmong(merchantId: number, userIds: readonly number[]): Promise<number[]> {
    if (userIds.length === 0) return [];
    const rows = await this.ctx.db
      .selectFrom('orders')
      .select('user_id')
      .distinct()
      .where('merchant_id', '=', merchantId)
      .where('user_id', 'in', [...userIds])
      .execute();
    return rows.map((r) => r.user_id);
  }

  async listForShopper(userId: number, f: { status?: OrderStatus | undefined; page: number; pageSize: number }) {
    let q = this.ctx.db.selectFrom('orders as o').where('o.user_id', '=', userId);
    if (f.status) q = q.where('o.status', '=', f.status);
    const [rows, total] = await Promise.all([
      q
        .select([...this.summaryColumns])
        .orderBy('o.id', 'desc')
        .limit(f.pageSize)
        .offset((f.page - 1) * f.pageSize)
        .execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items: await this.withLines(this.ctx.db, rows), total: total.n, page: f.page, pageSize: f.pageSize };
  }

  /** A filter naming a room names one of the shop's (404 ROOM_NOT_FOUND), like every id a shop sends. */
  private async requireOwnFilter(merchantId: number, f: { roomId?: number | undefined }) {
    if (f.roomId) await this.ctx.services.live.requireOwnRoom(this.ctx.db, merchantId, f.roomId);
  }

  private merchantQuery(merchantId: number, f: MerchantOrderFilter) {
    let q = this.ctx.db.selectFrom('orders as o').where('o.merchant_id', '=', merchantId);
    if (f.status) q = q.where('o.status', '=', f.status);
    if (f.roomId) q = q.where('o.room_id', '=', f.roomId);
    if (f.from) q = q.where('o.created_at', '>=', new Date(f.from));
    if (f.to) q = q.where('o.created_at', '<', new Date(f.to));
    if (f.q?.trim()) {
      const kw = `%${escapeLike(f.q.trim())}%`;
      q = q.where((eb) =>
        eb.or([
          eb('o.order_no', 'ilike', kw),
          sql<SqlBool>`o.address->>'phone' ilike ${kw}`,
          sql<SqlBool>`o.address->>'name' ilike ${kw}`,
          sql<SqlBool>`exists (select 1 from order_lines l where l.order_id = o.id and l.product_title ilike ${kw})`,
        ]),
      );
    }
    return q;
  }

  /**
   * Paid orders and GMV (fen) for the shop's dashboard: per day over `days` days, or, for one live
   * room, per minute over the last `minutes` (the go-live console's chart).
   */
  async salesSummary(
    actor: Actor,
    merchantId: number,
    f: { days?: number | undefined; roomId?: number | undefined; minutes?: number | undefined },
  ) {
    await this.ctx.services.merchants.requireRole(actor, merchantId);
    await this.requireOwnFilter(merchantId, f);
    const unit = f.roomId ? 'minute' : 'day';
    // Days are the shop's calendar days (the analytics time zone), as the visitors beside them are:
    // "today" starts at local midnight for every figure on the dashboard.
    const tz = this.ctx.config.analytics.timeZone;
    const todayStart = sql<Date>`(date_trunc('day', now() at time zone ${tz}) at time zone ${tz})`;
    const since = f.roomId
      ? sql<Date>`now() - make_interval(mins => ${f.minutes ?? 120})`
      : sql<Date>`${todayStart} - make_interval(days => ${(f.days ?? 7) - 1})`;
    const bucket = f.roomId
      ? sql<Date>`date_trunc('minute', paid_at)`
      : sql<Date>`(date_trunc('day', paid_at at time zone ${tz}) at time zone ${tz})`;
    let q = this.ctx.db
      .selectFrom('orders')
      .select([
        bucket.as('bucket'),
        sql<string>`to_char(paid_at at time zone ${tz}, 'YYYY-MM-DD')`.as('day'),
        (eb) => eb.fn.countAll<number>().as('orders'),
        sql<number>`coalesce(sum(total_fen), 0)`.as('gmv'),
      ])
      .where('merchant_id', '=', merchantId)
      .where('paid_at', 'is not', null)
      .where('paid_at', '>=', since);
    if (f.roomId) q = q.where('room_id', '=', f.roomId);
    const [rows, today] = await Promise.all([
      q.groupBy([sql`1`, sql`2`]).orderBy(sql`1`).execute(),
      sql<{ start: Date; day: string }>`select ${todayStart} as start,
        to_char(now() at time zone ${tz}, 'YYYY-MM-DD') as day`.execute(this.ctx.db),
    ]);
    const series = rows.map((r) => ({
      at: new Date(r.bucket),
      day: r.day,
      orders: Number(r.orders),
      gmvFen: Number(r.gmv),
    }));
    return {
      unit,
      timeZone: tz,
      today: today.rows[0]!.day,
      todayStart: new Date(today.rows[0]!.start),
      paidOrders: series.reduce((s, r) => s + r.orders, 0),
      gmvFen: series.reduce((s, r) => s + r.gmvFen, 0),
      series,
    };
  }

  async listForMerchant(actor: Actor, merchantId: number, f: MerchantOrderFilter) {
    await this.ctx.services.merchants.requireRole(actor, merchantId);
    await this.requireOwnFilter(merchantId, f);
    const q = this.merchantQuery(merchantId, f);
    const [rows, total] = await Promise.all([
      q
        .select([...this.summaryColumns])
        .orderBy('o.id', 'desc')
        .limit(f.pageSize)
        .offset((f.page - 1) * f.pageSize)
        .execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items: await this.withLines(this.ctx.db, rows), total: total.n, page: f.page, pageSize: f.pageSize };
  }

  /** CSV of the filtered orders (one row per line), for spreadsheets. Bounded to 50,000 lines. */
  async exportCsv(actor: Actor, merchantId: number, f: MerchantOrderFilter): Promise<string> {
    await this.ctx.services.merchants.requireRole(actor, merchantId, ['merchant_owner', 'merchant_staff']);
    await this.requireOwnFilter(merchantId, f);
    const rows = await this.merchantQuery(merchantId, f)
      .innerJoin('order_lines as l', 'l.order_id', 'o.id')
      .select([
        'o.order_no',
        'o.status',
        'o.created_at',
        'o.paid_at',
        'o.total_fen',
        'o.shipping_fen',
        'o.refunded_fen',
        'o.address',
        'o.room_id',
        'l.product_title',
        'l.sku_name',
        'l.quantity',
        'l.unit_price_fen',
        'l.payable_fen',
        'l.refunded_fen as line_refunded_fen',
      ])
      .orderBy('o.id', 'desc')
      .orderBy('l.id')
      .limit(50_000)
      .execute();
    const y = (fen: number) => (fen / 100).toFixed(2);
    return toCsv([
      [
        '订单号 order_no',
        '状态 status',
        '下单时间 created_at',
        '支付时间 paid_at',
        '商品 product',
        '规格 sku',
        '数量 qty',
        '单价 unit_price',
        '实付 payable',
        '已退 refunded',
        '订单实付 order_total',
        '运费 shipping',
        '收货人 name',
        '电话 phone',
        '地址 address',
        '直播间 room',
      ],
      ...rows.map((r) => [
        r.order_no,
        r.status,
        r.created_at.toISOString(),
        r.paid_at?.toISOString() ?? '',
        r.product_title,
        r.sku_name,
        r.quantity,
        y(r.unit_price_fen),
        y(r.payable_fen),
        y(r.line_refunded_fen),
        y(r.total_fen),
        y(r.shipping_fen),
        r.address?.name ?? '',
        r.address?.phone ?? '',
        r.address ? `${r.address.province}${r.address.city}${r.address.district}${r.address.detail}` : '',
        r.room_id ?? '',
      ]),
    ]);
  }

  /** Full detail with the price breakdown. `as` decides whose view: the buyer or a shop member. */
  async detail(orderId: number, as: { userId: number } | { actor: Actor; merchantId: number }) {
    const db = this.ctx.db;
    const o = await db.selectFrom('orders').selectAll().where('id', '=', orderId).executeTakeFirst();
    if (!o) throw notFound('Order', 'ORDER_NOT_FOUND');
    if ('userId' in as) {
      if (o.user_id !== as.userId) throw notFound('Order', 'ORDER_NOT_FOUND');
    } else {
      if (o.merchant_id !== as.merchantId) throw notFound('Order', 'ORDER_NOT_FOUND');
      await this.ctx.services.merchants.requireRole(as.actor, as.merchantId);
    }
    const [lines, history, shipments, payment, merchant] = await Promise.all([
      db.selectFrom('order_lines').selectAll().where('order_id', '=', orderId).orderBy('id').execute(),
      db.selectFrom('order_status_history').selectAll().where('order_id', '=', orderId).orderBy('id').execute(),
      this.ctx.services.shipping.shipmentsOf(db, orderId),
      o.payment_id ? this.ctx.services.payments.briefOf(db, o.payment_id) : undefined,
      this.ctx.services.directory.merchantBrief(o.merchant_id, db),
    ]);
    return {
      id: o.id,
      orderNo: o.order_no,
      merchantId: o.merchant_id,
      merchantName: merchant?.name ?? '',
      userId: o.user_id,
      status: o.status,
      roomId: o.room_id,
      goodsFen: o.goods_fen,
      discountFen: o.discount_fen,
      shippingFen: o.shipping_fen,
      totalFen: o.total_fen,
      refundedFen: o.refunded_fen,
      pointsUsed: o.points_used,
      // Full: every unit refunded (the order ended), even if a shipping fee that was spent is kept.
      refundStatus: o.status === 'refunded' ? 'full' : o.refunded_fen === 0 ? 'none' : 'partial',
      charges: o.charges,
      address: o.address,
      buyerNote: o.buyer_note,
      payDeadline: o.pay_deadline,
      cancelReason: o.cancel_reason,
      payment: payment
        ? { paymentNo: payment.payment_no, status: payment.status, provider: payment.provider, paidAt: payment.paid_at }
        : null,
      lines: lines.map((l) => ({
        id: l.id,
        skuId: l.sku_id,
        productId: l.product_id,
        productTitle: l.product_title,
        skuName: l.sku_name,
        imageUrl: l.image_url,
        quantity: l.quantity,
        listUnitPriceFen: l.list_unit_price_fen,
        unitPriceFen: l.unit_price_fen,
        goodsFen: l.goods_fen,
        discountFen: l.discount_fen,
        payableFen: l.payable_fen,
        refundedFen: l.refunded_fen,
        refundedQuantity: l.refunded_quantity,
        shippedQuantity: l.shipped_quantity,
        adjustments: l.adjustments,
      })),
      shipments,
      history: history.map((h) => ({ from: h.from_status, to: h.to_status, note: h.note, at: h.created_at })),
      createdAt: o.created_at,
      paidAt: o.paid_at,
      shippedAt: o.shipped_at,
      deliveredAt: o.delivered_at,
      completedAt: o.completed_at,
      cancelledAt: o.cancelled_at,
    };
  }
}

function toSummary(
  r: Record<string, unknown>,
  lines: Array<{
    product_id: number;
    sku_id: number;
    product_title: string;
    sku_name: string;
    image_url: string | null;
    quantity: number;
    unit_price_fen: number;
    payable_fen: number;
  }>,
  merchantName: string,
) {
  return {
    id: r.id as number,
    orderNo: r.order_no as string,
    merchantId: r.merchant_id as number,
    merchantName,
    userId: r.user_id as number,
    status: r.status as OrderStatus,
    goodsFen: r.goods_fen as number,
    discountFen: r.discount_fen as number,
    shippingFen: r.shipping_fen as number,
    totalFen: r.total_fen as number,
    refundedFen: r.refunded_fen as number,
    roomId: r.room_id as number | null,
    createdAt: r.created_at as Date,
    paidAt: r.paid_at as Date | null,
    payDeadline: r.pay_deadline as Date,
    lines: lines.map((l) => ({
      productId: l.product_id,
      skuId: l.sku_id,
      productTitle: l.product_title,
      skuName: l.sku_name,
      imageUrl: l.image_url,
      quantity: l.quantity,
      unitPriceFen: l.unit_price_fen,
      payableFen: l.payable_fen,
    })),
  };
}
