// Request and response schemas of growth's routes.
import { Type } from 'typebox';
import { DateTime, IdParam, Nullable, Strict } from '../../platform/http/schemas.ts';
import { TargetKindSchema, TouchKindSchema } from './events.ts';
import { VISITOR_KEY_PATTERN } from './visitors.ts';

export const TokenParams = Strict({ token: Type.String({ pattern: '^[A-Za-z0-9_-]{8,64}$' }) });
const VisitorKey = Type.String({
  pattern: VISITOR_KEY_PATTERN,
  description: "The shop's visitor key: the device id its analytics beacons carry (web/shop/src/track.ts deviceId())",
});
const TargetKind = TargetKindSchema;

export const CreateShareBody = Strict({
  targetKind: TargetKind,
  targetId: IdParam,
  merchantId: Type.Optional(IdParam),
  visitorKey: Type.Optional(VisitorKey),
});
export const ShareT = Type.Object({
  id: Type.Integer(),
  token: Type.String(),
  url: Type.String({ description: 'The shop page with ?share=<token>' }),
  merchantId: Type.Integer(),
  sharerUserId: Nullable(Type.Integer()),
  targetKind: TargetKind,
  targetId: Type.Integer(),
  parentShareId: Nullable(Type.Integer()),
  depth: Type.Integer(),
  timesShared: Type.Integer(),
  createdAt: DateTime,
});
export const VisitBody = Strict({
  visitorKey: Type.Optional(VisitorKey),
  roomId: Type.Optional(IdParam),
});
export const VisitT = Type.Object({
  recorded: Type.Boolean(),
  self: Type.Boolean({ description: 'The sharer opened their own link: nothing was recorded' }),
  shareId: Type.Integer(),
  kind: TouchKindSchema,
});
export const LinkBody = Strict({ visitorKey: VisitorKey });

const Range = {
  from: Type.Optional(Type.String({ format: 'date-time' })),
  to: Type.Optional(Type.String({ format: 'date-time' })),
};
export const StatsQuery = Strict({
  by: Type.Union([Type.Literal('share'), Type.Literal('sharer'), Type.Literal('room'), Type.Literal('product')]),
  roomId: Type.Optional(IdParam),
  ...Range,
});
const Figures = {
  shares: Type.Integer({ description: 'shares made in the range' }),
  visitors: Type.Integer({ description: 'distinct visitors through the shares' }),
  visits: Type.Integer(),
  newVisitors: Type.Integer({ description: 'visitors whose first touch in the shop was this' }),
  signups: Type.Integer(),
  roomEntries: Type.Integer(),
  orders: Type.Integer({ description: 'paid orders whose last touch was this' }),
  gmvFen: Type.Integer({ description: 'their paid amount minus refunds' }),
};
export const StatsT = Type.Object({
  from: DateTime,
  to: DateTime,
  by: Type.String(),
  totals: Type.Object(Figures),
  rows: Type.Array(
    Type.Object({
      key: Type.String(),
      id: Nullable(Type.Integer()),
      label: Nullable(Type.String()),
      token: Type.Optional(Type.String()),
      ...Figures,
    }),
  ),
});
export const SpreadQuery = Strict({ rootShareId: Type.Optional(IdParam), ...Range });
const Level = Type.Object({
  depth: Type.Integer(),
  shares: Type.Integer(),
  sharers: Type.Integer(),
  newVisitors: Type.Integer(),
  k: Type.Number({ description: 'new visitors per sharer at this level' }),
  decay: Nullable(Type.Number({ description: 'k ÷ k of the level above' })),
});
export const SpreadT = Type.Object({
  from: DateTime,
  to: DateTime,
  levels: Type.Array(Level),
  sharers: Type.Integer(),
  newVisitors: Type.Integer(),
  k: Type.Number(),
  maxDepth: Type.Integer(),
  nodes: Type.Array(
    Type.Object({
      shareId: Type.Integer(),
      parentShareId: Nullable(Type.Integer()),
      depth: Type.Integer(),
      sharerUserId: Nullable(Type.Integer()),
      sharerNickname: Nullable(Type.String()),
      targetKind: TargetKind,
      targetId: Type.Integer(),
      ...Figures,
    }),
  ),
});
export const RoomLiveT = Type.Object({
  shares: Type.Integer(),
  visits: Type.Integer(),
  attributedOrders: Type.Integer(),
  attributedGmvFen: Type.Integer(),
});

const Side = Strict({
  couponTemplateIds: Type.Array(IdParam, { maxItems: 5 }),
  points: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
});
export const InviteSettingsBody = Strict({ enabled: Type.Boolean(), inviter: Side, invitee: Side });
export const InviteSettingsT = Type.Object({
  enabled: Type.Boolean(),
  inviter: Type.Object({ couponTemplateIds: Type.Array(Type.Integer()), points: Type.Integer() }),
  invitee: Type.Object({ couponTemplateIds: Type.Array(Type.Integer()), points: Type.Integer() }),
});
const Reward = Type.Object({
  userId: Type.Integer(),
  role: Type.Union([Type.Literal('inviter'), Type.Literal('invitee')]),
  kind: Type.Union([Type.Literal('coupon'), Type.Literal('points')]),
  couponTemplateId: Nullable(Type.Integer()),
  couponId: Nullable(Type.Integer()),
  points: Type.Integer(),
  pointsRevoked: Type.Integer(),
  status: Type.String({ description: 'granted | skipped | revoked | partly_revoked | kept' }),
  note: Nullable(Type.String()),
});
export const InvitationT = Type.Object({
  id: Type.Integer(),
  merchantId: Type.Integer(),
  inviterUserId: Type.Integer(),
  inviterNickname: Type.String(),
  inviteeUserId: Type.Integer(),
  inviteeNickname: Type.String(),
  status: Type.Union(['pending', 'rewarded', 'settled', 'reversed'].map((s) => Type.Literal(s))),
  orderId: Nullable(Type.Integer()),
  createdAt: DateTime,
  rewardedAt: Nullable(DateTime),
  rewards: Type.Array(Reward),
});
