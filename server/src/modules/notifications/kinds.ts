// What each kind of notice is, who may switch it off, and its default. Marketing is opt-in (the
// shopper must agree first, 《个人信息保护法》 and the SMS rules say so); the rest are on until the
// shopper turns them off. SMS costs the platform per message, so it is on by default only for a
// customer-service reply the shopper has not seen (the one notice that waits on them).
import type { NoticeKind, NoticeParams } from './tables.ts';

export interface KindPreference {
  kind: NoticeKind;
  enabled: boolean;
  sms: boolean;
  wechat: boolean;
}

export const DEFAULT_PREFERENCES: Record<NoticeKind, Omit<KindPreference, 'kind'>> = {
  service: { enabled: true, sms: true, wechat: true },
  order: { enabled: true, sms: false, wechat: true },
  aftersale: { enabled: true, sms: false, wechat: true },
  live: { enabled: true, sms: false, wechat: true },
  marketing: { enabled: false, sms: false, wechat: false },
};

/** The topics a notice can have (shown through the apps' catalogues: messages.topic.<topic>). */
export const TOPICS = [
  'support.reply',
  'order.paid',
  'order.shipped',
  'order.delivered',
  'order.cancelled',
  'order.refunded',
  'aftersale.requested',
  'room.reminder_due',
  'room.live',
  'marketing.campaign',
] as const;
export type NoticeTopic = (typeof TOPICS)[number];

/**
 * The Chinese text of a notice for the offline channels (an SMS has no app to translate it). The
 * apps render their own text from topic and params, in the shopper's language.
 */
export function smsText(topic: string, p: NoticeParams): string {
  const shop = p.shop ? `【${p.shop}】` : '';
  const order = p.orderNo ? `订单${p.orderNo}` : '您的订单';
  switch (topic) {
    case 'support.reply':
      return `${shop}客服回复了您：${String(p.preview ?? '').slice(0, 40)}`;
    case 'order.paid':
      return `${shop}${order}已付款，商家将尽快发货`;
    case 'order.shipped':
      return `${shop}${order}已发货`;
    case 'order.delivered':
      return `${shop}${order}已签收`;
    case 'order.cancelled':
      return `${shop}${order}已取消`;
    case 'order.refunded':
      return `${shop}${order}已退款${fenText(p.amountFen)}`;
    case 'aftersale.requested':
      return `${shop}已收到您的售后申请，商家会尽快处理`;
    case 'room.reminder_due':
    case 'room.live':
      return `${shop}您关注的直播「${String(p.title ?? '')}」开播了`;
    default:
      return `${shop}${String(p.title ?? '您有一条新消息')}`;
  }
}

function fenText(fen: unknown): string {
  return typeof fen === 'number' ? ` ¥${(fen / 100).toFixed(2)}` : '';
}
