// What a shopper may still ask for, and what a request would return, as if its refund started now
// after the other open requests: units refunded, being refunded, or held by an open request cannot
// be asked for again. The same estimate is stored with a new request (aftersale-service.ts) and
// shown before it is sent (GET /api/orders/:orderId/refundable, POST …/aftersales/estimate).
import { sql } from 'kysely';
import type { AppContext } from '../../platform/context.ts';
import type { Db } from '../../platform/db/types.ts';
import { badRequest } from '../../platform/errors.ts';
import { decideRefund } from '../orders/refund-rules.ts';
import type { OrderForRefund } from '../orders/refunds.ts';
import type { AftersaleStatus } from './aftersale-service.ts';

/** Requests whose refund has not started: they hold their units against new requests. */
export const HOLDING: AftersaleStatus[] = ['requested', 'awaiting_return', 'returned'];
/** Order states in which the buyer may ask for money back. */
export const REQUESTABLE = ['paid', 'shipped', 'delivered', 'completed'];

type Asked = Array<{ lineId: number; quantity: number }>;

async function linesWithOpenRequests(ctx: AppContext, db: Db, orderId: number) {
  const held = await db
    .selectFrom('aftersale_lines as al')
    .innerJoin('aftersales as a', 'a.id', 'al.aftersale_id')
    .select(['al.order_line_id', sql<number>`sum(al.quantity)`.as('q'), sql<number>`sum(al.amount_fen)`.as('f')])
    .where('a.order_id', '=', orderId)
    .where('a.status', 'in', HOLDING)
    .groupBy('al.order_line_id')
    .execute();
  const heldOf = (lineId: number) => {
    const h = held.find((x) => x.order_line_id === lineId);
    return { quantity: Number(h?.q ?? 0), fen: Number(h?.f ?? 0) };
  };
  const lines = (await ctx.services.orderRefunds.refundable(db, orderId)).map((l) => ({
    ...l,
    heldQuantity: heldOf(l.id).quantity,
    heldFen: heldOf(l.id).fen,
  }));
  return { lines, heldFen: held.reduce((s, h) => s + Number(h.f), 0) };
}

/** The refund `asked` would get now, counting the open requests as if they were committed first. */
export async function estimateRefund(ctx: AppContext, db: Db, order: OrderForRefund, asked: Asked) {
  const { lines, heldFen } = await linesWithOpenRequests(ctx, db, order.id);
  const counted = lines.map((l) => ({
    ...l,
    committedQuantity: l.committedQuantity + l.heldQuantity,
    committedFen: l.committedFen + l.heldFen,
  }));
  for (const want of asked) {
    const line = counted.find((l) => l.id === want.lineId);
    if (!line) throw badRequest('LINE_NOT_IN_ORDER', `Line ${want.lineId} is not in this order`);
    const left = line.quantity - line.committedQuantity;
    if (want.quantity > left) {
      throw badRequest('QUANTITY_INVALID', `At most ${left} unit(s) of line ${line.id} can still be refunded`);
    }
  }
  const committedFen = order.committedFen + heldFen;
  return decideRefund(
    {
      totalFen: order.totalFen,
      shippingFen: order.shippingFen,
      committedFen,
      shippingCommitted: order.shippingCommitted,
    },
    counted,
    asked,
  );
}

/** Where each line stands: refunded, being refunded, asked for by an open request, still refundable. */
export async function refundStateOf(ctx: AppContext, db: Db, order: OrderForRefund, windowOpen: boolean) {
  const { lines, heldFen } = await linesWithOpenRequests(ctx, db, order.id);
  const view = lines.map((l) => ({
    lineId: l.id,
    quantity: l.quantity,
    shippedQuantity: l.shippedQuantity,
    refundedQuantity: l.refundedQuantity,
    refundingQuantity: l.refundingQuantity,
    requestedQuantity: l.heldQuantity,
    refundableQuantity: Math.max(0, l.quantity - l.committedQuantity - l.heldQuantity),
    refundedFen: l.refundedFen,
    refundingFen: l.refundingFen,
    requestedFen: l.heldFen,
  }));
  const open = REQUESTABLE.includes(order.status) && windowOpen;
  return {
    orderId: order.id,
    status: order.status,
    totalFen: order.totalFen,
    // Order totals include the shipping fee when it went back; the lines carry the goods.
    refundedFen: order.refundedFen,
    refundingFen: order.refundingFen,
    requestedFen: heldFen,
    canRequest: open && view.some((l) => l.refundableQuantity > 0),
    // A return needs something that shipped; before that only a refund can be asked for.
    types: order.status === 'paid' ? ['refund_only'] : ['refund_only', 'return_refund'],
    lines: view,
  };
}
