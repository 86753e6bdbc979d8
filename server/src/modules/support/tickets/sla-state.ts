// The SLA timers of a ticket as a pure state machine (sla.property.test.ts drives random sequences
// through it): a timer is met by its action (first response, resolution) or breached when its
// deadline passes first, never both; a breach raises the priority one step and counts an escalation.
import { raised, type SlaTimer, type TicketPriority } from './tables.ts';

export interface SlaState {
  live: boolean;
  priority: TicketPriority;
  responded: boolean;
  resolved: boolean;
  firstResponseBreached: boolean;
  resolutionBreached: boolean;
  escalations: number;
}

export type SlaEvent =
  | { type: 'respond' }
  | { type: 'resolve' }
  | { type: 'expire'; timer: SlaTimer }
  | { type: 'escalate' };

export function slaStep(s: SlaState, e: SlaEvent): { state: SlaState; escalated: boolean } {
  const same = { state: s, escalated: false };
  switch (e.type) {
    case 'respond':
      return s.live && !s.responded ? { state: { ...s, responded: true }, escalated: false } : same;
    case 'resolve':
      // Resolving answers the shopper too: a ticket never ends without its first response.
      return s.live ? { state: { ...s, live: false, resolved: true, responded: true }, escalated: false } : same;
    case 'escalate':
      return s.live
        ? { state: { ...s, priority: raised(s.priority), escalations: s.escalations + 1 }, escalated: true }
        : same;
    case 'expire': {
      if (!s.live) return same;
      if (e.timer === 'first_response') {
        if (s.responded || s.firstResponseBreached) return same;
        return {
          state: { ...s, firstResponseBreached: true, priority: raised(s.priority), escalations: s.escalations + 1 },
          escalated: true,
        };
      }
      if (s.resolved || s.resolutionBreached) return same;
      return {
        state: { ...s, resolutionBreached: true, priority: raised(s.priority), escalations: s.escalations + 1 },
        escalated: true,
      };
    }
  }
}
