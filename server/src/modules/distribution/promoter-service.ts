// Promoters (推广员): a shopper applies (through a recruiter's link, whose recruit they become) or the
// shop invites one of its customers; the shop approves, rejects or suspends. A promoter's parent is
// the one who recruited them, and there are two levels at most: a recruit's recruit is refused.
import { sql } from 'kysely';
import type { Actor } from '../../platform/auth/access.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Db } from '../../platform/db/types.ts';
import { badRequest, conflict, notFound } from '../../platform/errors.ts';
import { transact } from '../../platform/db/transact.ts';
import { refuseThirdLevel } from './settings-service.ts';
import type { PromoterStatus } from './tables.ts';
import './tables.ts';

const OPERATORS = ['merchant_owner', 'merchant_staff'] as const;
export type PromoterAction = 'approve' | 'reject' | 'suspend' | 'reinstate';

/** Which states each decision moves from, and where to. */
const DECISIONS: Record<PromoterAction, { from: PromoterStatus[]; to: PromoterStatus }> = {
  approve: { from: ['pending'], to: 'approved' },
  reject: { from: ['pending', 'invited'], to: 'rejected' },
  suspend: { from: ['approved'], to: 'suspended' },
  reinstate: { from: ['suspended'], to: 'approved' },
};

export interface PromoterRow {
  id: number;
  merchant_id: number;
  user_id: number;
  status: PromoterStatus;
  source: 'applied' | 'invited';
  level_id: number | null;
  parent_id: number | null;
  note: string;
  created_at: Date;
  decided_at: Date | null;
}

export class PromoterService {
  constructor(private readonly ctx: AppContext) {}

