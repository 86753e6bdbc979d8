// Subscribe messages (订阅消息). The mini-program asks the shopper with wx.requestSubscribeMessage
// and reports the answers here; each "accept" of a one-time template is one message we may send.
// 开播提醒 goes out when a room the shopper asked to be reminded of goes live (room.reminder_due),
// 发货通知 when their order ships (order.shipped). The outbox handlers only write: they use up a
// grant and queue a wechat_messages row and a job in the delivery's transaction; the job makes the
// network call (subscribe/send), so a slow WeChat never holds a delivery.
import { sql } from 'kysely';
import type { AppContext } from '../../platform/context.ts';
import type { Db } from '../../platform/db/types.ts';
import { badRequest } from '../../platform/errors.ts';
import { transact } from '../../platform/db/transact.ts';
import { PERMANENT_SEND_ERRCODES, WechatApiError, type WechatPlatform } from './api.ts';
import type { SubscribeKind } from './tables.ts';
import './tables.ts';

export const SEND_JOB = 'wechat.subscribe.send';
/** WeChat keeps one-time grants without a published cap; we keep at most this many per template. */
const MAX_GRANTS = 50;
export const SUBSCRIBE_RESULTS = ['accept', 'reject', 'ban', 'filter'] as const;
export type SubscribeResult = (typeof SUBSCRIBE_RESULTS)[number];

export class SubscriptionService {
  constructor(
    private readonly ctx: AppContext,
    private readonly api: () => WechatPlatform,
  ) {}

  templates(): Array<{ kind: SubscribeKind; templateId: string }> {
    const t = this.ctx.config.wechat.templates;
    return (['liveStart', 'orderShipped'] as const).flatMap((kind) =>
      t[kind] ? [{ kind, templateId: t[kind]! }] : [],
    );
  }

  private kindOf(templateId: string): SubscribeKind | undefined {
    return this.templates().find((t) => t.templateId === templateId)?.kind;
  }

  async grants(userId: number, db: Db = this.ctx.db) {
    const rows = await db
      .selectFrom('wechat_subscriptions')
      .select(['template_id', 'remaining'])
      .where('user_id', '=', userId)
      .execute();
    const have = new Map(rows.map((r) => [r.template_id, r.remaining]));
    return this.templates().map((t) => ({ ...t, remaining: have.get(t.templateId) ?? 0 }));
  }

  /** What wx.requestSubscribeMessage answered; with roomId, an accepted 开播提醒 also sets the room's reminder. */
  async record(userId: number, results: Record<string, string>, roomId?: number | undefined) {
    const entries = Object.entries(results);
    if (entries.length === 0) throw badRequest('WECHAT_TEMPLATE_UNKNOWN', 'No template results given');
    for (const [templateId, result] of entries) {
      if (!this.kindOf(templateId)) throw badRequest('WECHAT_TEMPLATE_UNKNOWN', 'Not a template of this deployment');
      if (!(SUBSCRIBE_RESULTS as readonly string[]).includes(result)) {
        throw badRequest('WECHAT_SUBSCRIBE_RESULT_INVALID', 'Results are accept, reject, ban or filter');
      }
    }
    const live = this.ctx.config.wechat.templates.liveStart;
    let reminded = false;
    if (roomId !== undefined && live && results[live] === 'accept') {
      await this.ctx.services.live.remind(userId, roomId, true); // 409 ROOM_NOT_UPCOMING before any grant
      reminded = true;
    }
    await transact(this.ctx.db, async (trx) => {
      for (const [templateId, result] of entries) {
        const add = result === 'accept' ? 1 : 0;
        await trx
          .insertInto('wechat_subscriptions')
          .values({ user_id: userId, template_id: templateId, remaining: add, last_result: result })
          .onConflict((oc) =>
            oc.columns(['user_id', 'template_id']).doUpdateSet({
              // "ban": the shopper turned this template off in WeChat's settings; nothing is sent until they accept again.
              remaining:
                result === 'ban'
                  ? sql<number>`0`
                  : sql<number>`least(wechat_subscriptions.remaining + ${add}, ${MAX_GRANTS})`,
              last_result: result,
              updated_at: sql`now()`,
            }),
          )
          .execute();
      }
    });
    return { grants: await this.grants(userId), reminded };
  }

