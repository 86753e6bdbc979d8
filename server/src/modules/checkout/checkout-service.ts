// Quote: price a checkout request through the pipeline and hand back a signed quote token that
// fingerprints the request and carries what the quote decided (coupons, points). Placement
// (orders module) prices again on the server — prices from the client are never trusted.
import type { AppContext } from '../../platform/context.ts';
import type { Db } from '../../platform/db/types.ts';
import { badRequest, notFound } from '../../platform/errors.ts';
import { emptyReport, PricingPipeline, summarize } from './pipeline.ts';
import type { PricingContext, PricingInput, PricingStep } from './pipeline.ts';
import { amountsDigest, assertOneDeal, pricingInputOf, requestHash } from './request.ts';
import type { BasketItem, CheckoutRequest, QuoteClaims } from './request.ts';
import { feeFor, shippingStep } from './shipping-step.ts';

export type { BasketItem } from './request.ts';

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
  async price(
    db: Db,
    userId: number,
    items: BasketItem[],
    input: PricingInput,
    purpose: PricingContext['purpose'] = 'quote',
  ): Promise<PricingContext> {
    if (items.length === 0) throw badRequest('BASKET_EMPTY', 'Nothing to buy');
    if (items.length > MAX_BASKET_LINES)
      throw badRequest('BASKET_TOO_LARGE', `At most ${MAX_BASKET_LINES} lines per order`);
    const merged = new Map<number, number>();
    for (const i of items) {
      if (!Number.isSafeInteger(i.quantity) || i.quantity <= 0 || i.quantity > 999)
        throw badRequest('QUANTITY_INVALID', 'Quantity must be between 1 and 999');
      merged.set(i.skuId, (merged.get(i.skuId) ?? 0) + i.quantity);
    }
    if ([...merged.values()].some((q) => q > 999)) {
      throw badRequest('QUANTITY_INVALID', 'Quantity must be between 1 and 999');
    }
    // A quote shows the SKUs as this node's product pages have them; placement reads the rows (see shown-skus.ts).
    const { catalog } = this.ctx.services;
    const skuIds = [...merged.keys()];
    const rows =
      purpose === 'place' ? await catalog.getSkusForCheckout(db, skuIds) : await catalog.shownSkusForCheckout(skuIds);
    const skus = new Map(rows.map((s) => [s.skuId, s]));
    const unknown = [...merged.keys()].filter((id) => !skus.has(id));
    if (unknown.length) throw notFound(`SKU ${unknown.join(', ')}`, 'SKU_NOT_FOUND');
    const unavailable = [...skus.values()].filter((s) => !s.purchasable).map((s) => s.skuId);
    if (unavailable.length)
      throw badRequest('SKU_NOT_PURCHASABLE', 'Some items are not on sale any more', { skuIds: unavailable });
    const roomMerchantId = input.roomId
      ? await this.assertRoomSells(
          db,
          input.roomId,
          [...skus.values()].map((s) => s.merchantId),
        )
      : null;
    const ctx: PricingContext = {
      db,
      userId,
      now: new Date(),
      purpose,
      input,
      charges: [],
      notes: [],
      effects: { roomMerchantId },
      undeliverable: [],
      report: emptyReport(),
      lines: [...merged].map(([skuId, quantity], i) => {
        const s = skus.get(skuId)!;
        return {
          lineId: `L${i + 1}`,
          skuId,
          productId: s.productId,
          merchantId: s.merchantId,
          categoryIds: s.categoryIds,
          tagIds: s.tagIds,
          productTitle: s.productTitle,
          skuName: s.skuName,
          imageUrl: s.imageUrl,
          quantity,
          weightGrams: s.weightGrams,
          listUnitPriceFen: s.priceFen,
          originalUnitPriceFen: s.originalPriceFen,
          unitPriceFen: s.priceFen,
          amountFen: s.priceFen * quantity,
          adjustments: [],
        };
      }),
    };
    // Priced in one order however the request lists its items (an even split's odd fen goes to the first line,
    // points serve the first shop first): the same basket costs the same, line by line, at quote and placement.
    // Shown back in the order the shopper listed them.
    const listed = new Map(ctx.lines.map((l, i) => [l.lineId, i]));
    ctx.lines.sort((a, b) => a.skuId - b.skuId);
    const priced = await this.pipeline.run(ctx);
    priced.lines.sort((a, b) => (listed.get(a.lineId) ?? listed.size) - (listed.get(b.lineId) ?? listed.size));
    return priced;
  }

  /**
   * A room credits the order it sold: it must exist and be one of the basket's shops' rooms.
   * Returns the room's shop (only that shop's order of a multi-shop checkout carries the room).
   */
  private async assertRoomSells(db: Db, roomId: number, merchantIds: number[]): Promise<number | null> {
    const live = (this.ctx.services as Partial<AppContext['services']>).live;
    if (!live) return null; // a deployment without live rooms has nothing to attribute to
    const roomMerchantId = await live.roomMerchantId(roomId, db);
    if (roomMerchantId === null) throw notFound('Room', 'ROOM_NOT_FOUND');
    if (!merchantIds.includes(roomMerchantId)) {
      throw badRequest('ROOM_NOT_FOR_BASKET', 'This room does not sell these items');
    }
    return roomMerchantId;
  }

  /** Each shop's fee for its lines as they cost now (0 without an address): values free-shipping coupons. */
  async shippingPreview(p: PricingContext): Promise<Map<number, number>> {
    const fees = new Map<number, number>();
    for (const merchantId of new Set(p.lines.map((l) => l.merchantId))) {
      const r = await feeFor(this.ctx, p, merchantId);
      fees.set(merchantId, r?.deliverable ? r.feeFen : 0);
    }
    return fees;
  }

  /** Refusals that need no pricing: checked first by quote and placement alike. */
  validate(req: CheckoutRequest): void {
    assertOneDeal(req);
  }

  async quote(userId: number, req: CheckoutRequest & { province?: string | undefined }) {
    this.validate(req);
    const province = req.addressId
      ? (await this.ctx.services.shipping.getAddress(this.ctx.db, userId, req.addressId)).province
      : req.province;
    const priced = await this.price(this.ctx.db, userId, req.items, pricingInputOf(req, province));
    const view = quoteView(priced);
    const claims: QuoteClaims = {
      u: userId,
      h: requestHash(req),
      t: view.totalFen,
      c: view.appliedCouponIds,
      pt: view.points.used,
      a: amountsDigest(summarize(priced)),
    };
    const quoteToken = await this.ctx.tokens.signPayload({ ...claims }, 'quote', this.ctx.config.quoteTtlSec);
    return { ...view, quoteToken, expiresAt: new Date(Date.now() + this.ctx.config.quoteTtlSec * 1000) };
  }
}

