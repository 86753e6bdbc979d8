// Marketing's steps in the checkout pipeline (checkout/pipeline.ts): product-level deals
// (limited-time discounts, new-user prices), coupons (the best stack suggested and explained
// unless the shopper chose), full-reduction tiers, and points. Each records a reason per line.
import { sql } from 'kysely';
import type { AppContext } from '../../platform/context.ts';
import { conflict } from '../../platform/errors.ts';
import { applyPerLine, type PricingContext, type PricingLine, type PricingStep } from '../checkout/pipeline.ts';
import { bestCouponCombination, couponDiscount, describe } from './rules/coupons.ts';
import { fullReductionDiscount, type FullReductionTerms } from './rules/full-reduction.ts';
import { pointsDeduction } from './rules/points.ts';
import type { PricedLine } from './rules/types.ts';
import './tables.ts';

const priced = (lines: PricingLine[]): PricedLine[] => lines.map((l) => ({ lineId: l.lineId, skuId: l.skuId, productId: l.productId, merchantId: l.merchantId, categoryIds: l.categoryIds, quantity: l.quantity, amountFen: l.amountFen }));
const yuan = (f: number) => `${(f / 100).toFixed(2)}元`;

async function activePromotions(p: PricingContext, kind: 'full_reduction' | 'limited_discount' | 'new_user_price') {
  const merchants = [...new Set(p.lines.map((l) => l.merchantId))];
  return p.db.selectFrom('promotions').selectAll().where('kind', '=', kind).where('status', '=', 'active').where('merchant_id', 'in', merchants)
    .where('starts_at', '<=', p.now).where('ends_at', '>', p.now).orderBy('id').execute();
}

/** 限时折扣 and 新人价: a lower unit price for listed SKUs/products while the promotion runs. */
export function productDealStep(ctx: AppContext): PricingStep {
  return {
    name: 'product_deals', stage: 'product_deal',
    async apply(p) {
      const discounts = await activePromotions(p, 'limited_discount');
      let newUser = await activePromotions(p, 'new_user_price');
      if (newUser.length) {
        // New-user prices are for shoppers who have never paid an order.
        const paid = await p.db.selectFrom('orders').select('id').where('user_id', '=', p.userId).where('paid_at', 'is not', null).limit(1).executeTakeFirst();
        if (paid) newUser = [];
      }
      for (const line of p.lines) {
        let best: { price: number; reason: string; ref: string } | null = null;
        for (const promo of [...discounts, ...newUser]) {
          if (promo.merchant_id !== line.merchantId) continue;
          const terms = promo.terms as { items?: Array<{ skuId?: number; productId?: number; priceFen?: number }>; percentOffBp?: number; productIds?: number[] };
          const item = terms.items?.find((i) => i.skuId === line.skuId || (i.skuId === undefined && i.productId === line.productId));
          let price: number | null = null;
          if (item?.priceFen !== undefined) price = item.priceFen;
          else if (terms.percentOffBp && (!terms.productIds || terms.productIds.includes(line.productId))) price = line.unitPriceFen - Math.floor((line.unitPriceFen * terms.percentOffBp) / 10_000);
          if (price === null || price >= line.unitPriceFen || price < 0) continue;
          const label = promo.kind === 'new_user_price' ? '新人价' : '限时折扣';
          if (!best || price < best.price) best = { price, reason: `${label}「${promo.title}」单价${yuan(price)}`, ref: `promotion:${promo.id}` };
        }
        if (!best) continue;
        const off = (line.unitPriceFen - best.price) * line.quantity;
        line.unitPriceFen = best.price;
        line.amountFen -= off;
        line.adjustments.push({ step: 'product_deals', stage: 'product_deal', reason: best.reason, amountFen: -off, ref: best.ref });
      }
      void ctx;
    },
  };
}

