// Stock per SKU per warehouse. Every change is one conditional UPDATE (so concurrent orders can
// never take the same unit: PostgreSQL re-checks the WHERE after a row lock wait) plus a ledger
// row with the reason and the order. Database checks make negative stock impossible anyway.
import { sql } from 'kysely';
import type { Actor } from '../../platform/auth/access.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Db } from '../../platform/db/types.ts';
import { badRequest, conflict, notFound } from '../../platform/errors.ts';
import type { LedgerReason } from './tables.ts';
import './tables.ts';
import '../catalog/tables.ts';
import { transact } from '../../platform/db/transact.ts';

export interface StockLine { skuId: number; quantity: number }

interface Move {
  skuId: number;
  warehouseId: number;
  dOnHand: number;
  dReserved: number;
  reason: LedgerReason;
  orderId?: number | null;
  refundId?: number | null;
  note?: string | null;
  actorUserId?: number | null;
}

export class InventoryService {
  constructor(private readonly ctx: AppContext) {}

  /** Apply one stock movement if it keeps on_hand, reserved and available ≥ 0; null when it would not. */
  private async move(db: Db, m: Move): Promise<{ onHand: number; reserved: number } | null> {
    const row = await db.updateTable('stock_levels')
      .set({
        on_hand: sql`on_hand + ${m.dOnHand}`,
        reserved: sql`reserved + ${m.dReserved}`,
        updated_at: sql`now()`,
      })
      .where('sku_id', '=', m.skuId).where('warehouse_id', '=', m.warehouseId)
      .where(sql<boolean>`on_hand + ${m.dOnHand} >= 0 and reserved + ${m.dReserved} >= 0 and (on_hand + ${m.dOnHand}) - (reserved + ${m.dReserved}) >= 0`)
      .returning(['on_hand', 'reserved', 'merchant_id', 'low_stock_threshold', 'low_stock_alerted'])
      .executeTakeFirst();
    if (!row) return null;
    await db.insertInto('stock_ledger').values({
      merchant_id: row.merchant_id, sku_id: m.skuId, warehouse_id: m.warehouseId,
      delta_on_hand: m.dOnHand, delta_reserved: m.dReserved, on_hand_after: row.on_hand, reserved_after: row.reserved,
      reason: m.reason, order_id: m.orderId ?? null, refund_id: m.refundId ?? null, note: m.note ?? null, actor_user_id: m.actorUserId ?? null,
    }).execute();
    await this.checkLowStock(db, m.skuId, m.warehouseId, row);
    return { onHand: row.on_hand, reserved: row.reserved };
  }

  /** Emits inventory.low_stock once when available drops to the threshold; re-arms when restocked. */
  private async checkLowStock(db: Db, skuId: number, warehouseId: number, row: { on_hand: number; reserved: number; merchant_id: number; low_stock_threshold: number; low_stock_alerted: boolean }): Promise<void> {
    if (row.low_stock_threshold <= 0) return;
    const available = row.on_hand - row.reserved;
    if (available <= row.low_stock_threshold && !row.low_stock_alerted) {
      await db.updateTable('stock_levels').set({ low_stock_alerted: true }).where('sku_id', '=', skuId).where('warehouse_id', '=', warehouseId).execute();
      await this.ctx.events.emit(db, {
        type: 'inventory.low_stock', aggregateType: 'sku', aggregateId: skuId,
        payload: { merchantId: row.merchant_id, skuId, warehouseId, available, threshold: row.low_stock_threshold },
      });
    } else if (available > row.low_stock_threshold && row.low_stock_alerted) {
      await db.updateTable('stock_levels').set({ low_stock_alerted: false }).where('sku_id', '=', skuId).where('warehouse_id', '=', warehouseId).execute();
    }
  }

  // ---- order lifecycle (called by orders and after-sales, inside their transactions) ----

