// Marketing's steps in the checkout pipeline (checkout/pipeline.ts): product-level deals
// (limited-time discounts, new-user prices), coupons (coupon-step.ts), full-reduction tiers, and
// points. Each records a reason per line.
import type { AppContext } from '../../platform/context.ts';
import { conflict } from '../../platform/errors.ts';
import {
  applyPerLine,
  readOnce,
  type PricingContext,
  type PricingLine,
  type PricingStep,
} from '../checkout/pipeline.ts';
import { fullReductionDiscount, type FullReductionTerms } from './rules/full-reduction.ts';
import { pointsDeduction } from './rules/points.ts';
import type { PricedLine } from './rules/types.ts';
import type { PromotionKind } from './tables.ts';

const priced = (lines: PricingLine[]): PricedLine[] =>
  lines.map((l) => ({
    lineId: l.lineId,
    skuId: l.skuId,
    productId: l.productId,
    merchantId: l.merchantId,
    categoryIds: l.categoryIds,
    quantity: l.quantity,
    amountFen: l.amountFen,
  }));
const yuan = (f: number) => `${(f / 100).toFixed(2)}元`;

/**
 * The basket's shops' running promotions of a kind; the steps share one read of every kind per run. A quote
 * reads this node's copy; placement reads the rows in its transaction (a quote a change made stale is refused
 * there with PRICE_CHANGED, so the price charged is never one nobody was shown).
 */
async function activePromotions(ctx: AppContext, p: PricingContext, kind: PromotionKind) {
  const merchants = [...new Set(p.lines.map((l) => l.merchantId))];
  const all = await readOnce(p, 'promotions', () =>
    p.purpose !== 'place'
      ? ctx.services.promotions.shownActive(merchants, p.now)
      : p.db
          .selectFrom('promotions')
          .selectAll()
          .where('status', '=', 'active')
          .where('merchant_id', 'in', merchants)
          .where('starts_at', '<=', p.now)
          .where('ends_at', '>', p.now)
          .orderBy('id')
          .execute(),
  );
  return all.filter((promo) => promo.kind === kind);
}

/** 限时折扣 and 新人价: a lower unit price for listed SKUs/products while the promotion runs. */
export function productDealStep(ctx: AppContext): PricingStep {
  return {
    name: 'product_deals',
    stage: 'product_deal',
    async apply(p) {
      const discounts = await activePromotions(ctx, p, 'limited_discount');
      let newUser = await activePromotions(ctx, p, 'new_user_price');
      if (newUser.length) {
        // New-user prices are for shoppers who have never paid an order.
        if (await ctx.services.orderQueries.hasPaidOrder(p.db, p.userId)) newUser = [];
      }
      for (const line of p.lines) {
        // One product-level price per line: a flash, group or bargain price is not discounted again.
        if (line.adjustments.some((a) => a.stage === 'product_deal')) continue;
        let best: { price: number; reason: string; ref: string } | null = null;
        for (const promo of [...discounts, ...newUser]) {
          if (promo.merchant_id !== line.merchantId) continue;
          const terms = promo.terms as {
            items?: Array<{ skuId?: number; productId?: number; priceFen?: number }>;
            percentOffBp?: number;
            productIds?: number[];
          };
          const item = terms.items?.find(
            (i) => i.skuId === line.skuId || (i.skuId === undefined && i.productId === line.productId),
          );
          let price: number | null = null;
          if (item?.priceFen !== undefined) price = item.priceFen;
          else if (terms.percentOffBp && (!terms.productIds || terms.productIds.includes(line.productId)))
            price = line.unitPriceFen - Math.floor((line.unitPriceFen * terms.percentOffBp) / 10_000);
          if (price === null || price >= line.unitPriceFen || price < 0) continue;
          const label = promo.kind === 'new_user_price' ? '新人价' : '限时折扣';
          if (!best || price < best.price)
            best = { price, reason: `${label}「${promo.title}」单价${yuan(price)}`, ref: `promotion:${promo.id}` };
        }
        if (!best) continue;
        const off = (line.unitPriceFen - best.price) * line.quantity;
        line.unitPriceFen = best.price;
        line.amountFen -= off;
        line.adjustments.push({
          step: 'product_deals',
          stage: 'product_deal',
          reason: best.reason,
          amountFen: -off,
          ref: best.ref,
        });
      }
      void ctx;
    },
  };
}

