// Coupon arithmetic: which lines a coupon applies to, how much it takes off, how that discount is
// spread over the lines (exactly, in proportion to what each line costs), and the best stack a
// shopper holds (one merchant coupon per shop + one platform coupon per order).
import { allocate } from '../../../platform/money/allocate.ts';
import type { PricedLine, RuleOutcome } from './types.ts';

export type CouponKind = 'fixed' | 'percent' | 'threshold' | 'free_shipping';
export type CouponScope =
  | { type: 'all' }
  | { type: 'merchant'; merchantId: number }
  | { type: 'categories'; categoryIds: number[] }
  | { type: 'products'; productIds: number[] };

export interface CouponTerms {
  kind: CouponKind;
  /** fixed and threshold: the amount off. */
  amountFen?: number;
  /** percent: basis points OFF (1500 = 15 % off), with an optional cap. */
  percentOffBp?: number;
  capFen?: number;
  /** threshold (满X减Y) and optional minimum for the others: eligible subtotal needed. */
  thresholdFen?: number;
  scope: CouponScope;
  /** Who pays for it; at most one platform and one merchant coupon per order. */
  funding: 'platform' | 'merchant';
  /** For merchant-funded coupons: the merchant whose lines it can touch. */
  merchantId?: number;
}

const yuan = (f: number) => `${(f / 100).toFixed(f % 100 ? 2 : 0)}元`;

export function eligibleLines(terms: CouponTerms, lines: PricedLine[]): PricedLine[] {
  return lines.filter((l) => (terms.funding !== 'merchant' || l.merchantId === terms.merchantId) && inScope(terms, l));
}

function inScope(terms: CouponTerms, l: PricedLine): boolean {
  switch (terms.scope.type) {
    case 'all':
      return true;
    case 'merchant':
      return l.merchantId === terms.scope.merchantId;
    case 'categories': {
      const ids = terms.scope.categoryIds;
      return l.categoryIds.some((c) => ids.includes(c));
    }
    case 'products':
      return terms.scope.productIds.includes(l.productId);
  }
}

/** What the coupon's lines cost now (only lines that still cost something count). */
export const eligibleSubtotal = (terms: CouponTerms, lines: PricedLine[]) =>
  eligibleLines(terms, lines).reduce((s, l) => s + Math.max(0, l.amountFen), 0);

/** The goods discount a (non-shipping) coupon gives on an eligible subtotal; 0 when it does not apply. */
export function discountOnSubtotal(terms: CouponTerms, subtotalFen: number): number {
  if (terms.kind === 'free_shipping' || subtotalFen <= 0 || subtotalFen < (terms.thresholdFen ?? 0)) return 0;
  let discount: number;
  if (terms.kind === 'percent') {
    const raw = Math.floor((subtotalFen * (terms.percentOffBp ?? 0)) / 10_000);
    discount = terms.capFen !== undefined ? Math.min(raw, terms.capFen) : raw;
  } else discount = terms.amountFen ?? 0;
  return Math.min(discount, subtotalFen); // never below zero
}

/** The discount a coupon gives on these lines (0 when it does not apply), spread over them. */
export function couponDiscount(
  terms: CouponTerms,
  lines: PricedLine[],
): RuleOutcome & { applies: boolean; shortOfThresholdFen: number } {
  const eligible = eligibleLines(terms, lines).filter((l) => l.amountFen > 0);
  const subtotal = eligible.reduce((s, l) => s + l.amountFen, 0);
  const threshold = terms.thresholdFen ?? 0;
  const shortOfThresholdFen = Math.max(0, threshold - subtotal);
  if (terms.kind === 'free_shipping') {
    const applies = eligible.length > 0 && subtotal >= threshold;
    return { applies, discountFen: 0, perLine: [], reason: applies ? 'free shipping' : '', shortOfThresholdFen };
  }
  const discount = discountOnSubtotal(terms, subtotal);
  if (discount <= 0) return { applies: false, discountFen: 0, perLine: [], reason: '', shortOfThresholdFen };
  const parts = allocate(
    discount,
    eligible.map((l) => l.amountFen),
    { capByWeight: true },
  );
  return {
    applies: true,
    discountFen: discount,
    perLine: eligible.map((l, i) => ({ lineId: l.lineId, amountFen: parts[i]! })).filter((p) => p.amountFen > 0),
    reason: describe(terms),
    shortOfThresholdFen: 0,
  };
}

