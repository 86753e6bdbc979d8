// Who is who, for other modules' pages: shop names and terms, team members, shoppers' nicknames.
// One query per batch of ids, so a list page never asks once per row. Reads only; the tenancy
// checks stay in MerchantService (requireRole).
import type { MerchantRole } from '../../platform/auth/access.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Db } from '../../platform/db/types.ts';
import type { MerchantStatus } from './tables.ts';
import './tables.ts';

export interface MerchantBrief {
  id: number;
  name: string;
  logoUrl: string | null;
  status: MerchantStatus;
  /** The platform's share of what the shop takes, in basis points. */
  commissionRateBp: number;
}

export class IdentityDirectory {
  constructor(private readonly ctx: AppContext) {}

  /** The shops among `ids` that exist, by id. */
  async merchantsByIds(ids: readonly number[], db: Db = this.ctx.db): Promise<Map<number, MerchantBrief>> {
    if (ids.length === 0) return new Map();
    const rows = await db
      .selectFrom('merchants')
      .select(['id', 'name', 'logo_url', 'status', 'commission_rate_bp'])
      .where('id', 'in', [...new Set(ids)])
      .execute();
    return new Map(
      rows.map((m) => [
        m.id,
        {
          id: m.id,
          name: m.name,
          logoUrl: m.logo_url,
          status: m.status,
          commissionRateBp: m.commission_rate_bp,
        },
      ]),
    );
  }

  /** One shop, or undefined when there is none with that id. */
  async merchantBrief(merchantId: number, db: Db = this.ctx.db): Promise<MerchantBrief | undefined> {
    return (await this.merchantsByIds([merchantId], db)).get(merchantId);
  }

  /** Shop names by id ('' is never stored: a missing shop is simply absent). */
  async merchantNames(ids: readonly number[], db: Db = this.ctx.db): Promise<Map<number, string>> {
    return new Map([...(await this.merchantsByIds(ids, db))].map(([id, m]) => [id, m.name]));
  }

  async merchantExists(merchantId: number, db: Db = this.ctx.db): Promise<boolean> {
    return !!(await db.selectFrom('merchants').select('id').where('id', '=', merchantId).executeTakeFirst());
  }

  /** Every shop, by id (the platform's views across shops). */
  async allMerchants(db: Db = this.ctx.db): Promise<Array<{ id: number; name: string }>> {
    return db.selectFrom('merchants').select(['id', 'name']).orderBy('id').execute();
  }

  /** The user's role on the shop's team, or null when they are not on it. */
  async memberRole(merchantId: number, userId: number, db: Db = this.ctx.db): Promise<MerchantRole | null> {
    const row = await db
      .selectFrom('merchant_members')
      .select('role')
      .where('merchant_id', '=', merchantId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row?.role ?? null;
  }

  /** The shop's team (with one of `roles`, when given), oldest member first. */
  async memberIds(merchantId: number, roles?: readonly MerchantRole[], db: Db = this.ctx.db): Promise<number[]> {
    let q = db.selectFrom('merchant_members').select('user_id').where('merchant_id', '=', merchantId);
    if (roles) q = q.where('role', 'in', [...roles]);
    const rows = await q.orderBy('created_at').orderBy('user_id').execute();
    return rows.map((m) => Number(m.user_id));
  }

  /** Nicknames by user id (what a room, a group or a bargain shows of other shoppers). */
  async nicknames(userIds: readonly number[], db: Db = this.ctx.db): Promise<Map<number, string>> {
    if (userIds.length === 0) return new Map();
    const rows = await db
      .selectFrom('users')
      .select(['id', 'nickname'])
      .where('id', 'in', [...new Set(userIds)])
      .execute();
    return new Map(rows.map((u) => [u.id, u.nickname]));
  }

  /** Nickname and phone by user id, for a shop's own customer list (the caller masks the phone). */
  async contacts(userIds: readonly number[], db: Db = this.ctx.db) {
    const out = new Map<number, { nickname: string; phone: string | null }>();
    for (let i = 0; i < userIds.length; i += 5000) {
      const rows = await db
        .selectFrom('users')
        .select(['id', 'nickname', 'phone'])
        .where('id', 'in', [...new Set(userIds.slice(i, i + 5000))])
        .execute();
      for (const u of rows) out.set(u.id, { nickname: u.nickname, phone: u.phone });
    }
    return out;
  }

  /** The WeChat openid each user signed in with (code2session), for WeChat Pay and subscribe messages. */
  async wechatOpenids(userIds: readonly number[], db: Db = this.ctx.db): Promise<Map<number, string>> {
    if (userIds.length === 0) return new Map();
    const rows = await db
      .selectFrom('users')
      .select(['id', 'wechat_openid'])
      .where('id', 'in', [...new Set(userIds)])
      .where('wechat_openid', 'is not', null)
      .execute();
    return new Map(rows.map((u) => [u.id, u.wechat_openid!]));
  }
}
