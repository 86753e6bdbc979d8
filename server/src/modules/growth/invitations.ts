// Invitations (邀请有礼). A signed-in shopper shares an invitation of a shop; a new account that
// arrived through it becomes the invitee (touch-service.ts). When the invitee's first paid order in
// that shop is paid, the inviter and the invitee each get the shop's reward (coupon templates of the
// shop and/or points) — once: the pending → rewarded move is a conditional update, so two first
// orders paid at once reward one of them. A full refund before the order completes reverses it:
// unused coupons are revoked, points are deducted down to zero at most (what was already spent stays
// spent and the reward row says how much could be taken back). After completion the reward is final.
// Every grant is keyed by the invitation, so a redelivered event grants nothing twice.
import type { Actor } from '../../platform/auth/access.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Db } from '../../platform/db/types.ts';
import { AppError, badRequest } from '../../platform/errors.ts';
import type { RewardStatus } from './tables.ts';
import './tables.ts';

export interface RewardSide {
  couponTemplateIds: number[];
  points: number;
}
export interface InviteSettings {
  enabled: boolean;
  inviter: RewardSide;
  invitee: RewardSide;
}
type Role = 'inviter' | 'invitee';

const WRITERS: Array<'merchant_owner' | 'merchant_staff'> = ['merchant_owner', 'merchant_staff'];
const NONE: InviteSettings = {
  enabled: false,
  inviter: { couponTemplateIds: [], points: 0 },
  invitee: { couponTemplateIds: [], points: 0 },
};

export class Invitations {
  constructor(private readonly ctx: AppContext) {}

  async settings(actor: Actor, merchantId: number): Promise<InviteSettings> {
    await this.ctx.services.merchants.requireRole(actor, merchantId);
    return this.settingsOf(this.ctx.db, merchantId);
  }

  private async settingsOf(db: Db, merchantId: number): Promise<InviteSettings> {
    const s = await db
      .selectFrom('growth_invite_settings')
      .selectAll()
      .where('merchant_id', '=', merchantId)
      .executeTakeFirst();
    if (!s) return NONE;
    return {
      enabled: s.enabled,
      inviter: { couponTemplateIds: s.inviter_coupon_template_ids, points: s.inviter_points },
      invitee: { couponTemplateIds: s.invitee_coupon_template_ids, points: s.invitee_points },
    };
  }

  /** The shop's reward; every coupon template is the shop's own and given out by invitation. */
  async configure(actor: Actor, merchantId: number, input: InviteSettings): Promise<InviteSettings> {
    await this.ctx.services.merchants.requireRole(actor, merchantId, WRITERS);
    for (const id of new Set([...input.inviter.couponTemplateIds, ...input.invitee.couponTemplateIds])) {
      const t = await this.ctx.services.coupons.requireOwnTemplate(this.ctx.db, merchantId, id);
      if (!t.channels.includes('invite'))
        throw badRequest('INVITE_COUPON_CHANNEL', 'A coupon given for invitations must allow the "invite" channel');
    }
    const values = {
      enabled: input.enabled,
      inviter_coupon_template_ids: JSON.stringify([...new Set(input.inviter.couponTemplateIds)]),
      inviter_points: input.inviter.points,
      invitee_coupon_template_ids: JSON.stringify([...new Set(input.invitee.couponTemplateIds)]),
      invitee_points: input.invitee.points,
      updated_at: new Date(),
    };
    await this.ctx.db
      .insertInto('growth_invite_settings')
      .values({ merchant_id: merchantId, ...values })
      .onConflict((oc) => oc.column('merchant_id').doUpdateSet(values))
      .execute();
    return this.settingsOf(this.ctx.db, merchantId);
  }

  /** order.paid: the invitee's first paid order in the shop rewards both sides (once). */
  async onPaid(db: Db, o: { orderId: number; merchantId: number; userId: number }): Promise<void> {
    const inv = await db
      .updateTable('growth_invitations')
      .set({ status: 'rewarded', order_id: o.orderId, rewarded_at: new Date() })
      .where('merchant_id', '=', o.merchantId)
      .where('invitee_user_id', '=', o.userId)
      .where('status', '=', 'pending')
      .returning(['id', 'inviter_user_id', 'invitee_user_id'])
      .executeTakeFirst();
    if (!inv) return;
    const s = await this.settingsOf(db, o.merchantId);
    if (!s.enabled) return;
    await this.grant(db, inv.id, 'inviter', inv.inviter_user_id, s.inviter);
    await this.grant(db, inv.id, 'invitee', inv.invitee_user_id, s.invitee);
  }

  private async grant(db: Db, invitationId: number, role: Role, userId: number, side: RewardSide): Promise<void> {
    const ref = `invite:${invitationId}:${role}`;
    const base = { invitation_id: invitationId, user_id: userId, role };
    for (const templateId of side.couponTemplateIds) {
      try {
        const c = await this.ctx.services.coupons.claim(db, userId, templateId, { channel: 'invite', ref });
        await db
          .insertInto('growth_invite_rewards')
          .values({ ...base, kind: 'coupon', coupon_template_id: templateId, coupon_id: c.couponId, status: 'granted' })
          .execute();
      } catch (e) {
        // Sold out, ended, over the per-user limit: the other parts of the reward still go out.
        if (!(e instanceof AppError)) throw e;
        await db
          .insertInto('growth_invite_rewards')
          .values({ ...base, kind: 'coupon', coupon_template_id: templateId, status: 'skipped', note: e.code })
          .execute();
      }
    }
    if (side.points > 0) {
      await this.ctx.services.points.adjust(db, userId, side.points, ref);
      await db
        .insertInto('growth_invite_rewards')
        .values({ ...base, kind: 'points', points: side.points, status: 'granted' })
        .execute();
    }
  }

