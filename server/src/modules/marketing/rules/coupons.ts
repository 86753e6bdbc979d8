// Coupon arithmetic: which lines a coupon applies to, how much it takes off, and how that
// discount is spread over the lines (exactly, in proportion to what each line costs).
import { allocate } from '../../../platform/money/allocate.ts';
import type { PricedLine, RuleOutcome } from './types.ts';

export type CouponKind = 'fixed' | 'percent' | 'threshold' | 'free_shipping';
export type CouponScope =
  | { type: 'all' }
  | { type: 'merchant'; merchantId: number }
  | { type: 'categories'; categoryIds: number[] }
  | { type: 'products'; productIds: number[] };

export interface CouponTerms {
  kind: CouponKind;
  /** fixed and threshold: the amount off. */
  amountFen?: number;
  /** percent: basis points OFF (1500 = 15 % off), with an optional cap. */
  percentOffBp?: number;
  capFen?: number;
  /** threshold (满X减Y) and optional minimum for the others: eligible subtotal needed. */
  thresholdFen?: number;
  scope: CouponScope;
  /** Who pays for it; at most one platform and one merchant coupon per order. */
  funding: 'platform' | 'merchant';
  /** For merchant-funded coupons: the merchant whose lines it can touch. */
  merchantId?: number;
}

export function eligibleLines(terms: CouponTerms, lines: PricedLine[]): PricedLine[] {
  return lines.filter((l) => {
    if (terms.funding === 'merchant' && l.merchantId !== terms.merchantId) return false;
    switch (terms.scope.type) {
      case 'all': return true;
      case 'merchant': return l.merchantId === terms.scope.merchantId;
      case 'categories': { const ids = terms.scope.categoryIds; return l.categoryIds.some((c) => ids.includes(c)); }
      case 'products': return terms.scope.productIds.includes(l.productId);
    }
  });
}

/** The discount a coupon gives on these lines (0 when it does not apply), spread over them. */
export function couponDiscount(terms: CouponTerms, lines: PricedLine[]): RuleOutcome & { applies: boolean; shortOfThresholdFen: number } {
  const eligible = eligibleLines(terms, lines).filter((l) => l.amountFen > 0);
  const subtotal = eligible.reduce((s, l) => s + l.amountFen, 0);
  const threshold = terms.thresholdFen ?? 0;
  const none = { applies: false, discountFen: 0, perLine: [], reason: '', shortOfThresholdFen: Math.max(0, threshold - subtotal) };
  if (eligible.length === 0 || subtotal < threshold || terms.kind === 'free_shipping') {
    return terms.kind === 'free_shipping' && eligible.length > 0 && subtotal >= threshold
      ? { ...none, applies: true, reason: 'free shipping', shortOfThresholdFen: 0 }
      : none;
  }
  let discount: number;
  switch (terms.kind) {
    case 'fixed':
    case 'threshold':
      discount = terms.amountFen ?? 0;
      break;
    case 'percent': {
      const raw = Math.floor((subtotal * (terms.percentOffBp ?? 0)) / 10_000);
      discount = terms.capFen !== undefined ? Math.min(raw, terms.capFen) : raw;
      break;
    }
  }
  discount = Math.min(discount, subtotal); // never below zero
  const parts = allocate(discount, eligible.map((l) => l.amountFen), { capByWeight: true });
  return {
    applies: discount > 0,
    discountFen: discount,
    perLine: eligible.map((l, i) => ({ lineId: l.lineId, amountFen: parts[i]! })).filter((p) => p.amountFen > 0),
    reason: describe(terms),
    shortOfThresholdFen: 0,
  };
}

export function describe(terms: CouponTerms): string {
  const yuan = (f: number) => `${(f / 100).toFixed(f % 100 ? 2 : 0)}元`;
  switch (terms.kind) {
    case 'fixed': return `立减${yuan(terms.amountFen ?? 0)}`;
    case 'threshold': return `满${yuan(terms.thresholdFen ?? 0)}减${yuan(terms.amountFen ?? 0)}`;
    case 'percent': return `${(10 - (terms.percentOffBp ?? 0) / 1000).toFixed(1).replace(/\.0$/, '')}折${terms.capFen !== undefined ? `，最多减${yuan(terms.capFen)}` : ''}`;
    case 'free_shipping': return '包邮';
  }
}

export interface CandidateCoupon { id: number; terms: CouponTerms }

/**
 * The best stack for one order: at most one platform-funded and one merchant-funded coupon.
 * Merchant coupons apply first (on the merchant's lines), the platform coupon on what is left —
 * the order the shopper sees on the receipt. Tries every pair (shoppers hold few coupons).
 */
export function bestCouponCombination(coupons: CandidateCoupon[], lines: PricedLine[]): {
  merchantCoupon: CandidateCoupon | null; platformCoupon: CandidateCoupon | null; discountFen: number;
} {
  const merchant = [null, ...coupons.filter((c) => c.terms.funding === 'merchant')];
  const platform = [null, ...coupons.filter((c) => c.terms.funding === 'platform')];
  let best = { merchantCoupon: null as CandidateCoupon | null, platformCoupon: null as CandidateCoupon | null, discountFen: 0 };
  for (const m of merchant) {
    const afterMerchant = m ? applyOutcome(lines, couponDiscount(m.terms, lines)) : lines;
    const mOff = m ? couponDiscount(m.terms, lines).discountFen : 0;
    for (const p of platform) {
      const pOff = p ? couponDiscount(p.terms, afterMerchant).discountFen : 0;
      const total = mOff + pOff;
      // Prefer more savings; on a tie, fewer coupons used (keep the other for later).
      const used = (m ? 1 : 0) + (p ? 1 : 0);
      const bestUsed = (best.merchantCoupon ? 1 : 0) + (best.platformCoupon ? 1 : 0);
      if (total > best.discountFen || (total === best.discountFen && total > 0 && used < bestUsed)) {
        best = { merchantCoupon: m, platformCoupon: p, discountFen: total };
      }
    }
  }
  return best;
}

/** Lines after taking an outcome's per-line discounts off. */
export function applyOutcome(lines: PricedLine[], outcome: { perLine: Array<{ lineId: string; amountFen: number }> }): PricedLine[] {
  const off = new Map(outcome.perLine.map((p) => [p.lineId, p.amountFen]));
  return lines.map((l) => ({ ...l, amountFen: l.amountFen - (off.get(l.lineId) ?? 0) }));
}
