// The distribution's arithmetic and decisions as pure functions (property-tested in rules.test.ts):
// which rate applies to a line, what a commission earns on what the buyer kept, and whether a new
// touch binds the customer to another promoter.
import { allocate } from '../../platform/money/allocate.ts';
import type { BindingMode, CommissionLine } from './tables.ts';

export const BP_WHOLE = 10_000;
/** WeChat treats distribution deeper than two levels (三级及以上) as a violation (违规分销). */
export const MAX_LEVELS = 2;

export interface TierRates {
  level1Bp: number;
  level2Bp: number;
}

/**
 * The rates of one line: the product's own rule wins, then the promoter's level (tier 1 from the
 * direct promoter's level, tier 2 from the parent's), then the shop's defaults. Tier 2 is capped so
 * that both together never pay out more than the line.
 */
export function lineRates(
  shop: TierRates,
  product: TierRates | undefined,
  directLevel: TierRates | undefined,
  parentLevel: TierRates | undefined,
): TierRates {
  const level1Bp = product?.level1Bp ?? directLevel?.level1Bp ?? shop.level1Bp;
  const level2Bp = product?.level2Bp ?? parentLevel?.level2Bp ?? shop.level2Bp;
  return { level1Bp, level2Bp: Math.min(level2Bp, BP_WHOLE - level1Bp) };
}

/**
 * What a commission earns now: ⌊Σ bp × kept / 10000⌋ over its lines (so never more than the rate on
 * what the buyer kept paying for), split over the lines by largest remainder (the parts sum exactly).
 */
export function earned(lines: ReadonlyArray<Omit<CommissionLine, 'shareFen'>>): {
  amountFen: number;
  shares: number[];
} {
  const weights = lines.map((l) => BigInt(l.bp) * BigInt(Math.max(0, l.payableFen - l.refundedFen)));
  const total = weights.reduce((a, b) => a + b, 0n);
  const amountFen = Number(total / BigInt(BP_WHOLE));
  const shares = allocate(
    amountFen,
    weights.map((w) => Number(w)),
  );
  return { amountFen, shares };
}

/** Lines with their shares of what they earn now. */
export function withShares(lines: ReadonlyArray<Omit<CommissionLine, 'shareFen'>>): {
  amountFen: number;
  lines: CommissionLine[];
} {
  const { amountFen, shares } = earned(lines);
  return { amountFen, lines: lines.map((l, i) => ({ ...l, shareFen: shares[i]! })) };
}

/** Apply one refund's per-line amounts (cumulative per line, never past what the line paid). */
export function applyRefund(
  lines: readonly CommissionLine[],
  items: ReadonlyArray<{ lineId: number; amountFen: number }>,
  full: boolean,
): Array<Omit<CommissionLine, 'shareFen'>> {
  return lines.map(({ shareFen: _, ...l }) => {
    const back = items.filter((i) => i.lineId === l.lineId).reduce((a, i) => a + i.amountFen, 0);
    const refundedFen = full ? l.payableFen : Math.min(l.payableFen, l.refundedFen + back);
    return { ...l, refundedFen };
  });
}

export interface ExistingBinding {
  promoterId: number;
  boundAt: Date;
  expiresAt: Date;
}

/**
 * A touch through promoter `promoterId`'s share at `at`: 'bind' (a new binding, or the last touch
 * takes over), 'refresh' (the same promoter: the period starts again) or 'keep' (first binding wins
 * and it has not expired).
 */
export function bindingDecision(
  existing: ExistingBinding | undefined,
  promoterId: number,
  at: Date,
  mode: BindingMode,
): 'bind' | 'refresh' | 'keep' {
  if (!existing || existing.expiresAt.getTime() <= at.getTime()) return 'bind';
  if (existing.promoterId === promoterId) return 'refresh';
  // A touch older than the binding (an anonymous visitor's touches linked late) never takes over.
  return mode === 'last' && at.getTime() > existing.boundAt.getTime() ? 'bind' : 'keep';
}