  /** Reserve every line or nothing: throws 409 OUT_OF_STOCK with what is short. Idempotent per order. */
  async reserve(db: Db, input: { orderId: number; merchantId: number; lines: StockLine[] }): Promise<void> {
    const existing = await db.selectFrom('stock_reservations').select('sku_id').where('order_id', '=', input.orderId).executeTakeFirst();
    if (existing) return;
    const wanted = mergeLines(input.lines);
    const short: Array<{ skuId: number; requested: number; available: number }> = [];
    for (const [skuId, quantity] of wanted) {
      if (!Number.isSafeInteger(quantity) || quantity <= 0) throw badRequest('QUANTITY_INVALID', 'Quantity must be a positive integer');
      const levels = await db.selectFrom('stock_levels as s').innerJoin('warehouses as w', 'w.id', 's.warehouse_id')
        .select(['s.warehouse_id', sql<number>`s.on_hand - s.reserved`.as('available')])
        .where('s.sku_id', '=', skuId).where('s.merchant_id', '=', input.merchantId)
        .orderBy('w.is_default', 'desc').orderBy('available', 'desc').execute();
      let remaining = quantity;
      for (const level of levels) {
        let take = Math.min(remaining, level.available);
        // Someone may have taken units since we read: retry with what is left in this warehouse.
        while (take > 0) {
          const moved = await this.move(db, { skuId, warehouseId: level.warehouse_id, dOnHand: 0, dReserved: take, reason: 'reserve', orderId: input.orderId });
          if (moved) {
            await db.insertInto('stock_reservations').values({ order_id: input.orderId, sku_id: skuId, warehouse_id: level.warehouse_id, merchant_id: input.merchantId, quantity: take, status: 'reserved' }).execute();
            remaining -= take;
            break;
          }
          const now = await db.selectFrom('stock_levels').select(sql<number>`on_hand - reserved`.as('available'))
            .where('sku_id', '=', skuId).where('warehouse_id', '=', level.warehouse_id).executeTakeFirst();
          take = Math.min(remaining, now?.available ?? 0);
        }
        if (remaining === 0) break;
      }
      if (remaining > 0) short.push({ skuId, requested: quantity, available: quantity - remaining });
    }
    // Throwing aborts the caller's transaction, which undoes the lines already reserved.
    if (short.length) throw conflict('OUT_OF_STOCK', 'Not enough stock for some items', short);
  }

  /** Payment received: reserved units become sold. Idempotent. */
  async commit(db: Db, orderId: number): Promise<void> {
    const rows = await db.selectFrom('stock_reservations').selectAll().where('order_id', '=', orderId).where('status', '=', 'reserved').forUpdate().execute();
    for (const r of rows) {
      const moved = await this.move(db, { skuId: r.sku_id, warehouseId: r.warehouse_id, dOnHand: -r.quantity, dReserved: -r.quantity, reason: 'commit', orderId });
      if (!moved) throw new Error(`stock for order ${orderId} sku ${r.sku_id} is inconsistent`);
      await db.updateTable('stock_reservations').set({ status: 'committed', updated_at: sql`now()` })
        .where('order_id', '=', orderId).where('sku_id', '=', r.sku_id).where('warehouse_id', '=', r.warehouse_id).execute();
    }
  }

  /** Order cancelled or unpaid in time: reserved units go back on sale. Idempotent. */
  async release(db: Db, orderId: number, reason: 'cancelled' | 'payment_timeout' | 'failed'): Promise<void> {
    const rows = await db.selectFrom('stock_reservations').selectAll().where('order_id', '=', orderId).where('status', '=', 'reserved').forUpdate().execute();
    for (const r of rows) {
      const moved = await this.move(db, { skuId: r.sku_id, warehouseId: r.warehouse_id, dOnHand: 0, dReserved: -r.quantity, reason: 'release', orderId, note: reason });
      if (!moved) throw new Error(`stock for order ${orderId} sku ${r.sku_id} is inconsistent`);
      await db.updateTable('stock_reservations').set({ status: 'released', updated_at: sql`now()` })
        .where('order_id', '=', orderId).where('sku_id', '=', r.sku_id).where('warehouse_id', '=', r.warehouse_id).execute();
    }
  }

  /** Returned goods received: units go back to the warehouse they left from. Idempotent per refund. */
  async restock(db: Db, input: { orderId: number; refundId: number; lines: StockLine[] }): Promise<void> {
    const done = await db.selectFrom('stock_ledger').select('id').where('refund_id', '=', input.refundId).where('reason', '=', 'return').executeTakeFirst();
    if (done) return;
    for (const [skuId, quantity] of mergeLines(input.lines)) {
      let remaining = quantity;
      const rows = await db.selectFrom('stock_reservations').selectAll()
        .where('order_id', '=', input.orderId).where('sku_id', '=', skuId).where('status', '=', 'committed').forUpdate().execute();
      for (const r of rows) {
        const back = Math.min(remaining, r.quantity - r.returned_quantity);
        if (back <= 0) continue;
        await this.move(db, { skuId, warehouseId: r.warehouse_id, dOnHand: back, dReserved: 0, reason: 'return', orderId: input.orderId, refundId: input.refundId });
        await db.updateTable('stock_reservations').set({ returned_quantity: sql`returned_quantity + ${back}`, updated_at: sql`now()` })
          .where('order_id', '=', input.orderId).where('sku_id', '=', skuId).where('warehouse_id', '=', r.warehouse_id).execute();
        remaining -= back;
        if (remaining === 0) break;
      }
      if (remaining > 0) throw conflict('RETURN_EXCEEDS_SOLD', `Cannot return more of SKU ${skuId} than was sold in order ${input.orderId}`);
    }
  }

