// Inventory's service: stock per SKU per warehouse. Orders hold stock through reserve → commit or
// release (order-stock.ts); merchants change it by a delta (one conditional UPDATE, never a
// read-then-write) or set an on-hand count (row locked first). Every change writes the ledger.
import { type RawBuilder, sql } from 'kysely';
import type { Actor } from '../../platform/auth/access.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Db } from '../../platform/db/types.ts';
import { transact } from '../../platform/db/transact.ts';
import { badRequest, conflict, notFound } from '../../platform/errors.ts';
import { OrderStock, type StockLine } from './order-stock.ts';
import { StockBook, type Level } from './stock-book.ts';
import { ShownStock } from './shown-stock.ts';
import { StockViews } from './stock-views.ts';
import type { LedgerReason } from './tables.ts';
import './tables.ts';
import '../catalog/tables.ts';

export type { StockLine } from './order-stock.ts';
export { escapeLike } from './stock-views.ts';

type MerchantReason = Extract<LedgerReason, 'initial' | 'adjust' | 'import'>;

export interface AdjustInput {
  skuId: number;
  warehouseId?: number | undefined;
  quantity?: number | undefined;
  delta?: number | undefined;
  lowStockThreshold?: number | undefined;
  note?: string | undefined;
}

export class InventoryService {
  private readonly book: StockBook;
  private readonly orderStock: OrderStock;
  private readonly views: StockViews;
  private readonly shown: ShownStock;

  constructor(private readonly ctx: AppContext) {
    this.views = new StockViews(ctx);
    this.shown = new ShownStock(ctx, (skuIds, db) => this.views.available(skuIds, db));
    this.book = new StockBook(ctx, this.shown);
    this.orderStock = new OrderStock(this.book);
  }

  /** Hear the other nodes' stock movements (the shown-stock copies). */
  start = () => this.shown.start();
  stop = () => this.shown.stop();

  // ---- order lifecycle (called by orders and after-sales, inside their transactions) ----

  reserve(db: Db, input: { orderId: number; merchantId: number; lines: StockLine[] }): Promise<void> {
    return this.orderStock.reserve(db, input);
  }
  /** Before the order's transaction, on its own: see OrderStock.hold. */
  hold(input: { orderId: number | RawBuilder<number>; skuId: number; quantity: number }) {
    return this.orderStock.hold(this.ctx.db, input);
  }
  confirmHold(db: Db, input: { orderId: number; merchantId: number; skuId: number; quantity: number }) {
    return this.orderStock.confirmHold(db, input);
  }
  /** Give back the hold of an order that was not made (its transaction failed). */
  releaseHold(orderId: number): Promise<boolean> {
    return this.orderStock.releaseHold(this.ctx.db, orderId);
  }
  /** Give back holds whose node died before their order was written (a recurring job, in its transaction). */
  releaseLapsedHolds(db: Db = this.ctx.db): Promise<number> {
    return this.orderStock.releaseLapsedHolds(db, this.ctx.config.stockHoldLapseSec * 1000);
  }
  commit(db: Db, orderId: number): Promise<void> {
    return this.orderStock.commit(db, orderId);
  }
  release(db: Db, orderId: number, reason: 'cancelled' | 'payment_timeout' | 'failed'): Promise<void> {
    return this.orderStock.release(db, orderId, reason);
  }
  restock(db: Db, input: { orderId: number; refundId: number; lines: StockLine[] }): Promise<void> {
    return this.orderStock.restock(db, input);
  }
  /** Before settling several orders in one transaction: lock all their stock rows in the global order. */
  lockForOrders(db: Db, orderIds: number[]): Promise<void> {
    return this.book.lockForOrders(db, orderIds);
  }
  /** Before reserving several shops' orders of one basket in one transaction: lock the rows in the global order. */
  async lockStock(db: Db, skuIds: number[]): Promise<void> {
    await this.book.lockLevels(db, skuIds);
  }

  // ---- reads ----

  available(skuIds: number[], db: Db = this.ctx.db): Promise<Map<number, number>> {
    return this.views.available(skuIds, db);
  }
  /**
   * What shoppers are shown (this node's copy, dropped on every movement): for pages and for refusing early,
   * never to sell. `db`: read through it when this node has no copy (inside a transaction, pass it).
   */
  shownAvailable(skuIds: number[], db?: Db): Promise<Map<number, number>> {
    return this.shown.available(skuIds, db);
  }
  levels(skuIds: number[], db: Db = this.ctx.db) {
    return this.views.levels(skuIds, db);
  }
  async listWarehouses(actor: Actor, merchantId: number) {
    await this.requireMerchant(actor, merchantId, false);
    return this.views.warehouses(merchantId);
  }
  async listStock(actor: Actor, merchantId: number, filter: Parameters<StockViews['stock']>[1]) {
    await this.requireMerchant(actor, merchantId, false);
    if (filter.skuId) await this.requireOwnSku(this.ctx.db, merchantId, filter.skuId);
    return this.views.stock(merchantId, filter);
  }
  async ledger(actor: Actor, merchantId: number, filter: Parameters<StockViews['ledger']>[1]) {
    await this.requireMerchant(actor, merchantId, false);
    if (filter.skuId) await this.requireOwnSku(this.ctx.db, merchantId, filter.skuId);
    const { orderQueries } = this.ctx.services;
    if (filter.orderId) await orderQueries.requireOwnOrder(this.ctx.db, { merchantId }, filter.orderId);
    return this.views.ledger(merchantId, filter);
  }

