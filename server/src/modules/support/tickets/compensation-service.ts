// Compensation (先行赔付): staff propose an amount for a ticket's shopper, the shop owner approves
// (who and when is recorded), and the money reaches the shopper as a no-threshold coupon of exactly
// that amount from the shop, through marketing's coupon service (its tenancy checks included).
// Approving is one conditional update, so twenty clicks pay once; the payout runs right after and,
// should it fail half way, again from a durable job (the template id is stored, the claim carries a
// ref, so a rerun never issues twice).
import { sql } from 'kysely';
import type { Actor } from '../../../platform/auth/access.ts';
import type { AppContext } from '../../../platform/context.ts';
import { transact } from '../../../platform/db/transact.ts';
import type { Db } from '../../../platform/db/types.ts';
import { conflict, notFound } from '../../../platform/errors.ts';
import type { Selectable } from 'kysely';
import type { Database } from '../../../platform/db/types.ts';
import { ticketLog } from './ticket-log.ts';
import './tables.ts';

const PAYOUT_JOB = 'support.compensation_payout';
/** The fallback payout waits this long, so it never races the one that runs right after approval. */
const PAYOUT_RETRY_MS = 60_000;
const COUPON_VALID_DAYS = 30;

type Row = Selectable<Database['support_compensations']>;

export class CompensationService {
  constructor(private readonly ctx: AppContext) {}

  register(): void {
    this.ctx.jobs.register<{ compensationId: number }>({
      type: PAYOUT_JOB,
      transactional: false,
      run: async (job) => {
        await this.payout(job.payload.compensationId);
      },
    });
  }