  async available(skuIds: number[], db: Db = this.ctx.db): Promise<Map<number, number>> {
    const out = new Map<number, number>(skuIds.map((id) => [id, 0]));
    if (skuIds.length === 0) return out;
    const rows = await db.selectFrom('stock_levels').select(['sku_id', sql<number>`sum(on_hand - reserved)`.as('available')])
      .where('sku_id', 'in', skuIds).groupBy('sku_id').execute();
    for (const r of rows) out.set(r.sku_id, r.available);
    return out;
  }

  // ---- merchant operations ----

  async defaultWarehouse(db: Db, merchantId: number): Promise<number> {
    const w = await db.selectFrom('warehouses').select('id').where('merchant_id', '=', merchantId).where('is_default', '=', true).executeTakeFirst();
    if (w) return w.id;
    const created = await db.insertInto('warehouses').values({ merchant_id: merchantId, name: '默认仓 Main warehouse', is_default: true })
      .onConflict((oc) => oc.columns(['merchant_id', 'name']).doUpdateSet({ is_default: true })).returning('id').executeTakeFirstOrThrow();
    return created.id;
  }

  /** Set a SKU's on-hand stock in a warehouse (default one if not given), recording the difference. */
  async setStock(db: Db, input: { merchantId: number; skuId: number; quantity: number; warehouseId?: number; reason: 'initial' | 'adjust' | 'import'; note?: string; actorUserId?: number; lowStockThreshold?: number }): Promise<{ onHand: number; reserved: number }> {
    if (!Number.isSafeInteger(input.quantity) || input.quantity < 0) throw badRequest('QUANTITY_INVALID', 'Stock must be a non-negative integer');
    const warehouseId = input.warehouseId ?? await this.defaultWarehouse(db, input.merchantId);
    const wh = await db.selectFrom('warehouses').select('id').where('id', '=', warehouseId).where('merchant_id', '=', input.merchantId).executeTakeFirst();
    if (!wh) throw notFound('Warehouse');
    await db.insertInto('stock_levels').values({ sku_id: input.skuId, warehouse_id: warehouseId, merchant_id: input.merchantId, ...(input.lowStockThreshold !== undefined ? { low_stock_threshold: input.lowStockThreshold } : {}) })
      .onConflict((oc) => oc.columns(['sku_id', 'warehouse_id']).doNothing()).execute();
    if (input.lowStockThreshold !== undefined) {
      await db.updateTable('stock_levels').set({ low_stock_threshold: input.lowStockThreshold }).where('sku_id', '=', input.skuId).where('warehouse_id', '=', warehouseId).execute();
    }
    const current = await db.selectFrom('stock_levels').select(['on_hand', 'reserved']).where('sku_id', '=', input.skuId).where('warehouse_id', '=', warehouseId).forUpdate().executeTakeFirstOrThrow();
    const delta = input.quantity - current.on_hand;
    if (delta === 0) return { onHand: current.on_hand, reserved: current.reserved };
    const moved = await this.move(db, { skuId: input.skuId, warehouseId, dOnHand: delta, dReserved: 0, reason: input.reason, note: input.note ?? null, actorUserId: input.actorUserId ?? null });
    if (!moved) throw conflict('STOCK_BELOW_RESERVED', `Stock cannot go below the ${current.reserved} units reserved by open orders`);
    return moved;
  }

  private async requireMerchant(actor: Actor, merchantId: number, write: boolean): Promise<void> {
    await this.ctx.services.merchants.requireRole(actor, merchantId, write ? ['merchant_owner', 'merchant_staff'] : ['merchant_owner', 'merchant_staff', 'anchor']);
  }

  async listWarehouses(actor: Actor, merchantId: number) {
    await this.requireMerchant(actor, merchantId, false);
    return this.ctx.db.selectFrom('warehouses').selectAll().where('merchant_id', '=', merchantId).orderBy('id').execute();
  }

  async createWarehouse(actor: Actor, merchantId: number, input: { name: string; region?: string | undefined; isDefault?: boolean | undefined }) {
    await this.requireMerchant(actor, merchantId, true);
    return transact(this.ctx.db, async (trx) => {
      if (input.isDefault) await trx.updateTable('warehouses').set({ is_default: false }).where('merchant_id', '=', merchantId).execute();
      const row = await trx.insertInto('warehouses').values({ merchant_id: merchantId, name: input.name, region: input.region ?? '', is_default: input.isDefault ?? false })
        .onConflict((oc) => oc.columns(['merchant_id', 'name']).doNothing()).returningAll().executeTakeFirst();
      if (!row) throw conflict('WAREHOUSE_EXISTS', 'A warehouse with this name exists');
      return row;
    });
  }

