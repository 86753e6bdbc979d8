// Stock held for orders: reserve at placement (all lines or none), commit when paid, release when
// cancelled or unpaid in time, restock returned goods. Called inside the orders' and after-sales'
// transactions; every method locks stock rows in the global (sku_id, warehouse_id) order.
import { type RawBuilder, sql } from 'kysely';
import { retryingDeadlocks } from '../../platform/db/transact.ts';
import type { Db } from '../../platform/db/types.ts';
import { badRequest, conflict } from '../../platform/errors.ts';
import type { StockBook } from './stock-book.ts';
import './tables.ts';

export interface StockLine {
  skuId: number;
  quantity: number;
}

interface Take {
  skuId: number;
  warehouseId: number;
  quantity: number;
}
interface Settlement {
  dOnHand: number;
  dReserved: number;
  reason: 'commit' | 'release';
  note?: string;
}

export class OrderStock {
  constructor(private readonly book: StockBook) {}

  /** Reserve every line or nothing: throws 409 OUT_OF_STOCK with what is short. Idempotent per order. */
  async reserve(db: Db, input: { orderId: number; merchantId: number; lines: StockLine[] }): Promise<void> {
    const [only, ...more] = input.lines;
    if (only && more.length === 0 && Number.isSafeInteger(only.quantity) && only.quantity > 0) {
      const done = await this.book.reserveFromOnlyRow(db, { ...input, skuId: only.skuId, quantity: only.quantity });
      if (done && 'orderId' in done) return;
    }
    const existing = await db
      .selectFrom('stock_reservations')
      .select('sku_id')
      .where('order_id', '=', input.orderId)
      .executeTakeFirst();
    if (existing) return;
    const wanted = sortedLines(input.lines);
    if (wanted.length === 0) return;
    for (const [, quantity] of wanted) {
      if (!Number.isSafeInteger(quantity) || quantity <= 0) {
        throw badRequest('QUANTITY_INVALID', 'Quantity must be a positive integer');
      }
    }
    // Lock first, then decide from levels nobody else can change until we commit.
    const levels = await this.book.lockLevels(
      db,
      wanted.map(([skuId]) => skuId),
      input.merchantId,
    );
    const takes: Take[] = [];
    const short: Array<{ skuId: number; requested: number; available: number }> = [];
    for (const [skuId, quantity] of wanted) {
      // Prefer the default warehouse, then the fullest one; the lock order does not depend on it.
      const candidates = levels
        .filter((l) => l.skuId === skuId)
        .sort(
          (a, b) =>
            Number(b.isDefault) - Number(a.isDefault) ||
            b.onHand - b.reserved - (a.onHand - a.reserved) ||
            a.warehouseId - b.warehouseId,
        );
      let remaining = quantity;
      for (const level of candidates) {
        const take = Math.min(remaining, level.onHand - level.reserved);
        if (take <= 0) continue;
        takes.push({ skuId, warehouseId: level.warehouseId, quantity: take });
        remaining -= take;
        if (remaining === 0) break;
      }
      if (remaining > 0) short.push({ skuId, requested: quantity, available: quantity - remaining });
    }
    if (short.length) throw conflict('OUT_OF_STOCK', 'Not enough stock for some items', short);
    takes.sort(byStockRow);
    for (const t of takes) {
      const moved = await this.book.move(db, {
        skuId: t.skuId,
        warehouseId: t.warehouseId,
        dOnHand: 0,
        dReserved: t.quantity,
        reason: 'reserve',
        orderId: input.orderId,
      });
      if (!moved) throw new Error(`stock row sku ${t.skuId} warehouse ${t.warehouseId} changed while locked`);
    }
    await db
      .insertInto('stock_reservations')
      .values(
        takes.map((t) => ({
          order_id: input.orderId,
          sku_id: t.skuId,
          warehouse_id: t.warehouseId,
          merchant_id: input.merchantId,
          quantity: t.quantity,
          status: 'reserved' as const,
        })),
      )
      .execute();
  }

  /**
   * The burst's way in ("上链接"): hold the units for an order that is not written yet, in a statement of its
   * own, before the order's transaction — so the stock row everyone is buying is locked for that statement
   * and its commit, never while a busy node gets round to its next statement. The hold is a reservation under
   * the order's id (`orderId` may be an expression: the next value of the orders' sequence), unconfirmed, and
   * counts as reserved at once, so the books balance throughout. The order's transaction then confirms it
   * (confirmHold); if the order fails, whoever placed it gives it back (releaseHold); if its node died in
   * between, the sweep gives it back once it has lapsed (releaseLapsedHolds). `{ short }`: the SKU's only
   * row has fewer units free than asked (the order can be refused without a lock); null: the one-statement
   * path does not apply (several warehouses), and the order reserves in its transaction as usual.
   */
  hold(db: Db, input: { orderId: number | RawBuilder<number>; skuId: number; quantity: number }) {
    if (db.isTransaction) throw new Error('a hold is taken outside any transaction');
    if (!Number.isSafeInteger(input.quantity) || input.quantity <= 0) return Promise.resolve(null);
    // A statement of its own can still be picked as a deadlock's victim (by the lock queue of the row other
    // transactions lock with more rows): nothing was written, so it runs again, as a transaction would.
    return retryingDeadlocks(db, () => this.book.reserveFromOnlyRow(db, { ...input, confirmed: false }));
  }

