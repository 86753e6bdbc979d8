// The one way stock changes: a conditional UPDATE of a stock_levels row (so a unit can never be
// taken twice: PostgreSQL re-checks the WHERE after waiting for a row lock) plus its ledger row.
//
// Lock order, for every transaction that touches several rows: orders by ascending id first (the
// orders module), then stock_levels rows by ascending (sku_id, warehouse_id). A transaction that
// will move more than one row locks them all up front with lockLevels / lockForOrders, so two
// transactions can never hold one row each while waiting for the other's.
import { sql } from 'kysely';
import type { AppContext } from '../../platform/context.ts';
import type { Db } from '../../platform/db/types.ts';
import type { ShownStock } from './shown-stock.ts';
import type { LedgerReason } from './tables.ts';
import './tables.ts';

export interface Move {
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

export interface Level {
  onHand: number;
  reserved: number;
}

export interface LockedLevel {
  skuId: number;
  warehouseId: number;
  onHand: number;
  reserved: number;
  isDefault: boolean;
}

interface LevelRow {
  on_hand: number;
  reserved: number;
  merchant_id: number;
  low_stock_threshold: number;
  low_stock_alerted: boolean;
}

export class StockBook {
  constructor(
    private readonly ctx: AppContext,
    private readonly shown: ShownStock,
  ) {}

  /** Apply one movement if it keeps on_hand ≥ reserved ≥ 0; null (nothing written) when it would not. */
  async move(db: Db, m: Move): Promise<Level | null> {
    const onHand = sql<number>`on_hand + ${m.dOnHand}`;
    const reserved = sql<number>`reserved + ${m.dReserved}`;
    const row = await db
      .updateTable('stock_levels')
      .set({ on_hand: onHand, reserved, updated_at: sql`now()` })
      .where('sku_id', '=', m.skuId)
      .where('warehouse_id', '=', m.warehouseId)
      .where(sql<boolean>`${reserved} >= 0 and ${onHand} >= ${reserved}`)
      .returning(['on_hand', 'reserved', 'merchant_id', 'low_stock_threshold', 'low_stock_alerted'])
      .executeTakeFirst();
    if (!row) return null;
    if (m.dOnHand !== m.dReserved) this.shown.moved(db, [m.skuId]);
    await db
      .insertInto('stock_ledger')
      .values({
        merchant_id: row.merchant_id,
        sku_id: m.skuId,
        warehouse_id: m.warehouseId,
        delta_on_hand: m.dOnHand,
        delta_reserved: m.dReserved,
        on_hand_after: row.on_hand,
        reserved_after: row.reserved,
        reason: m.reason,
        order_id: m.orderId ?? null,
        refund_id: m.refundId ?? null,
        note: m.note ?? null,
        actor_user_id: m.actorUserId ?? null,
      })
      .execute();
    await this.checkLowStock(db, m.skuId, m.warehouseId, row);
    return { onHand: row.on_hand, reserved: row.reserved };
  }

