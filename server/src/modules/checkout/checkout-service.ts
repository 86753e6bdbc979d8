// Quote: price a basket through the pipeline and hand back a signed quote token. Placement
// (orders module) prices again on the server — prices from the client are never trusted.
import crypto from 'node:crypto';
import type { AppContext } from '../../platform/context.ts';
import type { Db } from '../../platform/db/types.ts';
import { badRequest, notFound } from '../../platform/errors.ts';
import { PricingPipeline, summarize, type PricingContext, type PricingInput, type PricingStep } from './pipeline.ts';
import { shippingStep } from './shipping-step.ts';

export interface BasketItem { skuId: number; quantity: number }

export const MAX_BASKET_LINES = 100;

export class CheckoutService {
  readonly pipeline = new PricingPipeline();

  constructor(private readonly ctx: AppContext) {
    this.pipeline.register(shippingStep(ctx));
  }

  registerPricingStep(step: PricingStep): void {
    this.pipeline.register(step);
  }

  /** Build the lines from the catalog (server prices), validate them, and run the pipeline. */
  async price(db: Db, userId: number, items: BasketItem[], input: PricingInput): Promise<PricingContext> {
    if (items.length === 0) throw badRequest('BASKET_EMPTY', 'Nothing to buy');
    if (items.length > MAX_BASKET_LINES) throw badRequest('BASKET_TOO_LARGE', `At most ${MAX_BASKET_LINES} lines per order`);
    const merged = new Map<number, number>();
    for (const i of items) {
      if (!Number.isSafeInteger(i.quantity) || i.quantity <= 0 || i.quantity > 999) throw badRequest('QUANTITY_INVALID', 'Quantity must be between 1 and 999');
      merged.set(i.skuId, (merged.get(i.skuId) ?? 0) + i.quantity);
    }
    const skus = new Map((await this.ctx.services.catalog.getSkusForCheckout(db, [...merged.keys()])).map((s) => [s.skuId, s]));
    const unknown = [...merged.keys()].filter((id) => !skus.has(id));
    if (unknown.length) throw notFound(`SKU ${unknown.join(', ')}`, 'SKU_NOT_FOUND');
    const unavailable = [...skus.values()].filter((s) => !s.purchasable).map((s) => s.skuId);
    if (unavailable.length) throw badRequest('SKU_NOT_PURCHASABLE', 'Some items are not on sale any more', { skuIds: unavailable });
    const ctx: PricingContext = {
      db, userId, now: new Date(), input, charges: [], notes: [], effects: {}, undeliverable: [],
      lines: [...merged].map(([skuId, quantity], i) => {
        const s = skus.get(skuId)!;
        return {
          lineId: `L${i + 1}`, skuId, productId: s.productId, merchantId: s.merchantId, categoryIds: s.categoryIds, tagIds: s.tagIds,
          productTitle: s.productTitle, skuName: s.skuName, imageUrl: s.imageUrl, quantity, weightGrams: s.weightGrams,
          listUnitPriceFen: s.priceFen, originalUnitPriceFen: s.originalPriceFen, unitPriceFen: s.priceFen, amountFen: s.priceFen * quantity, adjustments: [],
        };
      }),
    };
    return this.pipeline.run(ctx);
  }

  async quote(userId: number, items: BasketItem[], input: PricingInput & { addressId?: number | undefined }) {
    const province = input.addressId ? (await this.ctx.services.shipping.getAddress(this.ctx.db, userId, input.addressId)).province : input.province;
    const priced = await this.price(this.ctx.db, userId, items, { ...input, province });
    const view = quoteView(priced);
    const quoteToken = await this.ctx.tokens.signPayload({ u: userId, h: basketHash(items, { ...input, province }), t: view.totalFen }, 'quote', this.ctx.config.quoteTtlSec);
    return { ...view, quoteToken, expiresAt: new Date(Date.now() + this.ctx.config.quoteTtlSec * 1000) };
  }
}

/** A stable fingerprint of what was asked for, so a quote token only fits the same basket. */
export function basketHash(items: BasketItem[], input: PricingInput): string {
  const norm = [...items].sort((a, b) => a.skuId - b.skuId).map((i) => [i.skuId, i.quantity]);
  const inp = { c: [...(input.couponIds ?? [])].sort(), p: input.usePoints ?? false, r: input.roomId ?? null, v: input.province ?? null, f: input.flashSaleItemId ?? null, g: input.groupBuy ?? null, b: input.bargainId ?? null };
  return crypto.createHash('sha256').update(JSON.stringify([norm, inp])).digest('base64url').slice(0, 22);
}

export function quoteView(ctx: PricingContext) {
  const groups = summarize(ctx).map((g) => ({
    merchantId: g.merchantId,
    goodsFen: g.goodsFen, discountFen: g.discountFen, shippingFen: g.shippingFen, totalFen: g.totalFen,
    charges: g.charges.map((c) => ({ step: c.step, reason: c.reason, amountFen: c.amountFen })),
    lines: g.lines.map((l) => ({
      lineId: l.lineId, skuId: l.skuId, productId: l.productId, productTitle: l.productTitle, skuName: l.skuName, imageUrl: l.imageUrl,
      quantity: l.quantity, unitPriceFen: l.unitPriceFen, listUnitPriceFen: l.listUnitPriceFen, originalUnitPriceFen: l.originalUnitPriceFen, payableFen: l.amountFen,
      adjustments: l.adjustments.map((a) => ({ step: a.step, stage: a.stage, reason: a.reason, amountFen: a.amountFen, ...(a.ref ? { ref: a.ref } : {}) })),
    })),
  }));
  return {
    groups,
    goodsFen: groups.reduce((s, g) => s + g.goodsFen, 0),
    discountFen: groups.reduce((s, g) => s + g.discountFen, 0),
    shippingFen: groups.reduce((s, g) => s + g.shippingFen, 0),
    totalFen: groups.reduce((s, g) => s + g.totalFen, 0),
    notes: ctx.notes,
    undeliverable: ctx.undeliverable,
  };
}
