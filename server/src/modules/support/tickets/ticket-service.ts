// Tickets (工单) for what chat cannot settle: opened from a conversation (the bot's escalation, an
// agent) or by the shop, answered, assigned, re-prioritised and resolved by the shop's team, each
// with its SLA timers (sla.ts). Every merchant-scoped call checks the caller's role first and
// finds only the shop's own tickets; the shopper and conversation a shop names are its own.
import { sql } from 'kysely';
import type { Actor } from '../../../platform/auth/access.ts';
import type { AppContext } from '../../../platform/context.ts';
import { transact } from '../../../platform/db/transact.ts';
import type { Tx } from '../../../platform/db/types.ts';
import { badRequest, conflict, notFound } from '../../../platform/errors.ts';
import { deadlines, hastenFirstResponse, slaSettings, startTimer } from './sla.ts';
import { higher, LIVE, raised, type TicketCategory, type TicketPriority, type TicketStatus } from './tables.ts';
import { ticketLog } from './ticket-log.ts';
import { ticketView } from './views.ts';

const STAFF = ['merchant_owner', 'merchant_staff'] as const;
/** An emotion score (bot/emotion.ts) this high (a threat to complain plus anger) opens the ticket urgent. */
const URGENT_EMOTION = 4;

export interface OpenFromConversation {
  merchantId: number;
  conversationId: number;
  userId: number;
  priority: TicketPriority;
  reason: string;
  category?: TicketCategory | undefined;
}

export interface TicketFilter {
  status?: TicketStatus | undefined;
  priority?: TicketPriority | undefined;
  breached?: boolean | undefined;
  page: number;
  pageSize: number;
}

export class TicketService {
  constructor(private readonly ctx: AppContext) {}

  /**
   * The contract for the conversations (C1) and the bot: a ticket for this conversation, or the
   * live one it already has with its priority raised (the shopper escalated again).
   */
  async openFromConversation(input: OpenFromConversation) {
    const run = () =>
      transact(this.ctx.db, async (trx) => {
        const live = await trx
          .selectFrom('support_tickets')
          .selectAll()
          .where('merchant_id', '=', input.merchantId)
          .where('conversation_id', '=', input.conversationId)
          .where('status', 'in', [...LIVE])
          .forUpdate()
          .executeTakeFirst();
        if (live) return this.escalate(trx, live.id, higher(raised(live.priority), input.priority), null, input.reason);
        const facts = await trx
          .selectFrom('support_conversation_facts')
          .select('max_emotion')
          .where('conversation_id', '=', input.conversationId)
          .executeTakeFirst();
        const priority = (facts?.max_emotion ?? 0) >= URGENT_EMOTION ? 'urgent' : input.priority;
        return this.insert(trx, { ...input, priority, source: 'conversation', createdBy: null });
      });
    try {
      return await run();
    } catch (err) {
      // Two escalations of one conversation at once: the second finds the first's ticket.
      if ((err as { code?: string }).code === '23505') return run();
      throw err;
    }
  }

  /** The shop opens a ticket: for one of its conversations, or for a shopper who is its customer. */
  async open(
    actor: Actor,
    merchantId: number,
    input: {
      conversationId?: number | undefined;
      userId?: number | undefined;
      category: TicketCategory;
      priority: TicketPriority;
      reason: string;
    },
  ) {
    await this.ctx.services.merchants.requireRole(actor, merchantId, [...STAFF]);
    let userId = input.userId;
    if (input.conversationId) {
      const conv = await this.ctx.db
        .selectFrom('support_conversation_facts')
        .select('user_id')
        .where('conversation_id', '=', input.conversationId)
        .where('merchant_id', '=', merchantId)
        .executeTakeFirst();
      if (!conv) throw notFound('Conversation', 'CONVERSATION_NOT_FOUND');
      if (userId && userId !== conv.user_id)
        throw badRequest('TICKET_USER_MISMATCH', 'The shopper is not the one of this conversation');
      userId = conv.user_id;
    } else {
      if (!userId) throw badRequest('TICKET_USER_REQUIRED', 'Name the shopper or the conversation');
      const known = [
        ...(await this.ctx.services.orderQueries.customersAmong(merchantId, [userId])),
        ...(await this.ctx.services.social.followersAmong(merchantId, [userId])),
      ];
      if (!known.includes(userId))
        throw badRequest('NOT_A_CUSTOMER', 'This shopper has not ordered from or followed the shop');
    }
    const shopperId = userId;
    try {
      return await transact(this.ctx.db, (trx) =>
        this.insert(trx, {
          ...input,
          merchantId,
          userId: shopperId,
          conversationId: input.conversationId ?? null,
          source: 'shop',
          createdBy: actor.userId,
        }),
      );
    } catch (err) {
      if ((err as { code?: string }).code === '23505')
        throw conflict('TICKET_ALREADY_OPEN', 'This conversation already has an open ticket');
      throw err;
    }
  }

