// Merchants (tenants) and their staff. Every method takes the calling Actor and checks it here,
// in the service, so no route (or other module) can reach another merchant's data by mistake.
import { sql } from 'kysely';
import type { Actor, MembershipLookup, MerchantRole } from '../../platform/auth/access.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Db } from '../../platform/db/types.ts';
import { badRequest, conflict, forbidden, notFound, type AppError } from '../../platform/errors.ts';
import { normalizePhone } from './passwords.ts';
import { canTransition, isPubliclyVisible, operatingRefusal } from './merchant-status.ts';
import type { MerchantStatus } from './tables.ts';
import './tables.ts';
import { afterCommit, transact } from '../../platform/db/transact.ts';
import { type NearCache, nodeNearCache } from '../../platform/cache/near-cache.ts';

const STATUS_EVENTS = {
  active: 'merchant.activated',
  suspended: 'merchant.suspended',
  rejected: 'merchant.rejected',
} as const;

export interface MerchantView {
  id: number;
  name: string;
  description: string;
  logoUrl: string | null;
  status: MerchantStatus;
  commissionRateBp: number;
  createdAt: Date;
}

export interface StaffView {
  userId: number;
  nickname: string;
  phone: string | null;
  role: MerchantRole;
  joinedAt: Date;
}

export const ALL_MERCHANT_ROLES: MerchantRole[] = ['merchant_owner', 'merchant_staff', 'anchor'];

/** A shop's status copy per node lives at most this long if its change was not heard (a Redis reconnect). */
const SHOWN_STATUS_TTL_MS = 5_000;

export class MerchantService implements MembershipLookup {
  /** Whether shoppers may see a shop, kept per node for the hottest pages; dropped when its status changes. */
  private readonly shownStatus: NearCache<number, boolean>;

  constructor(private readonly ctx: AppContext) {
    this.shownStatus = nodeNearCache(ctx, {
      name: 'identity:shop-public',
      ttlMs: SHOWN_STATUS_TTL_MS,
      max: 50_000,
      what: 'shop status copies',
    });
  }
  start = () => this.shownStatus.start();
  stop = () => this.shownStatus.stop();
  private get db(): Db {
    return this.ctx.db;
  }

  /** The user's role on the shop's team, or null (the directory answers it for other modules too). */
  merchantRole(userId: number, merchantId: number): Promise<MerchantRole | null> {
    return this.ctx.services.directory.memberRole(merchantId, userId);
  }

  /**
   * The tenancy check every merchant-scoped service calls first. Platform admins pass (support
   * access); anyone else needs one of `roles` in this merchant. Returns the caller's role.
   */
  async requireRole(
    actor: Actor,
    merchantId: number,
    roles: MerchantRole[] = ALL_MERCHANT_ROLES,
    db: Db = this.db,
  ): Promise<MerchantRole | 'platform_admin'> {
    const row = await db
      .selectFrom('merchant_members')
      .select('role')
      .where('merchant_id', '=', merchantId)
      .where('user_id', '=', actor.userId)
      .executeTakeFirst();
    if (row && roles.includes(row.role)) return row.role;
    if (actor.isPlatformAdmin) {
      const exists = await db.selectFrom('merchants').select('id').where('id', '=', merchantId).executeTakeFirst();
      if (!exists) throw notFound('Merchant');
      return 'platform_admin';
    }
    // Not a member: say "not found" rather than "forbidden" so merchant ids cannot be probed.
    if (!row) throw notFound('Merchant');
    throw forbidden('Your role in this merchant does not allow this');
  }

  /**
   * requireRole, then the shop's status: 'build' (products) is refused to suspended and rejected
   * shops, 'broadcast' (rooms, streams, invites) to pending ones too — platform admins included.
   */
  async requireOperating(
    actor: Actor,
    merchantId: number,
    roles: MerchantRole[],
    what: 'build' | 'broadcast',
  ): Promise<MerchantRole | 'platform_admin'> {
    const role = await this.requireRole(actor, merchantId, roles);
    const refusal = await this.operatingRefusalOf(merchantId, what);
    if (refusal) throw refusal;
    return role;
  }

  /** Why the shop may not start `what` now (MERCHANT_SUSPENDED, …), or null: for work no request carries (jobs). */
  async operatingRefusalOf(
    merchantId: number,
    what: 'build' | 'broadcast',
    db: Db = this.db,
  ): Promise<AppError | null> {
    return operatingRefusal(await this.statusOf(merchantId, db), what);
  }

  /** The shop's status, read fresh (governance changes must take effect at once on every node). */
  async statusOf(merchantId: number, db: Db = this.db): Promise<MerchantStatus> {
    const m = await db.selectFrom('merchants').select('status').where('id', '=', merchantId).executeTakeFirst();
    if (!m) throw notFound('Merchant');
    return m.status;
  }

