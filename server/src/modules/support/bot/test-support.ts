// Shared by the support bot and tickets tests: a fruit shop with the demo FAQ, two shoppers who
// each paid (and got shipped) an order there, and a call into the bot as the conversations make it.
import fs from 'node:fs';
import path from 'node:path';
import { makeShop, type ShopFixture } from '../../../../test/commerce-fixtures.ts';
import type { TestNode } from '../../../../test/harness.ts';
import { paidCheckout, product } from '../../aftersales/test-support.ts';

export interface Shopper {
  token: string;
  userId: number;
  orderId: number;
  orderNo: string;
  trackingNo: string;
}

const faqs = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, 'eval/faqs.json'), 'utf8')) as Record<
  string,
  Array<{ id: string; question: string; phrasings: string[]; answer: string }>
>;

/** The demo fruit shop's FAQ through the API; eval id → stored id. */
export async function loadFruitFaq(node: TestNode, shop: ShopFixture): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (const f of faqs.fruit!) {
    const r = await node.api('POST', `/api/merchants/${shop.merchantId}/support/faqs`, {
      token: shop.owner.token,
      body: { question: f.question, phrasings: f.phrasings, answer: f.answer },
    });
    if (r.status !== 201) throw new Error(`faq: ${JSON.stringify(r.body)}`);
    ids.set(f.id, r.body.id);
  }
  return ids;
}

/** A shopper with one paid order in the shop, shipped with this tracking number. */
export async function shopperWithParcel(
  node: TestNode,
  shop: ShopFixture,
  phone: string,
  trackingNo: string,
): Promise<Shopper> {
  const buyer = await node.userToken(phone);
  const skuId = await product(node, shop, `海南贵妃芒 5斤 ${phone}`, 3990);
  const paid = await paidCheckout(node, buyer, `k-${phone}`, [{ skuId, quantity: 1 }]);
  const orderId = paid.orders[0]!.orderId;
  const shipped = await node.api('POST', `/api/merchants/${shop.merchantId}/orders/${orderId}/ship`, {
    token: shop.owner.token,
    body: { carrier: '顺丰速运', trackingNo },
  });
  if (shipped.status !== 200) throw new Error(`ship: ${JSON.stringify(shipped.body)}`);
  const detail = await node.api('GET', `/api/orders/${orderId}`, { token: buyer.token });
  return { ...buyer, orderId, orderNo: detail.body.orderNo, trackingNo };
}

export async function fruitShop(node: TestNode, name: string, phone: string) {
  return makeShop(node, name, phone);
}

let conversation = 900_000;
/** A conversation id the bot has not seen (the facts table is keyed by it). */
export const nextConversationId = () => ++conversation;
