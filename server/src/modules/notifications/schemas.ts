// Request and response shapes of the message-centre routes.
import { Type } from 'typebox';
import { DateTime, IdParam, Nullable, Strict } from '../../platform/http/schemas.ts';
import { NOTICE_KINDS } from './tables.ts';

export const Kind = Type.Union(
  NOTICE_KINDS.map((k) => Type.Literal(k)),
  { description: 'service (客服), order, aftersale, live (开播提醒), marketing' },
);

export const Message = Type.Object({
  id: Type.Integer(),
  kind: Kind,
  topic: Type.String({ description: 'support.reply, order.shipped, room.live… (the apps translate it)' }),
  merchantId: Nullable(Type.Integer()),
  ref: Type.String({ description: "what it opens: 'order:12', 'aftersale:3', 'room:7', 'conversation:5'…" }),
  params: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Null()])),
  read: Type.Boolean(),
  createdAt: DateTime,
});

export const MessagePage = Type.Object({
  items: Type.Array(Message),
  nextBefore: Nullable(Type.Integer({ description: 'pass as `before` for the next page; null at the end' })),
});

export const ListQuery = Strict({
  kind: Type.Optional(Kind),
  unread: Type.Optional(Type.Boolean()),
  before: Type.Optional(IdParam),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
});

export const Unread = Type.Object({
  total: Type.Integer(),
  byKind: Type.Object(Object.fromEntries(NOTICE_KINDS.map((k) => [k, Type.Integer()]))),
});

export const ReadBody = Strict({
  ids: Type.Optional(Type.Array(IdParam, { minItems: 1, maxItems: 200 })),
  ref: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  kind: Type.Optional(Kind),
  all: Type.Optional(Type.Literal(true)),
});

export const Preference = Type.Object({
  kind: Kind,
  enabled: Type.Boolean({ description: 'shown in the message centre at all' }),
  sms: Type.Boolean(),
  wechat: Type.Boolean({ description: 'WeChat subscribe message, when the shopper granted one' }),
});

export const PreferenceBody = Strict({
  enabled: Type.Optional(Type.Boolean()),
  sms: Type.Optional(Type.Boolean()),
  wechat: Type.Optional(Type.Boolean()),
});

export const CampaignBody = Strict({
  title: Type.String({ minLength: 1, maxLength: 40 }),
  body: Type.String({ minLength: 1, maxLength: 300 }),
  productId: Type.Optional(IdParam),
});

export const Campaign = Type.Object({
  id: Type.Integer(),
  title: Type.String(),
  body: Type.String(),
  productId: Nullable(Type.Integer()),
  recipients: Nullable(Type.Integer({ description: 'null while it is being sent' })),
  createdAt: DateTime,
});
