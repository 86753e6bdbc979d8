import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyOutcome, bestCouponCombination, couponDiscount, type CouponTerms } from './coupons.ts';
import { fullReductionDiscount } from './full-reduction.ts';
import { DEFAULT_POINTS_POLICY, pointsDeduction, pointsEarned, pointsToReverse } from './points.ts';
import type { PricedLine } from './types.ts';

const line = (id: string, amountFen: number, o: Partial<PricedLine> = {}): PricedLine => ({
  lineId: id, skuId: 1, productId: 1, merchantId: 1, categoryIds: [], quantity: 1, amountFen, ...o,
});

const arbLines = fc.array(fc.record({
  amountFen: fc.integer({ min: 0, max: 500_000 }),
  productId: fc.integer({ min: 1, max: 5 }),
  merchantId: fc.integer({ min: 1, max: 2 }),
  category: fc.integer({ min: 1, max: 4 }),
}), { minLength: 1, maxLength: 12 }).map((ls) => ls.map((l, i) => line(`L${i}`, l.amountFen, { productId: l.productId, merchantId: l.merchantId, categoryIds: [l.category] })));

const arbCoupon: fc.Arbitrary<CouponTerms> = fc.oneof(
  fc.record({ kind: fc.constant('fixed' as const), amountFen: fc.integer({ min: 1, max: 100_000 }) }),
  fc.record({ kind: fc.constant('threshold' as const), amountFen: fc.integer({ min: 1, max: 50_000 }), thresholdFen: fc.integer({ min: 0, max: 300_000 }) }),
  fc.record({ kind: fc.constant('percent' as const), percentOffBp: fc.integer({ min: 1, max: 9_000 }), capFen: fc.option(fc.integer({ min: 1, max: 50_000 }), { nil: undefined }) }),
).chain((base) => fc.record({
  scope: fc.oneof(
    fc.constant({ type: 'all' as const }),
    fc.integer({ min: 1, max: 4 }).map((c) => ({ type: 'categories' as const, categoryIds: [c] })),
    fc.integer({ min: 1, max: 5 }).map((p) => ({ type: 'products' as const, productIds: [p] })),
  ),
  funding: fc.constantFrom('platform' as const, 'merchant' as const),
}).map((rest) => ({ ...base, ...rest, ...(rest.funding === 'merchant' ? { merchantId: 1 } : {}) } as CouponTerms)));

