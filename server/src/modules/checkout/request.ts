// The one shape a checkout is asked for in: the quote prices it, placement places it. Both routes
// take these fields (schema below), and the quote token fingerprints the whole request, so nothing
// can be quoted that is not what gets placed (deal, points, coupons, room and address included).
import crypto from 'node:crypto';
import { Type } from 'typebox';
import { IdParam, Strict } from '../../platform/http/schemas.ts';
import { badRequest } from '../../platform/errors.ts';
import type { PricingInput } from './pipeline.ts';

export interface BasketItem {
  skuId: number;
  quantity: number;
}

export interface CheckoutRequest {
  items: BasketItem[];
  /** Required to place; a quote without it cannot be placed (its fee was a guess). */
  addressId?: number | undefined;
  /** Omitted: the best stack the shopper holds. A list (also []): exactly these. */
  couponIds?: number[] | undefined;
  /** true: as many as allowed; a number: at most that many (more than the balance is refused). */
  usePoints?: boolean | number | undefined;
  roomId?: number | null | undefined;
  flashSaleItemId?: number | undefined;
  /** A credential for the flash sale's queue, not part of the price (not fingerprinted). */
  flashToken?: string | undefined;
  groupBuy?: { dealId: number; groupId?: number | null | undefined } | undefined;
  bargainId?: number | undefined;
}

// Ids within the safe-integer range: a larger number would reach the database and fail there.
export const BasketItemsT = Type.Array(
  Strict({ skuId: IdParam, quantity: Type.Integer({ minimum: 1, maximum: 999 }) }),
  { minItems: 1, maxItems: 100 },
);

/** The request fields both POST /api/checkout/quote and POST /api/orders accept. */
export const CheckoutRequestFields = {
  items: BasketItemsT,
  addressId: Type.Optional(IdParam),
  couponIds: Type.Optional(Type.Array(IdParam, { maxItems: 5, description: 'Omit for the best stack; [] for none' })),
  usePoints: Type.Optional(Type.Union([Type.Boolean(), Type.Integer({ minimum: 0, maximum: 1_000_000_000 })])),
  roomId: Type.Optional(Type.Union([IdParam, Type.Null()])),
  flashSaleItemId: Type.Optional(IdParam),
  flashToken: Type.Optional(
    Type.String({
      maxLength: 1000,
      description: 'From POST /api/flash-sales/items/:itemId/token, with flashSaleItemId',
    }),
  ),
  groupBuy: Type.Optional(
    Strict(
      { dealId: IdParam, groupId: Type.Optional(Type.Union([IdParam, Type.Null()])) },
      { description: 'Open a group (no groupId) or join one (its share link)' },
    ),
  ),
  bargainId: Type.Optional(IdParam),
};

/** One deal per checkout: a flash price, a group price and a bargain never stack. */
export function assertOneDeal(req: CheckoutRequest): void {
  const deals = [req.flashSaleItemId, req.groupBuy, req.bargainId].filter((d) => d !== undefined).length;
  if (deals > 1) {
    throw badRequest('DEALS_EXCLUSIVE', 'A checkout is a flash sale, a group-buy or a bargain, not several at once');
  }
}

const pointsOf = (p: CheckoutRequest['usePoints']): boolean | number =>
  p === true ? true : typeof p === 'number' && p > 0 ? p : false;

/** A stable fingerprint of everything that decides the price (items in any order, ids deduplicated). */
export function requestHash(req: CheckoutRequest): string {
  const merged = new Map<number, number>();
  for (const i of req.items) merged.set(i.skuId, (merged.get(i.skuId) ?? 0) + i.quantity);
  const norm = {
    i: [...merged].sort((a, b) => a[0] - b[0]),
    a: req.addressId ?? null,
    c: req.couponIds ? [...new Set(req.couponIds)].sort((a, b) => a - b) : null,
    p: pointsOf(req.usePoints),
    r: req.roomId ?? null,
    f: req.flashSaleItemId ?? null,
    g: req.groupBuy ? [req.groupBuy.dealId, req.groupBuy.groupId ?? null] : null,
    b: req.bargainId ?? null,
  };
  return crypto.createHash('sha256').update(JSON.stringify(norm)).digest('base64url').slice(0, 22);
}

/** What the pricing steps see of a request, for a delivery province. */
export function pricingInputOf(req: CheckoutRequest, province: string | undefined): PricingInput {
  return {
    couponIds: req.couponIds ? [...new Set(req.couponIds)] : undefined,
    usePoints: pointsOf(req.usePoints),
    roomId: req.roomId ?? null,
    province,
    flashSaleItemId: req.flashSaleItemId,
    flashToken: req.flashToken,
    groupBuy: req.groupBuy ? { dealId: req.groupBuy.dealId, groupId: req.groupBuy.groupId ?? null } : undefined,
    bargainId: req.bargainId,
  };
}

/**
 * What a quote decided, carried in its token: placing with the token applies exactly these
 * coupons and points, so auto choices cannot shift between the quote and the order.
 */
export interface QuoteClaims {
  u: number;
  h: string;
  t: number;
  c: number[];
  pt: number;
  /** The split of the total (amountsDigest): absent from tokens signed before it was added. */
  a?: string;
}

interface PricedGroup {
  merchantId: number;
  goodsFen: number;
  discountFen: number;
  shippingFen: number;
  totalFen: number;
  lines: Array<{ skuId: number; quantity: number; amountFen: number }>;
}

/**
 * How a total splits over shops and lines (summarize's groups), fingerprinted: an equal total whose lines or
 * shops' orders moved (a discount gone where a price rose as much) is not the order the shopper was shown,
 * and each order's amounts are what a refund later works from.
 */
export function amountsDigest(groups: PricedGroup[]): string {
  const split = [...groups]
    .sort((a, b) => a.merchantId - b.merchantId)
    .map((g) => [
      g.merchantId,
      g.goodsFen,
      g.discountFen,
      g.shippingFen,
      g.totalFen,
      g.lines.map((l) => [l.skuId, l.quantity, l.amountFen]).sort((x, y) => x[0]! - y[0]!),
    ]);
  return crypto.createHash('sha256').update(JSON.stringify(split)).digest('base64url').slice(0, 16);
}
