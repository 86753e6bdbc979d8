// Shipping fee from a merchant template: by province, weight (grams) or pieces, free over a threshold.
import type { ShippingRule } from './tables.ts';

export interface FeeTemplate {
  chargeBy: 'weight' | 'pieces';
  rules: ShippingRule[];
  freeOverFen: number | null;
  excludedRegions: string[];
}

export type FeeResult = { deliverable: true; feeFen: number; reason: string } | { deliverable: false; reason: string };

export function shippingFee(
  t: FeeTemplate | null,
  input: { province: string; weightGrams: number; pieces: number; subtotalFen: number },
): FeeResult {
  if (!t) return { deliverable: true, feeFen: 0, reason: '包邮' };
  if (t.excludedRegions.includes(input.province)) return { deliverable: false, reason: `不配送至${input.province}` };
  if (t.freeOverFen !== null && input.subtotalFen >= t.freeOverFen)
    return { deliverable: true, feeFen: 0, reason: `满${t.freeOverFen / 100}元包邮` };
  const rule = t.rules.find((r) => r.regions.includes(input.province)) ?? t.rules.find((r) => r.regions.includes('*'));
  if (!rule) return { deliverable: false, reason: `不配送至${input.province}` };
  const units = t.chargeBy === 'weight' ? input.weightGrams : input.pieces;
  const extra = Math.max(0, units - rule.firstUnits);
  const steps = rule.extraUnits > 0 ? Math.ceil(extra / rule.extraUnits) : 0;
  const fee = rule.firstFeeFen + steps * rule.extraFeeFen;
  const unitText = t.chargeBy === 'weight' ? `${(units / 1000).toFixed(2).replace(/\.?0+$/, '')}kg` : `${units}件`;
  return {
    deliverable: true,
    feeFen: fee,
    reason: `运费${(fee / 100).toFixed(2)}元（${input.province}，${unitText}）`,
  };
}
