import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyOutcome,
  bestCouponStack,
  couponDiscount,
  evaluateStack,
  whyNotApplicable,
  type CandidateCoupon,
  type CouponTerms,
  type ShippingFees,
} from './coupons.ts';
import { fullReductionDiscount } from './full-reduction.ts';
import { DEFAULT_POINTS_POLICY, pointsDeduction } from './points.ts';
import type { PricedLine } from './types.ts';

const line = (id: string, amountFen: number, o: Partial<PricedLine> = {}): PricedLine => ({
  lineId: id,
  skuId: 1,
  productId: 1,
  merchantId: 1,
  categoryIds: [],
  quantity: 1,
  amountFen,
  ...o,
});

const arbLines = fc
  .array(
    fc.record({
      amountFen: fc.integer({ min: 0, max: 500_000 }),
      productId: fc.integer({ min: 1, max: 5 }),
      merchantId: fc.integer({ min: 1, max: 2 }),
      category: fc.integer({ min: 1, max: 4 }),
    }),
    { minLength: 1, maxLength: 12 },
  )
  .map((ls) =>
    ls.map((l, i) =>
      line(`L${i}`, l.amountFen, { productId: l.productId, merchantId: l.merchantId, categoryIds: [l.category] }),
    ),
  );

const arbCoupon: fc.Arbitrary<CouponTerms> = fc
  .oneof(
    fc.record({ kind: fc.constant('fixed' as const), amountFen: fc.integer({ min: 1, max: 100_000 }) }),
    fc.record({
      kind: fc.constant('threshold' as const),
      amountFen: fc.integer({ min: 1, max: 50_000 }),
      thresholdFen: fc.integer({ min: 0, max: 300_000 }),
    }),
    fc.record({
      kind: fc.constant('percent' as const),
      percentOffBp: fc.integer({ min: 1, max: 9_000 }),
      capFen: fc.option(fc.integer({ min: 1, max: 50_000 }), { nil: undefined }),
    }),
  )
  .chain((base) =>
    fc
      .record({
        scope: fc.oneof(
          fc.constant({ type: 'all' as const }),
          fc.integer({ min: 1, max: 4 }).map((c) => ({ type: 'categories' as const, categoryIds: [c] })),
          fc.integer({ min: 1, max: 5 }).map((p) => ({ type: 'products' as const, productIds: [p] })),
        ),
        funding: fc.constantFrom('platform' as const, 'merchant' as const),
      })
      .map((rest) => ({ ...base, ...rest, ...(rest.funding === 'merchant' ? { merchantId: 1 } : {}) }) as CouponTerms),
  );

// Lines of up to three shops, and coupons of any kind, funding and shop, for the stack search.
const arbLines3 = fc
  .array(
    fc.record({
      amountFen: fc.integer({ min: 0, max: 30_000 }),
      productId: fc.integer({ min: 1, max: 4 }),
      merchantId: fc.integer({ min: 1, max: 3 }),
      category: fc.integer({ min: 1, max: 3 }),
    }),
    { minLength: 1, maxLength: 8 },
  )
  .map((ls) =>
    ls.map((l, i) =>
      line(`L${i}`, l.amountFen, { productId: l.productId, merchantId: l.merchantId, categoryIds: [l.category] }),
    ),
  );

const arbAnyCoupon: fc.Arbitrary<CouponTerms> = fc
  .oneof(
    fc.record({
      kind: fc.constant('fixed' as const),
      amountFen: fc.integer({ min: 1, max: 20_000 }),
      thresholdFen: fc.integer({ min: 0, max: 20_000 }),
    }),
    fc.record({
      kind: fc.constant('threshold' as const),
      amountFen: fc.integer({ min: 1, max: 10_000 }),
      thresholdFen: fc.integer({ min: 1, max: 60_000 }),
    }),
    fc.record({
      kind: fc.constant('percent' as const),
      percentOffBp: fc.integer({ min: 1, max: 9_000 }),
      capFen: fc.option(fc.integer({ min: 1, max: 10_000 }), { nil: undefined }),
    }),
    fc.record({ kind: fc.constant('free_shipping' as const), thresholdFen: fc.integer({ min: 0, max: 30_000 }) }),
  )
  .chain((base) =>
    fc
      .record({
        scope: fc.oneof(
          fc.constant({ type: 'all' as const }),
          fc.integer({ min: 1, max: 3 }).map((c) => ({ type: 'categories' as const, categoryIds: [c] })),
          fc.integer({ min: 1, max: 4 }).map((p) => ({ type: 'products' as const, productIds: [p] })),
        ),
        funding: fc.constantFrom('platform' as const, 'merchant' as const),
        merchantId: fc.integer({ min: 1, max: 3 }),
      })
      .map(
        ({ merchantId, ...rest }) =>
          ({ ...base, ...rest, ...(rest.funding === 'merchant' ? { merchantId } : {}) }) as CouponTerms,
      ),
  );

