// The last step: each shop's shipping fee from its template, by province, weight or pieces, on
// what its lines cost after discounts (so "满99包邮" uses the discounted subtotal).
import type { AppContext } from '../../platform/context.ts';
import { shippingFee } from '../shipping/shipping-fee.ts';
import type { PricingStep } from './pipeline.ts';

export function shippingStep(ctx: AppContext): PricingStep {
  return {
    name: 'shipping_fee',
    stage: 'shipping',
    async apply(p) {
      const freeShipping = new Set((p.effects.freeShippingMerchants as number[] | undefined) ?? []);
      for (const merchantId of new Set(p.lines.map((l) => l.merchantId))) {
        const lines = p.lines.filter((l) => l.merchantId === merchantId);
        if (freeShipping.has(merchantId)) {
          p.charges.push({ merchantId, step: 'shipping_fee', stage: 'shipping', reason: '包邮券：免运费', amountFen: 0 });
          continue;
        }
        if (!p.input.province) {
          p.notes.push('选择收货地址后计算运费');
          p.charges.push({ merchantId, step: 'shipping_fee', stage: 'shipping', reason: '未选择地址', amountFen: 0 });
          continue;
        }
        const template = await ctx.services.shipping.templateFor(p.db, merchantId);
        const r = shippingFee(template, {
          province: p.input.province,
          weightGrams: lines.reduce((s, l) => s + l.weightGrams * l.quantity, 0),
          pieces: lines.reduce((s, l) => s + l.quantity, 0),
          subtotalFen: lines.reduce((s, l) => s + l.amountFen, 0),
        });
        if (!r.deliverable) {
          p.undeliverable.push({ merchantId, reason: r.reason });
          continue;
        }
        p.charges.push({ merchantId, step: 'shipping_fee', stage: 'shipping', reason: r.reason, amountFen: r.feeFen });
        if (template?.freeOverFen && r.feeFen > 0) {
          const short = template.freeOverFen - lines.reduce((s, l) => s + l.amountFen, 0);
          if (short > 0) p.notes.push(`再买${(short / 100).toFixed(2)}元即可包邮`);
        }
      }
    },
  };
}
