// What analytics tells the other modules (and its own webhook sender).
import { Type } from 'typebox';
import { defineEvents, Id, IsoTime, OrNull, Payload, type PayloadsOf } from '../../platform/events/catalogue.ts';

export const ANALYTICS_EVENTS = defineEvents({
  'analytics.alert_fired': {
    doc: 'An alert rule fired for a live room (at most once per cool-down); its webhook, if any, is posted by a job.',
    payload: Payload({
      id: Id('alert id'),
      ruleId: Id(),
      ruleName: Type.String(),
      merchantId: Id(),
      roomId: Id(),
      metric: Type.Union([
        Type.Literal('online_drop_pct'),
        Type.Literal('online_below'),
        Type.Literal('conversion_below'),
        Type.Literal('gpm_below'),
      ]),
      value: Type.Number(),
      threshold: Type.Number(),
      message: Type.String(),
      firedAt: IsoTime(),
      webhookUrl: OrNull(Type.String(), "the rule's webhook when it fired"),
    }),
  },
});

declare module '../../platform/events/catalogue.ts' {
  interface DomainEvents extends PayloadsOf<typeof ANALYTICS_EVENTS> {}
}
