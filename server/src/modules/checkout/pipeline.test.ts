// Property tests of the pricing pipeline with real marketing rules plugged in as steps.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { couponDiscount, type CouponTerms } from '../marketing/rules/coupons.ts';
import { fullReductionDiscount } from '../marketing/rules/full-reduction.ts';
import { DEFAULT_POINTS_POLICY, pointsDeduction } from '../marketing/rules/points.ts';
import {
  applyPerLine,
  discountLines,
  emptyReport,
  PricingPipeline,
  summarize,
  type PricingContext,
  type PricingLine,
} from './pipeline.ts';

const arbLine = fc.record({
  unit: fc.integer({ min: 0, max: 200_000 }),
  qty: fc.integer({ min: 1, max: 20 }),
  merchantId: fc.integer({ min: 1, max: 3 }),
  productId: fc.integer({ min: 1, max: 6 }),
  category: fc.integer({ min: 1, max: 3 }),
  deal: fc.integer({ min: 0, max: 100 }),
});

interface LineSpec {
  unit: number;
  qty: number;
  merchantId: number;
  productId: number;
  category: number;
  deal: number;
}

function context(lines: LineSpec[]): PricingContext {
  return {
    db: undefined as never,
    userId: 1,
    now: new Date(),
    input: {},
    charges: [],
    notes: [],
    effects: {},
    undeliverable: [],
    report: emptyReport(),
    lines: lines.map(
      (l, i): PricingLine => ({
        lineId: `L${i}`,
        skuId: i + 1,
        productId: l.productId,
        merchantId: l.merchantId,
        categoryIds: [l.category],
        tagIds: [],
        productTitle: 'p',
        skuName: '',
        imageUrl: null,
        quantity: l.qty,
        weightGrams: 100,
        listUnitPriceFen: l.unit,
        originalUnitPriceFen: l.unit,
        unitPriceFen: l.unit,
        amountFen: l.unit * l.qty,
        adjustments: [],
      }),
    ),
  };
}

function pipelineWith(coupon: CouponTerms, tierOff: number, points: number, shippingFen: number, deals: number[]) {
  const p = new PricingPipeline();
  p.register({
    name: 'limited_time_discount',
    stage: 'product_deal',
    async apply(ctx) {
      ctx.lines.forEach((l, i) => {
        const pct = deals[i] ?? 0;
        const newUnit = Math.floor((l.unitPriceFen * (100 - pct)) / 100);
        const off = (l.unitPriceFen - newUnit) * l.quantity;
        if (off <= 0) return;
        l.unitPriceFen = newUnit;
        l.amountFen -= off;
        l.adjustments.push({
          step: 'limited_time_discount',
          stage: 'product_deal',
          reason: `限时${100 - pct}%`,
          amountFen: -off,
        });
      });
    },
  });
  p.register({
    name: 'coupon',
    stage: 'coupon',
    async apply(ctx) {
      applyPerLine(ctx, couponDiscount(coupon, ctx.lines).perLine, { step: 'coupon', stage: 'coupon', reason: 'c' });
    },
  });
  p.register({
    name: 'full_reduction',
    stage: 'full_reduction',
    async apply(ctx) {
      applyPerLine(
        ctx,
        fullReductionDiscount({ tiers: [{ thresholdFen: 10_000, amountOffFen: tierOff }], repeat: true }, ctx.lines)
          .perLine,
        { step: 'full_reduction', stage: 'full_reduction', reason: 'f' },
      );
    },
  });
  p.register({
    name: 'points',
    stage: 'points',
    async apply(ctx) {
      applyPerLine(ctx, pointsDeduction(points, points, ctx.lines, DEFAULT_POINTS_POLICY).perLine, {
        step: 'points',
        stage: 'points',
        reason: 'p',
      });
    },
  });
  p.register({
    name: 'shipping',
    stage: 'shipping',
    async apply(ctx) {
      for (const m of new Set(ctx.lines.map((l) => l.merchantId)))
        ctx.charges.push({ merchantId: m, step: 'shipping', stage: 'shipping', reason: 's', amountFen: shippingFen });
    },
  });
  return p;
}