  async propose(actor: Actor, merchantId: number, ticketId: number, input: { amountFen: number; reason: string }) {
    await this.ctx.services.merchants.requireRole(actor, merchantId, ['merchant_owner', 'merchant_staff']);
    const ticket = await this.ctx.services.supportTickets.own(this.ctx.db, merchantId, ticketId);
    return transact(this.ctx.db, async (trx) => {
      const row = await trx
        .insertInto('support_compensations')
        .values({
          merchant_id: merchantId,
          ticket_id: ticket.id,
          user_id: ticket.user_id,
          amount_fen: input.amountFen,
          reason: input.reason.trim(),
          method: 'coupon',
          proposed_by: actor.userId,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await ticketLog(trx, ticket.id, 'compensation_proposed', actor.userId, `${input.amountFen} fen: ${input.reason}`);
      return view(row);
    });
  }

  /** The owner approves: recorded once (a second approval changes nothing), then paid out. */
  async approve(actor: Actor, merchantId: number, id: number) {
    await this.ctx.services.merchants.requireRole(actor, merchantId, ['merchant_owner']);
    const approved = await transact(this.ctx.db, async (trx) => {
      const c = await this.locked(trx, merchantId, id);
      if (c.status === 'rejected') throw conflict('COMPENSATION_REJECTED', 'This compensation was rejected');
      if (c.status !== 'proposed') return false;
      await trx
        .updateTable('support_compensations')
        .set({ status: 'approved', approved_by: actor.userId, approved_at: sql<Date>`now()` })
        .where('id', '=', id)
        .execute();
      await ticketLog(trx, c.ticket_id, 'compensation_approved', actor.userId, `${c.amount_fen} fen`);
      await this.ctx.jobs.schedule(trx, {
        type: PAYOUT_JOB,
        payload: { compensationId: id },
        delayMs: PAYOUT_RETRY_MS,
        uniqueKey: `support.compensation:${id}`,
      });
      return true;
    });
    if (approved)
      await this.payout(id).catch((err: unknown) => this.ctx.log.warn({ err, id }, 'compensation payout deferred'));
    return view(await this.locked(this.ctx.db, merchantId, id));
  }

  async reject(actor: Actor, merchantId: number, id: number) {
    await this.ctx.services.merchants.requireRole(actor, merchantId, ['merchant_owner']);
    return transact(this.ctx.db, async (trx) => {
      const c = await this.locked(trx, merchantId, id);
      if (c.status !== 'proposed') throw conflict('COMPENSATION_DECIDED', 'This compensation was already decided');
      const row = await trx
        .updateTable('support_compensations')
        .set({ status: 'rejected', approved_by: actor.userId, approved_at: sql<Date>`now()` })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await ticketLog(trx, c.ticket_id, 'compensation_rejected', actor.userId, `${c.amount_fen} fen`);
      return view(row);
    });
  }

  async forTicket(ticketId: number) {
    const rows = await this.ctx.db
      .selectFrom('support_compensations')
      .selectAll()
      .where('ticket_id', '=', ticketId)
      .orderBy('id')
      .execute();
    return rows.map(view);
  }

  /** Issue the approved amount as the shop's coupon to the ticket's shopper; a no-op once paid. */
  async payout(id: number): Promise<void> {
    const c = await this.ctx.db.selectFrom('support_compensations').selectAll().where('id', '=', id).executeTakeFirst();
    if (c?.status !== 'approved' || !c.approved_by) return;
    // On behalf of the owner who approved: the coupon service checks that they still may issue.
    const approver: Actor = { userId: c.approved_by, sessionId: `compensation:${id}`, isPlatformAdmin: false };
    let templateId = c.coupon_template_id;
    if (!templateId) {
      const t = await this.ctx.services.coupons.createTemplate(approver, c.merchant_id, {
        title: `先行赔付 ¥${(c.amount_fen / 100).toFixed(2)}`,
        kind: 'fixed',
        amountFen: c.amount_fen,
        totalQuantity: 1,
        perUserLimit: 1,
        validDays: COUPON_VALID_DAYS,
        channels: ['staff_issue'],
      });
      templateId = t.id;
      await this.ctx.db
        .updateTable('support_compensations')
        .set({ coupon_template_id: templateId })
        .where('id', '=', id)
        .execute();
    }
    const tid = templateId;
    await transact(this.ctx.db, async (trx) => {
      const coupon = await this.ctx.services.coupons.claim(trx, c.user_id, tid, {
        channel: 'staff_issue',
        ref: `compensation:${id}`,
      });
      const paid = await trx
        .updateTable('support_compensations')
        .set({ status: 'paid', coupon_id: coupon.couponId, paid_at: sql<Date>`now()` })
        .where('id', '=', id)
        .where('status', '=', 'approved')
        .returningAll()
        .executeTakeFirst();
      if (!paid) return;
      await ticketLog(trx, c.ticket_id, 'compensation_paid', c.approved_by, `coupon ${coupon.couponId}`);
      await this.ctx.events.emit(trx, {
        type: 'support.compensation_paid',
        aggregateType: 'support_ticket',
        aggregateId: c.ticket_id,
        payload: {
          merchantId: c.merchant_id,
          ticketId: c.ticket_id,
          compensationId: id,
          userId: c.user_id,
          amountFen: c.amount_fen,
          couponId: coupon.couponId,
          approvedByUserId: c.approved_by!,
          paidAt: new Date().toISOString(),
        },
      });
    });
    await this.ctx.jobs.cancel(this.ctx.db, `support.compensation:${id}`);
  }

  private async locked(db: Db, merchantId: number, id: number) {
    let q = db
      .selectFrom('support_compensations')
      .selectAll()
      .where('id', '=', id)
      .where('merchant_id', '=', merchantId);
    if (db.isTransaction) q = q.forUpdate();
    const c = await q.executeTakeFirst();
    if (!c) throw notFound('Compensation', 'COMPENSATION_NOT_FOUND');
    return c;
  }
}

function view(c: Row) {
  return {
    id: c.id,
    ticketId: c.ticket_id,
    userId: c.user_id,
    amountFen: c.amount_fen,
    reason: c.reason,
    method: c.method,
    status: c.status,
    proposedBy: c.proposed_by,
    approvedBy: c.approved_by,
    approvedAt: c.approved_at,
    couponId: c.coupon_id,
    paidAt: c.paid_at,
    createdAt: c.created_at,
  };
}
