// Reactions to the other modules' events. Handlers only write (notices, delivery rows, jobs) in the
// outbox delivery's transaction `db` and read other modules only through helpers that take that db:
// on PGlite (one connection) a query on ctx.db inside the delivery would wait forever. Fan-outs whose
// audience another module must compute (a shop's followers) go in a job.
import type { AppContext } from '../../platform/context.ts';
import type { Db } from '../../platform/db/types.ts';
import { lockLiveStartNotices } from './fanout.ts';
import type { NoticeInput, NotificationService } from './notification-service.ts';
import type { NoticeKind, NoticeParams } from './tables.ts';

export const ROOM_LIVE_JOB = 'notifications.room-live';

async function shopName(ctx: AppContext, db: Db, merchantId: number): Promise<string> {
  return (await ctx.services.directory.merchantBrief(merchantId, db))?.name ?? '';
}

export function subscribeHandlers(ctx: AppContext, centre: NotificationService): void {
  const orderNotice = async (
    db: Db,
    p: { orderId: number; merchantId: number; userId: number },
    kind: NoticeKind,
    topic: string,
    dedupeKey: string,
    extra: NoticeParams = {},
  ) => {
    const input: NoticeInput = {
      kind,
      topic,
      merchantId: p.merchantId,
      ref: `order:${p.orderId}`,
      params: { orderId: p.orderId, merchantId: p.merchantId, shop: await shopName(ctx, db, p.merchantId), ...extra },
      dedupeKey,
      offline: ['sms'],
    };
    await centre.notify(db, [p.userId], input);
  };

  ctx.events.subscribe({
    name: 'notifications.order-notices',
    events: ['order.paid', 'order.shipped', 'order.delivered', 'order.cancelled'],
    handle: async (e, db) => {
      const p = e.payload;
      const extra: NoticeParams = 'orderNo' in p ? { orderNo: p.orderNo } : {};
      if (e.type === 'order.paid') extra.totalFen = e.payload.totalFen;
      if (e.type === 'order.cancelled') extra.reason = e.payload.reason;
      // One notice per event: a second parcel of the same order ships with its own event.
      await orderNotice(db, p, 'order', e.type, `${e.type}:${p.orderId}:${e.id}`, extra);
    },
  });

  ctx.events.subscribe({
    name: 'notifications.aftersale-notices',
    events: ['aftersale.requested', 'order.refunded'],
    handle: async (e, db) => {
      if (e.type === 'aftersale.requested') {
        const p = e.payload;
        await centre.notify(db, [p.userId], {
          kind: 'aftersale',
          topic: e.type,
          merchantId: p.merchantId,
          ref: `aftersale:${p.aftersaleId}`,
          params: {
            aftersaleId: p.aftersaleId,
            orderId: p.orderId,
            merchantId: p.merchantId,
            amountFen: p.amountFen,
            shop: await shopName(ctx, db, p.merchantId),
          },
          dedupeKey: `${e.type}:${p.aftersaleId}`,
          offline: ['sms'],
        });
        return;
      }
      const p = e.payload;
      const extra = { amountFen: p.amountFen, full: p.full ? 1 : 0 };
      await orderNotice(db, p, 'aftersale', e.type, `${e.type}:${p.refundId}`, extra);
    },
  });

  ctx.events.subscribe({
    name: 'notifications.live-reminders',
    events: ['room.reminder_due'],
    handle: async (e, db) => {
      const p = e.payload;
      // A follower the room.live job reached first already has this start's notice (it skips the
      // reminded the same way when it runs second).
      const since = new Date(Date.now() - 30 * 60_000);
      await lockLiveStartNotices(db, p.roomId);
      const told = p.userIds.length
        ? await db
            .selectFrom('notifications')
            .select('user_id')
            .where('user_id', 'in', p.userIds)
            .where('topic', '=', 'room.live')
            .where('ref', '=', `room:${p.roomId}`)
            .where('created_at', '>=', since)
            .execute()
        : [];
      const skip = new Set(told.map((r) => r.user_id));
      await centre.notify(
        db,
        p.userIds.filter((id) => !skip.has(id)),
        {
          kind: 'live',
          topic: e.type,
          merchantId: p.merchantId,
          ref: `room:${p.roomId}`,
          params: {
            roomId: p.roomId,
            merchantId: p.merchantId,
            title: p.title,
            shop: await shopName(ctx, db, p.merchantId),
          },
          dedupeKey: `${e.type}:${e.id}`,
          // 开播提醒 over WeChat is the wechat module's own reaction to this event.
          offline: ['sms'],
        },
      );
    },
  });

  ctx.events.subscribe({
    name: 'notifications.followers',
    events: ['merchant.followed', 'room.live'],
    handle: async (e, db) => {
      if (e.type === 'merchant.followed') {
        await db
          .insertInto('notification_followers')
          .values({ merchant_id: e.payload.merchantId, user_id: e.payload.userId })
          .onConflict((oc) => oc.columns(['merchant_id', 'user_id']).doNothing())
          .execute();
        return;
      }
      const p = e.payload;
      await ctx.jobs.schedule(db, {
        type: ROOM_LIVE_JOB,
        payload: { roomId: p.roomId, merchantId: p.merchantId, sessionId: p.sessionId },
        uniqueKey: `${ROOM_LIVE_JOB}:${p.sessionId}`,
      });
    },
  });
}