/** Coupons: ≤ 1 merchant coupon per shop and ≤ 1 platform coupon per order, best stack by default. */
export function couponStep(ctx: AppContext): PricingStep {
  return {
    name: 'coupons', stage: 'coupon',
    async apply(p) {
      const chosen = p.input.couponIds;
      const usable = await ctx.services.coupons.usable(p.db, p.userId, p.now, chosen);
      if (chosen && chosen.length) {
        const missing = chosen.filter((id) => !usable.some((u) => u.id === id));
        if (missing.length) throw conflict('COUPON_NOT_USABLE', 'Some coupons are not yours, used, or expired', { couponIds: missing });
      }
      const used: Array<{ id: number; merchantId: number | null }> = [];
      const freeShipping: number[] = [];
      const merchants = [...new Set(p.lines.map((l) => l.merchantId))];
      // Merchant coupons first (per shop), then one platform coupon on what is left.
      for (const merchantId of merchants) {
        const lines = p.lines.filter((l) => l.merchantId === merchantId);
        const candidates = usable.filter((c) => c.terms.funding === 'merchant' && c.terms.merchantId === merchantId);
        const pick = chosen ? candidates.filter((c) => chosen.includes(c.id)) : candidates;
        if (chosen && pick.length > 1) throw conflict('COUPON_STACKING', 'One shop coupon per shop');
        const best = chosen ? (pick[0] ? { merchantCoupon: pick[0] } : { merchantCoupon: null }) : bestCouponCombination(pick, priced(lines));
        const c = best.merchantCoupon;
        if (!c) continue;
        const outcome = couponDiscount(c.terms, priced(lines));
        if (c.terms.kind === 'free_shipping' && outcome.applies) { freeShipping.push(merchantId); used.push({ id: c.id, merchantId }); continue; }
        if (!outcome.applies) { if (chosen) p.notes.push(`优惠券「${usable.find((u) => u.id === c.id)!.title}」未满足使用条件`); continue; }
        applyPerLine(p, outcome.perLine, { step: 'coupons', stage: 'coupon', reason: `店铺券「${usable.find((u) => u.id === c.id)!.title}」${describe(c.terms)}`, ref: `coupon:${c.id}` });
        used.push({ id: c.id, merchantId });
      }
      const platform = usable.filter((c) => c.terms.funding === 'platform' && (!chosen || chosen.includes(c.id)));
      if (chosen && platform.length > 1) throw conflict('COUPON_STACKING', 'One platform coupon per order');
      const bestPlatform = bestCouponCombination(platform, priced(p.lines)).platformCoupon;
      const pc = chosen ? platform[0] ?? null : platform.find((c) => c.id === bestPlatform?.id) ?? null;
      if (pc) {
        const outcome = couponDiscount(pc.terms, priced(p.lines));
        if (pc.terms.kind === 'free_shipping' && outcome.applies) { freeShipping.push(...merchants); used.push({ id: pc.id, merchantId: null }); }
        else if (outcome.applies) {
          applyPerLine(p, outcome.perLine, { step: 'coupons', stage: 'coupon', reason: `平台券「${pc.title}」${describe(pc.terms)}`, ref: `coupon:${pc.id}` });
          used.push({ id: pc.id, merchantId: null });
        } else if (chosen) p.notes.push(`优惠券「${pc.title}」未满足使用条件`);
      }
      if (!chosen && used.length) p.notes.push(`已为你选择最优惠的券组合（${used.length}张）`);
      const unusedCount = usable.length - used.length;
      if (!chosen && unusedCount > 0 && used.length === 0) p.notes.push(`你有${unusedCount}张券，本单暂不满足使用条件`);
      p.effects.couponsUsed = used;
      p.effects.freeShippingMerchants = [...new Set([...((p.effects.freeShippingMerchants as number[] | undefined) ?? []), ...freeShipping])];
    },
    async commit(p, orders, db) {
      for (const c of (p.effects.couponsUsed as Array<{ id: number; merchantId: number | null }> | undefined) ?? []) {
        // A platform coupon belongs to the first order of the checkout (one payment covers all).
        const order = orders.find((o) => o.merchantId === c.merchantId) ?? orders[0]!;
        const r = await db.updateTable('coupons').set({ status: 'used', order_id: order.orderId, used_at: sql`now()` }).where('id', '=', c.id).where('status', '=', 'unused').executeTakeFirst();
        if (Number(r.numUpdatedRows) === 0) throw conflict('COUPON_NOT_USABLE', 'A coupon was used by another order meanwhile');
      }
    },
  };
}

/** 满减 / 满折 tiers per shop. */
export function fullReductionStep(): PricingStep {
  return {
    name: 'full_reduction', stage: 'full_reduction',
    async apply(p) {
      for (const promo of await activePromotions(p, 'full_reduction')) {
        const lines = p.lines.filter((l) => l.merchantId === promo.merchant_id);
        if (!lines.length) continue;
        const terms = promo.terms as unknown as FullReductionTerms;
        const label = terms.tiers.some((t) => t.percentOffBp) ? '满折' : '满减';
        const outcome = fullReductionDiscount(terms, priced(lines), label);
        if (outcome.discountFen > 0) applyPerLine(p, outcome.perLine, { step: 'full_reduction', stage: 'full_reduction', reason: `「${promo.title}」${outcome.reason}`, ref: `promotion:${promo.id}` });
        if (outcome.nextTier) p.notes.push(`「${promo.title}」再买${yuan(outcome.nextTier.shortFen)}可享下一档优惠`);
      }
    },
  };
}

/** Points deduction (积分抵扣): up to the policy's share of the order. */
export function pointsStep(ctx: AppContext): PricingStep {
  return {
    name: 'points', stage: 'points',
    async apply(p) {
      const balance = await ctx.services.points.balance(p.db, p.userId);
      if (!p.input.usePoints) {
        if (balance > 0) p.notes.push(`你有${balance}积分可抵扣`);
        return;
      }
      const requested = p.input.usePoints === true ? balance : Number(p.input.usePoints);
      const policy = ctx.services.points.policy;
      const used: Record<number, number> = {};
      let left = Math.min(requested, balance);
      for (const merchantId of [...new Set(p.lines.map((l) => l.merchantId))]) {
        const lines = p.lines.filter((l) => l.merchantId === merchantId);
        const outcome = pointsDeduction(left, left, priced(lines), policy);
        if (outcome.discountFen <= 0) continue;
        applyPerLine(p, outcome.perLine, { step: 'points', stage: 'points', reason: outcome.reason, ref: 'points' });
        used[merchantId] = outcome.pointsUsed;
        left -= outcome.pointsUsed;
      }
      p.effects.pointsUsedByMerchant = used;
    },
    async commit(p, orders, db) {
      const used = (p.effects.pointsUsedByMerchant as Record<number, number> | undefined) ?? {};
      for (const o of orders) {
        const n = used[o.merchantId];
        if (n) await ctx.services.points.spend(db, p.userId, n, `order:${o.orderId}`);
      }
    },
  };
}