  /** order.refunded: a full refund of the rewarding order before it completes takes the reward back. */
  async onRefunded(db: Db, o: { orderId: number; full: boolean }): Promise<void> {
    if (!o.full) return;
    const inv = await db
      .updateTable('growth_invitations')
      .set({ status: 'reversed', reversed_at: new Date() })
      .where('order_id', '=', o.orderId)
      .where('status', '=', 'rewarded')
      .returning('id')
      .executeTakeFirst();
    if (!inv) return;
    const rewards = await db
      .selectFrom('growth_invite_rewards')
      .selectAll()
      .where('invitation_id', '=', inv.id)
      .where('status', '=', 'granted')
      .orderBy('id')
      .execute();
    const coupons = rewards.filter((r) => r.kind === 'coupon' && r.coupon_id !== null).map((r) => r.coupon_id!);
    const revoked = new Set(await this.ctx.services.coupons.revokeUnused(db, coupons));
    for (const r of rewards) {
      let status: RewardStatus;
      let taken = 0;
      if (r.kind === 'coupon') status = revoked.has(r.coupon_id!) ? 'revoked' : 'kept';
      else {
        // Never below zero: what the shopper already spent of these points stays spent.
        taken = Math.min(r.points, await this.ctx.services.points.balance(db, r.user_id));
        if (taken > 0)
          await this.ctx.services.points.adjust(db, r.user_id, -taken, `invite:${inv.id}:${r.role}:reversal`);
        status = taken === r.points ? 'revoked' : taken > 0 ? 'partly_revoked' : 'kept';
      }
      await db
        .updateTable('growth_invite_rewards')
        .set({ status, points_revoked: taken, revoked_at: new Date() })
        .where('id', '=', r.id)
        .execute();
    }
  }

  /** order.completed: the after-sales window closed; the reward is final. */
  async onCompleted(db: Db, orderId: number): Promise<void> {
    await db
      .updateTable('growth_invitations')
      .set({ status: 'settled', settled_at: new Date() })
      .where('order_id', '=', orderId)
      .where('status', '=', 'rewarded')
      .execute();
  }

  /** The shop's invitations, newest first. */
  async forShop(actor: Actor, merchantId: number, q: { page: number; pageSize: number }) {
    await this.ctx.services.merchants.requireRole(actor, merchantId);
    const rows = await this.ctx.db
      .selectFrom('growth_invitations')
      .selectAll()
      .where('merchant_id', '=', merchantId)
      .orderBy('id', 'desc')
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize)
      .execute();
    return this.views(rows, null);
  }

  /** The invitations I sent and the one(s) I accepted, each with my rewards. */
  async mine(userId: number) {
    const rows = await this.ctx.db
      .selectFrom('growth_invitations')
      .selectAll()
      .where((eb) => eb.or([eb('inviter_user_id', '=', userId), eb('invitee_user_id', '=', userId)]))
      .orderBy('id', 'desc')
      .limit(200)
      .execute();
    const views = await this.views(rows, userId);
    return {
      sent: views.filter((v) => v.inviterUserId === userId),
      received: views.filter((v) => v.inviteeUserId === userId),
    };
  }

  private async views(
    rows: Array<{
      id: number;
      merchant_id: number;
      inviter_user_id: number;
      invitee_user_id: number;
      status: string;
      order_id: number | null;
      created_at: Date;
      rewarded_at: Date | null;
    }>,
    onlyFor: number | null,
  ) {
    const ids = rows.map((r) => r.id);
    let q = this.ctx.db
      .selectFrom('growth_invite_rewards')
      .selectAll()
      .where('invitation_id', 'in', ids.length ? ids : [0]);
    if (onlyFor !== null) q = q.where('user_id', '=', onlyFor);
    const rewards = await q.orderBy('id').execute();
    const names = await this.ctx.services.directory.nicknames(
      rows.flatMap((r) => [r.inviter_user_id, r.invitee_user_id]),
    );
    return rows.map((r) => ({
      id: r.id,
      merchantId: r.merchant_id,
      inviterUserId: r.inviter_user_id,
      inviterNickname: names.get(r.inviter_user_id) ?? '',
      inviteeUserId: r.invitee_user_id,
      inviteeNickname: names.get(r.invitee_user_id) ?? '',
      status: r.status as 'pending' | 'rewarded' | 'settled' | 'reversed',
      orderId: r.order_id,
      createdAt: new Date(r.created_at),
      rewardedAt: r.rewarded_at ? new Date(r.rewarded_at) : null,
      rewards: rewards
        .filter((w) => w.invitation_id === r.id)
        .map((w) => ({
          userId: w.user_id,
          role: w.role,
          kind: w.kind,
          couponTemplateId: w.coupon_template_id,
          couponId: w.coupon_id,
          points: w.points,
          pointsRevoked: w.points_revoked,
          status: w.status,
          note: w.note,
        })),
    }));
  }
}
