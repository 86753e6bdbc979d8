// Request and response schemas of the tickets part's routes.
import { Type } from 'typebox';
import { DateTime, Fen, IdParam, Nullable, Strict } from '../../../platform/http/schemas.ts';

const lits = <T extends string>(xs: readonly T[]) => Type.Union(xs.map((x) => Type.Literal(x)));
export const PriorityT = lits(['low', 'normal', 'high', 'urgent'] as const);
export const StatusT = lits(['open', 'responded', 'resolved', 'closed'] as const);
export const CategoryT = lits(['dispute', 'complaint', 'aftersale', 'other'] as const);
const Note = Type.String({ maxLength: 1000 });

export const TicketT = Type.Object(
  {
    id: Type.Integer(),
    merchantId: Type.Integer(),
    userId: Type.Integer(),
    conversationId: Nullable(Type.Integer()),
    source: lits(['conversation', 'shop', 'bot'] as const),
    category: CategoryT,
    reason: Type.String(),
    priority: PriorityT,
    status: StatusT,
    assigneeId: Nullable(Type.Integer()),
    firstResponseDueAt: DateTime,
    resolutionDueAt: DateTime,
    firstRespondedAt: Nullable(DateTime),
    resolvedAt: Nullable(DateTime),
    firstResponseBreached: Type.Boolean(),
    resolutionBreached: Type.Boolean(),
    escalations: Type.Integer(),
    resolutionNote: Nullable(Type.String()),
    createdAt: DateTime,
    updatedAt: DateTime,
  },
  { $id: 'SupportTicket' },
);

export const CompensationT = Type.Object(
  {
    id: Type.Integer(),
    ticketId: Type.Integer(),
    userId: Type.Integer(),
    amountFen: Type.Integer(),
    reason: Type.String(),
    method: Type.Literal('coupon'),
    status: lits(['proposed', 'approved', 'paid', 'rejected'] as const),
    proposedBy: Type.Integer(),
    approvedBy: Nullable(Type.Integer()),
    approvedAt: Nullable(DateTime),
    couponId: Nullable(Type.Integer({ description: 'The coupon the shopper received once paid' })),
    paidAt: Nullable(DateTime),
    createdAt: DateTime,
  },
  { $id: 'SupportCompensation' },
);

export const TicketParams = Strict({ merchantId: IdParam, ticketId: IdParam });
export const CompensationParams = Strict({ merchantId: IdParam, compensationId: IdParam });

export const OpenTicketBody = Strict({
  conversationId: Type.Optional(IdParam),
  userId: Type.Optional(IdParam),
  category: CategoryT,
  priority: PriorityT,
  reason: Type.String({ minLength: 1, maxLength: 500 }),
});
export const TicketQuery = Strict({
  status: Type.Optional(StatusT),
  priority: Type.Optional(PriorityT),
  breached: Type.Optional(Type.Boolean()),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000, default: 1 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
});
export const NoteBody = Strict({ note: Note });
export const UpdateTicketBody = Strict({
  priority: Type.Optional(PriorityT),
  assigneeId: Type.Optional(Nullable(IdParam)),
});
export const CompensationBody = Strict({
  amountFen: Fen({ minimum: 1, description: 'Amount in fen (分), paid as a no-threshold shop coupon' }),
  reason: Type.String({ minLength: 1, maxLength: 500 }),
});
const Minutes = (max: number, description: string) => Type.Number({ minimum: 0.05, maximum: max, description });
export const SlaSettingsT = Strict({
  firstResponseMinutes: Minutes(10080, 'First response within (default 120)'),
  resolutionMinutes: Minutes(43200, 'Resolution within (default 1440)'),
  urgentFirstResponseMinutes: Minutes(10080, 'First response of an urgent ticket within (default 15)'),
});

const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD (Asia/Shanghai)' });
export const MetricsQuery = Strict({ from: Type.Optional(Day), to: Type.Optional(Day) });
const Rate = Nullable(Type.Number({ description: '0..1; null when nothing to divide by' }));
const Figures = {
  conversations: Type.Integer(),
  closed: Type.Integer(),
  resolutionRate: Rate,
  botResolved: Type.Integer(),
  botResolutionRate: Rate,
  waitedForHuman: Type.Integer(),
  pickup30sRate: Rate,
  firstResponseAvgSeconds: Nullable(Type.Integer()),
  rated: Type.Integer(),
  satisfactionAvg: Nullable(Type.Number()),
  satisfiedRate: Rate,
  ticketsOpened: Type.Integer(),
  ticketsResolved: Type.Integer(),
  slaBreaches: Type.Integer(),
};
export const MetricsT = Type.Object({
  from: Type.String(),
  to: Type.String(),
  timeZone: Type.String(),
  totals: Type.Object(Figures),
  days: Type.Array(Type.Object({ day: Type.String(), ...Figures })),
  agents: Type.Array(Type.Object({ day: Type.String(), agentId: Type.Integer(), ...Figures })),
});