  /** May shoppers see this shop's products and rooms? (Active shops only.) */
  async isPublic(merchantId: number, db: Db = this.db): Promise<boolean> {
    const m = await db.selectFrom('merchants').select('status').where('id', '=', merchantId).executeTakeFirst();
    return !!m && isPubliclyVisible(m.status);
  }

  /**
   * isPublic from this node's copy (one query per shop and status change): for shopper pages read
   * thousands of times a second. Decisions that must be exact (placing an order) use isPublic.
   */
  async isShownPublic(merchantId: number): Promise<boolean> {
    const load = async () => {
      const m = await this.db.selectFrom('merchants').select('status').where('id', '=', merchantId).executeTakeFirst();
      return m && isPubliclyVisible(m.status); // an unknown shop is not kept: it may be created any moment
    };
    return (await this.shownStatus.get(merchantId, load)) ?? false;
  }

  /** Drop the status copies of these shops, on every node, once the change made through `db` commits. */
  forgetShownStatus(db: Db, merchantIds: number[]): void {
    afterCommit(db, () => this.shownStatus.invalidate(merchantIds));
  }

  /** Of these shops, the ones shoppers may see (one query for a batch, e.g. an analytics beacon). */
  async publicAmong(merchantIds: number[], db: Db = this.db): Promise<Set<number>> {
    if (merchantIds.length === 0) return new Set();
    const rows = await db
      .selectFrom('merchants')
      .select('id')
      .where('id', 'in', [...new Set(merchantIds)])
      .where('status', '=', 'active')
      .execute();
    return new Set(rows.map((r) => r.id));
  }

  /** The ids of shops shoppers may see, as a subquery for other modules' public listings. */
  publicMerchantIds() {
    return this.db.selectFrom('merchants').select('merchants.id').where('merchants.status', '=', 'active');
  }

  /** Merchants the user belongs to, with their role. */
  async myMerchants(actor: Actor): Promise<Array<MerchantView & { role: MerchantRole }>> {
    const rows = await this.db
      .selectFrom('merchant_members as mm')
      .innerJoin('merchants as m', 'm.id', 'mm.merchant_id')
      .selectAll('m')
      .select('mm.role')
      .where('mm.user_id', '=', actor.userId)
      .orderBy('m.id')
      .execute();
    return rows.map((r) => ({ ...toMerchantView(r), role: r.role }));
  }

  /** A signed-in user applies to open a shop; a platform admin approves it. */
  async apply(actor: Actor, input: { name: string; description?: string | undefined }): Promise<MerchantView> {
    return transact(this.db, async (trx) => {
      const merchant = await this.insertMerchant(trx, input.name, input.description, 'pending');
      await trx
        .insertInto('merchant_members')
        .values({ merchant_id: merchant.id, user_id: actor.userId, role: 'merchant_owner' })
        .execute();
      await this.ctx.events.emit(trx, {
        type: 'merchant.applied',
        aggregateType: 'merchant',
        aggregateId: merchant.id,
        payload: { merchantId: merchant.id, ownerId: actor.userId },
      });
      return toMerchantView(merchant);
    });
  }

  async get(actor: Actor, merchantId: number): Promise<MerchantView> {
    await this.requireRole(actor, merchantId);
    const m = await this.db.selectFrom('merchants').selectAll().where('id', '=', merchantId).executeTakeFirstOrThrow();
    return toMerchantView(m);
  }

  /** What shoppers may see of a merchant: active ones only. */
  async getPublic(merchantId: number): Promise<Pick<MerchantView, 'id' | 'name' | 'description' | 'logoUrl'>> {
    const m = await this.db
      .selectFrom('merchants')
      .select(['id', 'name', 'description', 'logo_url'])
      .where('id', '=', merchantId)
      .where('status', '=', 'active')
      .executeTakeFirst();
    if (!m) throw notFound('Merchant');
    return { id: m.id, name: m.name, description: m.description, logoUrl: m.logo_url };
  }

  async update(
    actor: Actor,
    merchantId: number,
    input: { name?: string | undefined; description?: string | undefined; logoUrl?: string | null | undefined },
  ): Promise<MerchantView> {
    await this.requireRole(actor, merchantId, ['merchant_owner']);
    try {
      const m = await this.db
        .updateTable('merchants')
        .set({
          ...(input.name !== undefined ? { name: input.name.trim() } : {}),
          ...(input.description !== undefined ? { description: input.description } : {}),
          ...(input.logoUrl !== undefined ? { logo_url: input.logoUrl } : {}),
          updated_at: sql<Date>`now()`,
        })
        .where('id', '=', merchantId)
        .returningAll()
        .executeTakeFirstOrThrow();
      return toMerchantView(m);
    } catch (err) {
      throw mapUniqueName(err);
    }
  }

