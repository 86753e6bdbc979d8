// Customer-service replies in the message centre. The support module's support.message_sent says who
// should be told but not whether they have a device open (presence lives in each node's sockets), so
// every agent reply makes a notice; the shopper's open chat reads the conversation (support.read),
// which marks its notices read. The SMS copy waits SERVICE_SMS_DELAY_MS and is skipped if the notice
// was read by then, so a shopper in the chat gets no text message, and one who is away gets one per
// run of unread replies, not one per message.
import type { AppContext } from '../../platform/context.ts';
import { sql } from 'kysely';
import type { NotificationService } from './notification-service.ts';

export const SERVICE_SMS_DELAY_MS = 60_000;

export const conversationRef = (conversationId: number) => `conversation:${conversationId}`;

export function subscribeSupportNotices(ctx: AppContext, centre: NotificationService): void {
  ctx.events.subscribe({
    name: 'notifications.support-replies',
    events: ['support.message_sent'],
    handle: async (e, db) => {
      const p = e.payload;
      // The bot answers while the shopper is in the chat; a human's reply is the one that waits on them.
      if (p.from !== 'agent') return;
      const ref = conversationRef(p.conversationId);
      const waiting = await db
        .selectFrom('notifications')
        .select('id')
        .where('user_id', '=', p.shopperUserId)
        .where('ref', '=', ref)
        .where('read_at', 'is', null)
        .limit(1)
        .executeTakeFirst();
      const shop = (await ctx.services.directory.merchantBrief(p.merchantId, db))?.name ?? '';
      await centre.notify(db, [p.shopperUserId], {
        kind: 'service',
        topic: 'support.reply',
        merchantId: p.merchantId,
        ref,
        params: {
          conversationId: p.conversationId,
          merchantId: p.merchantId,
          messageId: p.messageId,
          messageKind: p.kind,
          preview: p.preview,
          shop,
        },
        dedupeKey: `support.reply:${p.messageId}`,
        offline: waiting ? [] : ['sms'],
        offlineDelayMs: SERVICE_SMS_DELAY_MS,
      });
    },
  });

  ctx.events.subscribe({
    name: 'notifications.support-read',
    events: ['support.read'],
    handle: async (e, db) => {
      const p = e.payload;
      if (p.reader !== 'shopper') return;
      await db
        .updateTable('notifications')
        .set({ read_at: sql`now()` })
        .where('user_id', '=', p.readerUserId)
        .where('ref', '=', conversationRef(p.conversationId))
        .where('read_at', 'is', null)
        .execute();
    },
  });
}