const arbFees: fc.Arbitrary<ShippingFees> = fc
  .array(fc.constantFrom(0, 0, 600, 1_000, 2_500), { minLength: 3, maxLength: 3 })
  .map((f) => new Map(f.map((fee, i) => [i + 1, fee])));

// Printed so a failure replays: FC_SEED=<seed> npx vitest run --root server src/modules/marketing/rules
const seed = Number(process.env.FC_SEED ?? Math.floor(Math.random() * 2 ** 31));
console.info(`coupon stack property seed ${seed}`);

/** Every allowed stack (≤ 1 merchant coupon per shop, ≤ 1 platform coupon), tried one by one. */
function bruteForceBest(coupons: CandidateCoupon[], lines: PricedLine[], fees: ShippingFees): number {
  const byShop = new Map<number, CandidateCoupon[]>();
  for (const c of coupons.filter((x) => x.terms.funding === 'merchant'))
    byShop.set(c.terms.merchantId!, [...(byShop.get(c.terms.merchantId!) ?? []), c]);
  let stacks: CandidateCoupon[][] = [[]];
  for (const list of byShop.values()) stacks = stacks.flatMap((s) => [s, ...list.map((c) => [...s, c])]);
  let best = 0;
  for (const platform of [null, ...coupons.filter((x) => x.terms.funding === 'platform')]) {
    for (const merchant of stacks) best = Math.max(best, evaluateStack({ merchant, platform }, lines, fees).savingFen);
  }
  return best;
}

