// SLA timers (2 h first response, 24 h resolution by default; 15 min first response once a ticket
// is urgent): each deadline is a durable job (ctx.jobs) keyed by ticket, timer and due time, so a
// moved deadline is a new job and the old one is cancelled. When a job finds its timer unmet it
// marks the breach and escalates (slaStep decides, sla-state.ts); a met or moved timer is a no-op.
import { sql } from 'kysely';
import type { AppContext } from '../../../platform/context.ts';
import type { Db, Tx } from '../../../platform/db/types.ts';
import { slaStep } from './sla-state.ts';
import { LIVE, type SlaTimer, type TicketPriority } from './tables.ts';
import { ticketLog } from './ticket-log.ts';

export const SLA_JOB = 'support.ticket_sla';
interface SlaPayload {
  ticketId: number;
  timer: SlaTimer;
  dueAt: string;
}

/** Minutes (fractions allowed: a test or a demo may want seconds). */
export interface SlaSettings {
  firstResponseMinutes: number;
  resolutionMinutes: number;
  urgentFirstResponseMinutes: number;
}
export const DEFAULT_SLA: SlaSettings = {
  firstResponseMinutes: 120,
  resolutionMinutes: 1440,
  urgentFirstResponseMinutes: 15,
};

export async function slaSettings(db: Db, merchantId: number): Promise<SlaSettings> {
  const s = await db
    .selectFrom('support_ticket_settings')
    .selectAll()
    .where('merchant_id', '=', merchantId)
    .executeTakeFirst();
  return s
    ? {
        firstResponseMinutes: s.first_response_seconds / 60,
        resolutionMinutes: s.resolution_seconds / 60,
        urgentFirstResponseMinutes: s.urgent_first_response_seconds / 60,
      }
    : DEFAULT_SLA;
}

export function deadlines(s: SlaSettings, priority: TicketPriority, from: Date) {
  const firstMinutes =
    priority === 'urgent' ? Math.min(s.urgentFirstResponseMinutes, s.firstResponseMinutes) : s.firstResponseMinutes;
  return {
    firstResponseDueAt: new Date(from.getTime() + Math.round(firstMinutes * 60) * 1000),
    resolutionDueAt: new Date(from.getTime() + Math.round(s.resolutionMinutes * 60) * 1000),
  };
}

const keyOf = (ticketId: number, timer: SlaTimer, dueAt: Date) => `support.sla:${ticketId}:${timer}:${dueAt.getTime()}`;

export async function startTimer(ctx: AppContext, trx: Tx, ticketId: number, timer: SlaTimer, dueAt: Date) {
  await ctx.jobs.schedule<SlaPayload>(trx, {
    type: SLA_JOB,
    payload: { ticketId, timer, dueAt: dueAt.toISOString() },
    runAt: dueAt,
    uniqueKey: keyOf(ticketId, timer, dueAt),
  });
}

export async function stopTimer(ctx: AppContext, trx: Tx, ticketId: number, timer: SlaTimer, dueAt: Date) {
  await ctx.jobs.cancel(trx, keyOf(ticketId, timer, dueAt));
}

/**
 * The ticket became urgent before anyone answered: its first-response deadline moves up to the
 * urgent one (never later than it was), as a new job.
 */
export async function hastenFirstResponse(ctx: AppContext, trx: Tx, ticketId: number) {
  const t = await trx.selectFrom('support_tickets').selectAll().where('id', '=', ticketId).executeTakeFirstOrThrow();
  if (t.first_responded_at || t.first_response_breached || !LIVE.includes(t.status)) return;
  const s = await slaSettings(trx, t.merchant_id);
  const due = new Date(
    Math.min(
      Date.now() + Math.round(s.urgentFirstResponseMinutes * 60) * 1000,
      new Date(t.first_response_due_at).getTime(),
    ),
  );
  if (due.getTime() >= new Date(t.first_response_due_at).getTime()) return;
  await stopTimer(ctx, trx, ticketId, 'first_response', new Date(t.first_response_due_at));
  await trx
    .updateTable('support_tickets')
    .set({ first_response_due_at: due, updated_at: sql<Date>`now()` })
    .where('id', '=', ticketId)
    .execute();
  await startTimer(ctx, trx, ticketId, 'first_response', due);
}

export function registerSla(ctx: AppContext): void {
  ctx.jobs.register<SlaPayload>({
    type: SLA_JOB,
    async run(job, db) {
      const { ticketId, timer, dueAt } = job.payload;
      const t = await db
        .selectFrom('support_tickets')
        .selectAll()
        .where('id', '=', ticketId)
        .forUpdate()
        .executeTakeFirst();
      if (!t) return;
      const due = timer === 'first_response' ? t.first_response_due_at : t.resolution_due_at;
      // A deadline that moved since this job was scheduled is another job's business.
      if (new Date(due).getTime() !== new Date(dueAt).getTime()) return;
      const step = slaStep(stateOf(t), { type: 'expire', timer });
      if (!step.escalated) return;
      await db
        .updateTable('support_tickets')
        .set({
          priority: step.state.priority,
          escalations: step.state.escalations,
          first_response_breached: step.state.firstResponseBreached,
          resolution_breached: step.state.resolutionBreached,
          updated_at: sql<Date>`now()`,
        })
        .where('id', '=', ticketId)
        .execute();
      await ticketLog(db, ticketId, 'sla_breached', null, `${timer} ${t.priority} → ${step.state.priority}`);
      await ctx.events.emit(db, {
        type: 'support.ticket_escalated',
        aggregateType: 'support_ticket',
        aggregateId: ticketId,
        payload: {
          merchantId: t.merchant_id,
          ticketId,
          userId: t.user_id,
          conversationId: t.conversation_id,
          timer,
          fromPriority: t.priority,
          priority: step.state.priority,
          assigneeUserId: t.assignee_id,
          dueAt: new Date(due).toISOString(),
          escalations: step.state.escalations,
          escalatedAt: new Date().toISOString(),
        },
      });
      if (step.state.priority === 'urgent' && timer === 'resolution')
        await hastenFirstResponse(ctx, db as Tx, ticketId);
    },
  });
}

export function stateOf(t: {
  status: string;
  priority: TicketPriority;
  first_responded_at: Date | null;
  resolved_at: Date | null;
  first_response_breached: boolean;
  resolution_breached: boolean;
  escalations: number;
}) {
  return {
    live: LIVE.includes(t.status as never),
    priority: t.priority,
    responded: !!t.first_responded_at,
    resolved: !!t.resolved_at,
    firstResponseBreached: t.first_response_breached,
    resolutionBreached: t.resolution_breached,
    escalations: t.escalations,
  };
}