export function describe(terms: CouponTerms): string {
  switch (terms.kind) {
    case 'fixed':
      return `立减${yuan(terms.amountFen ?? 0)}`;
    case 'threshold':
      return `满${yuan(terms.thresholdFen ?? 0)}减${yuan(terms.amountFen ?? 0)}`;
    case 'percent':
      return `${(10 - (terms.percentOffBp ?? 0) / 1000).toFixed(1).replace(/\.0$/, '')}折${terms.capFen !== undefined ? `，最多减${yuan(terms.capFen)}` : ''}`;
    case 'free_shipping':
      return '包邮';
  }
}

/** Shipping fee per shop, for valuing free-shipping coupons (absent: 0). */
export type ShippingFees = ReadonlyMap<number, number>;
const feeOf = (fees: ShippingFees | undefined, merchantId: number) => fees?.get(merchantId) ?? 0;

/** Why a coupon, on its own, does nothing for these lines (null: it saves money). */
export function whyNotApplicable(terms: CouponTerms, lines: PricedLine[], fees?: ShippingFees): string | null {
  if (terms.funding === 'merchant' && !lines.some((l) => l.merchantId === terms.merchantId))
    return '本单没有该店铺的商品';
  const out = couponDiscount(terms, lines);
  if (!eligibleLines(terms, lines).some((l) => l.amountFen > 0)) return '本单商品不在此券的使用范围内';
  if (out.shortOfThresholdFen > 0) return `还差${yuan(out.shortOfThresholdFen)}可用`;
  if (terms.kind === 'free_shipping') {
    const shops = terms.funding === 'merchant' ? [terms.merchantId!] : [...new Set(lines.map((l) => l.merchantId))];
    return shops.some((m) => feeOf(fees, m) > 0) ? null : '本单无需运费';
  }
  return out.applies ? null : '本单可减金额为0';
}

export interface CandidateCoupon {
  id: number;
  terms: CouponTerms;
}
/** A stack: at most one merchant coupon per shop, at most one platform coupon. */
export interface CouponStack {
  merchant: CandidateCoupon[];
  platform: CandidateCoupon | null;
}
export interface StackOutcome {
  /** Goods discount plus the shipping fees waived. */
  savingFen: number;
  /** The coupons that change the price (a coupon that would save nothing is not used). */
  applied: CandidateCoupon[];
}

/**
 * The definition of what a stack saves: merchant coupons on their shop's lines first, then the
 * platform coupon on what is left (the order the receipt shows). Free shipping waives the fee once.
 */
export function evaluateStack(stack: CouponStack, lines: PricedLine[], fees?: ShippingFees): StackOutcome {
  let current = lines;
  let savingFen = 0;
  const waived = new Set<number>();
  const applied: CandidateCoupon[] = [];
  const waive = (shops: number[]) => {
    const fresh = shops.filter((m) => !waived.has(m));
    const fee = fresh.reduce((s, m) => s + feeOf(fees, m), 0);
    if (fee > 0) for (const m of fresh) waived.add(m);
    return fee;
  };
  const use = (c: CandidateCoupon, shops: number[]) => {
    const out = couponDiscount(c.terms, current);
    if (!out.applies) return;
    const saved = c.terms.kind === 'free_shipping' ? waive(shops) : out.discountFen;
    if (saved <= 0) return;
    if (c.terms.kind !== 'free_shipping') current = applyOutcome(current, out);
    savingFen += saved;
    applied.push(c);
  };
  const byShop = [...stack.merchant].sort((a, b) => a.terms.merchantId! - b.terms.merchantId!);
  for (const m of byShop) use(m, [m.terms.merchantId!]);
  if (stack.platform) use(stack.platform, [...new Set(lines.map((l) => l.merchantId))]);
  return { savingFen, applied };
}

/** Beyond this many non-dominated partial stacks per platform coupon the search keeps the richest. */
export const MAX_FRONTIER = 4096;

interface Partial {
  v: number;
  s: number;
  n: number;
  picks: CandidateCoupon[];
}