  // ---- staff ----

  async listStaff(actor: Actor, merchantId: number): Promise<StaffView[]> {
    await this.requireRole(actor, merchantId);
    const rows = await this.db
      .selectFrom('merchant_members as mm')
      .innerJoin('users as u', 'u.id', 'mm.user_id')
      .select(['u.id', 'u.nickname', 'u.phone', 'mm.role', 'mm.created_at'])
      .where('mm.merchant_id', '=', merchantId)
      .orderBy('mm.created_at')
      .orderBy('u.id')
      .execute();
    return rows.map((r) => ({
      userId: r.id,
      nickname: r.nickname,
      phone: r.phone,
      role: r.role,
      joinedAt: r.created_at,
    }));
  }

  /** Owners add staff and anchors by the phone number they registered with. */
  async addStaff(actor: Actor, merchantId: number, input: { phone: string; role: MerchantRole }): Promise<StaffView> {
    await this.requireRole(actor, merchantId, ['merchant_owner']);
    const phone = normalizePhone(input.phone);
    if (!phone) throw badRequest('PHONE_INVALID', 'Phone must be a mainland mobile number');
    return transact(this.db, async (trx) => {
      const user = await trx
        .selectFrom('users')
        .select(['id', 'nickname', 'phone'])
        .where('phone', '=', phone)
        .executeTakeFirst();
      if (!user) throw notFound('A user with this phone (they must register first)', 'USER_NOT_FOUND');
      const inserted = await trx
        .insertInto('merchant_members')
        .values({ merchant_id: merchantId, user_id: user.id, role: input.role })
        .onConflict((oc) => oc.columns(['merchant_id', 'user_id']).doNothing())
        .returning('created_at')
        .executeTakeFirst();
      if (!inserted) throw conflict('ALREADY_MEMBER', 'This user is already on the team');
      await this.ctx.events.emit(trx, {
        type: 'merchant.staff_added',
        aggregateType: 'merchant',
        aggregateId: merchantId,
        payload: { merchantId, userId: user.id, role: input.role, by: actor.userId },
      });
      return {
        userId: user.id,
        nickname: user.nickname,
        phone: user.phone,
        role: input.role,
        joinedAt: inserted.created_at,
      };
    });
  }

  async changeStaffRole(actor: Actor, merchantId: number, userId: number, role: MerchantRole): Promise<StaffView> {
    await this.requireRole(actor, merchantId, ['merchant_owner']);
    return transact(this.db, async (trx) => {
      const member = await this.lockMember(trx, merchantId, userId);
      if (member.role === 'merchant_owner' && role !== 'merchant_owner')
        await this.assertAnotherOwner(trx, merchantId, userId);
      await trx
        .updateTable('merchant_members')
        .set({ role })
        .where('merchant_id', '=', merchantId)
        .where('user_id', '=', userId)
        .execute();
      const u = await trx
        .selectFrom('users')
        .select(['nickname', 'phone'])
        .where('id', '=', userId)
        .executeTakeFirstOrThrow();
      return { userId, nickname: u.nickname, phone: u.phone, role, joinedAt: member.created_at };
    });
  }

  async removeStaff(actor: Actor, merchantId: number, userId: number): Promise<void> {
    await this.requireRole(actor, merchantId, ['merchant_owner']);
    await transact(this.db, async (trx) => {
      const member = await this.lockMember(trx, merchantId, userId);
      if (member.role === 'merchant_owner') await this.assertAnotherOwner(trx, merchantId, userId);
      await trx
        .deleteFrom('merchant_members')
        .where('merchant_id', '=', merchantId)
        .where('user_id', '=', userId)
        .execute();
      await this.ctx.events.emit(trx, {
        type: 'merchant.staff_removed',
        aggregateType: 'merchant',
        aggregateId: merchantId,
        payload: { merchantId, userId, by: actor.userId },
      });
    });
  }

  // ---- platform operators ----

