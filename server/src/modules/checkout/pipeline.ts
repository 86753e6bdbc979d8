// The pricing pipeline shared by quote and place-order: base price → product-level deals →
// coupons → full-reduction → points → shipping fee. Each step records per-line adjustments with
// a reason, so shopper and merchant can see why a price is what it is. Marketing plugs its
// steps in with registerPricingStep; every amount is integer fen and every split is exact.
import { allocate } from '../../platform/money/allocate.ts';
import type { Db } from '../../platform/db/types.ts';

export type PricingStage = 'base' | 'product_deal' | 'coupon' | 'full_reduction' | 'points' | 'shipping';
export const STAGE_ORDER: PricingStage[] = ['base', 'product_deal', 'coupon', 'full_reduction', 'points', 'shipping'];

export interface Adjustment {
  step: string;
  stage: PricingStage;
  reason: string;
  /** Negative for a discount, positive for a charge. */
  amountFen: number;
  /** e.g. the coupon id, the flash-sale item id. */
  ref?: string;
}

export interface PricingLine {
  lineId: string;
  skuId: number;
  productId: number;
  merchantId: number;
  categoryIds: number[];
  tagIds: number[];
  productTitle: string;
  skuName: string;
  imageUrl: string | null;
  quantity: number;
  weightGrams: number;
  listUnitPriceFen: number;
  originalUnitPriceFen: number;
  /** Unit price after product-level deals (flash sale, limited-time discount, new-user price). */
  unitPriceFen: number;
  /** What the line costs now: unitPriceFen × quantity minus order-level discounts so far. */
  amountFen: number;
  adjustments: Adjustment[];
}

export interface MerchantCharge {
  merchantId: number;
  step: string;
  stage: PricingStage;
  reason: string;
  amountFen: number;
}

export interface PricingInput {
  couponIds?: number[] | undefined;
  /** true: use the best amount of points allowed; a number: at most that many. */
  usePoints?: boolean | number | undefined;
  roomId?: number | null | undefined;
  province?: string | undefined;
  flashSaleItemId?: number | undefined;
  /** The per-user flash-sale token (only available once the session has started). */
  flashToken?: string | undefined;
  /** Buying as a group-buy: open a new group (no groupId) or join one through its share link. */
  groupBuy?: { dealId: number; groupId?: number | null | undefined } | undefined;
  /** Buying a bargain (砍价) at the price it reached. */
  bargainId?: number | undefined;
}

export interface PricingContext {
  db: Db;
  userId: number;
  now: Date;
  /** A quote also reports what the shopper could choose (coupons, points); placement needs only the price. */
  purpose?: 'quote' | 'place';
  input: PricingInput;
  lines: PricingLine[];
  /** Order-level charges (shipping) per merchant. */
  charges: MerchantCharge[];
  /** Messages for the shopper: "add ¥12 more for free shipping", "coupon X not applicable". */
  notes: string[];
  /** What steps decided and must commit at placement (coupon ids, points, flash units…). */
  effects: Record<string, unknown>;
  undeliverable: Array<{ merchantId: number; reason: string }>;
  /** What the shopper can choose from, for the checkout sheet (filled by the coupon and points steps). */
  report: PricingReport;
  /** Reads this run has made, by key (see readOnce). */
  reads?: Map<string, Promise<unknown>>;
}

/**
 * A read several steps of one pricing run need (a shop's shipping template, the running promotions): made
 * once per run, in the run's executor, and shared. Quote and placement each run their own, so nothing is
 * carried from one request to the next.
 */
export function readOnce<T>(p: PricingContext, key: string, load: () => Promise<T>): Promise<T> {
  p.reads ??= new Map();
  let read = p.reads.get(key) as Promise<T> | undefined;
  if (!read) {
    read = load();
    p.reads.set(key, read);
  }
  return read;
}

/** One of the shopper's coupons as this basket sees it. */
export interface CouponOption {
  couponId: number;
  title: string;
  description: string;
  funding: 'platform' | 'merchant';
  merchantId: number | null;
  applied: boolean;
  /** Applied: what it takes off in this stack; otherwise what it would take off alone. */
  savingFen: number;
  /** Why it does nothing for this basket (null when it could be used). */
  reason: string | null;
}

export interface PointsReport {
  balance: number;
  /** The most points this basket can take (policy share cap), whether or not they are used. */
  usable: number;
  used: number;
  deductedFen: number;
  /** Why points cannot be used here (null when they can). */
  reason: string | null;
}

export interface PricingReport {
  couponMode: 'auto' | 'chosen';
  coupons: CouponOption[];
  points: PointsReport;
}

export const emptyReport = (): PricingReport => ({
  couponMode: 'auto',
  coupons: [],
  points: { balance: 0, usable: 0, used: 0, deductedFen: 0, reason: null },
});

