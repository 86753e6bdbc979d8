// The last step: each shop's shipping fee from its template, by province, weight or pieces, on
// what its lines cost after discounts (so "满99包邮" uses the discounted subtotal). Deliverability
// comes first: a free-shipping coupon waives the fee, it never makes an excluded region reachable.
import type { AppContext } from '../../platform/context.ts';
import { shippingFee, type FeeResult } from '../shipping/shipping-fee.ts';
import { readOnce, type PricingContext, type PricingStep } from './pipeline.ts';

/** The fee the shop's template asks for these lines now (null: no address chosen yet). */
export async function feeFor(ctx: AppContext, p: PricingContext, merchantId: number): Promise<FeeResult | null> {
  if (!p.input.province) return null;
  const lines = p.lines.filter((l) => l.merchantId === merchantId);
  const template = await templateOf(ctx, p, merchantId);
  return shippingFee(template, {
    province: p.input.province,
    weightGrams: lines.reduce((s, l) => s + l.weightGrams * l.quantity, 0),
    pieces: lines.reduce((s, l) => s + l.quantity, 0),
    subtotalFen: lines.reduce((s, l) => s + l.amountFen, 0),
  });
}

/** A quote reads this node's copy of the template; placement reads the row in its transaction. */
const templateOf = (ctx: AppContext, p: PricingContext, merchantId: number) =>
  readOnce(p, `shipping-template:${merchantId}`, () =>
    p.purpose !== 'place'
      ? ctx.services.shipping.shownTemplateFor(merchantId)
      : ctx.services.shipping.templateFor(p.db, merchantId),
  );

export function shippingStep(ctx: AppContext): PricingStep {
  return {
    name: 'shipping_fee',
    stage: 'shipping',
    async apply(p) {
      const freeShipping = new Set((p.effects.freeShippingMerchants as number[] | undefined) ?? []);
      for (const merchantId of new Set(p.lines.map((l) => l.merchantId))) {
        const r = await feeFor(ctx, p, merchantId);
        if (r && !r.deliverable) {
          p.undeliverable.push({ merchantId, reason: r.reason });
          continue;
        }
        if (freeShipping.has(merchantId)) {
          p.charges.push({
            merchantId,
            step: 'shipping_fee',
            stage: 'shipping',
            reason: '包邮券：免运费',
            amountFen: 0,
          });
          continue;
        }
        if (!r) {
          p.notes.push('选择收货地址后计算运费');
          p.charges.push({ merchantId, step: 'shipping_fee', stage: 'shipping', reason: '未选择地址', amountFen: 0 });
          continue;
        }
        p.charges.push({ merchantId, step: 'shipping_fee', stage: 'shipping', reason: r.reason, amountFen: r.feeFen });
        const template = await templateOf(ctx, p, merchantId);
        if (template?.freeOverFen && r.feeFen > 0) {
          const subtotal = p.lines.filter((l) => l.merchantId === merchantId).reduce((s, l) => s + l.amountFen, 0);
          const short = template.freeOverFen - subtotal;
          if (short > 0) p.notes.push(`再买${(short / 100).toFixed(2)}元即可包邮`);
        }
      }
    },
  };
}