  /**
   * The hot path of a burst ("上链接": one SKU everyone buys at once) in one statement: take `quantity` from the
   * SKU's only stock row if it has that many free, write the ledger row and the reservation. The row lock is
   * taken by the UPDATE itself (PostgreSQL re-checks the WHERE on the row it waited for), so the lock is held
   * for this statement and the commit, not for a lock-then-decide round trip. False, with nothing written,
   * when the SKU is short, has several warehouses, or the order already holds stock: the caller then takes
   * the general path, which decides those cases under an explicit lock.
   */
  async reserveFromOnlyRow(db: Db, r: { orderId: number; merchantId: number; skuId: number; quantity: number }) {
    const q = r.quantity;
    const moved = await sql<LevelRow & { warehouse_id: number }>`
      with moved as (
        update stock_levels s set reserved = s.reserved + ${q}, updated_at = now()
        where s.sku_id = ${r.skuId} and s.merchant_id = ${r.merchantId} and s.on_hand - s.reserved >= ${q}
          and (select count(*) from stock_levels x where x.sku_id = ${r.skuId}) = 1
          and not exists (select 1 from stock_reservations h where h.order_id = ${r.orderId})
        returning s.warehouse_id, s.merchant_id, s.on_hand, s.reserved, s.low_stock_threshold, s.low_stock_alerted
      ), ledger as (
        insert into stock_ledger (merchant_id, sku_id, warehouse_id, delta_on_hand, delta_reserved,
          on_hand_after, reserved_after, reason, order_id)
        select merchant_id, ${r.skuId}, warehouse_id, 0, ${q}, on_hand, reserved, 'reserve', ${r.orderId} from moved
      ), held as (
        insert into stock_reservations (order_id, sku_id, warehouse_id, merchant_id, quantity, status)
        select ${r.orderId}, ${r.skuId}, warehouse_id, merchant_id, ${q}, 'reserved' from moved
      )
      select * from moved`.execute(db);
    const row = moved.rows[0];
    if (!row) return false;
    this.shown.moved(db, [r.skuId]);
    await this.checkLowStock(db, r.skuId, row.warehouse_id, row);
    return true;
  }

  /**
   * Lock every stock row of these SKUs (of one shop, when given) in (sku_id, warehouse_id) order,
   * and return them in that order with their current levels.
   */
  async lockLevels(db: Db, skuIds: number[], merchantId?: number): Promise<LockedLevel[]> {
    if (skuIds.length === 0) return [];
    const rows = await db
      .selectFrom('stock_levels as s')
      .innerJoin('warehouses as w', 'w.id', 's.warehouse_id')
      .select(['s.sku_id', 's.warehouse_id', 's.on_hand', 's.reserved', 'w.is_default'])
      .where('s.sku_id', 'in', [...new Set(skuIds)])
      .$if(merchantId !== undefined, (q) => q.where('s.merchant_id', '=', merchantId!))
      .orderBy('s.sku_id')
      .orderBy('s.warehouse_id')
      .forUpdate('s')
      .execute();
    return rows.map((r) => ({
      skuId: r.sku_id,
      warehouseId: r.warehouse_id,
      onHand: r.on_hand,
      reserved: r.reserved,
      isDefault: r.is_default,
    }));
  }

  /** Lock the stock rows every reservation of these orders points at, in the global order. */
  async lockForOrders(db: Db, orderIds: number[]): Promise<void> {
    if (orderIds.length === 0) return;
    await db
      .selectFrom('stock_levels')
      .select(['sku_id', 'warehouse_id'])
      .where(sql<boolean>`(sku_id, warehouse_id) in (select sku_id, warehouse_id from stock_reservations
        where order_id in (${sql.join(orderIds)}))`)
      .orderBy('sku_id')
      .orderBy('warehouse_id')
      .forUpdate()
      .execute();
  }

  /** Emits inventory.low_stock once when available drops to the threshold; re-arms when restocked. */
  private async checkLowStock(db: Db, skuId: number, warehouseId: number, row: LevelRow): Promise<void> {
    if (row.low_stock_threshold <= 0) return;
    const available = row.on_hand - row.reserved;
    const level = db.updateTable('stock_levels').where('sku_id', '=', skuId).where('warehouse_id', '=', warehouseId);
    if (available <= row.low_stock_threshold && !row.low_stock_alerted) {
      await level.set({ low_stock_alerted: true }).execute();
      await this.ctx.events.emit(db, {
        type: 'inventory.low_stock',
        aggregateType: 'sku',
        aggregateId: skuId,
        payload: { merchantId: row.merchant_id, skuId, warehouseId, available, threshold: row.low_stock_threshold },
      });
    } else if (available > row.low_stock_threshold && row.low_stock_alerted) {
      await level.set({ low_stock_alerted: false }).execute();
    }
  }
}
