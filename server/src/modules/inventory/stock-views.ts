// Read side of inventory: available stock for shoppers, levels and the ledger for the shop.
// Tenancy is checked by InventoryService before any of these run.
import { sql } from 'kysely';
import type { AppContext } from '../../platform/context.ts';
import type { Db } from '../../platform/db/types.ts';
import './tables.ts';

export const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export interface SkuLevel {
  onHand: number;
  reserved: number;
  available: number;
}

export class StockViews {
  constructor(private readonly ctx: AppContext) {}

  /** Units a shopper can still buy per SKU (all warehouses). */
  async available(skuIds: number[], db: Db = this.ctx.db): Promise<Map<number, number>> {
    const levels = await this.levels(skuIds, db);
    return new Map([...levels].map(([id, l]) => [id, l.available]));
  }

  /** On hand, reserved by open orders, and available per SKU (all warehouses). */
  async levels(skuIds: number[], db: Db = this.ctx.db): Promise<Map<number, SkuLevel>> {
    const out = new Map<number, SkuLevel>(skuIds.map((id) => [id, { onHand: 0, reserved: 0, available: 0 }]));
    if (skuIds.length === 0) return out;
    const rows = await db
      .selectFrom('stock_levels')
      .select(['sku_id', sql<number>`sum(on_hand)::int`.as('on_hand'), sql<number>`sum(reserved)::int`.as('reserved')])
      .where('sku_id', 'in', skuIds)
      .groupBy('sku_id')
      .execute();
    for (const r of rows)
      out.set(r.sku_id, { onHand: r.on_hand, reserved: r.reserved, available: r.on_hand - r.reserved });
    return out;
  }

  warehouses(merchantId: number) {
    return this.ctx.db
      .selectFrom('warehouses')
      .selectAll()
      .where('merchant_id', '=', merchantId)
      .orderBy('id')
      .execute();
  }

  async stock(
    merchantId: number,
    filter: {
      lowOnly?: boolean | undefined;
      skuId?: number | undefined;
      q?: string | undefined;
      page: number;
      pageSize: number;
    },
  ) {
    // The SKUs (names, products, the title/code search) are the catalog's; levels and warehouses are ours.
    const skus = await this.ctx.services.catalog.shopSkus(merchantId, filter.q);
    const position = new Map(skus.map((k, i) => [k.skuId, i]));
    let q = this.ctx.db
      .selectFrom('stock_levels as s')
      .innerJoin('warehouses as w', 'w.id', 's.warehouse_id')
      .where('s.merchant_id', '=', merchantId);
    if (filter.lowOnly)
      q = q.where(sql<boolean>`s.on_hand - s.reserved <= s.low_stock_threshold and s.low_stock_threshold > 0`);
    if (filter.skuId) q = q.where('s.sku_id', '=', filter.skuId);
    const levels = (
      await q
        .select([
          's.sku_id',
          's.warehouse_id',
          'w.name',
          'w.is_default',
          's.on_hand',
          's.reserved',
          's.low_stock_threshold',
        ])
        .execute()
    ).filter((l) => position.has(l.sku_id));
    levels.sort((a, b) => position.get(a.sku_id)! - position.get(b.sku_id)! || a.warehouse_id - b.warehouse_id);
    const from = (filter.page - 1) * filter.pageSize;
    const items = levels.slice(from, from + filter.pageSize).map((l) => {
      const k = skus[position.get(l.sku_id)!]!;
      const available = l.on_hand - l.reserved;
      return {
        skuId: l.sku_id,
        skuName: k.skuName,
        code: k.code,
        productId: k.productId,
        productTitle: k.productTitle,
        warehouseId: l.warehouse_id,
        warehouseName: l.name,
        isDefaultWarehouse: l.is_default,
        onHand: l.on_hand,
        reserved: l.reserved,
        available,
        lowStockThreshold: l.low_stock_threshold,
        low: l.low_stock_threshold > 0 && available <= l.low_stock_threshold,
      };
    });
    return { items, total: levels.length, page: filter.page, pageSize: filter.pageSize };
  }

  async ledger(
    merchantId: number,
    filter: { skuId?: number | undefined; orderId?: number | undefined; page: number; pageSize: number },
  ) {
    let q = this.ctx.db.selectFrom('stock_ledger').where('merchant_id', '=', merchantId);
    if (filter.skuId) q = q.where('sku_id', '=', filter.skuId);
    if (filter.orderId) q = q.where('order_id', '=', filter.orderId);
    const [items, total] = await Promise.all([
      q
        .select([
          'id',
          'sku_id as skuId',
          'warehouse_id as warehouseId',
          'delta_on_hand as deltaOnHand',
          'delta_reserved as deltaReserved',
          'on_hand_after as onHandAfter',
          'reserved_after as reservedAfter',
          'reason',
          'order_id as orderId',
          'refund_id as refundId',
          'note',
          'actor_user_id as actorUserId',
          'created_at as createdAt',
        ])
        .orderBy('id', 'desc')
        .limit(filter.pageSize)
        .offset((filter.page - 1) * filter.pageSize)
        .execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items, total: total.n, page: filter.page, pageSize: filter.pageSize };
  }
}
