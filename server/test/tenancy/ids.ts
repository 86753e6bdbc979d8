// The kinds of id the API takes, by the names its schemas use (with context where one name means
// two things: `templateId` after /shipping-templates/ is a shipping template, elsewhere a coupon),
// and each tenant's values for them. A kind with several values (a public and a private room, a
// listed and a draft product) is tried with each.
import type { Json } from './requests.ts';
import type { Tenant } from './world.ts';

type Values = (t: Tenant) => Json[];
const one =
  (key: string): Values =>
  (t) => [t.ids[key]!];
const each =
  (...keys: string[]): Values =>
  (t) =>
    keys.map((k) => t.ids[k]!);
const list =
  (...keys: string[]): Values =>
  (t) =>
    keys.map((k) => [t.ids[k]!]);

export const ID_KINDS: Record<string, Values> = {
  merchantId: (t) => [t.merchantId],
  userId: each('shopperUserId', 'staffUserId'),
  'staff.userId': each('staffUserId', 'ownerUserId'),
  'users.userId': one('shopperUserId'),
  userIds: list('shopperUserId'),
  anchorUserId: one('staffUserId'),
  productId: each('productId', 'draftProductId'),
  productIds: list('productId', 'draftProductId'),
  skuId: each('skuId', 'draftSkuId'),
  skuIds: list('skuId'),
  tagIds: list('tagId'),
  warehouseId: one('warehouseId'),
  'shipping-templates.templateId': one('shippingTemplateId'),
  templateId: one('couponTemplateId'),
  'prize.couponId': one('couponTemplateId'),
  couponIds: list('couponId'),
  promotionId: one('promotionId'),
  'flash-sales.sessionId': one('flashSessionId'),
  'replays.sessionId': each('liveSessionId', 'privateLiveSessionId'),
  itemId: one('flashItemId'),
  flashSaleItemId: one('flashItemId'),
  dealId: one('dealId'),
  groupId: one('groupId'),
  campaignId: one('campaignId'),
  bargainId: one('bargainId'),
  roomId: each('roomId', 'privateRoomId'),
  inviteId: one('inviteId'),
  messageId: each('messageId', 'heldMessageId', 'privateMessageId'),
  sanctionId: one('sanctionId'),
  wordId: one('wordId'),
  bagId: each('bagId', 'privateBagId'),
  dropId: each('dropId', 'privateDropId'),
  ruleId: one('ruleId'),
  alertId: one('alertId'),
  experimentId: one('experimentId'),
  'experiments.key': one('experimentKey'),
  importId: one('importId'),
  runId: one('runId'),
  orderId: each('orderId', 'unpaidOrderId'),
  lineId: one('lineId'),
  paymentNo: each('paymentNo', 'unpaidPaymentNo'),
  aftersaleId: one('aftersaleId'),
  addressId: one('addressId'),
  synonymId: one('synonymId'),
  levelId: one('levelId'),
  promoterId: one('promoterId'),
  withdrawalId: one('withdrawalId'),
  rootShareId: one('shareId'),
  couponTemplateIds: list('couponTemplateId'),
  conversationId: one('conversationId'),
  replyId: one('cannedReplyId'),
  cannedReplyId: one('cannedReplyId'),
  faqId: one('faqId'),
  ticketId: one('ticketId'),
  compensationId: one('compensationId'),
};

export const isIdKind = (key: string) => key in ID_KINDS;
export const valuesOf = (key: string, t: Tenant): Json[] => ID_KINDS[key]!(t);
