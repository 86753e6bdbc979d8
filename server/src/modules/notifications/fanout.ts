// Notices to a shop's followers: "the shop you follow is live" and the shop's marketing messages.
// The audience is our follow log (merchant.followed) filtered through social.followersAmong, which
// drops those who unfollowed since. Jobs, not outbox handlers: the social service reads on its own
// connection. Each chunk commits on its own, and dedupe keys make a retried job skip what it wrote.
import { sql } from 'kysely';
import type { AppContext } from '../../platform/context.ts';
import type { Db } from '../../platform/db/types.ts';
import { transact } from '../../platform/db/transact.ts';
import { notFound } from '../../platform/errors.ts';
import type { Actor } from '../../platform/auth/access.ts';
import type { NoticeInput, NotificationService } from './notification-service.ts';

export const CAMPAIGN_JOB = 'notifications.campaign';
const CHUNK = 500;

export class FollowerFanout {
  constructor(
    private readonly ctx: AppContext,
    private readonly centre: NotificationService,
  ) {}

  /** Every current follower of the shop, in chunks. */
  private async *followers(merchantId: number): AsyncGenerator<number[]> {
    let after = 0;
    for (;;) {
      const rows = await this.ctx.db
        .selectFrom('notification_followers')
        .select('user_id')
        .where('merchant_id', '=', merchantId)
        .where('user_id', '>', after)
        .orderBy('user_id')
        .limit(CHUNK)
        .execute();
      if (rows.length === 0) return;
      after = rows.at(-1)!.user_id;
      const ids = await this.ctx.services.social.followersAmong(
        merchantId,
        rows.map((r) => r.user_id),
      );
      if (ids.length) yield ids;
    }
  }

  private async send(
    merchantId: number,
    input: NoticeInput,
    skip?: { lock: (db: Db) => Promise<void>; told: (db: Db, ids: number[]) => Promise<Set<number>> },
  ) {
    let sent = 0;
    for await (const chunk of this.followers(merchantId)) {
      const notified = await transact(this.ctx.db, async (trx) => {
        // Who to skip is decided under the lock the other sender takes too, so of two at once, the
        // second sees what the first wrote.
        await skip?.lock(trx);
        const skipped = skip ? await skip.told(trx, chunk) : new Set<number>();
        return this.centre.notify(
          trx,
          chunk.filter((id) => !skipped.has(id)),
          input,
        );
      });
      sent += notified.length;
    }
    return sent;
  }

  async roomLive(p: { roomId: number; merchantId: number; sessionId: number }) {
    const room = await this.ctx.services.roomDirectory.byId(p.roomId);
    if (room?.status !== 'live' || room.isPrivate) return; // over already, or not for the public
    const shop = (await this.ctx.services.directory.merchantBrief(p.merchantId))?.name ?? '';
    const since = new Date(Date.now() - 30 * 60_000);
    // Those reminded of this start (room.reminder_due) have their notice already, when that handler
    // ran first; when it runs second it skips those this job reached.
    const reminded = async (db: Db, ids: number[]) => {
      const rows = await db
        .selectFrom('notifications')
        .select('user_id')
        .where('user_id', 'in', ids)
        .where('topic', '=', 'room.reminder_due')
        .where('ref', '=', `room:${p.roomId}`)
        .where('created_at', '>=', since)
        .execute();
      return new Set(rows.map((r) => r.user_id));
    };
    await this.send(
      p.merchantId,
      {
        kind: 'live',
        topic: 'room.live',
        merchantId: p.merchantId,
        ref: `room:${p.roomId}`,
        params: { roomId: p.roomId, merchantId: p.merchantId, title: room.title, shop },
        dedupeKey: `room.live:${p.sessionId}`,
        offline: ['wechat', 'sms'],
      },
      { lock: (db) => lockLiveStartNotices(db, p.roomId), told: reminded },
    );
  }

  /** A shop's marketing message: kept, then sent by a job to followers who agreed to marketing. */
  async createCampaign(
    actor: Actor,
    merchantId: number,
    body: { title: string; body: string; productId?: number | undefined },
  ) {
    await this.ctx.services.merchants.requireRole(actor, merchantId, ['merchant_owner', 'merchant_staff']);
    if (body.productId !== undefined)
      await this.ctx.services.catalog.requireOwnProducts(this.ctx.db, merchantId, [body.productId]);
    return transact(this.ctx.db, async (trx) => {
      const row = await trx
        .insertInto('notification_campaigns')
        .values({
          merchant_id: merchantId,
          title: body.title,
          body: body.body,
          product_id: body.productId ?? null,
          created_by: actor.userId,
        })
        .returning(['id', 'title', 'body', 'product_id', 'recipients', 'created_at'])
        .executeTakeFirstOrThrow();
      await this.ctx.jobs.schedule(trx, {
        type: CAMPAIGN_JOB,
        payload: { campaignId: row.id },
        uniqueKey: `${CAMPAIGN_JOB}:${row.id}`,
      });
      return campaignOut(row);
    });
  }

  async campaigns(actor: Actor, merchantId: number) {
    await this.ctx.services.merchants.requireRole(actor, merchantId, ['merchant_owner', 'merchant_staff']);
    const rows = await this.ctx.db
      .selectFrom('notification_campaigns')
      .select(['id', 'title', 'body', 'product_id', 'recipients', 'created_at'])
      .where('merchant_id', '=', merchantId)
      .orderBy('id', 'desc')
      .limit(100)
      .execute();
    return rows.map(campaignOut);
  }

  async runCampaign(campaignId: number) {
    const c = await this.ctx.db
      .selectFrom('notification_campaigns')
      .selectAll()
      .where('id', '=', campaignId)
      .executeTakeFirst();
    if (!c) throw notFound('Campaign');
    if (c.recipients !== null) return;
    const shop = (await this.ctx.services.directory.merchantBrief(c.merchant_id))?.name ?? '';
    await this.send(c.merchant_id, {
      kind: 'marketing',
      topic: 'marketing.campaign',
      merchantId: c.merchant_id,
      ref: c.product_id ? `product:${c.product_id}` : `campaign:${c.id}`,
      params: {
        campaignId: c.id,
        merchantId: c.merchant_id,
        shop,
        title: c.title,
        body: c.body,
        productId: c.product_id,
      },
      dedupeKey: `campaign:${c.id}`,
      offline: ['sms'],
    });
    // Counted from the notices themselves: a run retried after a crash wrote part of them before.
    const sent = await this.ctx.db
      .selectFrom('notifications')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('dedupe_key', '=', `campaign:${c.id}`)
      .executeTakeFirstOrThrow();
    await this.ctx.db
      .updateTable('notification_campaigns')
      .set({ recipients: Number(sent.n) })
      .where('id', '=', c.id)
      .where('recipients', 'is', null)
      .execute();
  }
}

function campaignOut(r: {
  id: number;
  title: string;
  body: string;
  product_id: number | null;
  recipients: number | null;
  created_at: Date;
}) {
  return {
    id: r.id,
    title: r.title,
    body: r.body,
    productId: r.product_id,
    recipients: r.recipients,
    createdAt: r.created_at,
  };
}

/**
 * The room.live fan-out and a room.reminder_due each skip whom the other told. Both take this lock
 * before looking, so when they run at the same moment one waits for the other's notices.
 */
export async function lockLiveStartNotices(db: Db, roomId: number): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`notifications:live-start:${roomId}`}, 0))`.execute(db);
}
