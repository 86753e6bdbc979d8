// What a refund of some units returns, as pure functions. A refund is decided against what is
// committed — refunded, or being refunded — at the moment it starts, never against requests that may
// still be withdrawn or rejected. Rules:
// - a line's units refund in proportion to what the line cost; the unit that completes the line
//   refunds whatever is left of it, so a line's refunds add up to exactly its payable amount;
// - the shipping fee goes back once, with the refund that leaves no unit of the order uncommitted,
//   and only if no unit of the order has shipped (a parcel on its way has cost the shop its fee);
// - no refund exceeds what is left of the order (total − committed).
import { badRequest, conflict } from '../../platform/errors.ts';

export interface RefundableLine {
  id: number;
  quantity: number;
  payableFen: number;
  shippedQuantity: number;
  /** Units and fen refunded or being refunded. */
  committedQuantity: number;
  committedFen: number;
  /** Of the committed units, those that had not shipped (ship() never ships a committed unit). */
  committedUnshipped: number;
}
export interface RefundableOrder {
  totalFen: number;
  shippingFen: number;
  committedFen: number;
  shippingCommitted: boolean;
}
export interface DecidedLine {
  lineId: number;
  quantity: number;
  unshippedQuantity: number;
  amountFen: number;
}
export interface DecidedRefund {
  lines: DecidedLine[];
  shippingFen: number;
  amountFen: number;
  endsOrder: boolean;
}

/** What refunding `quantity` more units of a line returns, given what was already committed. */
export function lineRefundAmount(
  line: { quantity: number; payable_fen: number },
  alreadyQty: number,
  alreadyFen: number,
  quantity: number,
): number {
  const after = alreadyQty + quantity;
  if (quantity <= 0 || after > line.quantity) throw badRequest('QUANTITY_INVALID', 'More units than were bought');
  const target = after === line.quantity ? line.payable_fen : Math.floor((line.payable_fen * after) / line.quantity);
  return Math.max(0, target - alreadyFen);
}

function decideLine(line: RefundableLine, quantity: number): DecidedLine {
  const left = line.quantity - line.committedQuantity;
  if (quantity > left) {
    throw conflict('NOTHING_LEFT_TO_REFUND', `Only ${left} unit(s) of line ${line.id} can still be refunded`);
  }
  const priced = { quantity: line.quantity, payable_fen: line.payableFen };
  const amountFen = lineRefundAmount(priced, line.committedQuantity, line.committedFen, quantity);
  // Units that never shipped are refunded first: those are the ones still in the warehouse.
  const freeUnshipped = Math.max(0, Math.min(line.quantity - line.shippedQuantity - line.committedUnshipped, left));
  return { lineId: line.id, quantity, unshippedQuantity: Math.min(quantity, freeUnshipped), amountFen };
}

export function decideRefund(
  order: RefundableOrder,
  lines: RefundableLine[],
  asked: Array<{ lineId: number; quantity: number }>,
): DecidedRefund {
  if (asked.length === 0) throw badRequest('LINES_REQUIRED', 'Choose what to refund');
  const decided: DecidedLine[] = [];
  for (const want of asked) {
    const line = lines.find((l) => l.id === want.lineId);
    if (!line) throw badRequest('LINE_NOT_IN_ORDER', `Line ${want.lineId} is not in this order`);
    if (decided.some((d) => d.lineId === line.id)) {
      throw badRequest('LINE_REPEATED', `Line ${line.id} is asked for twice`);
    }
    decided.push(decideLine(line, want.quantity));
  }
  const askedOf = (lineId: number) => decided.find((d) => d.lineId === lineId)?.quantity ?? 0;
  const endsOrder = lines.every((l) => l.committedQuantity + askedOf(l.id) === l.quantity);
  const nothingShipped = lines.every((l) => l.shippedQuantity === 0);
  let shippingFen = endsOrder && nothingShipped && !order.shippingCommitted ? order.shippingFen : 0;
  // Never more than is left of the order: with consistent books the cap never bites (Σ payable +
  // shipping = total); if it does, the fee gives way first, then the lines from the last one.
  const goodsFen = () => decided.reduce((s, d) => s + d.amountFen, 0);
  let over = goodsFen() + shippingFen - Math.max(0, order.totalFen - order.committedFen);
  if (over > 0) {
    const cut = Math.min(over, shippingFen);
    shippingFen -= cut;
    over -= cut;
  }
  for (let i = decided.length - 1; i >= 0 && over > 0; i--) {
    const cut = Math.min(over, decided[i]!.amountFen);
    decided[i]!.amountFen -= cut;
    over -= cut;
  }
  return { lines: decided, shippingFen, amountFen: goodsFen() + shippingFen, endsOrder };
}