/** Drop partial stacks another one beats on value, platform-eligible subtotal and coupon count. */
function paretoPrune(points: Partial[], maxCount: number): Partial[] {
  points.sort((a, b) => b.s - a.s || b.v - a.v || a.n - b.n);
  const bestUpTo = new Array<number>(maxCount + 1).fill(-1);
  const kept: Partial[] = [];
  for (const p of points) {
    if (bestUpTo[p.n]! >= p.v) continue;
    kept.push(p);
    for (let k = p.n; k <= maxCount; k++) bestUpTo[k] = Math.max(bestUpTo[k]!, p.v);
  }
  if (kept.length <= MAX_FRONTIER) return kept;
  return kept.sort((a, b) => b.v - a.v || b.s - a.s).slice(0, MAX_FRONTIER);
}

/**
 * The stack that saves the shopper the most. Shops' merchant coupons touch disjoint lines, and a
 * platform coupon's value depends only on the eligible subtotal left after them (never less for
 * more left), so for each platform coupon the shops are combined keeping only Pareto-optimal
 * (saving, subtotal left) partial stacks: exact, without trying every product of choices. Ties
 * go to fewer coupons (keep the rest for later). Exact while each frontier stays ≤ MAX_FRONTIER.
 */
export function bestCouponStack(
  coupons: CandidateCoupon[],
  lines: PricedLine[],
  fees?: ShippingFees,
): CouponStack & StackOutcome {
  const shops = [...new Set(lines.map((l) => l.merchantId))];
  const perShop = shops.map((merchantId) => {
    const own = lines.filter((l) => l.merchantId === merchantId);
    const options = [{ coupon: null as CandidateCoupon | null, discountFen: 0, freeShipping: false, after: own }];
    for (const c of coupons) {
      if (c.terms.funding !== 'merchant' || c.terms.merchantId !== merchantId) continue;
      const out = couponDiscount(c.terms, lines);
      const freeShipping = c.terms.kind === 'free_shipping';
      if (!out.applies || (freeShipping && feeOf(fees, merchantId) <= 0)) continue;
      const after = (freeShipping ? lines : applyOutcome(lines, out)).filter((l) => l.merchantId === merchantId);
      options.push({ coupon: c, discountFen: out.discountFen, freeShipping, after });
    }
    return { merchantId, options };
  });
  const allFees = shops.reduce((s, m) => s + feeOf(fees, m), 0);
  let best: CouponStack & StackOutcome = { merchant: [], platform: null, savingFen: 0, applied: [] };
  let bestCount = 0;
  for (const p of [null, ...coupons.filter((c) => c.terms.funding === 'platform')]) {
    const platformWaives = p?.terms.kind === 'free_shipping';
    let frontier: Partial[] = [{ v: 0, s: 0, n: 0, picks: [] }];
    for (const shop of perShop) {
      const next: Partial[] = [];
      for (const f of frontier) {
        for (const o of shop.options) {
          // Under a platform free-shipping coupon that applies, a shop's own one is worth nothing more.
          const v = o.discountFen + (o.freeShipping && !platformWaives ? feeOf(fees, shop.merchantId) : 0);
          next.push({
            v: f.v + v,
            s: f.s + (p ? eligibleSubtotal(p.terms, o.after) : 0),
            n: f.n + (o.coupon ? 1 : 0),
            picks: o.coupon ? [...f.picks, o.coupon] : f.picks,
          });
        }
      }
      frontier = paretoPrune(next, shops.length + 1);
    }
    for (const point of frontier) {
      let platformValue = 0;
      if (p) {
        platformValue = platformWaives
          ? point.s > 0 && point.s >= (p.terms.thresholdFen ?? 0)
            ? allFees
            : 0
          : discountOnSubtotal(p.terms, point.s);
        if (platformValue <= 0) continue; // the same stack without it was already considered
      }
      const total = point.v + platformValue;
      const count = point.n + (p ? 1 : 0);
      if (total > best.savingFen || (total === best.savingFen && total > 0 && count < bestCount)) {
        const stack = { merchant: point.picks, platform: p };
        best = { ...stack, ...evaluateStack(stack, lines, fees) };
        bestCount = count;
      }
    }
  }
  return best;
}

/** Lines after taking an outcome's per-line discounts off. */
export function applyOutcome(
  lines: PricedLine[],
  outcome: { perLine: Array<{ lineId: string; amountFen: number }> },
): PricedLine[] {
  const off = new Map(outcome.perLine.map((p) => [p.lineId, p.amountFen]));
  return lines.map((l) => ({ ...l, amountFen: l.amountFen - (off.get(l.lineId) ?? 0) }));
}
