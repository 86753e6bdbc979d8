// What a send turns into before it is stored: moderated text (the shop's and the platform's word
// lists, for shoppers), an uploaded image of this conversation, a card of one of the shop's products,
// or a card of one of this shopper's orders at this shop. Every id is checked with its owner's helper.
import type { AppContext } from '../../platform/context.ts';
import { AppError, badRequest } from '../../platform/errors.ts';
import type { NewMessage } from './store.ts';

export const MAX_TEXT = 1000;
export interface SendInput {
  clientId: string;
  text?: string | undefined;
  imageKey?: string | undefined;
  productId?: number | undefined;
  orderId?: number | undefined;
}
export const CLIENT_ID = /^[A-Za-z0-9_.:-]{1,64}$/;
const IMAGE_KEY = /^[a-z0-9][a-z0-9/_-]*\.(jpg|png|webp|gif)$/;

/** Where a conversation's uploads live: an image message may only name one of these. */
export const imagePrefix = (conversationId: number) => `support/c${conversationId}`;

type Content = Pick<NewMessage, 'kind' | 'text' | 'payload' | 'moderation'>;

export async function compose(
  ctx: AppContext,
  conv: { id: number; merchant_id: number; user_id: number },
  from: 'shopper' | 'agent',
  input: SendInput,
): Promise<Content> {
  if (typeof input.clientId !== 'string' || !CLIENT_ID.test(input.clientId))
    throw badRequest('VALIDATION_FAILED', 'clientId: 1-64 letters, digits, _ . : -');
  const given = [input.text, input.imageKey, input.productId, input.orderId].filter((v) => v !== undefined);
  if (given.length !== 1)
    throw badRequest('SUPPORT_MESSAGE_EMPTY', 'Send exactly one of text, imageKey, productId or orderId');
  if (input.text !== undefined) return composeText(ctx, conv.merchant_id, from, input.text);
  if (input.imageKey !== undefined) return composeImage(ctx, conv.id, input.imageKey);
  if (input.productId !== undefined) return composeProduct(ctx, conv.merchant_id, input.productId);
  return composeOrder(ctx, conv, input.orderId!);
}

async function composeText(ctx: AppContext, merchantId: number, from: string, raw: unknown): Promise<Content> {
  if (typeof raw !== 'string') throw badRequest('VALIDATION_FAILED', 'text must be a string');
  const text = raw.trim();
  if (!text) throw badRequest('SUPPORT_MESSAGE_EMPTY', 'The message is empty');
  if ([...text].length > MAX_TEXT)
    throw badRequest('SUPPORT_MESSAGE_TOO_LONG', `A message may have at most ${MAX_TEXT} characters`);
  if (from !== 'shopper') return { kind: 'text', text };
  const verdict = await ctx.services.chat.screen(merchantId, text);
  if (verdict.action === 'block')
    throw new AppError(422, 'SUPPORT_MESSAGE_BLOCKED', 'This message was not sent: it contains blocked words');
  // 'review' words have no reviewer in a private chat: the message goes as written (the shop's own
  // staff read it) and what matched is recorded on it.
  return {
    kind: 'text',
    text: verdict.action === 'allow' ? text : verdict.masked,
    ...(verdict.action === 'allow' ? {} : { moderation: { action: verdict.action, words: verdict.words } }),
  };
}

async function composeImage(ctx: AppContext, conversationId: number, key: unknown): Promise<Content> {
  if (typeof key !== 'string' || !IMAGE_KEY.test(key) || !key.startsWith(`${imagePrefix(conversationId)}/`))
    throw badRequest('SUPPORT_IMAGE_INVALID', 'Upload the image to this conversation first');
  const file = await ctx.storage.open(key);
  if (!file) throw badRequest('SUPPORT_IMAGE_INVALID', 'Upload the image to this conversation first');
  file.stream.destroy();
  return { kind: 'image', text: '', payload: { imageUrl: ctx.storage.urlFor(key) } };
}

async function composeProduct(ctx: AppContext, merchantId: number, productId: number): Promise<Content> {
  const [p] = await ctx.services.catalog.getProductSummaries([productId]);
  if (!p || p.merchantId !== merchantId) throw badRequest('PRODUCT_NOT_IN_SHOP', 'That product is not from this shop');
  return {
    kind: 'product',
    text: p.title,
    payload: { productId: p.id, title: p.title, coverUrl: p.coverUrl, minPriceFen: p.minPriceFen },
  };
}

/** An order card: the conversation's shopper's order at this shop, whoever sends it. */
async function composeOrder(
  ctx: AppContext,
  conv: { merchant_id: number; user_id: number },
  orderId: number,
): Promise<Content> {
  const orders = ctx.services.orderQueries;
  await orders.requireOwnOrder(ctx.db, { userId: conv.user_id }, orderId);
  await orders.requireOwnOrder(ctx.db, { merchantId: conv.merchant_id }, orderId);
  const o = await orders.detail(orderId, { userId: conv.user_id });
  return {
    kind: 'order',
    text: o.orderNo,
    payload: { orderId: o.id, orderNo: o.orderNo, status: o.status, totalFen: o.totalFen },
  };
}
