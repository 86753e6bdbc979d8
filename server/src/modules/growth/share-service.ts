// Share tokens: a shopper (signed in, or an anonymous viewer known by the shop's visitor key) shares a
// room, product, group-buy, bargain, poster, promoter link or invitation. The token is random (it
// names the share row, which names the sharer and the target); sharing the same thing again reuses
// it. A share carries its parent: the share through which the sharer themself last arrived in the
// shop, which is what the spread tree is made of.
import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { Actor } from '../../platform/auth/access.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Db } from '../../platform/db/types.ts';
import { transact } from '../../platform/db/transact.ts';
import { badRequest, notFound } from '../../platform/errors.ts';
import type { ShareTargetKind } from './events.ts';
import type { TouchService } from './touch-service.ts';
import { visitorOf } from './visitors.ts';
import './tables.ts';

export interface ShareView {
  id: number;
  token: string;
  url: string;
  merchantId: number;
  sharerUserId: number | null;
  targetKind: ShareTargetKind;
  targetId: number;
  parentShareId: number | null;
  depth: number;
  timesShared: number;
  createdAt: Date;
}

type ShareRow = {
  id: number;
  token: string;
  merchant_id: number;
  sharer_key: string;
  sharer_user_id: number | null;
  target_kind: ShareTargetKind;
  target_id: number;
  parent_share_id: number | null;
  depth: number;
  times_shared: number;
  created_at: Date;
};

const PATHS: Record<ShareTargetKind, (id: number) => string> = {
  room: (id) => `/room/${id}`,
  product: (id) => `/product/${id}`,
  group_buy: (id) => `/group/${id}`,
  bargain: (id) => `/bargain/${id}`,
  poster: () => '/',
  promoter: () => '/',
  invite: () => '/',
};
const shareNotFound = () => notFound('Share', 'SHARE_NOT_FOUND');

export class ShareService {
  constructor(
    private readonly ctx: AppContext,
    private readonly touches: TouchService,
  ) {}

  /** The shop page the share opens, with the token as `?share=` (what posters put in their QR code too). */
  urlOf(kind: ShareTargetKind, targetId: number, token: string): string {
    const url = new URL(`${this.ctx.config.publicUrl}/shop${PATHS[kind](targetId)}`);
    url.searchParams.set('share', token);
    return url.toString();
  }

  view(r: ShareRow): ShareView {
    return {
      id: r.id,
      token: r.token,
      url: this.urlOf(r.target_kind, r.target_id, r.token),
      merchantId: r.merchant_id,
      sharerUserId: r.sharer_user_id,
      targetKind: r.target_kind,
      targetId: r.target_id,
      parentShareId: r.parent_share_id,
      depth: r.depth,
      timesShared: r.times_shared,
      createdAt: new Date(r.created_at),
    };
  }

  /**
   * Create (or reuse) the caller's share of a target. An anonymous caller is the visitor key; a
   * signed-in caller who also sends their visitor key has that device's earlier touches linked first,
   * so the parent share is found wherever they arrived from.
   */
  async create(
    actor: Actor | null,
    input: { targetKind: ShareTargetKind; targetId: number; merchantId?: number | undefined; visitorKey?: string },
  ): Promise<ShareView> {
    const visitor = visitorOf(actor, input.visitorKey);
    if (actor && input.visitorKey) await this.touches.link(input.visitorKey, actor.userId);
    const merchantId = await this.ownerOf(actor, input);
    const row = await transact(this.ctx.db, async (trx) => {
      const again = await trx
        .updateTable('growth_shares')
        .set((eb) => ({ times_shared: eb('times_shared', '+', 1), last_shared_at: sql<Date>`now()` }))
        .where('merchant_id', '=', merchantId)
        .where('sharer_key', '=', visitor.key)
        .where('target_kind', '=', input.targetKind)
        .where('target_id', '=', input.targetId)
        .returningAll()
        .executeTakeFirst();
      if (again) return again;
      const parent = await this.touches.lastShareOf(trx, merchantId, visitor);
      return trx
        .insertInto('growth_shares')
        .values({
          token: crypto.randomBytes(12).toString('base64url'),
          merchant_id: merchantId,
          sharer_key: visitor.key,
          sharer_user_id: visitor.userId,
          target_kind: input.targetKind,
          target_id: input.targetId,
          parent_share_id: parent?.id ?? null,
          depth: parent ? parent.depth + 1 : 0,
        })
        .onConflict((oc) =>
          oc
            .columns(['merchant_id', 'sharer_key', 'target_kind', 'target_id'])
            .doUpdateSet((eb) => ({ times_shared: eb('growth_shares.times_shared', '+', 1) })),
        )
        .returningAll()
        .executeTakeFirstOrThrow();
    });
    return this.view(row);
  }