export { couponStep } from './coupon-step.ts';

/** 满减 / 满折 tiers per shop. */
export function fullReductionStep(ctx: AppContext): PricingStep {
  return {
    name: 'full_reduction',
    stage: 'full_reduction',
    async apply(p) {
      for (const promo of await activePromotions(ctx, p, 'full_reduction')) {
        const lines = p.lines.filter((l) => l.merchantId === promo.merchant_id);
        if (!lines.length) continue;
        const terms = promo.terms as unknown as FullReductionTerms;
        const label = terms.tiers.some((t) => t.percentOffBp) ? '满折' : '满减';
        const outcome = fullReductionDiscount(terms, priced(lines), label);
        if (outcome.discountFen > 0)
          applyPerLine(p, outcome.perLine, {
            step: 'full_reduction',
            stage: 'full_reduction',
            reason: `「${promo.title}」${outcome.reason}`,
            ref: `promotion:${promo.id}`,
          });
        if (outcome.nextTier) p.notes.push(`「${promo.title}」再买${yuan(outcome.nextTier.shortFen)}可享下一档优惠`);
      }
    },
  };
}

/** Points deduction (积分抵扣): up to the policy's share of each shop's order. */
export function pointsStep(ctx: AppContext): PricingStep {
  return {
    name: 'points',
    stage: 'points',
    async apply(p) {
      const asked = p.input.usePoints;
      // An order that uses no points needs no balance (only the quote shows it).
      if (!asked && p.purpose === 'place') {
        p.effects.pointsUsedByMerchant = {};
        return;
      }
      const balance = await ctx.services.points.balance(p.db, p.userId);
      if (typeof asked === 'number' && asked > balance) {
        throw conflict('POINTS_INSUFFICIENT', `You have ${balance} points, not ${asked}`, { balance });
      }
      // Shop by shop, each up to its own share cap, until the points run out.
      const plan = (points: number) => {
        let left = points;
        return [...new Set(p.lines.map((l) => l.merchantId))]
          .map((merchantId) => {
            const shopLines = priced(p.lines.filter((l) => l.merchantId === merchantId));
            const outcome = pointsDeduction(left, left, shopLines, ctx.services.points.policy);
            left -= outcome.pointsUsed;
            return { merchantId, outcome };
          })
          .filter((x) => x.outcome.discountFen > 0);
      };
      const usable = plan(balance).reduce((s, x) => s + x.outcome.pointsUsed, 0);
      const used: Record<number, number> = {};
      let deductedFen = 0;
      if (asked) {
        for (const { merchantId, outcome } of plan(asked === true ? balance : asked)) {
          const adjustment = { step: 'points', stage: 'points' as const, reason: outcome.reason, ref: 'points' };
          deductedFen += applyPerLine(p, outcome.perLine, adjustment);
          used[merchantId] = outcome.pointsUsed;
        }
      } else if (usable > 0) p.notes.push(`可用${usable}积分抵扣`);
      const usedTotal = Object.values(used).reduce((s, n) => s + n, 0);
      const reason = balance === 0 ? '暂无积分' : usable === 0 ? '本单不可使用积分' : null;
      p.report.points = { balance, usable, used: usedTotal, deductedFen, reason };
      p.effects.pointsUsedByMerchant = used;
    },
    commitsOwnRowsOnly: true,
    async commit(p, orders, db) {
      const used = (p.effects.pointsUsedByMerchant as Record<number, number> | undefined) ?? {};
      for (const o of orders) {
        const n = used[o.merchantId];
        if (n) await ctx.services.points.spend(db, p.userId, n, `order:${o.orderId}`);
      }
    },
  };
}