  /**
   * In the order's transaction: the hold is still there, is this shop's, and is now confirmed. Its row stays
   * locked to the commit, so a give-back waits and then finds it confirmed (or, on a rollback, unconfirmed).
   */
  async confirmHold(db: Db, h: { orderId: number; merchantId: number; skuId: number; quantity: number }) {
    const r = await db
      .updateTable('stock_reservations')
      .set({ confirmed: true, updated_at: sql`now()` })
      .where('order_id', '=', h.orderId)
      .where('sku_id', '=', h.skuId)
      .where('merchant_id', '=', h.merchantId)
      .where('quantity', '=', h.quantity)
      .where('status', '=', 'reserved')
      .where('confirmed', '=', false)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) {
      throw conflict('STOCK_HOLD_LAPSED', 'The units held for this order were given back; please try again');
    }
  }

  /** The order a hold was for was not made: its units go back on sale (one statement, no lock held after). */
  releaseHold(db: Db, orderId: number): Promise<boolean> {
    return retryingDeadlocks(db, () => this.book.releaseUnconfirmed(db, orderId));
  }

  /** Holds unconfirmed for longer than `ms` (their node died placing the order) go back on sale. */
  async releaseLapsedHolds(db: Db, ms: number, limit = 100): Promise<number> {
    const lapsed = await db
      .selectFrom('stock_reservations')
      .select('order_id')
      .distinct()
      .where('confirmed', '=', false)
      .where('status', '=', 'reserved')
      .where('created_at', '<', sql<Date>`now() - ${`${ms} milliseconds`}::interval`)
      .orderBy('order_id')
      .limit(limit)
      .execute();
    let released = 0;
    for (const { order_id } of lapsed) if (await this.releaseHold(db, Number(order_id))) released++;
    return released;
  }

  /** Payment received: reserved units become sold. Idempotent. */
  async commit(db: Db, orderId: number): Promise<void> {
    await this.settle(db, orderId, 'committed', (q) => ({ dOnHand: -q, dReserved: -q, reason: 'commit' }));
  }

  /** Order cancelled or unpaid in time: reserved units go back on sale. Idempotent. */
  async release(db: Db, orderId: number, reason: 'cancelled' | 'payment_timeout' | 'failed'): Promise<void> {
    await this.settle(db, orderId, 'released', (q) => ({ dOnHand: 0, dReserved: -q, reason: 'release', note: reason }));
  }

  private async settle(db: Db, orderId: number, to: 'committed' | 'released', delta: (quantity: number) => Settlement) {
    const rows = await db
      .selectFrom('stock_reservations')
      .selectAll()
      .where('order_id', '=', orderId)
      .where('status', '=', 'reserved')
      .orderBy('sku_id')
      .orderBy('warehouse_id')
      .forUpdate()
      .execute();
    if (rows.length === 0) return;
    for (const r of rows) {
      const moved = await this.book.move(db, {
        skuId: r.sku_id,
        warehouseId: r.warehouse_id,
        orderId,
        ...delta(r.quantity),
      });
      if (!moved) throw new Error(`stock for order ${orderId} sku ${r.sku_id} is inconsistent`);
    }
    await db
      .updateTable('stock_reservations')
      .set({ status: to, updated_at: sql`now()` })
      .where('order_id', '=', orderId)
      .where('status', '=', 'reserved')
      .execute();
  }

  /** Returned goods received: units go back to the warehouse they left from. Idempotent per refund. */
  async restock(db: Db, input: { orderId: number; refundId: number; lines: StockLine[] }): Promise<void> {
    const done = await db
      .selectFrom('stock_ledger')
      .select('id')
      .where('order_id', '=', input.orderId)
      .where('refund_id', '=', input.refundId)
      .where('reason', '=', 'return')
      .executeTakeFirst();
    if (done) return;
    const wanted = sortedLines(input.lines);
    if (wanted.length === 0) return;
    const rows = await db
      .selectFrom('stock_reservations')
      .selectAll()
      .where('order_id', '=', input.orderId)
      .where(
        'sku_id',
        'in',
        wanted.map(([skuId]) => skuId),
      )
      .where('status', '=', 'committed')
      .orderBy('sku_id')
      .orderBy('warehouse_id')
      .forUpdate()
      .execute();
    const backs: Take[] = [];
    for (const [skuId, quantity] of wanted) {
      let remaining = quantity;
      for (const r of rows.filter((x) => x.sku_id === skuId)) {
        const back = Math.min(remaining, r.quantity - r.returned_quantity);
        if (back <= 0) continue;
        backs.push({ skuId, warehouseId: r.warehouse_id, quantity: back });
        remaining -= back;
        if (remaining === 0) break;
      }
      if (remaining > 0) {
        throw conflict(
          'RETURN_EXCEEDS_SOLD',
          `Cannot return more of SKU ${skuId} than was sold in order ${input.orderId}`,
        );
      }
    }
    for (const b of backs) {
      await this.book.move(db, {
        skuId: b.skuId,
        warehouseId: b.warehouseId,
        dOnHand: b.quantity,
        dReserved: 0,
        reason: 'return',
        orderId: input.orderId,
        refundId: input.refundId,
      });
      await db
        .updateTable('stock_reservations')
        .set({ returned_quantity: sql`returned_quantity + ${b.quantity}`, updated_at: sql`now()` })
        .where('order_id', '=', input.orderId)
        .where('sku_id', '=', b.skuId)
        .where('warehouse_id', '=', b.warehouseId)
        .execute();
    }
  }
}

/** Quantities per SKU, in ascending sku_id: the order every transaction locks stock rows in. */
function sortedLines(lines: StockLine[]): Array<[number, number]> {
  const m = new Map<number, number>();
  for (const l of lines) m.set(l.skuId, (m.get(l.skuId) ?? 0) + l.quantity);
  return [...m].sort(([a], [b]) => a - b);
}

const byStockRow = (a: Take, b: Take) => a.skuId - b.skuId || a.warehouseId - b.warehouseId;