export function quoteView(ctx: PricingContext) {
  const groups = summarize(ctx).map((g) => ({
    merchantId: g.merchantId,
    goodsFen: g.goodsFen,
    discountFen: g.discountFen,
    shippingFen: g.shippingFen,
    totalFen: g.totalFen,
    charges: g.charges.map((c) => ({ step: c.step, reason: c.reason, amountFen: c.amountFen })),
    lines: g.lines.map((l) => ({
      lineId: l.lineId,
      skuId: l.skuId,
      productId: l.productId,
      productTitle: l.productTitle,
      skuName: l.skuName,
      imageUrl: l.imageUrl,
      quantity: l.quantity,
      unitPriceFen: l.unitPriceFen,
      listUnitPriceFen: l.listUnitPriceFen,
      originalUnitPriceFen: l.originalUnitPriceFen,
      payableFen: l.amountFen,
      adjustments: l.adjustments.map((a) => ({
        step: a.step,
        stage: a.stage,
        reason: a.reason,
        amountFen: a.amountFen,
        ...(a.ref ? { ref: a.ref } : {}),
      })),
    })),
  }));
  const { couponMode, coupons, points } = ctx.report;
  return {
    groups,
    goodsFen: groups.reduce((s, g) => s + g.goodsFen, 0),
    discountFen: groups.reduce((s, g) => s + g.discountFen, 0),
    shippingFen: groups.reduce((s, g) => s + g.shippingFen, 0),
    totalFen: groups.reduce((s, g) => s + g.totalFen, 0),
    notes: [...new Set(ctx.notes)],
    undeliverable: ctx.undeliverable,
    couponMode,
    appliedCouponIds: coupons
      .filter((c) => c.applied)
      .map((c) => c.couponId)
      .sort((a, b) => a - b),
    coupons,
    points,
  };
}