  async list(actor: Actor, filter: { status?: MerchantStatus | undefined; page: number; pageSize: number }) {
    if (!actor.isPlatformAdmin) throw forbidden('Platform operators only');
    let q = this.db.selectFrom('merchants');
    if (filter.status) q = q.where('status', '=', filter.status);
    const [items, total] = await Promise.all([
      q
        .selectAll()
        .orderBy('id', 'desc')
        .limit(filter.pageSize)
        .offset((filter.page - 1) * filter.pageSize)
        .execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items: items.map(toMerchantView), total: total.n, page: filter.page, pageSize: filter.pageSize };
  }

  /** Onboard a merchant directly for an existing user (active at once). */
  async onboard(
    actor: Actor,
    input: {
      name: string;
      description?: string | undefined;
      ownerPhone: string;
      commissionRateBp?: number | undefined;
    },
  ): Promise<MerchantView> {
    if (!actor.isPlatformAdmin) throw forbidden('Platform operators only');
    const phone = normalizePhone(input.ownerPhone);
    if (!phone) throw badRequest('PHONE_INVALID', 'Owner phone must be a mainland mobile number');
    return transact(this.db, async (trx) => {
      const owner = await trx.selectFrom('users').select('id').where('phone', '=', phone).executeTakeFirst();
      if (!owner) throw notFound('A user with the owner phone (they must register first)', 'USER_NOT_FOUND');
      const merchant = await this.insertMerchant(trx, input.name, input.description, 'active', input.commissionRateBp);
      await trx
        .insertInto('merchant_members')
        .values({ merchant_id: merchant.id, user_id: owner.id, role: 'merchant_owner' })
        .execute();
      await this.ctx.events.emit(trx, {
        type: 'merchant.activated',
        aggregateType: 'merchant',
        aggregateId: merchant.id,
        payload: { merchantId: merchant.id, from: null, to: 'active', by: actor.userId },
      });
      return toMerchantView(merchant);
    });
  }

  async adminUpdate(
    actor: Actor,
    merchantId: number,
    input: { status?: MerchantStatus | undefined; commissionRateBp?: number | undefined },
  ): Promise<MerchantView> {
    if (!actor.isPlatformAdmin) throw forbidden('Platform operators only');
    return transact(this.db, async (trx) => {
      const before = await trx
        .selectFrom('merchants')
        .select('status')
        .where('id', '=', merchantId)
        .forUpdate()
        .executeTakeFirst();
      if (!before) throw notFound('Merchant');
      if (input.status && !canTransition(before.status, input.status)) {
        const change = { from: before.status, to: input.status };
        throw conflict('MERCHANT_STATUS_TRANSITION', `A ${change.from} shop cannot become ${change.to}`, change);
      }
      const m = await trx
        .updateTable('merchants')
        .set({
          ...(input.status ? { status: input.status } : {}),
          ...(input.commissionRateBp !== undefined ? { commission_rate_bp: input.commissionRateBp } : {}),
          updated_at: sql<Date>`now()`,
        })
        .where('id', '=', merchantId)
        .returningAll()
        .executeTakeFirstOrThrow();
      this.forgetShownStatus(trx, [merchantId]);
      // No transition leads back to pending, so a change always has one of these events.
      if (input.status && input.status !== before.status && input.status !== 'pending') {
        const type = STATUS_EVENTS[input.status];
        await this.ctx.events.emit(trx, {
          type,
          aggregateType: 'merchant',
          aggregateId: merchantId,
          payload: { merchantId, from: before.status, to: input.status, by: actor.userId },
        });
      }
      return toMerchantView(m);
    });
  }

  private async insertMerchant(
    trx: Db,
    name: string,
    description: string | undefined,
    status: MerchantStatus,
    commissionRateBp?: number,
  ) {
    try {
      return await trx
        .insertInto('merchants')
        .values({
          name: name.trim(),
          description: description ?? '',
          status,
          ...(commissionRateBp !== undefined ? { commission_rate_bp: commissionRateBp } : {}),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
    } catch (err) {
      throw mapUniqueName(err);
    }
  }

  private async lockMember(trx: Db, merchantId: number, userId: number) {
    const member = await trx
      .selectFrom('merchant_members')
      .select(['role', 'created_at'])
      .where('merchant_id', '=', merchantId)
      .where('user_id', '=', userId)
      .forUpdate()
      .executeTakeFirst();
    if (!member) throw notFound('Team member');
    return member;
  }

  private async assertAnotherOwner(trx: Db, merchantId: number, userId: number): Promise<void> {
    const others = await trx
      .selectFrom('merchant_members')
      .select('user_id')
      .where('merchant_id', '=', merchantId)
      .where('role', '=', 'merchant_owner')
      .where('user_id', '!=', userId)
      .execute();
    if (others.length === 0) throw conflict('LAST_OWNER', 'A merchant must keep at least one owner');
  }
}

function mapUniqueName(err: unknown): unknown {
  const code = (err as { code?: string } | null)?.code;
  if (code === '23505') return conflict('MERCHANT_NAME_TAKEN', 'A merchant with this name already exists');
  return err;
}

export function toMerchantView(m: {
  id: number;
  name: string;
  description: string;
  logo_url: string | null;
  status: MerchantStatus;
  commission_rate_bp: number;
  created_at: Date;
}): MerchantView {
  return {
    id: m.id,
    name: m.name,
    description: m.description,
    logoUrl: m.logo_url,
    status: m.status,
    commissionRateBp: m.commission_rate_bp,
    createdAt: m.created_at,
  };
}