  async listStock(actor: Actor, merchantId: number, filter: { lowOnly?: boolean | undefined; skuId?: number | undefined; q?: string | undefined; page: number; pageSize: number }) {
    await this.requireMerchant(actor, merchantId, false);
    let q = this.ctx.db.selectFrom('stock_levels as s')
      .innerJoin('skus as k', 'k.id', 's.sku_id').innerJoin('products as p', 'p.id', 'k.product_id').innerJoin('warehouses as w', 'w.id', 's.warehouse_id')
      .where('s.merchant_id', '=', merchantId).where('p.deleted_at', 'is', null);
    if (filter.lowOnly) q = q.where(sql<boolean>`s.on_hand - s.reserved <= s.low_stock_threshold and s.low_stock_threshold > 0`);
    if (filter.skuId) q = q.where('s.sku_id', '=', filter.skuId);
    if (filter.q) q = q.where((eb) => eb.or([eb('p.title', 'ilike', `%${escapeLike(filter.q!)}%`), eb('k.code', 'ilike', `%${escapeLike(filter.q!)}%`)]));
    const [items, total] = await Promise.all([
      q.select(['s.sku_id as skuId', 'k.name as skuName', 'k.code', 'p.id as productId', 'p.title as productTitle', 's.warehouse_id as warehouseId', 'w.name as warehouseName',
        's.on_hand as onHand', 's.reserved', sql<number>`s.on_hand - s.reserved`.as('available'), 's.low_stock_threshold as lowStockThreshold',
        sql<boolean>`s.low_stock_threshold > 0 and s.on_hand - s.reserved <= s.low_stock_threshold`.as('low')])
        .orderBy('p.id').orderBy('s.sku_id').limit(filter.pageSize).offset((filter.page - 1) * filter.pageSize).execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items, total: total.n, page: filter.page, pageSize: filter.pageSize };
  }

  async adjust(actor: Actor, merchantId: number, input: { skuId: number; warehouseId?: number | undefined; quantity?: number | undefined; delta?: number | undefined; lowStockThreshold?: number | undefined; note?: string | undefined }) {
    await this.requireMerchant(actor, merchantId, true);
    return transact(this.ctx.db, async (trx) => {
      const sku = await trx.selectFrom('skus').select('id').where('id', '=', input.skuId).where('merchant_id', '=', merchantId).executeTakeFirst();
      if (!sku) throw notFound('SKU');
      const warehouseId = input.warehouseId ?? await this.defaultWarehouse(trx, merchantId);
      let quantity = input.quantity;
      if (quantity === undefined) {
        const cur = await trx.selectFrom('stock_levels').select('on_hand').where('sku_id', '=', input.skuId).where('warehouse_id', '=', warehouseId).executeTakeFirst();
        quantity = (cur?.on_hand ?? 0) + (input.delta ?? 0);
      }
      if (quantity < 0) throw badRequest('QUANTITY_INVALID', 'Stock cannot go below zero');
      const r = await this.setStock(trx, { merchantId, skuId: input.skuId, warehouseId, quantity, reason: 'adjust', ...(input.note ? { note: input.note } : {}), actorUserId: actor.userId, ...(input.lowStockThreshold !== undefined ? { lowStockThreshold: input.lowStockThreshold } : {}) });
      return { skuId: input.skuId, warehouseId, onHand: r.onHand, reserved: r.reserved, available: r.onHand - r.reserved };
    });
  }

  async ledger(actor: Actor, merchantId: number, filter: { skuId?: number | undefined; orderId?: number | undefined; page: number; pageSize: number }) {
    await this.requireMerchant(actor, merchantId, false);
    let q = this.ctx.db.selectFrom('stock_ledger').where('merchant_id', '=', merchantId);
    if (filter.skuId) q = q.where('sku_id', '=', filter.skuId);
    if (filter.orderId) q = q.where('order_id', '=', filter.orderId);
    const [items, total] = await Promise.all([
      q.select(['id', 'sku_id as skuId', 'warehouse_id as warehouseId', 'delta_on_hand as deltaOnHand', 'delta_reserved as deltaReserved', 'on_hand_after as onHandAfter', 'reserved_after as reservedAfter', 'reason', 'order_id as orderId', 'refund_id as refundId', 'note', 'actor_user_id as actorUserId', 'created_at as createdAt'])
        .orderBy('id', 'desc').limit(filter.pageSize).offset((filter.page - 1) * filter.pageSize).execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items, total: total.n, page: filter.page, pageSize: filter.pageSize };
  }
}

function mergeLines(lines: StockLine[]): Map<number, number> {
  const m = new Map<number, number>();
  for (const l of lines) m.set(l.skuId, (m.get(l.skuId) ?? 0) + l.quantity);
  return m;
}

export const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
