// The checkout's request and quote types, from the server's OpenAPI (packages/sdk). One
// CheckoutRequest object is quoted and then placed as is: the server fingerprints it into the
// quote token, so whatever the shopper changes (deal, points, coupons, room, address) re-quotes.
import type { paths } from '@livemall/sdk';

type PlaceBody = paths['/api/orders']['post']['requestBody']['content']['application/json'];

/** What the shopper is buying and how: the body of the quote and, plus its token, of the order. */
export type CheckoutRequest = Omit<PlaceBody, 'idempotencyKey' | 'quoteToken' | 'buyerNote'>;

export type Quote = paths['/api/checkout/quote']['post']['responses'][200]['content']['application/json'];

export type DealOptions = Pick<CheckoutRequest, 'flashSaleItemId' | 'flashToken' | 'groupBuy' | 'bargainId'>;

export interface BasketItem {
  skuId: number;
  quantity: number;
}

/** The request for what the sheet shows; `couponIds` undefined asks for the best stack. */
export function checkoutRequest(o: {
  items: BasketItem[];
  addressId: number;
  roomId?: number | null | undefined;
  deal?: DealOptions | undefined;
  couponIds?: number[] | undefined;
  usePoints: boolean;
}): CheckoutRequest {
  return {
    items: o.items,
    addressId: o.addressId,
    roomId: o.roomId ?? null,
    usePoints: o.usePoints,
    ...(o.couponIds ? { couponIds: o.couponIds } : {}),
    ...(o.deal ?? {}),
  };
}
