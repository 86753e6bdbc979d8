// What identity tells the other modules: sign-ups, shop applications, status changes and staff.
import { Type } from 'typebox';
import { defineEvents, Id, OrNull, Payload, type PayloadsOf } from '../../platform/events/catalogue.ts';

const Status = Type.Union([
  Type.Literal('pending'),
  Type.Literal('active'),
  Type.Literal('suspended'),
  Type.Literal('rejected'),
]);
const StatusChange = Payload({
  merchantId: Id(),
  from: OrNull(Status, 'the status before; null for a shop onboarded directly by an operator'),
  to: Status,
  by: Id('the user who decided it'),
});

export const IDENTITY_EVENTS = defineEvents({
  'user.registered': {
    doc: 'A new account, by phone or WeChat sign-in.',
    payload: Payload({ userId: Id(), channel: Type.Union([Type.Literal('phone'), Type.Literal('wechat')]) }),
  },
  'merchant.applied': {
    doc: 'A user applied to open a shop (status pending).',
    payload: Payload({ merchantId: Id(), ownerId: Id() }),
  },
  'merchant.activated': {
    doc: 'A shop became active: approved, reinstated, or onboarded directly.',
    payload: StatusChange,
  },
  'merchant.suspended': {
    doc: 'An operator suspended an active shop: it may start nothing new.',
    payload: StatusChange,
  },
  'merchant.rejected': { doc: 'An operator rejected a shop application (or a shop on appeal).', payload: StatusChange },
  'merchant.staff_added': {
    doc: "A user joined a shop's team.",
    payload: Payload({ merchantId: Id(), userId: Id(), role: Type.String(), by: Id() }),
  },
  'merchant.staff_removed': {
    doc: "A user left a shop's team (their staff access to its rooms ends).",
    payload: Payload({ merchantId: Id(), userId: Id(), by: Id() }),
  },
});

declare module '../../platform/events/catalogue.ts' {
  interface DomainEvents extends PayloadsOf<typeof IDENTITY_EVENTS> {}
}
