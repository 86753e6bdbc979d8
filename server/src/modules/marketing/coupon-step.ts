// The coupon step of the checkout pipeline: ≤ 1 merchant coupon per shop and ≤ 1 platform coupon
// per order. Without a choice, the stack that saves the most (rules/coupons.ts bestCouponStack);
// with one, exactly those coupons. Every coupon the shopper could use here is reported for the
// checkout sheet's picker, with why it does nothing when it does not.
import { sql } from 'kysely';
import type { AppContext } from '../../platform/context.ts';
import { conflict } from '../../platform/errors.ts';
import { applyPerLine } from '../checkout/pipeline.ts';
import type { CouponOption, PricingContext, PricingLine, PricingStep } from '../checkout/pipeline.ts';
import { bestCouponStack, couponDiscount, describe, evaluateStack, whyNotApplicable } from './rules/coupons.ts';
import type { CandidateCoupon, CouponStack, ShippingFees } from './rules/coupons.ts';
import type { PricedLine } from './rules/types.ts';
import './tables.ts';

type HeldCoupon = CandidateCoupon & { title: string };
type UsedCoupon = { id: number; merchantId: number | null };

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
const isMerchant = (c: CandidateCoupon) => c.terms.funding === 'merchant';

export function couponStep(ctx: AppContext): PricingStep {
  return {
    name: 'coupons',
    stage: 'coupon',
    async apply(p) {
      const chosen = p.input.couponIds;
      const held = await ctx.services.coupons.usable(p.db, p.userId, p.now);
      if (chosen) assertChoosable(chosen, held);
      const shops = [...new Set(p.lines.map((l) => l.merchantId))];
      // The shopper's coupons this basket could use (and any they named, to say why not).
      const relevant = held.filter(
        (c) => !isMerchant(c) || shops.includes(c.terms.merchantId!) || chosen?.includes(c.id),
      );
      const before = priced(p.lines);
      const fees: ShippingFees = relevant.some((c) => c.terms.kind === 'free_shipping')
        ? await ctx.services.checkout.shippingPreview(p)
        : new Map<number, number>();
      const picked = chosen ? relevant.filter((c) => chosen.includes(c.id)) : relevant;
      const stack: CouponStack = chosen
        ? { merchant: picked.filter(isMerchant), platform: picked.find((c) => !isMerchant(c)) ?? null }
        : bestCouponStack(picked, before, fees);
      const applied = new Set(evaluateStack(stack, before, fees).applied.map((c) => c.id));
      const { saved, waived } = applyStack(p, stack, applied, held, shops, fees);

      const alone = (c: CandidateCoupon) => {
        const single = isMerchant(c) ? { merchant: [c], platform: null } : { merchant: [], platform: c };
        return evaluateStack(single, before, fees).savingFen;
      };
      p.report.couponMode = chosen ? 'chosen' : 'auto';
      p.report.coupons = relevant
        .map((c): CouponOption => {
          const on = applied.has(c.id);
          const clash = chosen?.includes(c.id) ? '与所选的券一起用时不满足使用条件' : null;
          return {
            couponId: c.id,
            title: c.title,
            description: describe(c.terms),
            funding: c.terms.funding,
            merchantId: c.terms.merchantId ?? null,
            applied: on,
            savingFen: on ? saved.get(c.id)! : alone(c),
            reason: on ? null : (whyNotApplicable(c.terms, before, fees) ?? clash),
          };
        })
        .sort(pickerOrder);
      for (const c of picked) if (chosen && !applied.has(c.id)) p.notes.push(`优惠券「${c.title}」未满足使用条件`);
      if (!chosen && applied.size) p.notes.push(`已为你选择最优惠的券组合（${applied.size}张）`);
      if (!chosen && !applied.size && relevant.length) p.notes.push(`你有${relevant.length}张券，本单暂不满足使用条件`);
      p.effects.couponsUsed = relevant
        .filter((c) => applied.has(c.id))
        .map((c): UsedCoupon => ({ id: c.id, merchantId: isMerchant(c) ? c.terms.merchantId! : null }));
      const earlier = (p.effects.freeShippingMerchants as number[] | undefined) ?? [];
      p.effects.freeShippingMerchants = [...new Set([...earlier, ...waived])];
    },
    commitsOwnRowsOnly: true,
    async commit(p, orders, db) {
      for (const c of (p.effects.couponsUsed as UsedCoupon[] | undefined) ?? []) {
        // A platform coupon belongs to the first order of the checkout (one payment covers all).
        const order = orders.find((o) => o.merchantId === c.merchantId) ?? orders[0]!;
        const r = await db
          .updateTable('coupons')
          .set({ status: 'used', order_id: order.orderId, used_at: sql`now()` })
          .where('id', '=', c.id)
          .where('status', '=', 'unused')
          .executeTakeFirst();
        if (Number(r.numUpdatedRows) === 0) {
          throw conflict('COUPON_NOT_USABLE', 'A coupon was used by another order meanwhile');
        }
      }
    },
  };
}

/** Take the applied coupons off the lines: merchant coupons first, then the platform coupon (the receipt's order). */
function applyStack(
  p: PricingContext,
  stack: CouponStack,
  applied: Set<number>,
  held: HeldCoupon[],
  shops: number[],
  fees: ShippingFees,
) {
  const saved = new Map<number, number>();
  const waived = new Set<number>();
  const merchantFirst = [...stack.merchant].sort((a, b) => a.terms.merchantId! - b.terms.merchantId!);
  const inOrder = [...merchantFirst, ...(stack.platform ? [stack.platform] : [])];
  for (const c of inOrder.filter((x) => applied.has(x.id))) {
    if (c.terms.kind === 'free_shipping') {
      const fresh = (isMerchant(c) ? [c.terms.merchantId!] : shops).filter((m) => !waived.has(m));
      for (const m of fresh) waived.add(m);
      saved.set(
        c.id,
        fresh.reduce((s, m) => s + (fees.get(m) ?? 0), 0),
      );
      continue;
    }
    const title = held.find((h) => h.id === c.id)!.title;
    const reason = `${isMerchant(c) ? '店铺券' : '平台券'}「${title}」${describe(c.terms)}`;
    const outcome = couponDiscount(c.terms, priced(p.lines));
    const adjustment = { step: 'coupons', stage: 'coupon' as const, reason, ref: `coupon:${c.id}` };
    saved.set(c.id, applyPerLine(p, outcome.perLine, adjustment));
  }
  return { saved, waived };
}

/** Applied first, then usable by saving, then the ones that do nothing here. */
const pickerOrder = (a: CouponOption, b: CouponOption) =>
  Number(b.applied) - Number(a.applied) ||
  Number(a.reason !== null) - Number(b.reason !== null) ||
  b.savingFen - a.savingFen ||
  a.couponId - b.couponId;

/** A shopper's own choice: coupons they hold now, one per shop and one platform coupon at most. */
function assertChoosable(chosen: number[], held: HeldCoupon[]): void {
  const missing = chosen.filter((id) => !held.some((u) => u.id === id));
  if (missing.length) {
    throw conflict('COUPON_NOT_USABLE', 'Some coupons are not yours, used, or expired', { couponIds: missing });
  }
  const picked = held.filter((c) => chosen.includes(c.id));
  const shopsPicked = picked.filter(isMerchant).map((c) => c.terms.merchantId);
  if (new Set(shopsPicked).size < shopsPicked.length) throw conflict('COUPON_STACKING', 'One shop coupon per shop');
  if (picked.filter((c) => !isMerchant(c)).length > 1) {
    throw conflict('COUPON_STACKING', 'One platform coupon per order');
  }
}
