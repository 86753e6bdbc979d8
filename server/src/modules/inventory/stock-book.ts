// The one way stock changes: a conditional UPDATE of a stock_levels row (so a unit can never be
// taken twice: PostgreSQL re-checks the WHERE after waiting for a row lock) plus its ledger row.
//
// Lock order, for every transaction that touches several rows: orders by ascending id first (the
// orders module), then stock_levels rows by ascending (sku_id, warehouse_id). A transaction that
// will move more than one row locks them all up front with lockLevels / lockForOrders, so two
// transactions can never hold one row each while waiting for the other's.
import { type RawBuilder, sql } from 'kysely';
import type { AppContext } from '../../platform/context.ts';
import { transact } from '../../platform/db/transact.ts';
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
   * The opening rows of SKUs created in the caller's transaction: their levels in one insert and the
   * opening ledger lines in another (a 12-SKU product took 84 statements one SKU at a time). A SKU that
   * opens at or under its threshold alerts as a move would. A SKU that has a level already is a unique
   * violation: this is not a stocktake.
   */
  async open(
    db: Db,
    merchantId: number,
    warehouseId: number,
    items: Array<{ skuId: number; quantity: number }>,
    line: Pick<Move, 'reason' | 'actorUserId'>,
    lowStockThreshold?: number,
  ): Promise<void> {
    if (!items.length) return;
    const threshold = lowStockThreshold !== undefined ? { low_stock_threshold: lowStockThreshold } : {};
    const rows = await db
      .insertInto('stock_levels')
      .values(
        items.map((i) => ({
          sku_id: i.skuId,
          warehouse_id: warehouseId,
          merchant_id: merchantId,
          on_hand: i.quantity,
          ...threshold,
        })),
      )
      .returning(['sku_id', 'on_hand', 'reserved', 'merchant_id', 'low_stock_threshold', 'low_stock_alerted'])
      .execute();
    const stocked = rows.filter((r) => r.on_hand > 0);
    if (!stocked.length) return;
    this.shown.moved(
      db,
      stocked.map((r) => r.sku_id),
    );
    await db
      .insertInto('stock_ledger')
      .values(
        stocked.map((r) => ({
          merchant_id: merchantId,
          sku_id: r.sku_id,
          warehouse_id: warehouseId,
          delta_on_hand: r.on_hand,
          delta_reserved: 0,
          on_hand_after: r.on_hand,
          reserved_after: 0,
          reason: line.reason,
          actor_user_id: line.actorUserId ?? null,
        })),
      )
      .execute();
    for (const r of stocked) await this.checkLowStock(db, r.sku_id, warehouseId, r);
  }

  /**
   * The hot path of a burst ("上链接": one SKU everyone buys at once) in one statement: take `quantity` from the
   * SKU's only stock row if it has that many free, write the ledger row and the reservation. The row lock is
   * taken by the UPDATE itself (PostgreSQL re-checks the WHERE on the row it waited for), so the lock is held
   * for this statement and the commit, not for a lock-then-decide round trip. Nothing is written when the SKU
   * is short, has several warehouses, or the order already holds stock: the caller then takes the general
   * path, which decides those cases under an explicit lock — or, told `short`, refuses without a lock.
   * `orderId` may be an expression (the next value of the orders' sequence, evaluated once); without
   * `merchantId` the reservation is the SKU's own shop's; `confirmed: false` makes it a hold (order-stock.ts).
   */
  async reserveFromOnlyRow(
    db: Db,
    r: {
      orderId: number | RawBuilder<number>;
      merchantId?: number;
      skuId: number;
      quantity: number;
      confirmed?: boolean;
    },
  ): Promise<{ orderId: number } | { short: number } | null> {
    const q = r.quantity;
    const shop = r.merchantId === undefined ? sql`true` : sql`s.merchant_id = ${r.merchantId}`;
    const { rows } = await sql<
      Partial<LevelRow> & { warehouse_id: number | null; order_id: number; n: number; free: number }
    >`
      with oid as materialized (select ${r.orderId}::bigint as id), moved as (
        update stock_levels s set reserved = s.reserved + ${q}, updated_at = now()
        where s.sku_id = ${r.skuId} and ${shop} and s.on_hand - s.reserved >= ${q}
          and (select count(*) from stock_levels x where x.sku_id = ${r.skuId}) = 1
          and not exists (select 1 from stock_reservations h where h.order_id = (select id from oid))
        returning s.warehouse_id, s.merchant_id, s.on_hand, s.reserved, s.low_stock_threshold, s.low_stock_alerted
      ), ledger as (
        insert into stock_ledger (merchant_id, sku_id, warehouse_id, delta_on_hand, delta_reserved,
          on_hand_after, reserved_after, reason, order_id)
        select merchant_id, ${r.skuId}, warehouse_id, 0, ${q}, on_hand, reserved, 'reserve', (select id from oid)
        from moved
      ), held as (
        insert into stock_reservations (order_id, sku_id, warehouse_id, merchant_id, quantity, status, confirmed)
        select (select id from oid), ${r.skuId}, warehouse_id, merchant_id, ${q}, 'reserved', ${r.confirmed ?? true}
        from moved
      )
      select m.*, (select id from oid) as order_id, sku.n, sku.free
      from (select count(*)::int as n, coalesce(sum(x.on_hand - x.reserved), 0)::int as free
              from stock_levels x where x.sku_id = ${r.skuId}) as sku
      left join moved m on true`.execute(db);
    const row = rows[0]!;
    if (row.warehouse_id === null) return row.n === 1 && row.free < q ? { short: Math.max(0, row.free) } : null;
    const level = row as LevelRow & { warehouse_id: number };
    this.shown.moved(db, [r.skuId]);
    if (lowStockChanges(level)) {
      // Outside a transaction (a hold), the flag and its event still go together.
      await transact(db, (trx) => this.checkLowStock(trx, r.skuId, level.warehouse_id, level));
    }
    return { orderId: Number(row.order_id) };
  }

  /**
   * Give back an unconfirmed hold in one statement: drop the reservation, return its units to the level, write
   * the ledger row. A hold its order's transaction is confirming stays locked until that commits (and is then
   * confirmed, so this leaves it) or rolls back (and this gives it back). True when something was given back.
   */
  async releaseUnconfirmed(db: Db, orderId: number): Promise<boolean> {
    const { rows } = await sql<{ sku_id: number }>`
      with gone as (
        delete from stock_reservations r
        where r.order_id = ${orderId} and r.status = 'reserved' and not r.confirmed
        returning r.sku_id, r.warehouse_id, r.quantity
      ), moved as (
        update stock_levels s set reserved = s.reserved - g.quantity, updated_at = now()
        from gone g where s.sku_id = g.sku_id and s.warehouse_id = g.warehouse_id
        returning s.sku_id, s.warehouse_id, s.merchant_id, s.on_hand, s.reserved, g.quantity
      ), ledger as (
        insert into stock_ledger (merchant_id, sku_id, warehouse_id, delta_on_hand, delta_reserved,
          on_hand_after, reserved_after, reason, order_id, note)
        select merchant_id, sku_id, warehouse_id, 0, -quantity, on_hand, reserved, 'release', ${orderId}, 'failed'
        from moved
      )
      select sku_id from moved`.execute(db);
    if (rows.length)
      this.shown.moved(
        db,
        rows.map((r) => Number(r.sku_id)),
      );
    return rows.length > 0;
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
    if (!lowStockChanges(row)) return;
    const available = row.on_hand - row.reserved;
    const level = db.updateTable('stock_levels').where('sku_id', '=', skuId).where('warehouse_id', '=', warehouseId);
    if (available <= row.low_stock_threshold && !row.low_stock_alerted) {
      // Conditional: of two holds that cross the threshold at once (each in its own transaction), one alerts.
      const flagged = await level.set({ low_stock_alerted: true }).where('low_stock_alerted', '=', false).execute();
      if (Number(flagged[0]?.numUpdatedRows ?? 0) === 0) return;
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

/** Whether this level crosses its low-stock threshold one way or the other (the flag and an alert change). */
function lowStockChanges(row: LevelRow): boolean {
  if (row.low_stock_threshold <= 0) return false;
  return row.on_hand - row.reserved <= row.low_stock_threshold ? !row.low_stock_alerted : row.low_stock_alerted;
}