export interface PricingStep {
  name: string;
  stage: Exclude<PricingStage, 'base'>;
  apply(ctx: PricingContext): Promise<void>;
  /**
   * The step's commit touches only the shopper's own rows (their coupons, their points), so placement may
   * run it before reserving stock: the stock row everyone is buying ("上链接") is then locked for the
   * reservation and the transaction's commit alone. Deals (shared rows) commit after the stock, as every
   * path that holds both locks them.
   */
  commitsOwnRowsOnly?: boolean;
  /** At placement, inside the order transaction: make the step's decisions stick (consume coupons…). */
  commit?(
    ctx: PricingContext,
    orders: Array<{ orderId: number; merchantId: number; lineIds: Map<string, number> }>,
    db: Db,
  ): Promise<void>;
  /**
   * At placement, before the order transaction: take what is decided outside the database (a
   * flash-sale unit in the cache) so losers fail fast. Returns an undo, run if the order is not made.
   */
  beforePlace?(
    userId: number,
    items: Array<{ skuId: number; quantity: number }>,
    input: PricingInput,
  ): Promise<(() => Promise<void>) | void>;
}

/** Take `totalFen` off the given lines in proportion to what each costs now, recording the reason. */
export function discountLines(
  _ctx: PricingContext,
  lines: PricingLine[],
  totalFen: number,
  adj: Omit<Adjustment, 'amountFen'>,
): number {
  const positive = lines.filter((l) => l.amountFen > 0);
  const cap = positive.reduce((s, l) => s + l.amountFen, 0);
  const amount = Math.min(totalFen, cap);
  if (amount <= 0) return 0;
  const parts = allocate(
    amount,
    positive.map((l) => l.amountFen),
    { capByWeight: true },
  );
  positive.forEach((l, i) => {
    if (parts[i] === 0) return;
    l.amountFen -= parts[i]!;
    l.adjustments.push({ ...adj, amountFen: -parts[i]! });
  });
  return amount;
}

/** Apply per-line amounts computed by a rule (already exact), recording the reason. */
export function applyPerLine(
  ctx: PricingContext,
  perLine: Array<{ lineId: string; amountFen: number }>,
  adj: Omit<Adjustment, 'amountFen'>,
): number {
  let total = 0;
  for (const p of perLine) {
    const line = ctx.lines.find((l) => l.lineId === p.lineId);
    if (!line || p.amountFen <= 0) continue;
    const take = Math.min(p.amountFen, line.amountFen);
    line.amountFen -= take;
    line.adjustments.push({ ...adj, amountFen: -take });
    total += take;
  }
  return total;
}

export class PricingPipeline {
  private readonly steps: PricingStep[] = [];

  register(step: PricingStep): void {
    if (this.steps.some((s) => s.name === step.name)) throw new Error(`Duplicate pricing step ${step.name}`);
    this.steps.push(step);
    this.steps.sort((a, b) => STAGE_ORDER.indexOf(a.stage) - STAGE_ORDER.indexOf(b.stage));
  }

  get registered(): readonly PricingStep[] {
    return this.steps;
  }

  async run(ctx: PricingContext): Promise<PricingContext> {
    for (const l of ctx.lines) {
      l.adjustments.unshift({
        step: 'base',
        stage: 'base',
        reason: `${l.skuName ? `${l.skuName} ` : ''}单价${(l.unitPriceFen / 100).toFixed(2)}元 × ${l.quantity}`,
        amountFen: l.unitPriceFen * l.quantity,
      });
    }
    for (const step of this.steps) await step.apply(ctx);
    return ctx;
  }

  /** Run every step's beforePlace; if one refuses, undo those already taken. Returns the undo of all. */
  async beforePlace(
    userId: number,
    items: Array<{ skuId: number; quantity: number }>,
    input: PricingInput,
  ): Promise<() => Promise<void>> {
    const undos: Array<() => Promise<void>> = [];
    const undoAll = async () => {
      for (const u of undos.reverse()) await u();
    };
    try {
      for (const step of this.steps) {
        const u = await step.beforePlace?.(userId, items, input);
        if (u) undos.push(u);
      }
    } catch (err) {
      await undoAll();
      throw err;
    }
    return undoAll;
  }

  /** The steps whose commit touches only the shopper's own rows ('own'), or all the others ('shared'). */
  async commit(
    ctx: PricingContext,
    orders: Array<{ orderId: number; merchantId: number; lineIds: Map<string, number> }>,
    db: Db,
    which: 'own' | 'shared',
  ): Promise<void> {
    for (const step of this.steps) {
      if (Boolean(step.commitsOwnRowsOnly) === (which === 'own')) await step.commit?.(ctx, orders, db);
    }
  }
}

/** Totals per merchant from a priced context. */
export function summarize(ctx: PricingContext) {
  const merchants = [...new Set(ctx.lines.map((l) => l.merchantId))];
  return merchants.map((merchantId) => {
    const lines = ctx.lines.filter((l) => l.merchantId === merchantId);
    const goodsFen = lines.reduce((s, l) => s + l.listUnitPriceFen * l.quantity, 0);
    const linesFen = lines.reduce((s, l) => s + l.amountFen, 0);
    const charges = ctx.charges.filter((c) => c.merchantId === merchantId);
    const shippingFen = charges.filter((c) => c.stage === 'shipping').reduce((s, c) => s + c.amountFen, 0);
    return {
      merchantId,
      lines,
      charges,
      goodsFen,
      discountFen: goodsFen - linesFen,
      shippingFen,
      totalFen: linesFen + shippingFen,
    };
  });
}