  /**
   * In an outbox delivery's transaction: use one grant of each user who has one and queue their
   * message and its job. Users without a grant get nothing (WeChat would refuse: 43101).
   */
  async queue(
    db: Db,
    kind: SubscribeKind,
    ref: string,
    userIds: readonly number[],
    params: Record<string, string | number>,
  ) {
    const templateId = this.ctx.config.wechat.templates[kind];
    if (!templateId || userIds.length === 0) return 0;
    const used = await db
      .updateTable('wechat_subscriptions')
      .set({ remaining: sql`remaining - 1`, updated_at: sql`now()` })
      .where('template_id', '=', templateId)
      .where('user_id', 'in', [...new Set(userIds)])
      .where('remaining', '>', 0)
      .returning('user_id')
      .execute();
    for (const { user_id } of used) {
      const row = await db
        .insertInto('wechat_messages')
        .values({ user_id, kind, template_id: templateId, ref, params: JSON.stringify(params) })
        .onConflict((oc) => oc.columns(['kind', 'ref', 'user_id']).doNothing())
        .returning('id')
        .executeTakeFirst();
      if (row) await this.ctx.jobs.schedule(db, { type: SEND_JOB, payload: { messageId: row.id }, maxAttempts: 8 });
    }
    return used.length;
  }

  /** The job: build the template data and call subscribe/send. */
  async send(messageId: number): Promise<void> {
    const db = this.ctx.db;
    const m = await db.selectFrom('wechat_messages').selectAll().where('id', '=', messageId).executeTakeFirst();
    if (m?.status !== 'queued') return;
    const openid = (await this.ctx.services.directory.wechatOpenids([m.user_id])).get(m.user_id);
    const finish = (status: 'sent' | 'dropped', errcode: number | null) =>
      db
        .updateTable('wechat_messages')
        .set({ status, errcode, sent_at: status === 'sent' ? sql`now()` : null })
        .where('id', '=', m.id)
        .execute();
    if (!openid) {
      await finish('dropped', null);
      return;
    }
    const cfg = this.ctx.config.wechat;
    const values = await this.values(m.kind, m.user_id, m.params);
    const page = cfg.pages[m.kind].replace(/\{(\w+)\}/g, (_, k: string) => encodeURIComponent(String(values[k] ?? '')));
    try {
      await this.api().sendSubscribe({
        touser: openid,
        template_id: m.template_id,
        page,
        data: templateData(cfg.fields[m.kind], values),
        miniprogram_state: cfg.miniprogramState,
        lang: 'zh_CN',
      });
      await finish('sent', null);
    } catch (err) {
      if (err instanceof WechatApiError && PERMANENT_SEND_ERRCODES.has(err.errcode)) {
        this.ctx.log.info({ messageId, errcode: err.errcode }, 'subscribe message dropped by WeChat');
        await finish('dropped', err.errcode);
        return;
      }
      throw err; // the job retries with backoff
    }
  }

  private async values(kind: SubscribeKind, userId: number, params: Record<string, string | number>) {
    const out: Record<string, string | number> = { ...params };
    const merchantId = Number(params.merchantId);
    out.shop = (await this.ctx.services.directory.merchantBrief(merchantId))?.name ?? '';
    if (kind === 'orderShipped') {
      const order = await this.ctx.services.orderQueries.detail(Number(params.orderId), { userId });
      out.orderNo = order.orderNo;
      const shipments = await this.ctx.services.shipping.shipmentsOf(this.ctx.db, Number(params.orderId));
      out.carrier = shipments.at(-1)?.carrier ?? '';
      out.trackingNo = shipments.at(-1)?.trackingNo ?? '';
    }
    return out;
  }
}

/** "thing1=title,time2=time" → WeChat's data object, each value cut to its field type's limit. */
export function templateData(
  fields: string,
  values: Record<string, string | number>,
): Record<string, { value: string }> {
  const data: Record<string, { value: string }> = {};
  for (const pair of fields.split(',')) {
    const [field, source] = pair.split('=').map((s) => s.trim());
    if (!field || !source) continue;
    const raw = values[source];
    let value = raw === undefined ? '' : String(raw);
    if (field.startsWith('time') || field.startsWith('date')) value = chinaTime(value);
    const limit = field.startsWith('thing')
      ? 20
      : field.startsWith('character_string')
        ? 32
        : field.startsWith('phrase')
          ? 5
          : field.startsWith('name')
            ? 10
            : 32;
    data[field] = { value: [...value].slice(0, limit).join('') };
  }
  return data;
}

/** "2026-12-01 18:30" in China time, as WeChat's time fields take it. */
function chinaTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).formatToParts(d);
  const p = (t: string) => parts.find((x) => x.type === t)?.value ?? '';
  return `${p('year')}-${p('month')}-${p('day')} ${p('hour')}:${p('minute')}`;
}
