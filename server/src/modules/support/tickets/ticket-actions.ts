// What the shop's team does to a ticket: answer it (the first response stops that SLA timer; an
// agent's reply in the ticket's conversation counts too), assign it, change its priority, resolve
// it (both timers stop). Each change is one transaction on the locked ticket, logged.
import { sql } from 'kysely';
import type { Actor } from '../../../platform/auth/access.ts';
import type { AppContext } from '../../../platform/context.ts';
import { transact } from '../../../platform/db/transact.ts';
import type { Tx } from '../../../platform/db/types.ts';
import { badRequest, conflict, notFound } from '../../../platform/errors.ts';
import { hastenFirstResponse, type SlaSettings, slaSettings, stopTimer } from './sla.ts';
import { LIVE, PRIORITIES, type TicketPriority } from './tables.ts';
import { ticketLog } from './ticket-log.ts';
import { ticketView } from './views.ts';

const STAFF = ['merchant_owner', 'merchant_staff'] as const;

export class TicketActions {
  constructor(private readonly ctx: AppContext) {}

  private async locked(trx: Tx, merchantId: number, id: number) {
    const t = await trx
      .selectFrom('support_tickets')
      .selectAll()
      .where('id', '=', id)
      .where('merchant_id', '=', merchantId)
      .forUpdate()
      .executeTakeFirst();
    if (!t) throw notFound('Ticket', 'TICKET_NOT_FOUND');
    return t;
  }

  private requireLive(t: { status: string }) {
    if (!LIVE.includes(t.status as never)) throw conflict('TICKET_CLOSED', 'This ticket is already resolved');
  }

  /** The first response to the shopper (later notes only go into the log). */
  async respond(actor: Actor, merchantId: number, id: number, note: string) {
    await this.ctx.services.merchants.requireRole(actor, merchantId, [...STAFF]);
    return transact(this.ctx.db, async (trx) => {
      const t = await this.locked(trx, merchantId, id);
      this.requireLive(t);
      await this.markResponded(trx, t.id, new Date());
      await ticketLog(trx, id, 'responded', actor.userId, note);
      return ticketView(await this.locked(trx, merchantId, id));
    });
  }

  /** Stop the first-response timer of a ticket not yet answered; true when this answered it. */
  async markResponded(trx: Tx, ticketId: number, at: Date): Promise<boolean> {
    const row = await trx
      .updateTable('support_tickets')
      .set({ first_responded_at: at, status: 'responded', updated_at: sql<Date>`now()` })
      .where('id', '=', ticketId)
      .where('first_responded_at', 'is', null)
      .where('status', '=', 'open')
      .returning(['first_response_due_at'])
      .executeTakeFirst();
    if (row) await stopTimer(this.ctx, trx, ticketId, 'first_response', new Date(row.first_response_due_at));
    return !!row;
  }

  async update(
    actor: Actor,
    merchantId: number,
    id: number,
    input: { priority?: TicketPriority | undefined; assigneeId?: number | null | undefined },
  ) {
    await this.ctx.services.merchants.requireRole(actor, merchantId, [...STAFF]);
    if (input.assigneeId && !(await this.ctx.memberships.merchantRole(input.assigneeId, merchantId)))
      throw badRequest('ASSIGNEE_NOT_STAFF', 'The assignee is not a member of this shop');
    return transact(this.ctx.db, async (trx) => {
      const t = await this.locked(trx, merchantId, id);
      this.requireLive(t);
      const set: { priority?: TicketPriority; assignee_id?: number | null } = {};
      if (input.priority && input.priority !== t.priority) {
        set.priority = input.priority;
        await ticketLog(trx, id, 'priority', actor.userId, `${t.priority} → ${input.priority}`);
      }
      if (input.assigneeId !== undefined && input.assigneeId !== t.assignee_id) {
        set.assignee_id = input.assigneeId;
        await ticketLog(trx, id, 'assigned', actor.userId, input.assigneeId ? String(input.assigneeId) : '');
      }
      if (Object.keys(set).length)
        await trx
          .updateTable('support_tickets')
          .set({ ...set, updated_at: sql<Date>`now()` })
          .where('id', '=', id)
          .execute();
      if (
        set.priority &&
        PRIORITIES.indexOf(set.priority) > PRIORITIES.indexOf(t.priority) &&
        set.priority === 'urgent'
      )
        await hastenFirstResponse(this.ctx, trx, id);
      return ticketView(await this.locked(trx, merchantId, id));
    });
  }

  async resolve(actor: Actor, merchantId: number, id: number, note: string) {
    await this.ctx.services.merchants.requireRole(actor, merchantId, [...STAFF]);
    return transact(this.ctx.db, async (trx) => {
      const t = await this.locked(trx, merchantId, id);
      this.requireLive(t);
      const now = new Date();
      await stopTimer(this.ctx, trx, id, 'first_response', new Date(t.first_response_due_at));
      await stopTimer(this.ctx, trx, id, 'resolution', new Date(t.resolution_due_at));
      const row = await trx
        .updateTable('support_tickets')
        .set({
          status: 'resolved',
          resolved_at: now,
          first_responded_at: t.first_responded_at ?? now,
          resolution_note: note,
          updated_at: sql<Date>`now()`,
        })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await ticketLog(trx, id, 'resolved', actor.userId, note);
      await this.ctx.events.emit(trx, {
        type: 'support.ticket_resolved',
        aggregateType: 'support_ticket',
        aggregateId: id,
        payload: {
          merchantId,
          ticketId: id,
          userId: row.user_id,
          conversationId: row.conversation_id,
          resolvedByUserId: actor.userId,
          breached: row.first_response_breached || row.resolution_breached,
          resolutionSeconds: Math.max(0, Math.round((now.getTime() - new Date(row.created_at).getTime()) / 1000)),
          resolvedAt: now.toISOString(),
        },
      });
      return ticketView(row);
    });
  }

  /** An agent wrote in the conversation of a live ticket: that is its first response. */
  async agentReplied(trx: Tx, merchantId: number, conversationId: number, at: Date): Promise<void> {
    const t = await trx
      .selectFrom('support_tickets')
      .select('id')
      .where('merchant_id', '=', merchantId)
      .where('conversation_id', '=', conversationId)
      .where('status', '=', 'open')
      .forUpdate()
      .executeTakeFirst();
    if (t && (await this.markResponded(trx, t.id, at)))
      await ticketLog(trx, t.id, 'responded', null, 'agent replied in chat');
  }

  async settings(actor: Actor, merchantId: number): Promise<SlaSettings> {
    await this.ctx.services.merchants.requireRole(actor, merchantId);
    return slaSettings(this.ctx.db, merchantId);
  }

  /** New deadlines apply to tickets opened from now on; open ones keep theirs. */
  async saveSettings(actor: Actor, merchantId: number, s: SlaSettings): Promise<SlaSettings> {
    await this.ctx.services.merchants.requireRole(actor, merchantId, ['merchant_owner']);
    const values = {
      first_response_seconds: Math.max(1, Math.round(s.firstResponseMinutes * 60)),
      resolution_seconds: Math.max(1, Math.round(s.resolutionMinutes * 60)),
      urgent_first_response_seconds: Math.max(1, Math.round(s.urgentFirstResponseMinutes * 60)),
    };
    await this.ctx.db
      .insertInto('support_ticket_settings')
      .values({ merchant_id: merchantId, ...values })
      .onConflict((oc) => oc.column('merchant_id').doUpdateSet({ ...values, updated_at: sql<Date>`now()` }))
      .execute();
    return slaSettings(this.ctx.db, merchantId);
  }
}
