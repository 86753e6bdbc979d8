// Points (积分): earned on completed orders, spent at checkout. Rates are configurable per platform.
import { allocate } from '../../../platform/money/allocate.ts';
import type { PricedLine, RuleOutcome } from './types.ts';

export interface PointsPolicy {
  /** Points earned per yuan paid (1 = 1 point per 元). */
  earnPerYuan: number;
  /** How many points make one yuan off at checkout (100 = 100 points per 元). */
  pointsPerYuan: number;
  /** At most this share of the order may be paid with points, in basis points (5000 = 50 %). */
  maxShareBp: number;
}

export const DEFAULT_POINTS_POLICY: PointsPolicy = { earnPerYuan: 1, pointsPerYuan: 100, maxShareBp: 5000 };

export function pointsEarned(paidFen: number, policy: PointsPolicy): number {
  return Math.floor((paidFen / 100) * policy.earnPerYuan);
}

/**
 * How much `requested` points take off these lines: limited by the balance, the max share of
 * the order, and whole fen; returns the points actually used and the per-line split.
 */
export function pointsDeduction(
  requested: number,
  balance: number,
  lines: PricedLine[],
  policy: PointsPolicy,
): RuleOutcome & { pointsUsed: number } {
  const subtotal = lines.reduce((s, l) => s + Math.max(0, l.amountFen), 0);
  const maxFenByShare = Math.floor((subtotal * policy.maxShareBp) / 10_000);
  const usable = Math.min(Math.max(0, requested), Math.max(0, balance));
  // 1 fen costs pointsPerYuan/100 points; only whole fen are taken, and only points for them are spent.
  const fenByPoints = Math.floor((usable * 100) / policy.pointsPerYuan);
  const discount = Math.min(fenByPoints, maxFenByShare);
  const pointsUsed = Math.ceil((discount * policy.pointsPerYuan) / 100);
  const positive = lines.filter((l) => l.amountFen > 0);
  const parts = allocate(
    discount,
    positive.map((l) => l.amountFen),
    { capByWeight: true },
  );
  return {
    discountFen: discount,
    pointsUsed,
    perLine: positive.map((l, i) => ({ lineId: l.lineId, amountFen: parts[i]! })).filter((p) => p.amountFen > 0),
    reason: discount > 0 ? `积分抵扣：${pointsUsed}积分抵${(discount / 100).toFixed(2)}元` : '',
  };
}

/**
 * Points to take back after a refund of a completed order: what was earned, less what the amount
 * the buyer kept still earns, less what was taken back already. Cumulative, so refunds handled in
 * any order (or twice) end at the same place: exactly "points earned on what was kept".
 */
export function earnedPointsToReverse(
  earned: number,
  alreadyReversed: number,
  keptFen: number,
  policy: PointsPolicy,
): number {
  const keeps = Math.min(earned, pointsEarned(Math.max(0, keptFen), policy));
  return Math.max(0, earned - alreadyReversed - keeps);
}

/**
 * Points paid with that come back after a refund: in proportion to the goods refunded against the
 * goods paid (shipping is not goods), cumulatively, all of them once all goods are refunded, so the
 * returns of all refunds of an order add up to exactly the points it used.
 */
export function pointsUsedToReturn(
  pointsUsed: number,
  goodsPaidFen: number,
  goodsRefundedFen: number,
  alreadyReturned: number,
): number {
  if (pointsUsed <= 0) return 0;
  const target =
    goodsRefundedFen >= goodsPaidFen
      ? pointsUsed
      : Math.floor((pointsUsed * Math.max(0, goodsRefundedFen)) / goodsPaidFen);
  return Math.max(0, target - alreadyReturned);
}