describe('marketing rules', () => {
  it('coupon discounts are allocated across lines exactly and never push a line below zero', () => {
    fc.assert(fc.property(arbLines, arbCoupon, (lines, terms) => {
      const out = couponDiscount(terms, lines);
      expect(out.perLine.reduce((s, p) => s + p.amountFen, 0)).toBe(out.discountFen);
      for (const l of applyOutcome(lines, out)) expect(l.amountFen).toBeGreaterThanOrEqual(0);
      const before = lines.reduce((s, l) => s + l.amountFen, 0);
      expect(out.discountFen).toBeLessThanOrEqual(before);
    }), { numRuns: 1000 });
  });

  it('the best stack uses at most one platform and one merchant coupon and beats each alone', () => {
    fc.assert(fc.property(arbLines, fc.array(arbCoupon, { maxLength: 5 }), (lines, terms) => {
      const coupons = terms.map((t, i) => ({ id: i + 1, terms: t }));
      const best = bestCouponCombination(coupons, lines);
      if (best.merchantCoupon) expect(best.merchantCoupon.terms.funding).toBe('merchant');
      if (best.platformCoupon) expect(best.platformCoupon.terms.funding).toBe('platform');
      for (const c of coupons) expect(best.discountFen).toBeGreaterThanOrEqual(couponDiscount(c.terms, lines).discountFen);
      const total = lines.reduce((s, l) => s + l.amountFen, 0);
      expect(best.discountFen).toBeLessThanOrEqual(total);
    }), { numRuns: 500 });
  });

  it('full reduction picks the highest reached tier, repeats when asked, and sums exactly', () => {
    const lines = [line('a', 15_000), line('b', 17_000)]; // 320元
    const tiers = [{ thresholdFen: 10_000, amountOffFen: 1_000 }, { thresholdFen: 30_000, amountOffFen: 5_000 }, { thresholdFen: 50_000, amountOffFen: 10_000 }];
    const out = fullReductionDiscount({ tiers }, lines);
    expect(out.discountFen).toBe(5_000);
    expect(out.perLine.reduce((s, p) => s + p.amountFen, 0)).toBe(5_000);
    expect(out.nextTier).toEqual({ thresholdFen: 50_000, shortFen: 18_000 });
    expect(out.reason).toBe('满减：满300元减50元');
    expect(fullReductionDiscount({ tiers: [{ thresholdFen: 10_000, amountOffFen: 1_500 }], repeat: true }, lines).discountFen).toBe(4_500);
    expect(fullReductionDiscount({ tiers: [{ thresholdFen: 20_000, percentOffBp: 1_000 }] }, lines, '满折').discountFen).toBe(3_200);
    fc.assert(fc.property(arbLines, fc.integer({ min: 0, max: 300_000 }), fc.integer({ min: 0, max: 400_000 }), (ls, threshold, off) => {
      const o = fullReductionDiscount({ tiers: [{ thresholdFen: threshold, amountOffFen: off }], repeat: true }, ls);
      expect(o.perLine.reduce((s, p) => s + p.amountFen, 0)).toBe(o.discountFen);
      for (const l of applyOutcome(ls, o)) expect(l.amountFen).toBeGreaterThanOrEqual(0);
    }), { numRuns: 500 });
  });

  it('points deduction respects balance and max share, spends only whole-fen points, sums exactly', () => {
    const policy = DEFAULT_POINTS_POLICY; // 100 points = 1元, max 50 %
    const out = pointsDeduction(5_000, 3_000, [line('a', 10_000), line('b', 2_000)], policy);
    expect(out.discountFen).toBe(3_000); // balance 3,000 points = 30元
    expect(out.pointsUsed).toBe(3_000);
    expect(pointsDeduction(100_000, 100_000, [line('a', 10_000)], policy).discountFen).toBe(5_000); // 50 % cap
    fc.assert(fc.property(arbLines, fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 0, max: 10_000 }),
      (ls, req, bal, ppy, share) => {
        const p = { earnPerYuan: 1, pointsPerYuan: ppy, maxShareBp: share };
        const o = pointsDeduction(req, bal, ls, p);
        expect(o.pointsUsed).toBeLessThanOrEqual(Math.min(req, bal));
        expect(o.perLine.reduce((s, x) => s + x.amountFen, 0)).toBe(o.discountFen);
        const total = ls.reduce((s, l) => s + l.amountFen, 0);
        expect(o.discountFen).toBeLessThanOrEqual(Math.floor((total * share) / 10_000));
      }), { numRuns: 500 });
  });

  it('refunds reverse points exactly: partial refunds add up to what was earned, never more', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 10_000_000 }), fc.array(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 8 }), (paid, shares) => {
      const earned = pointsEarned(paid, DEFAULT_POINTS_POLICY);
      // Refund the order in pieces, the last piece completing it.
      const sum = shares.reduce((a, b) => a + b, 0);
      let refunded = 0;
      let reversed = 0;
      shares.forEach((s, i) => {
        refunded = i === shares.length - 1 ? paid : Math.min(paid, refunded + Math.floor((paid * s) / sum));
        const step = pointsToReverse(earned, paid, refunded, reversed);
        expect(step).toBeGreaterThanOrEqual(0);
        reversed += step;
        expect(reversed).toBeLessThanOrEqual(earned);
      });
      expect(reversed).toBe(earned);
    }), { numRuns: 1000 });
  });
});