  // ---- merchant operations ----

  async defaultWarehouse(db: Db, merchantId: number): Promise<number> {
    const w = await db
      .selectFrom('warehouses')
      .select('id')
      .where('merchant_id', '=', merchantId)
      .where('is_default', '=', true)
      .executeTakeFirst();
    if (w) return w.id;
    const created = await db
      .insertInto('warehouses')
      .values({ merchant_id: merchantId, name: '默认仓 Main warehouse', is_default: true })
      .onConflict((oc) => oc.columns(['merchant_id', 'name']).doUpdateSet({ is_default: true }))
      .returning('id')
      .executeTakeFirstOrThrow();
    return created.id;
  }

  /**
   * Set a SKU's on-hand count in a warehouse (default one if not given): the row is locked first,
   * the difference is one ledger row. Refused below what open orders reserve.
   */
  async setStock(db: Db, input: StockChange & { quantity: number; lowStockThreshold?: number }): Promise<Level> {
    assertStockCount(input.quantity);
    const { merchantId, skuId } = input;
    const warehouseId = await this.ensureLevel(db, merchantId, skuId, input.warehouseId, input.lowStockThreshold);
    // Locked before reading: the count replaces what is there now, not what was there a moment ago.
    const current = await db
      .selectFrom('stock_levels')
      .select(['on_hand', 'reserved'])
      .where('sku_id', '=', input.skuId)
      .where('warehouse_id', '=', warehouseId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const delta = input.quantity - current.on_hand;
    if (delta === 0) return { onHand: current.on_hand, reserved: current.reserved };
    const moved = await this.book.move(db, { ...ledgerFields(input), warehouseId, dOnHand: delta, dReserved: 0 });
    if (!moved) throw belowReserved(current.reserved, current.on_hand, delta);
    return moved;
  }

  /**
   * Stock for SKUs the caller's transaction has just created (a new product, an import), in the shop's
   * default warehouse: one statement for the rows, one for their opening ledger lines.
   */
  async stockNewSkus(
    db: Db,
    merchantId: number,
    items: Array<{ skuId: number; quantity: number }>,
    opts: { reason: 'initial' | 'import'; actorUserId?: number | null; lowStockThreshold?: number },
  ): Promise<void> {
    for (const i of items) assertStockCount(i.quantity);
    if (!items.length) return;
    const warehouseId = await this.defaultWarehouse(db, merchantId);
    const line = { reason: opts.reason, actorUserId: opts.actorUserId ?? null };
    await this.book.open(db, merchantId, warehouseId, items, line, opts.lowStockThreshold);
  }

  /** Change on-hand by `delta` in one conditional UPDATE: concurrent changes all count. */
  async changeStock(db: Db, input: StockChange & { delta: number }): Promise<Level> {
    if (!Number.isSafeInteger(input.delta)) {
      throw badRequest('QUANTITY_INVALID', 'A stock change must be a whole number');
    }
    const warehouseId = await this.ensureLevel(db, input.merchantId, input.skuId, input.warehouseId);
    if (input.delta !== 0) {
      const change = { ...ledgerFields(input), warehouseId, dOnHand: input.delta, dReserved: 0 };
      const moved = await this.book.move(db, change);
      if (moved) return moved;
    }
    const now = await db
      .selectFrom('stock_levels')
      .select(['on_hand', 'reserved'])
      .where('sku_id', '=', input.skuId)
      .where('warehouse_id', '=', warehouseId)
      .executeTakeFirstOrThrow();
    if (input.delta === 0) return { onHand: now.on_hand, reserved: now.reserved };
    if (now.on_hand + input.delta < 0) {
      throw badRequest(
        'QUANTITY_INVALID',
        `Stock cannot go below zero (on hand ${now.on_hand}, change ${input.delta})`,
      );
    }
    throw belowReserved(now.reserved, now.on_hand, input.delta);
  }

  /** Set the low-stock threshold of SKUs in every warehouse they are stocked in (not their stock). */
  async setLowStockThreshold(db: Db, merchantId: number, skuIds: number[], threshold: number): Promise<void> {
    if (skuIds.length === 0) return;
    await db
      .updateTable('stock_levels')
      .set({ low_stock_threshold: threshold, updated_at: sql`now()` })
      .where('merchant_id', '=', merchantId)
      .where('sku_id', 'in', skuIds)
      .execute();
  }

  /** Console and API: a delta (preferred: safe under concurrency) or an on-hand count from a stocktake. */
  async adjust(actor: Actor, merchantId: number, input: AdjustInput) {
    await this.requireMerchant(actor, merchantId, true);
    if (input.quantity !== undefined && input.delta !== undefined) {
      throw badRequest('ADJUST_AMBIGUOUS', 'Send either quantity (the count on hand) or delta (the change), not both');
    }
    return transact(this.ctx.db, async (trx) => {
      await this.requireOwnSku(trx, merchantId, input.skuId);
      const { skuId } = input;
      const warehouseId = await this.ensureLevel(trx, merchantId, skuId, input.warehouseId, input.lowStockThreshold);
      const change: StockChange = {
        merchantId,
        skuId,
        warehouseId,
        reason: 'adjust',
        actorUserId: actor.userId,
        note: input.note ?? null,
      };
      const r =
        input.quantity !== undefined
          ? await this.setStock(trx, { ...change, quantity: input.quantity })
          : await this.changeStock(trx, { ...change, delta: input.delta ?? 0 });
      return { skuId, warehouseId, onHand: r.onHand, reserved: r.reserved, available: r.onHand - r.reserved };
    });
  }

  /** The warehouse (this shop's, default if not given) with a stock row for the SKU in it. */
  private async ensureLevel(
    db: Db,
    merchantId: number,
    skuId: number,
    warehouseId?: number,
    lowStockThreshold?: number,
  ) {
    const id = warehouseId ?? (await this.defaultWarehouse(db, merchantId));
    const wh = await db
      .selectFrom('warehouses')
      .select('id')
      .where('id', '=', id)
      .where('merchant_id', '=', merchantId)
      .executeTakeFirst();
    if (!wh) throw notFound('Warehouse');
    const threshold = lowStockThreshold !== undefined ? { low_stock_threshold: lowStockThreshold } : {};
    await db
      .insertInto('stock_levels')
      .values({ sku_id: skuId, warehouse_id: id, merchant_id: merchantId, ...threshold })
      .onConflict((oc) =>
        lowStockThreshold !== undefined
          ? oc.columns(['sku_id', 'warehouse_id']).doUpdateSet(threshold)
          : oc.columns(['sku_id', 'warehouse_id']).doNothing(),
      )
      .execute();
    return id;
  }

  /** A SKU of the shop (the catalog decides), else 404: the stock book holds no other shop's SKU. */
  private async requireOwnSku(db: Db, merchantId: number, skuId: number): Promise<void> {
    await this.ctx.services.catalog.requireOwnSkus(db, merchantId, [skuId], () => notFound('SKU'));
  }

  private async requireMerchant(actor: Actor, merchantId: number, write: boolean): Promise<void> {
    const roles = write ? ['merchant_owner', 'merchant_staff'] : ['merchant_owner', 'merchant_staff', 'anchor'];
    await this.ctx.services.merchants.requireRole(actor, merchantId, roles as never);
  }

  async createWarehouse(actor: Actor, merchantId: number, input: NewWarehouse) {
    await this.requireMerchant(actor, merchantId, true);
    return transact(this.ctx.db, async (trx) => {
      if (input.isDefault) {
        await lockWarehouses(trx, merchantId);
        await trx.updateTable('warehouses').set({ is_default: false }).where('merchant_id', '=', merchantId).execute();
      }
      const row = await trx
        .insertInto('warehouses')
        .values({
          merchant_id: merchantId,
          name: input.name,
          region: input.region ?? '',
          is_default: !!input.isDefault,
        })
        .onConflict((oc) => oc.columns(['merchant_id', 'name']).doNothing())
        .returningAll()
        .executeTakeFirst();
      if (!row) throw conflict('WAREHOUSE_EXISTS', 'A warehouse with this name exists');
      return row;
    });
  }
}

/** A merchant's change of one SKU's stock: where, why and who. */
export interface StockChange {
  merchantId: number;
  skuId: number;
  warehouseId?: number;
  reason: MerchantReason;
  note?: string | null;
  actorUserId?: number | null;
}

/**
 * A shop has one default warehouse (a partial unique index). A request that moves it holds this
 * shop's transaction lock first: two at once would otherwise both clear the old default and both
 * insert a new one, and the second would fail on the index (a 500 instead of a warehouse).
 */
async function lockWarehouses(trx: Db, merchantId: number): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`warehouses:${merchantId}`}, 0))`.execute(trx);
}

interface NewWarehouse {
  name: string;
  region?: string | undefined;
  isDefault?: boolean | undefined;
}

const ledgerFields = (c: StockChange) => ({
  skuId: c.skuId,
  reason: c.reason,
  note: c.note ?? null,
  actorUserId: c.actorUserId ?? null,
});

/** A count of units on hand (a stocktake, a new SKU's opening stock). */
function assertStockCount(quantity: number): void {
  if (!Number.isSafeInteger(quantity) || quantity < 0) {
    throw badRequest('QUANTITY_INVALID', 'Stock must be a non-negative integer');
  }
}

const belowReserved = (reserved: number, onHand: number, delta: number) =>
  conflict('STOCK_BELOW_RESERVED', `Stock cannot go below the ${reserved} units reserved by open orders`, {
    onHand,
    reserved,
    delta,
  });
