// Orders attributed to shares from the buyer's first and last touch in the shop: fixed when the
// order is placed (order.placed), confirmed and told once when it is paid (order.paid; computed then
// if placement's handler has not run yet), refunds folded in for the GMV. All through the outbox,
// so placing an order costs nothing more than before.
import type { AppContext } from '../../platform/context.ts';
import type { Db } from '../../platform/db/types.ts';
import { userVisitor } from './visitors.ts';
import './tables.ts';

interface OrderFacts {
  orderId: number;
  merchantId: number;
  userId: number;
  roomId: number | null;
  totalFen: number;
  items: Array<{ productId: number }>;
}

export class Attribution {
  constructor(private readonly ctx: AppContext) {}

  /** Fix the order's first and last touch (nothing for a buyer who never came through a share). */
  async placed(db: Db, o: OrderFacts): Promise<boolean> {
    const head = await db
      .selectFrom('growth_visitor_touches')
      .select(['first_share_id', 'last_share_id'])
      .where('merchant_id', '=', o.merchantId)
      .where('visitor_key', '=', userVisitor(o.userId).key)
      .executeTakeFirst();
    if (!head) return false;
    await db
      .insertInto('growth_order_attributions')
      .values({
        order_id: o.orderId,
        merchant_id: o.merchantId,
        buyer_user_id: o.userId,
        room_id: o.roomId,
        first_share_id: head.first_share_id,
        last_share_id: head.last_share_id,
        total_fen: o.totalFen,
        product_ids: JSON.stringify([...new Set(o.items.map((i) => i.productId))]),
      })
      .onConflict((oc) => oc.column('order_id').doNothing())
      .execute();
    return true;
  }

  /** The order was paid: mark it and tell share.order_attributed, once. */
  async paid(db: Db, o: OrderFacts & { paidAt: string }): Promise<void> {
    if (!(await this.placed(db, o))) return;
    const row = await db
      .updateTable('growth_order_attributions')
      .set({ paid_at: new Date(o.paidAt) })
      .where('order_id', '=', o.orderId)
      .where('paid_at', 'is', null)
      .returning(['first_share_id', 'last_share_id'])
      .executeTakeFirst();
    if (!row) return;
    const sharers = await db
      .selectFrom('growth_shares')
      .select(['id', 'sharer_user_id'])
      .where('id', 'in', [row.first_share_id, row.last_share_id])
      .execute();
    const sharerOf = (id: number) => sharers.find((s) => s.id === id)?.sharer_user_id ?? null;
    await this.ctx.events.emit(db, {
      type: 'share.order_attributed',
      aggregateType: 'order',
      aggregateId: o.orderId,
      payload: {
        merchantId: o.merchantId,
        orderId: o.orderId,
        buyerUserId: o.userId,
        firstTouch: { shareId: row.first_share_id, sharerUserId: sharerOf(row.first_share_id) },
        lastTouch: { shareId: row.last_share_id, sharerUserId: sharerOf(row.last_share_id) },
      },
    });
  }

  /** Refunded so far (cumulative in the event, so redelivery and reordering land on the same figure). */
  async refunded(db: Db, orderId: number, refundedFen: number): Promise<void> {
    await db
      .updateTable('growth_order_attributions')
      .set((eb) => ({ refunded_fen: eb.fn('greatest', [eb.ref('refunded_fen'), eb.val(refundedFen)]) }))
      .where('order_id', '=', orderId)
      .execute();
  }

  /** The share attribution of an order (first and last touch), or null: for distribution and the console. */
  async ofOrder(orderId: number, db: Db = this.ctx.db) {
    const r = await db
      .selectFrom('growth_order_attributions')
      .selectAll()
      .where('order_id', '=', orderId)
      .executeTakeFirst();
    return r
      ? { orderId: r.order_id, firstShareId: r.first_share_id, lastShareId: r.last_share_id, paid: r.paid_at !== null }
      : null;
  }
}