  private async insert(
    trx: Tx,
    t: {
      merchantId: number;
      userId: number;
      conversationId: number | null;
      priority: TicketPriority;
      reason: string;
      category?: TicketCategory | undefined;
      source: 'conversation' | 'shop';
      createdBy: number | null;
    },
  ) {
    const now = new Date();
    const due = deadlines(await slaSettings(trx, t.merchantId), t.priority, now);
    const row = await trx
      .insertInto('support_tickets')
      .values({
        merchant_id: t.merchantId,
        user_id: t.userId,
        conversation_id: t.conversationId,
        source: t.source,
        category: t.category ?? 'complaint',
        reason: t.reason.slice(0, 500),
        priority: t.priority,
        created_by: t.createdBy,
        first_response_due_at: due.firstResponseDueAt,
        resolution_due_at: due.resolutionDueAt,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await startTimer(this.ctx, trx, row.id, 'first_response', due.firstResponseDueAt);
    await startTimer(this.ctx, trx, row.id, 'resolution', due.resolutionDueAt);
    await ticketLog(trx, row.id, 'opened', t.createdBy, `${row.priority}: ${row.reason}`);
    await this.ctx.events.emit(trx, {
      type: 'support.ticket_opened',
      aggregateType: 'support_ticket',
      aggregateId: row.id,
      payload: {
        merchantId: row.merchant_id,
        ticketId: row.id,
        userId: row.user_id,
        conversationId: row.conversation_id,
        category: row.category,
        priority: row.priority,
        reason: row.reason,
        firstResponseDueAt: due.firstResponseDueAt.toISOString(),
        resolutionDueAt: due.resolutionDueAt.toISOString(),
        openedAt: now.toISOString(),
      },
    });
    return ticketView(row);
  }

  /** Raise a live ticket to `to` (no change when it is already there), log it and tell the shop. */
  private async escalate(trx: Tx, ticketId: number, to: TicketPriority, actorId: number | null, note: string) {
    const t = await trx.selectFrom('support_tickets').selectAll().where('id', '=', ticketId).executeTakeFirstOrThrow();
    if (to === t.priority) return ticketView(t);
    const row = await trx
      .updateTable('support_tickets')
      .set({ priority: to, escalations: sql<number>`escalations + 1`, updated_at: sql<Date>`now()` })
      .where('id', '=', ticketId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await ticketLog(trx, ticketId, 'escalated', actorId, `${t.priority} → ${to}: ${note}`.slice(0, 500));
    await this.ctx.events.emit(trx, {
      type: 'support.ticket_escalated',
      aggregateType: 'support_ticket',
      aggregateId: ticketId,
      payload: {
        merchantId: row.merchant_id,
        ticketId,
        userId: row.user_id,
        conversationId: row.conversation_id,
        timer: null,
        fromPriority: t.priority,
        priority: to,
        assigneeUserId: row.assignee_id,
        dueAt: null,
        escalations: row.escalations,
        escalatedAt: new Date().toISOString(),
      },
    });
    if (to === 'urgent') await hastenFirstResponse(this.ctx, trx, ticketId);
    return ticketView(
      await trx.selectFrom('support_tickets').selectAll().where('id', '=', ticketId).executeTakeFirstOrThrow(),
    );
  }

  async list(actor: Actor, merchantId: number, f: TicketFilter) {
    await this.ctx.services.merchants.requireRole(actor, merchantId);
    let q = this.ctx.db.selectFrom('support_tickets').where('merchant_id', '=', merchantId);
    if (f.status) q = q.where('status', '=', f.status);
    if (f.priority) q = q.where('priority', '=', f.priority);
    if (f.breached !== undefined)
      q = f.breached
        ? q.where((eb) => eb.or([eb('first_response_breached', '=', true), eb('resolution_breached', '=', true)]))
        : q.where('first_response_breached', '=', false).where('resolution_breached', '=', false);
    const [rows, total] = await Promise.all([
      q
        .selectAll()
        .orderBy('id', 'desc')
        .limit(f.pageSize)
        .offset((f.page - 1) * f.pageSize)
        .execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items: rows.map(ticketView), total: Number(total.n), page: f.page, pageSize: f.pageSize };
  }

  async get(actor: Actor, merchantId: number, id: number) {
    await this.ctx.services.merchants.requireRole(actor, merchantId);
    const t = await this.own(this.ctx.db, merchantId, id);
    const [log, compensations] = await Promise.all([
      this.ctx.db.selectFrom('support_ticket_log').selectAll().where('ticket_id', '=', id).orderBy('id').execute(),
      this.ctx.services.supportCompensations.forTicket(id),
    ]);
    return {
      ...ticketView(t),
      log: log.map((l) => ({ kind: l.kind, actorId: l.actor_id, note: l.note, at: l.created_at })),
      compensations,
    };
  }

  async own(db: Tx | AppContext['db'], merchantId: number, id: number) {
    const t = await db
      .selectFrom('support_tickets')
      .selectAll()
      .where('id', '=', id)
      .where('merchant_id', '=', merchantId)
      .executeTakeFirst();
    if (!t) throw notFound('Ticket', 'TICKET_NOT_FOUND');
    return t;
  }
}