  /** The shopper's promoter record in the shop, or undefined. */
  async promoterOf(db: Db, merchantId: number, userId: number): Promise<PromoterRow | undefined> {
    return db
      .selectFrom('distribution_promoters')
      .selectAll()
      .where('merchant_id', '=', merchantId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
  }

  async byId(db: Db, promoterId: number): Promise<PromoterRow | undefined> {
    return db.selectFrom('distribution_promoters').selectAll().where('id', '=', promoterId).executeTakeFirst();
  }

  /** The shopper's own record in the shop, or 404 PROMOTER_NOT_FOUND. */
  async requireMine(db: Db, merchantId: number, userId: number): Promise<PromoterRow> {
    const p = await this.promoterOf(db, merchantId, userId);
    if (!p) throw notFound('Promoter', 'PROMOTER_NOT_FOUND');
    return p;
  }

  /** One of the shop's promoters, or 404 PROMOTER_NOT_FOUND (another shop's is not found either). */
  async requireOwn(db: Db, merchantId: number, promoterId: number): Promise<PromoterRow> {
    const p = await this.byId(db, promoterId);
    if (!p || p.merchant_id !== merchantId) throw notFound('Promoter', 'PROMOTER_NOT_FOUND');
    return p;
  }

  /** Lock a promoter row: a recruit joining and the recruiter getting a parent at once would make three levels. */
  private lock(db: Db, ...promoterIds: number[]) {
    // In id order, so two changes locking the same pair cannot deadlock.
    return db
      .selectFrom('distribution_promoters')
      .select('id')
      .where('id', 'in', promoterIds)
      .orderBy('id')
      .forUpdate()
      .execute();
  }

  /** A recruiter for a new promoter: approved in the shop and not a recruit themselves (two levels). */
  private async recruiter(db: Db, merchantId: number, recruiterUserId: number): Promise<PromoterRow> {
    const found = await this.promoterOf(db, merchantId, recruiterUserId);
    if (found) await this.lock(db, found.id);
    const r = found && (await this.byId(db, found.id));
    if (r?.status !== 'approved') throw badRequest('RECRUITER_NOT_PROMOTER', 'The recruiter is not a promoter here');
    if (r.parent_id !== null) throw refuseThirdLevel();
    return r;
  }

  async apply(userId: number, merchantId: number, body: { recruiterUserId?: number; note?: string }) {
    if (!(await this.ctx.services.directory.merchantExists(merchantId))) throw notFound('Shop', 'MERCHANT_NOT_FOUND');
    const settings = await this.ctx.services.distributionSettings.settingsOf(this.ctx.db, merchantId);
    if (!settings.enabled) throw conflict('DISTRIBUTION_DISABLED', 'This shop does not recruit promoters');
    return transact(this.ctx.db, async (trx) => {
      await lockShopper(trx, merchantId, userId);
      const existing = await this.promoterOf(trx, merchantId, userId);
      if (existing && existing.status !== 'rejected')
        throw conflict('PROMOTER_EXISTS', 'You have already applied to this shop or are its promoter');
      let parentId: number | null = null;
      if (body.recruiterUserId !== undefined && body.recruiterUserId !== userId)
        parentId = (await this.recruiter(trx, merchantId, body.recruiterUserId)).id;
      const status: PromoterStatus = settings.autoApprove ? 'approved' : 'pending';
      const values = { status, source: 'applied' as const, parent_id: parentId, note: body.note ?? '' };
      const row = existing
        ? await trx
            .updateTable('distribution_promoters')
            .set({ ...values, decided_at: status === 'approved' ? sql<Date>`now()` : null })
            .where('id', '=', existing.id)
            .returningAll()
            .executeTakeFirstOrThrow()
        : await trx
            .insertInto('distribution_promoters')
            .values({ merchant_id: merchantId, user_id: userId, ...values })
            .returningAll()
            .executeTakeFirstOrThrow();
      return row;
    });
  }

  /** The shop invites one of its customers; they become a promoter when they accept. */
  async invite(actor: Actor, merchantId: number, userId: number) {
    await this.ctx.services.merchants.requireRole(actor, merchantId, [...OPERATORS]);
    const customers = await this.ctx.services.orderQueries.customersAmong(merchantId, [userId]);
    if (customers.length === 0) throw notFound('Customer', 'CUSTOMER_NOT_FOUND');
    return transact(this.ctx.db, async (trx) => {
      await lockShopper(trx, merchantId, userId);
      const existing = await this.promoterOf(trx, merchantId, userId);
      if (existing && existing.status !== 'rejected')
        throw conflict('PROMOTER_EXISTS', 'This shopper has already applied or is a promoter');
      if (existing)
        return trx
          .updateTable('distribution_promoters')
          .set({ status: 'invited', source: 'invited', decided_at: null })
          .where('id', '=', existing.id)
          .returningAll()
          .executeTakeFirstOrThrow();
      return trx
        .insertInto('distribution_promoters')
        .values({ merchant_id: merchantId, user_id: userId, status: 'invited', source: 'invited' })
        .returningAll()
        .executeTakeFirstOrThrow();
    });
  }

  async acceptInvite(userId: number, merchantId: number) {
    const row = await this.ctx.db
      .updateTable('distribution_promoters')
      .set({ status: 'approved', decided_at: sql<Date>`now()` })
      .where('merchant_id', '=', merchantId)
      .where('user_id', '=', userId)
      .where('status', '=', 'invited')
      .returningAll()
      .executeTakeFirst();
    if (!row) throw notFound('Invitation', 'PROMOTER_INVITE_NOT_FOUND');
    return row;
  }

  async decide(actor: Actor, merchantId: number, promoterId: number, action: PromoterAction) {
    await this.ctx.services.merchants.requireRole(actor, merchantId, [...OPERATORS]);
    const rule = DECISIONS[action];
    const row = await this.ctx.db
      .updateTable('distribution_promoters')
      .set({ status: rule.to, decided_at: sql<Date>`now()` })
      .where('id', '=', promoterId)
      .where('merchant_id', '=', merchantId)
      .where('status', 'in', rule.from)
      .returningAll()
      .executeTakeFirst();
    if (row) return row;
    await this.requireOwn(this.ctx.db, merchantId, promoterId);
    throw conflict('PROMOTER_STATE', `A promoter can be ${action}d only from ${rule.from.join(' or ')}`);
  }

  /** Level and parent, set by the shop. A parent must be a top-level promoter, and one with recruits cannot get one. */
  async update(
    actor: Actor,
    merchantId: number,
    promoterId: number,
    body: { levelId?: number | null; parentPromoterId?: number | null },
  ) {
    await this.ctx.services.merchants.requireRole(actor, merchantId, [...OPERATORS]);
    return transact(this.ctx.db, async (trx) => {
      await this.lock(trx, promoterId, ...(body.parentPromoterId ? [body.parentPromoterId] : []));
      const p = await this.requireOwn(trx, merchantId, promoterId);
      if (body.levelId) await this.ctx.services.distributionSettings.requireOwnLevel(trx, merchantId, body.levelId);
      if (body.parentPromoterId) {
        if (body.parentPromoterId === p.id)
          throw badRequest('PROMOTER_PARENT_SELF', 'A promoter cannot recruit itself');
        const parent = await this.requireOwn(trx, merchantId, body.parentPromoterId);
        if (parent.parent_id !== null) throw refuseThirdLevel();
        const recruits = await trx
          .selectFrom('distribution_promoters')
          .select('id')
          .where('parent_id', '=', p.id)
          .executeTakeFirst();
        if (recruits) throw refuseThirdLevel();
      }
      const changes = {
        ...(body.levelId !== undefined ? { level_id: body.levelId } : {}),
        ...(body.parentPromoterId !== undefined ? { parent_id: body.parentPromoterId } : {}),
      };
      if (Object.keys(changes).length === 0) return p;
      return trx
        .updateTable('distribution_promoters')
        .set(changes)
        .where('id', '=', p.id)
        .returningAll()
        .executeTakeFirstOrThrow();
    });
  }

  async list(actor: Actor, merchantId: number, f: { status?: PromoterStatus; page: number; pageSize: number }) {
    await this.ctx.services.merchants.requireRole(actor, merchantId);
    let q = this.ctx.db.selectFrom('distribution_promoters').where('merchant_id', '=', merchantId);
    if (f.status) q = q.where('status', '=', f.status);
    const [rows, count] = await Promise.all([
      q
        .selectAll()
        .orderBy('id', 'desc')
        .limit(f.pageSize)
        .offset((f.page - 1) * f.pageSize)
        .execute(),
      q.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow(),
    ]);
    const names = await this.ctx.services.directory.nicknames(rows.map((r) => r.user_id));
    return {
      items: rows.map((r) => ({ ...promoterView(r), nickname: names.get(r.user_id) ?? '' })),
      total: Number(count.n),
      page: f.page,
      pageSize: f.pageSize,
    };
  }

  /** The shopper's promoter records across shops. */
  async mine(userId: number) {
    const rows = await this.ctx.db
      .selectFrom('distribution_promoters')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('id', 'desc')
      .execute();
    const names = await this.ctx.services.directory.merchantNames(rows.map((r) => r.merchant_id));
    return rows.map((r) => ({ ...promoterView(r), merchantName: names.get(r.merchant_id) ?? '' }));
  }
}

/** One apply/invite per shopper and shop at a time: the second would fail on the unique key with a 500. */
async function lockShopper(trx: Db, merchantId: number, userId: number): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`distribution:promoter:${merchantId}:${userId}`}, 0))`.execute(
    trx,
  );
}

export function promoterView(r: PromoterRow) {
  return {
    id: r.id,
    merchantId: r.merchant_id,
    userId: r.user_id,
    status: r.status,
    source: r.source,
    levelId: r.level_id,
    parentPromoterId: r.parent_id,
    note: r.note,
    createdAt: r.created_at,
    decidedAt: r.decided_at,
  };
}
