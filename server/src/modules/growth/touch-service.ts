// Touches through shares: visits and room entries (POST /api/shares/:token/visits), sign-ups (a new
// account whose device arrived through a share before registering), and the linking of an anonymous
// visitor's touches to the user at sign-in. First and last touch are kept per (shop, visitor); the
// sharer opening their own link is not a touch. Known users' touches are told as share.touched.
import { sql } from 'kysely';
import type { Actor } from '../../platform/auth/access.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Db } from '../../platform/db/types.ts';
import { transact } from '../../platform/db/transact.ts';
import { notFound } from '../../platform/errors.ts';
import type { ShareTargetKind, TouchKind } from './events.ts';
import { lockUser, registered, signups } from './signups.ts';
import { deviceVisitor, userVisitor, type Visitor, visitorOf } from './visitors.ts';
import './tables.ts';

export interface ShareFacts {
  id: number;
  merchant_id: number;
  sharer_key: string;
  sharer_user_id: number | null;
  target_kind: ShareTargetKind;
  target_id: number;
  depth: number;
}
export interface TouchResult {
  recorded: boolean;
  /** The sharer opened their own link: nothing is recorded. */
  self: boolean;
  shareId: number;
  kind: TouchKind;
}

const FACTS = [
  'id',
  'merchant_id',
  'sharer_key',
  'sharer_user_id',
  'target_kind',
  'target_id',
  'depth',
] as const satisfies ReadonlyArray<keyof ShareFacts>;

export class TouchService {
  constructor(private readonly ctx: AppContext) {}

  /** A visit through a share; with roomId, the visitor entered that room of the shop (a room entry). */
  async visit(
    actor: Actor | null,
    token: string,
    input: { visitorKey?: string | undefined; roomId?: number | undefined },
  ): Promise<TouchResult> {
    const visitor = visitorOf(actor, input.visitorKey);
    if (actor && input.visitorKey) await this.link(input.visitorKey, actor.userId);
    const share = await this.ctx.db
      .selectFrom('growth_shares')
      .select(FACTS)
      .where('token', '=', token)
      .executeTakeFirst();
    if (!share) throw notFound('Share', 'SHARE_NOT_FOUND');
    if (input.roomId !== undefined) {
      const room = await this.ctx.services.roomDirectory.byId(input.roomId);
      if (!room || room.merchantId !== share.merchant_id) throw notFound('Room', 'ROOM_NOT_FOUND');
    }
    const kind: TouchKind = input.roomId !== undefined ? 'room_entry' : 'visit';
    return transact(this.ctx.db, (trx) => this.record(trx, share, visitor, kind, input.roomId ?? null, new Date()));
  }

  private isSelf(share: ShareFacts, visitor: Visitor): boolean {
    return visitor.key === share.sharer_key || (visitor.userId !== null && visitor.userId === share.sharer_user_id);
  }

  /** Record one touch (growth-internal: visits, linking and sign-ups go through here). */
  async record(
    trx: Db,
    share: ShareFacts,
    visitor: Visitor,
    kind: TouchKind,
    roomId: number | null,
    at: Date,
  ): Promise<TouchResult> {
    const result = { recorded: false, self: false, shareId: share.id, kind };
    if (this.isSelf(share, visitor)) return { ...result, self: true };
    const values = {
      merchant_id: share.merchant_id,
      share_id: share.id,
      visitor_key: visitor.key,
      visitor_user_id: visitor.userId,
      kind,
      room_id: roomId,
      first_at: at,
      last_at: at,
    };
    const written =
      kind === 'signup'
        ? // One sign-up per user and shop: a second one is simply not a touch.
          await trx
            .insertInto('growth_touches')
            .values(values)
            .onConflict((oc) => oc.doNothing())
            .executeTakeFirst()
        : await trx
            .insertInto('growth_touches')
            .values(values)
            .onConflict((oc) =>
              oc.columns(['share_id', 'visitor_key', 'kind']).doUpdateSet((eb) => ({
                hits: eb('growth_touches.hits', '+', 1),
                last_at: at,
              })),
            )
            .executeTakeFirst();
    if (Number(written.numInsertedOrUpdatedRows ?? 0) === 0) return result;
    await this.remember(trx, share.merchant_id, visitor.key, share.id, at);
    if (visitor.userId !== null) await this.tell(trx, share, visitor.userId, kind, at);
    return { ...result, recorded: true };
  }