describe('marketing rules', () => {
  it('coupon discounts are allocated across lines exactly and never push a line below zero', () => {
    fc.assert(
      fc.property(arbLines, arbCoupon, (lines, terms) => {
        const out = couponDiscount(terms, lines);
        expect(out.perLine.reduce((s, p) => s + p.amountFen, 0)).toBe(out.discountFen);
        for (const l of applyOutcome(lines, out)) expect(l.amountFen).toBeGreaterThanOrEqual(0);
        const before = lines.reduce((s, l) => s + l.amountFen, 0);
        expect(out.discountFen).toBeLessThanOrEqual(before);
      }),
      { numRuns: 1000 },
    );
  });

  it('the best stack saves exactly what the best of all allowed stacks saves (brute force)', () => {
    fc.assert(
      fc.property(arbLines3, fc.array(arbAnyCoupon, { maxLength: 7 }), arbFees, (lines, terms, fees) => {
        const coupons = terms.map((t, i) => ({ id: i + 1, terms: t }));
        const best = bestCouponStack(coupons, lines, fees);
        // Allowed: at most one merchant coupon per shop and one platform coupon.
        const shops = best.merchant.map((c) => c.terms.merchantId);
        expect(new Set(shops).size).toBe(shops.length);
        for (const c of best.merchant) expect(c.terms.funding).toBe('merchant');
        if (best.platform) expect(best.platform.terms.funding).toBe('platform');
        // What it claims is what the stack really saves, and nothing allowed saves more.
        expect(evaluateStack(best, lines, fees).savingFen).toBe(best.savingFen);
        expect(best.savingFen).toBe(bruteForceBest(coupons, lines, fees));
        expect(best.savingFen).toBeLessThanOrEqual(
          lines.reduce((s, l) => s + l.amountFen, 0) + [...fees.values()].reduce((a, b) => a + b, 0),
        );
      }),
      { numRuns: 1500, seed },
    );
  });

  it('prefers a cheaper shop coupon that keeps the basket over the platform threshold (greedy would not)', () => {
    const lines = [line('a', 6_000), line('b', 4_800)]; // 108元 of shop 1
    const shop20 = {
      id: 1,
      terms: {
        kind: 'percent',
        percentOffBp: 2000,
        scope: { type: 'all' },
        funding: 'merchant',
        merchantId: 1,
      } as CouponTerms,
    };
    const shop8 = {
      id: 2,
      terms: {
        kind: 'fixed',
        amountFen: 800,
        scope: { type: 'all' },
        funding: 'merchant',
        merchantId: 1,
      } as CouponTerms,
    };
    const platform = {
      id: 3,
      terms: {
        kind: 'threshold',
        amountFen: 4_000,
        thresholdFen: 10_000,
        scope: { type: 'all' },
        funding: 'platform',
      } as CouponTerms,
    };
    const best = bestCouponStack([shop20, shop8, platform], lines);
    // 8折 alone takes 21.60 and drops the basket to 86.40元; 立减8 + 满100减40 takes 48.
    expect(best.savingFen).toBe(4_800);
    expect(best.merchant.map((c) => c.id)).toEqual([2]);
    expect(best.platform?.id).toBe(3);
    // On a tie the stack with fewer coupons wins: the shopper keeps the other one.
    const tie = bestCouponStack(
      [
        {
          id: 9,
          terms: { kind: 'fixed', amountFen: 4_000, scope: { type: 'all' }, funding: 'merchant', merchantId: 1 },
        },
        platform,
      ],
      [line('a', 5_000)],
    );
    expect(tie).toMatchObject({ savingFen: 4_000, platform: null });
  });

  it('values free shipping at the fee it waives, once per shop', () => {
    const lines = [line('a', 3_000), line('b', 2_000, { merchantId: 2 })];
    const fees = new Map([
      [1, 800],
      [2, 0],
    ]);
    const shopFree = {
      id: 1,
      terms: { kind: 'free_shipping', scope: { type: 'all' }, funding: 'merchant', merchantId: 1 } as CouponTerms,
    };
    const platformFree = {
      id: 2,
      terms: { kind: 'free_shipping', scope: { type: 'all' }, funding: 'platform' } as CouponTerms,
    };
    const best = bestCouponStack([shopFree, platformFree], lines, fees);
    expect(best.savingFen).toBe(800);
    expect(best.applied).toHaveLength(1);
    expect(whyNotApplicable(shopFree.terms, lines, new Map())).toBe('本单无需运费');
    expect(
      whyNotApplicable(
        { kind: 'threshold', amountFen: 500, thresholdFen: 9_900, scope: { type: 'all' }, funding: 'platform' },
        lines,
      ),
    ).toBe('还差49元可用');
    expect(
      whyNotApplicable(
        { kind: 'fixed', amountFen: 500, scope: { type: 'all' }, funding: 'merchant', merchantId: 3 },
        lines,
      ),
    ).toBe('本单没有该店铺的商品');
  });

  it('full reduction picks the highest reached tier, repeats when asked, and sums exactly', () => {
    const lines = [line('a', 15_000), line('b', 17_000)]; // 320元
    const tiers = [
      { thresholdFen: 10_000, amountOffFen: 1_000 },
      { thresholdFen: 30_000, amountOffFen: 5_000 },
      { thresholdFen: 50_000, amountOffFen: 10_000 },
    ];
    const out = fullReductionDiscount({ tiers }, lines);
    expect(out.discountFen).toBe(5_000);
    expect(out.perLine.reduce((s, p) => s + p.amountFen, 0)).toBe(5_000);
    expect(out.nextTier).toEqual({ thresholdFen: 50_000, shortFen: 18_000 });
    expect(out.reason).toBe('满减：满300元减50元');
    expect(
      fullReductionDiscount({ tiers: [{ thresholdFen: 10_000, amountOffFen: 1_500 }], repeat: true }, lines)
        .discountFen,
    ).toBe(4_500);
    expect(
      fullReductionDiscount({ tiers: [{ thresholdFen: 20_000, percentOffBp: 1_000 }] }, lines, '满折').discountFen,
    ).toBe(3_200);
    fc.assert(
      fc.property(
        arbLines,
        fc.integer({ min: 0, max: 300_000 }),
        fc.integer({ min: 0, max: 400_000 }),
        (ls, threshold, off) => {
          const o = fullReductionDiscount(
            { tiers: [{ thresholdFen: threshold, amountOffFen: off }], repeat: true },
            ls,
          );
          expect(o.perLine.reduce((s, p) => s + p.amountFen, 0)).toBe(o.discountFen);
          for (const l of applyOutcome(ls, o)) expect(l.amountFen).toBeGreaterThanOrEqual(0);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('points deduction respects balance and max share, spends only whole-fen points, sums exactly', () => {
    const policy = DEFAULT_POINTS_POLICY; // 100 points = 1元, max 50 %
    const out = pointsDeduction(5_000, 3_000, [line('a', 10_000), line('b', 2_000)], policy);
    expect(out.discountFen).toBe(3_000); // balance 3,000 points = 30元
    expect(out.pointsUsed).toBe(3_000);
    expect(pointsDeduction(100_000, 100_000, [line('a', 10_000)], policy).discountFen).toBe(5_000); // 50 % cap
    fc.assert(
      fc.property(
        arbLines,
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 0, max: 10_000 }),
        (ls, req, bal, ppy, share) => {
          const p = { earnPerYuan: 1, pointsPerYuan: ppy, maxShareBp: share };
          const o = pointsDeduction(req, bal, ls, p);
          expect(o.pointsUsed).toBeLessThanOrEqual(Math.min(req, bal));
          expect(o.perLine.reduce((s, x) => s + x.amountFen, 0)).toBe(o.discountFen);
          const total = ls.reduce((s, l) => s + l.amountFen, 0);
          expect(o.discountFen).toBeLessThanOrEqual(Math.floor((total * share) / 10_000));
        },
      ),
      { numRuns: 500 },
    );
  });
});
