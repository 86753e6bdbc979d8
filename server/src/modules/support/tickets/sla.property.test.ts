// The SLA timers as a state machine, driven by random sequences of answers, resolutions, expiries
// and escalations: a timer is met or breached, never both, and once breached stays so; priority
// never goes down; every escalation is counted; a resolved ticket changes no more.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type SlaEvent, type SlaState, slaStep } from './sla-state.ts';
import { PRIORITIES } from './tables.ts';

const event: fc.Arbitrary<SlaEvent> = fc.oneof(
  fc.constant({ type: 'respond' as const }),
  fc.constant({ type: 'resolve' as const }),
  fc.constant({ type: 'escalate' as const }),
  fc
    .constantFrom('first_response' as const, 'resolution' as const)
    .map((timer) => ({ type: 'expire' as const, timer })),
);
const start = fc.constantFrom(...PRIORITIES).map(
  (priority): SlaState => ({
    live: true,
    priority,
    responded: false,
    resolved: false,
    firstResponseBreached: false,
    resolutionBreached: false,
    escalations: 0,
  }),
);

describe('SLA timer states', () => {
  it('keep their invariants over any sequence of events', () => {
    const seed = Number(process.env.FC_SEED ?? Math.floor(Math.random() * 2 ** 31));
    process.stdout.write(`SLA property: seed=${seed} (replay with FC_SEED=${seed})\n`);
    fc.assert(
      fc.property(start, fc.array(event, { maxLength: 30 }), (s0, events) => {
        let s = s0;
        let escalated = 0;
        for (const e of events) {
          const before = s;
          const step = slaStep(s, e);
          s = step.state;
          if (step.escalated) escalated++;
          expect(PRIORITIES.indexOf(s.priority)).toBeGreaterThanOrEqual(PRIORITIES.indexOf(before.priority));
          if (before.firstResponseBreached) expect(s.firstResponseBreached).toBe(true);
          if (before.resolutionBreached) expect(s.resolutionBreached).toBe(true);
          // Met first, then its deadline passes: not a breach.
          if (before.responded && e.type === 'expire' && e.timer === 'first_response')
            expect(s.firstResponseBreached).toBe(before.firstResponseBreached);
          if (!before.live) expect(s).toEqual(before);
          if (s.resolved) expect(s.responded).toBe(true);
        }
        expect(s.escalations).toBe(escalated);
        const breaches = Number(s.firstResponseBreached) + Number(s.resolutionBreached);
        expect(s.escalations).toBeGreaterThanOrEqual(breaches);
      }),
      { seed },
    );
  });

  it('a first response after its deadline still leaves the breach on record', () => {
    const s0 = {
      live: true,
      priority: 'normal' as const,
      responded: false,
      resolved: false,
      firstResponseBreached: false,
      resolutionBreached: false,
      escalations: 0,
    };
    const late = slaStep(s0, { type: 'expire', timer: 'first_response' }).state;
    expect(late).toMatchObject({ firstResponseBreached: true, priority: 'high', escalations: 1 });
    const answered = slaStep(late, { type: 'respond' }).state;
    expect(answered).toMatchObject({ responded: true, firstResponseBreached: true });
    expect(slaStep(answered, { type: 'expire', timer: 'first_response' }).escalated).toBe(false);
  });
});