  private async tell(trx: Db, share: ShareFacts, visitorUserId: number, touch: TouchKind, at: Date): Promise<void> {
    await this.ctx.events.emit(trx, {
      type: 'share.touched',
      aggregateType: 'share',
      aggregateId: share.id,
      payload: {
        merchantId: share.merchant_id,
        shareId: share.id,
        sharerUserId: share.sharer_user_id,
        visitorUserId,
        touch,
        targetKind: share.target_kind,
        targetId: share.target_id,
        occurredAt: at.toISOString(),
      },
    });
  }

  /** Fold one touch into the visitor's first and last touch in the shop (order-independent). */
  private async remember(trx: Db, merchantId: number, visitorKey: string, shareId: number, at: Date): Promise<void> {
    await trx
      .insertInto('growth_visitor_touches')
      .values({
        merchant_id: merchantId,
        visitor_key: visitorKey,
        first_share_id: shareId,
        first_at: at,
        last_share_id: shareId,
        last_at: at,
      })
      .onConflict((oc) =>
        oc.columns(['merchant_id', 'visitor_key']).doUpdateSet({
          first_share_id: sql`case when excluded.first_at < growth_visitor_touches.first_at
            then excluded.first_share_id else growth_visitor_touches.first_share_id end`,
          first_at: sql`least(excluded.first_at, growth_visitor_touches.first_at)`,
          last_share_id: sql`case when excluded.last_at >= growth_visitor_touches.last_at
            then excluded.last_share_id else growth_visitor_touches.last_share_id end`,
          last_at: sql`greatest(excluded.last_at, growth_visitor_touches.last_at)`,
        }),
      )
      .execute();
  }

  /** The share the visitor last arrived through in the shop (the parent of a share they make). */
  async lastShareOf(db: Db, merchantId: number, visitor: Visitor): Promise<{ id: number; depth: number } | undefined> {
    return db
      .selectFrom('growth_visitor_touches as v')
      .innerJoin('growth_shares as s', 's.id', 'v.last_share_id')
      .select(['s.id', 's.depth'])
      .where('v.merchant_id', '=', merchantId)
      .where('v.visitor_key', '=', visitor.key)
      .executeTakeFirst();
  }

  /**
   * Sign-in: the device's anonymous touches (and shares) become the user's, its first/last touches
   * merge into the user's, each linked touch is told, and a new account gets its sign-up touches.
   * Serialised per device so that two sign-ins at once link once. Returns how many touches moved.
   */
  async link(visitorKey: string, userId: number): Promise<number> {
    const device = deviceVisitor(visitorKey);
    const user = userVisitor(userId);
    return transact(this.ctx.db, async (trx) => {
      // The user first, then the device (always this order): see signups.ts lockUser.
      await lockUser(trx, userId);
      await sql`select pg_advisory_xact_lock(hashtextextended(${`growth:link:${device.key}`}, 0))`.execute(trx);
      await trx
        .updateTable('growth_shares')
        .set({ sharer_user_id: userId })
        .where('sharer_key', '=', device.key)
        .where('sharer_user_id', 'is', null)
        .execute();
      const moved = await trx
        .updateTable('growth_touches')
        .set({ visitor_user_id: userId })
        .where('visitor_key', '=', device.key)
        .where('visitor_user_id', 'is', null)
        .returning(['share_id', 'kind', 'first_at'])
        .execute();
      if (moved.length === 0) return 0;
      const heads = await trx
        .deleteFrom('growth_visitor_touches')
        .where('visitor_key', '=', device.key)
        .returningAll()
        .execute();
      for (const h of heads) {
        await this.remember(trx, h.merchant_id, user.key, h.first_share_id, new Date(h.first_at));
        await this.remember(trx, h.merchant_id, user.key, h.last_share_id, new Date(h.last_at));
      }
      const shares = await this.facts(
        trx,
        moved.map((m) => m.share_id),
      );
      for (const m of moved) {
        const share = shares.get(m.share_id)!;
        if (share.sharer_user_id !== userId) await this.tell(trx, share, userId, m.kind, new Date(m.first_at));
      }
      await signups(trx, this, userId);
      return moved.length;
    });
  }

  async facts(db: Db, ids: number[]): Promise<Map<number, ShareFacts>> {
    const rows = await db
      .selectFrom('growth_shares')
      .select(FACTS)
      .where('id', 'in', [...new Set(ids)])
      .execute();
    return new Map(rows.map((r) => [r.id, r]));
  }

  /** identity's user.registered, kept so a sign-up through a share can be told from an old account. */
  registered(db: Db, userId: number, at: Date): Promise<void> {
    return registered(db, this, userId, at);
  }
}