  /** The share a token names (404 SHARE_NOT_FOUND for an unknown one). For distribution and posters too. */
  async byToken(token: string, db: Db = this.ctx.db): Promise<ShareView> {
    const r = await db.selectFrom('growth_shares').selectAll().where('token', '=', token).executeTakeFirst();
    if (!r) throw shareNotFound();
    return this.view(r);
  }

  async rowByToken(db: Db, token: string): Promise<ShareRow> {
    const r = await db.selectFrom('growth_shares').selectAll().where('token', '=', token).executeTakeFirst();
    if (!r) throw shareNotFound();
    return r;
  }

  /** Shares by id (for other modules' views: who shared, what), unknown ids left out. */
  async byIds(ids: readonly number[], db: Db = this.ctx.db): Promise<Map<number, ShareView>> {
    if (ids.length === 0) return new Map();
    const rows = await db
      .selectFrom('growth_shares')
      .selectAll()
      .where('id', 'in', [...new Set(ids)])
      .execute();
    return new Map(rows.map((r) => [r.id, this.view(r)]));
  }

  /** My shares (signed in), newest first. */
  async mine(userId: number, merchantId?: number): Promise<ShareView[]> {
    let q = this.ctx.db
      .selectFrom('growth_shares')
      .selectAll()
      .where('sharer_user_id', '=', userId)
      .orderBy('id', 'desc')
      .limit(100);
    if (merchantId) q = q.where('merchant_id', '=', merchantId);
    return (await q.execute()).map((r) => this.view(r));
  }

  /**
   * Whether the user shared this room since `since` (the lucky bag "share the room" condition):
   * sharing again refreshes last_shared_at, so a share made before the bag counts once re-shared.
   */
  async hasSharedRoom(userId: number, roomId: number, since: Date, db: Db = this.ctx.db): Promise<boolean> {
    const r = await db
      .selectFrom('growth_shares')
      .select('id')
      .where('sharer_user_id', '=', userId)
      .where('target_kind', '=', 'room')
      .where('target_id', '=', roomId)
      .where('last_shared_at', '>=', since)
      .limit(1)
      .executeTakeFirst();
    return r !== undefined;
  }

  /** The shop a target belongs to, checked with its owner's service; shops shoppers may not see are 404s. */
  private async ownerOf(
    actor: Actor | null,
    input: { targetKind: ShareTargetKind; targetId: number; merchantId?: number | undefined },
  ): Promise<number> {
    const s = this.ctx.services;
    const { targetKind: kind, targetId: id } = input;
    let merchantId: number | undefined;
    if (kind === 'room') {
      const room = await s.roomDirectory.byId(id);
      if (!room || room.isPrivate) throw notFound('Room', 'ROOM_NOT_FOUND');
      merchantId = room.merchantId;
    } else if (kind === 'product') {
      merchantId = (await s.catalog.productBriefs([id])).get(id)?.merchantId;
      if (!merchantId) throw notFound('Product', 'PRODUCT_NOT_FOUND');
    } else if (kind === 'group_buy') {
      merchantId = (await s.groupBuys.deal((await s.groupBuys.group(id)).dealId)).merchantId;
    } else if (kind === 'bargain') {
      const productId = (await s.bargains.view(id)).productId;
      merchantId = (await s.catalog.productBriefs([productId])).get(productId)?.merchantId;
    } else {
      // A promoter link is the promoter's own; an invitation and a poster name the shop directly.
      if (kind === 'promoter' && (!actor || actor.userId !== id))
        throw badRequest('SHARE_TARGET_INVALID', 'A promoter link is shared by the promoter themself');
      if (kind === 'invite' && !actor) throw badRequest('SIGN_IN_TO_INVITE', 'Sign in to invite friends');
      merchantId = kind === 'invite' ? id : input.merchantId;
      if (!merchantId) throw badRequest('MERCHANT_REQUIRED', 'Name the shop (merchantId) for this kind of share');
    }
    if (input.merchantId !== undefined && input.merchantId !== merchantId)
      throw badRequest('SHARE_TARGET_INVALID', 'The target is not of this shop');
    if (!merchantId || !(await s.merchants.isPublic(merchantId))) throw notFound('Shop', 'MERCHANT_NOT_FOUND');
    return merchantId;
  }
}
