// What growth tells the other modules (distribution binds customers and books commissions from these).
// Payloads carry the share's facts so a subscriber never reads growth's tables.
import { Type } from 'typebox';
import { defineEvents, Id, IsoTime, OrNull, Payload, type PayloadsOf } from '../../platform/events/catalogue.ts';

/** What a share can point at; targetId is the room, product, group-buy, bargain, poster, promoter or shop id. */
export const SHARE_TARGET_KINDS = ['room', 'product', 'group_buy', 'bargain', 'poster', 'promoter', 'invite'] as const;
export type ShareTargetKind = (typeof SHARE_TARGET_KINDS)[number];
export const TOUCH_KINDS = ['visit', 'signup', 'room_entry'] as const;
export type TouchKind = (typeof TOUCH_KINDS)[number];

const Exact = { additionalProperties: false };
const L = Type.Literal;
export const TargetKindSchema = Type.Union(
  [L('room'), L('product'), L('group_buy'), L('bargain'), L('poster'), L('promoter'), L('invite')],
  { description: 'group_buy: targetId is the group; promoter: the promoter user id; invite: the shop id' },
);
export const TouchKindSchema = Type.Union([L('visit'), L('signup'), L('room_entry')]);
const TargetKind = TargetKindSchema;
const Touch = Type.Object(
  { shareId: Id(), sharerUserId: OrNull(Id(), 'null for an anonymous sharer (a visitor without an account)') },
  Exact,
);

export const GROWTH_EVENTS = defineEvents({
  'share.touched': {
    doc:
      'A touch through a share was recorded for a known user: a signed-in visit, a sign-up, a room entry, or ' +
      "an anonymous visitor's earlier touches linked when they signed in (one event per linked touch). " +
      'Self-touches (the sharer opening their own link) are not recorded.',
    payload: Payload({
      merchantId: Id(),
      shareId: Id(),
      sharerUserId: OrNull(Id(), 'null for an anonymous sharer'),
      visitorUserId: Id(),
      touch: TouchKindSchema,
      targetKind: TargetKind,
      targetId: Id(),
      occurredAt: IsoTime('when the touch happened (for linked touches: the original time)'),
    }),
  },
  'share.order_attributed': {
    doc:
      "A paid order was attributed to shares from the buyer's touches in that shop: the first and the last " +
      'touch (the same share when there was one). Emitted once per order.',
    payload: Payload({
      merchantId: Id(),
      orderId: Id(),
      buyerUserId: Id(),
      firstTouch: Touch,
      lastTouch: Touch,
    }),
  },
});

declare module '../../platform/events/catalogue.ts' {
  interface DomainEvents extends PayloadsOf<typeof GROWTH_EVENTS> {}
}
