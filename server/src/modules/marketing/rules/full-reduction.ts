// Full-reduction / full-discount (满减 / 满折) with tiers: the highest tier the eligible subtotal
// reaches applies, once (or repeatedly for "每满X减Y" when `repeat` is set).
import { allocate } from '../../../platform/money/allocate.ts';
import type { PricedLine, RuleOutcome } from './types.ts';

export interface ReductionTier {
  thresholdFen: number;
  /** 满减: amount off. */
  amountOffFen?: number;
  /** 满折: basis points OFF (1000 = 10 % off = 9折). */
  percentOffBp?: number;
}

export interface FullReductionTerms {
  tiers: ReductionTier[];
  /** 每满X减Y: the (single) tier applies once per full threshold reached. */
  repeat?: boolean;
  /** Lines it covers; default all of the merchant's lines. */
  productIds?: number[];
  capFen?: number;
}

export function fullReductionDiscount(
  terms: FullReductionTerms,
  lines: PricedLine[],
  label = '满减',
): RuleOutcome & { nextTier: { thresholdFen: number; shortFen: number } | null } {
  const eligible = lines.filter(
    (l) => l.amountFen > 0 && (!terms.productIds || terms.productIds.includes(l.productId)),
  );
  const subtotal = eligible.reduce((s, l) => s + l.amountFen, 0);
  const tiers = [...terms.tiers].sort((a, b) => a.thresholdFen - b.thresholdFen);
  const reached = tiers.filter((t) => subtotal >= t.thresholdFen).at(-1);
  const next = tiers.find((t) => subtotal < t.thresholdFen);
  const nextTier = next ? { thresholdFen: next.thresholdFen, shortFen: next.thresholdFen - subtotal } : null;
  if (!reached) return { discountFen: 0, perLine: [], reason: '', nextTier };
  let discount = 0;
  if (reached.amountOffFen !== undefined) {
    const times = terms.repeat && reached.thresholdFen > 0 ? Math.floor(subtotal / reached.thresholdFen) : 1;
    discount = reached.amountOffFen * times;
  } else if (reached.percentOffBp !== undefined) {
    discount = Math.floor((subtotal * reached.percentOffBp) / 10_000);
  }
  if (terms.capFen !== undefined) discount = Math.min(discount, terms.capFen);
  discount = Math.min(discount, subtotal);
  const parts = allocate(
    discount,
    eligible.map((l) => l.amountFen),
    { capByWeight: true },
  );
  const yuan = (f: number) => `${f / 100}元`;
  const reason =
    reached.amountOffFen !== undefined
      ? `${label}：${terms.repeat ? '每' : ''}满${yuan(reached.thresholdFen)}减${yuan(reached.amountOffFen)}`
      : `${label}：满${yuan(reached.thresholdFen)}打${(10 - (reached.percentOffBp ?? 0) / 1000).toFixed(1).replace(/\.0$/, '')}折`;
  return {
    discountFen: discount,
    perLine: eligible.map((l, i) => ({ lineId: l.lineId, amountFen: parts[i]! })).filter((p) => p.amountFen > 0),
    reason,
    nextTier,
  };
}
