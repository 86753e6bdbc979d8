// Marketing's steps in the checkout pipeline (checkout/pipeline.ts): product-level deals
// (limited-time discounts, new-user prices), coupons (the best stack suggested and explained
// unless the shopper chose), full-reduction tiers, and points. Each records a reason per line.
import { sql } from 'kysely';
import type { AppContext } from '../../platform/context.ts';
import { conflict } from '../../platform/errors.ts';
import { applyPerLine, type CouponOption, type PricingContext, type PricingLine, type PricingStep } from '../checkout/pipeline.ts';
import { bestCouponStack, couponDiscount, describe, evaluateStack, whyNotApplicable, type CandidateCoupon, type CouponStack } from './rules/coupons.ts';
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
        // One product-level price per line: a flash, group or bargain price is not discounted again.
        if (line.adjustments.some((a) => a.stage === 'product_deal')) continue;
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

/**
 * Coupons: ≤ 1 merchant coupon per shop and ≤ 1 platform coupon per order. Without a choice, the
 * stack that saves the most (rules/coupons.ts bestCouponStack); with one, exactly those coupons.
 * Every coupon the shopper could use here is reported, with why it does nothing when it does not.
 */
export function couponStep(ctx: AppContext): PricingStep {
  return {
    name: 'coupons', stage: 'coupon',
    async apply(p) {
      const chosen = p.input.couponIds;
      const held = await ctx.services.coupons.usable(p.db, p.userId, p.now);
      if (chosen) assertChoosable(chosen, held);
      const shops = [...new Set(p.lines.map((l) => l.merchantId))];
      const relevant = held.filter((c) => c.terms.funding === 'platform' || shops.includes(c.terms.merchantId!) || chosen?.includes(c.id));
      const before = priced(p.lines);
      const fees = relevant.some((c) => c.terms.kind === 'free_shipping') ? await ctx.services.checkout.shippingPreview(p) : new Map<number, number>();
      const picked = chosen ? relevant.filter((c) => chosen.includes(c.id)) : relevant;
      const stack: CouponStack = chosen
        ? { merchant: picked.filter((c) => c.terms.funding === 'merchant'), platform: picked.find((c) => c.terms.funding === 'platform') ?? null }
        : bestCouponStack(picked, before, fees);
      const applied = new Set(evaluateStack(stack, before, fees).applied.map((c) => c.id));
      const saved = new Map<number, number>();
      const waived = new Set<number>();
      // Merchant coupons first, then the platform coupon on what is left: the receipt's order.
      for (const c of [...[...stack.merchant].sort((a, b) => a.terms.merchantId! - b.terms.merchantId!), ...(stack.platform ? [stack.platform] : [])]) {
        if (!applied.has(c.id)) continue;
        if (c.terms.kind === 'free_shipping') {
          const fresh = (c.terms.funding === 'merchant' ? [c.terms.merchantId!] : shops).filter((m) => !waived.has(m));
          fresh.forEach((m) => waived.add(m));
          saved.set(c.id, fresh.reduce((s, m) => s + (fees.get(m) ?? 0), 0));
          continue;
        }
        const label = c.terms.funding === 'merchant' ? '店铺券' : '平台券';
        const outcome = couponDiscount(c.terms, priced(p.lines));
        const title = held.find((h) => h.id === c.id)!.title;
        saved.set(c.id, applyPerLine(p, outcome.perLine, { step: 'coupons', stage: 'coupon', reason: `${label}「${title}」${describe(c.terms)}`, ref: `coupon:${c.id}` }));
      }
      const alone = (c: CandidateCoupon) => evaluateStack(c.terms.funding === 'merchant' ? { merchant: [c], platform: null } : { merchant: [], platform: c }, before, fees).savingFen;
      p.report.couponMode = chosen ? 'chosen' : 'auto';
      p.report.coupons = relevant.map((c): CouponOption => {
        const on = applied.has(c.id);
        const why = on ? null : whyNotApplicable(c.terms, before, fees) ?? (chosen?.includes(c.id) ? '与所选的券一起用时不满足使用条件' : null);
        return { couponId: c.id, title: c.title, description: describe(c.terms), funding: c.terms.funding, merchantId: c.terms.merchantId ?? null, applied: on, savingFen: on ? saved.get(c.id)! : alone(c), reason: why };
      }).sort((a, b) => Number(b.applied) - Number(a.applied) || Number(a.reason !== null) - Number(b.reason !== null) || b.savingFen - a.savingFen || a.couponId - b.couponId);
      for (const c of picked) if (chosen && !applied.has(c.id)) p.notes.push(`优惠券「${c.title}」未满足使用条件`);
      if (!chosen && applied.size) p.notes.push(`已为你选择最优惠的券组合（${applied.size}张）`);
      if (!chosen && !applied.size && relevant.length) p.notes.push(`你有${relevant.length}张券，本单暂不满足使用条件`);
      p.effects.couponsUsed = relevant.filter((c) => applied.has(c.id)).map((c) => ({ id: c.id, merchantId: c.terms.funding === 'merchant' ? c.terms.merchantId! : null }));
      p.effects.freeShippingMerchants = [...new Set([...((p.effects.freeShippingMerchants as number[] | undefined) ?? []), ...waived])];
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

/** A shopper's own choice: coupons they hold now, one per shop and one platform coupon at most. */
function assertChoosable(chosen: number[], held: Array<CandidateCoupon & { title: string }>): void {
  const missing = chosen.filter((id) => !held.some((u) => u.id === id));
  if (missing.length) throw conflict('COUPON_NOT_USABLE', 'Some coupons are not yours, used, or expired', { couponIds: missing });
  const picked = held.filter((c) => chosen.includes(c.id));
  const shopsPicked = picked.filter((c) => c.terms.funding === 'merchant').map((c) => c.terms.merchantId);
  if (new Set(shopsPicked).size < shopsPicked.length) throw conflict('COUPON_STACKING', 'One shop coupon per shop');
  if (picked.filter((c) => c.terms.funding === 'platform').length > 1) throw conflict('COUPON_STACKING', 'One platform coupon per order');
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

/** Points deduction (积分抵扣): up to the policy's share of each shop's order. */
export function pointsStep(ctx: AppContext): PricingStep {
  return {
    name: 'points', stage: 'points',
    async apply(p) {
      const balance = await ctx.services.points.balance(p.db, p.userId);
      const asked = p.input.usePoints;
      if (typeof asked === 'number' && asked > balance) throw conflict('POINTS_INSUFFICIENT', `You have ${balance} points, not ${asked}`, { balance });
      // Shop by shop, each up to its own share cap, until the points run out.
      const plan = (points: number) => {
        let left = points;
        return [...new Set(p.lines.map((l) => l.merchantId))].map((merchantId) => {
          const outcome = pointsDeduction(left, left, priced(p.lines.filter((l) => l.merchantId === merchantId)), ctx.services.points.policy);
          left -= outcome.pointsUsed;
          return { merchantId, outcome };
        }).filter((x) => x.outcome.discountFen > 0);
      };
      const usable = plan(balance).reduce((s, x) => s + x.outcome.pointsUsed, 0);
      const used: Record<number, number> = {};
      let deductedFen = 0;
      if (asked) {
        for (const { merchantId, outcome } of plan(asked === true ? balance : asked)) {
          deductedFen += applyPerLine(p, outcome.perLine, { step: 'points', stage: 'points', reason: outcome.reason, ref: 'points' });
          used[merchantId] = outcome.pointsUsed;
        }
      } else if (usable > 0) p.notes.push(`可用${usable}积分抵扣`);
      const usedTotal = Object.values(used).reduce((s, n) => s + n, 0);
      p.report.points = { balance, usable, used: usedTotal, deductedFen, reason: balance === 0 ? '暂无积分' : usable === 0 ? '本单不可使用积分' : null };
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
