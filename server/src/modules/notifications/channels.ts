// Offline copies of a notice, one adapter per channel, each behind an interface with a sandbox.
// queue() runs in the notice's own transaction and only writes (a delivery row and a job); the
// network call happens in the job, so a slow SMS provider or WeChat never holds an outbox delivery.
// In-app needs no adapter: the message centre is the notifications table itself.
import { sql } from 'kysely';
import type { AppContext } from '../../platform/context.ts';
import type { Db } from '../../platform/db/types.ts';
import type { Logger } from '../../platform/logger.ts';
import type { SubscribeKind } from '../wechat/tables.ts';
import { smsText } from './kinds.ts';
import type { DeliveryChannel, NoticeKind, NoticeParams } from './tables.ts';
import './tables.ts';

export const DELIVER_JOB = 'notifications.deliver';

export interface StoredNotice {
  id: number;
  userId: number;
  kind: NoticeKind;
  topic: string;
  ref: string;
  params: NoticeParams;
  /** Wait this long before the offline copy, and send none if the shopper read the notice meanwhile. */
  offlineDelayMs?: number | undefined;
}

export interface OfflineAdapter {
  readonly channel: DeliveryChannel;
  /** In the notice's transaction: queue a copy when this channel carries the notice; true if queued. */
  queue(db: Db, notice: StoredNotice): Promise<boolean>;
}

/** A text-message provider (Aliyun SMS, Tencent Cloud SMS…); the sandbox only records. */
export interface SmsGateway {
  readonly name: string;
  send(message: { phone: string; text: string; ref: string }): Promise<void>;
}

export class SandboxSmsGateway implements SmsGateway {
  readonly name = 'sandbox';
  /** What it would have sent, newest last (bounded: the demo runs for months). */
  readonly sent: Array<{ phone: string; text: string; ref: string; at: Date }> = [];
  constructor(private readonly log: Logger) {}

  async send(message: { phone: string; text: string; ref: string }): Promise<void> {
    this.sent.push({ ...message, at: new Date() });
    if (this.sent.length > 1000) this.sent.splice(0, this.sent.length - 1000);
    const phone = `${message.phone.slice(0, 3)}****${message.phone.slice(-4)}`;
    this.log.info({ phone, ref: message.ref }, 'sandbox notification SMS (not sent)');
  }
}

export class SmsAdapter implements OfflineAdapter {
  readonly channel = 'sms' as const;
  constructor(
    private readonly ctx: AppContext,
    readonly gateway: SmsGateway,
  ) {}

  async queue(db: Db, notice: StoredNotice): Promise<boolean> {
    const row = await db
      .insertInto('notification_deliveries')
      .values({ notification_id: notice.id, channel: 'sms' })
      .onConflict((oc) => oc.columns(['notification_id', 'channel']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!row) return false;
    await this.ctx.jobs.schedule(db, {
      type: DELIVER_JOB,
      payload: { deliveryId: row.id },
      uniqueKey: `notification-delivery:${row.id}`,
      maxAttempts: 6,
      ...(notice.offlineDelayMs ? { delayMs: notice.offlineDelayMs } : {}),
    });
    return true;
  }

  /** The job: look up the phone and send; a shopper without a phone is skipped, not retried. */
  async send(deliveryId: number): Promise<void> {
    const db = this.ctx.db;
    const d = await db
      .selectFrom('notification_deliveries as d')
      .innerJoin('notifications as n', 'n.id', 'd.notification_id')
      .select(['d.id', 'd.status', 'n.user_id', 'n.topic', 'n.ref', 'n.params', 'n.read_at'])
      .where('d.id', '=', deliveryId)
      .executeTakeFirst();
    if (d?.status !== 'queued') return; // sent already: a retried job is a no-op
    const phone = (await this.ctx.services.directory.contacts([d.user_id])).get(d.user_id)?.phone;
    const finish = (status: 'sent' | 'skipped', detail: string | null) =>
      db
        .updateTable('notification_deliveries')
        .set({ status, detail, sent_at: status === 'sent' ? sql`now()` : null })
        .where('id', '=', d.id)
        .where('status', '=', 'queued')
        .execute();
    if (d.read_at) {
      await finish('skipped', 'read in the app'); // an open device showed it in the meantime
      return;
    }
    if (!phone) {
      await finish('skipped', 'no phone');
      return;
    }
    await this.gateway.send({ phone, text: smsText(d.topic, d.params), ref: d.ref });
    await finish('sent', this.gateway.name);
  }
}

/**
 * WeChat subscribe messages through the wechat module (it holds the shopper's grants and sends in
 * its own job). Only topics with a template are carried, and not the ones the wechat module already
 * sends on its own from the same event (开播提醒 on room.reminder_due, 发货通知 on order.shipped):
 * sending them here too would spend a second grant on one event.
 */
const WECHAT_TEMPLATE_OF: Partial<Record<string, SubscribeKind>> = { 'room.live': 'liveStart' };

export class WechatAdapter implements OfflineAdapter {
  readonly channel = 'wechat' as const;
  constructor(private readonly ctx: AppContext) {}

  async queue(db: Db, notice: StoredNotice): Promise<boolean> {
    const kind = WECHAT_TEMPLATE_OF[notice.topic];
    if (!kind) return false;
    const { merchantId, roomId, title } = notice.params;
    const queued = await this.ctx.services.wechat.subscriptions.queue(
      db,
      kind,
      `notification:${notice.id}`,
      [notice.userId],
      {
        merchantId: Number(merchantId ?? 0),
        roomId: Number(roomId ?? 0),
        title: String(title ?? ''),
        time: new Date().toISOString(),
      },
    );
    await db
      .insertInto('notification_deliveries')
      .values({
        notification_id: notice.id,
        channel: 'wechat',
        status: queued > 0 ? 'sent' : 'skipped',
        detail: queued > 0 ? 'queued with the wechat module' : 'no subscribe grant',
      })
      .onConflict((oc) => oc.columns(['notification_id', 'channel']).doNothing())
      .execute();
    return queued > 0;
  }
}