const arbCoupon: fc.Arbitrary<CouponTerms> = fc.oneof(
  fc.record({
    kind: fc.constant('fixed' as const),
    amountFen: fc.integer({ min: 1, max: 500_000 }),
    scope: fc.constant({ type: 'all' as const }),
    funding: fc.constant('platform' as const),
  }),
  fc.record({
    kind: fc.constant('percent' as const),
    percentOffBp: fc.integer({ min: 1, max: 10_000 }),
    scope: fc.integer({ min: 1, max: 3 }).map((c) => ({ type: 'categories' as const, categoryIds: [c] })),
    funding: fc.constant('platform' as const),
  }),
  fc.record({
    kind: fc.constant('threshold' as const),
    amountFen: fc.integer({ min: 1, max: 50_000 }),
    thresholdFen: fc.integer({ min: 0, max: 300_000 }),
    scope: fc.constant({ type: 'all' as const }),
    funding: fc.constant('merchant' as const),
    merchantId: fc.constant(1),
  }),
);

describe('pricing pipeline properties', () => {
  it('never goes negative; per-line steps sum to what the line costs; order totals are the sum of lines and charges', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(arbLine, { minLength: 1, maxLength: 10 }),
        arbCoupon,
        fc.integer({ min: 0, max: 200_000 }),
        fc.integer({ min: 0, max: 5_000_000 }),
        fc.integer({ min: 0, max: 5_000 }),
        async (lines, coupon, tierOff, points, shippingFen) => {
          const ctx = context(lines);
          await pipelineWith(
            coupon,
            tierOff,
            points,
            shippingFen,
            lines.map((l) => l.deal),
          ).run(ctx);
          for (const l of ctx.lines) {
            expect(l.amountFen).toBeGreaterThanOrEqual(0);
            expect(l.adjustments.reduce((s, a) => s + a.amountFen, 0)).toBe(l.amountFen);
            expect(l.adjustments[0]!.stage).toBe('base');
            for (const a of l.adjustments.slice(1)) expect(a.amountFen).toBeLessThanOrEqual(0);
          }
          const groups = summarize(ctx);
          for (const g of groups) {
            expect(g.totalFen).toBeGreaterThanOrEqual(0);
            expect(g.totalFen).toBe(g.lines.reduce((s, l) => s + l.amountFen, 0) + g.shippingFen);
            expect(g.goodsFen - g.discountFen + g.shippingFen).toBe(g.totalFen);
          }
          expect(groups.reduce((s, g) => s + g.lines.length, 0)).toBe(ctx.lines.length);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('spreads an order-level discount over lines exactly, capped at what they cost', () => {
    fc.assert(
      fc.property(
        fc.array(arbLine, { minLength: 1, maxLength: 10 }),
        fc.integer({ min: 0, max: 10_000_000 }),
        (lines, off) => {
          const ctx = context(lines);
          const before = ctx.lines.reduce((s, l) => s + l.amountFen, 0);
          const taken = discountLines(ctx, ctx.lines, off, { step: 'x', stage: 'coupon', reason: 'x' });
          expect(taken).toBe(Math.min(off, before));
          expect(ctx.lines.reduce((s, l) => s + l.amountFen, 0)).toBe(before - taken);
          for (const l of ctx.lines) expect(l.amountFen).toBeGreaterThanOrEqual(0);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('runs steps in the documented stage order whatever the registration order', async () => {
    const p = new PricingPipeline();
    const seen: string[] = [];
    for (const stage of ['shipping', 'points', 'coupon', 'product_deal', 'full_reduction'] as const)
      p.register({
        name: stage,
        stage,
        async apply() {
          seen.push(stage);
        },
      });
    await p.run(context([{ unit: 100, qty: 1, merchantId: 1, productId: 1, category: 1, deal: 0 }]));
    expect(seen).toEqual(['product_deal', 'coupon', 'full_reduction', 'points', 'shipping']);
  });
});
