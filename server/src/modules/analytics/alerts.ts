// Alert rules on live rooms ("online dropped 10% within a minute", "conversion below 2%"): checked
// on every analytics tick, fired at most once per cool-down per rule and room, shown in the console
// and posted to the rule's webhook by a job the outbox books (retried until the receiver says 2xx).
import { sql } from 'kysely';
import type { AppContext } from '../../platform/context.ts';
import type { Db } from '../../platform/db/types.ts';
import { badRequest, notFound } from '../../platform/errors.ts';
import { inTransaction } from './lock.ts';
import type { RoomSummary } from './room-metrics.ts';
import type { AlertMetric } from './tables.ts';
import type { Lookup } from '../../platform/http/outbound.ts';
import type { DomainEvents } from '../../platform/events/catalogue.ts';
import { deliverWebhook, newWebhookSecret, signWebhook, webhookProblem } from './webhook.ts';

export interface AlertRuleInput {
  name: string;
  metric: AlertMetric;
  threshold: number;
  roomId?: number | null | undefined;
  minVisitors?: number | undefined;
  cooldownSec?: number | undefined;
  webhookUrl?: string | null | undefined;
}
export interface FiredAlert {
  id: number;
  ruleId: number;
  merchantId: number;
  roomId: number;
  metric: AlertMetric;
  value: number;
  threshold: number;
  message: string;
  firedAt: Date;
}
export interface RoomState {
  roomId: number;
  merchantId: number;
  title: string;
  online: number;
  summary: RoomSummary;
}

const WEBHOOK_TIMEOUT_MS = 5000;

export class AlertService {
  /** Name resolution for webhook targets (tests play a rebinding DNS server with it). */
  webhookLookup: Lookup | undefined;

  constructor(private readonly ctx: AppContext) {}

  private webhookPolicy() {
    return {
      allowPrivate: this.ctx.config.analytics.webhookAllowPrivate,
      lookup: this.webhookLookup,
      timeoutMs: WEBHOOK_TIMEOUT_MS,
    };
  }

  async createRule(merchantId: number, input: AlertRuleInput) {
    // The route guard lets a platform admin name any shop id: one that does not exist is a 404,
    // not a foreign-key failure (a 500) at the insert.
    await this.ctx.services.merchants.statusOf(merchantId);
    if (input.webhookUrl) {
      const problem = await webhookProblem(input.webhookUrl, this.webhookPolicy());
      if (problem) throw badRequest('BAD_WEBHOOK_URL', `The webhook cannot be used: ${problem}`);
    }
    if (input.roomId) await this.ctx.services.live.requireOwnRoom(this.ctx.db, merchantId, input.roomId);
    const row = await this.ctx.db
      .insertInto('analytics_alert_rules')
      .values({
        merchant_id: merchantId,
        name: input.name,
        metric: input.metric,
        threshold: input.threshold,
        room_id: input.roomId ?? null,
        min_visitors: input.minVisitors ?? 20,
        cooldown_sec: input.cooldownSec ?? 300,
        webhook_url: input.webhookUrl ?? null,
        webhook_secret: input.webhookUrl ? newWebhookSecret() : null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    // The signing secret is shown this once; receivers verify X-LiveMall-Signature with it.
    return { ...toRule(row), webhookSecret: row.webhook_secret };
  }

  async rules(merchantId: number) {
    return (
      await this.ctx.db
        .selectFrom('analytics_alert_rules')
        .selectAll()
        .where('merchant_id', '=', merchantId)
        .orderBy('id')
        .execute()
    ).map(toRule);
  }

  async deleteRule(merchantId: number, ruleId: number): Promise<void> {
    const r = await this.ctx.db
      .deleteFrom('analytics_alert_rules')
      .where('id', '=', ruleId)
      .where('merchant_id', '=', merchantId)
      .executeTakeFirst();
    if (Number(r.numDeletedRows) === 0) throw notFound('Alert rule', 'ALERT_RULE_NOT_FOUND');
  }

  async alerts(merchantId: number, opts: { roomId?: number | undefined; limit?: number | undefined }) {
    if (opts.roomId) await this.ctx.services.live.requireOwnRoom(this.ctx.db, merchantId, opts.roomId);
    let q = this.ctx.db
      .selectFrom('analytics_alerts as a')
      .innerJoin('analytics_alert_rules as r', 'r.id', 'a.rule_id')
      .select([
        'a.id',
        'a.rule_id',
        'a.room_id',
        'a.value',
        'a.message',
        'a.fired_at',
        'a.acknowledged_at',
        'r.name',
        'r.metric',
        'r.threshold',
      ])
      .where('a.merchant_id', '=', merchantId);
    if (opts.roomId) q = q.where('a.room_id', '=', opts.roomId);
    const rows = await q
      .orderBy('a.fired_at', 'desc')
      .orderBy('a.id', 'desc')
      .limit(opts.limit ?? 100)
      .execute();
    return rows.map((r) => ({
      id: r.id,
      ruleId: r.rule_id,
      ruleName: r.name,
      metric: r.metric,
      roomId: r.room_id,
      value: Number(r.value),
      threshold: Number(r.threshold),
      message: r.message,
      firedAt: r.fired_at,
      acknowledgedAt: r.acknowledged_at,
    }));
  }

  async acknowledge(merchantId: number, alertId: number): Promise<void> {
    const r = await this.ctx.db
      .updateTable('analytics_alerts')
      .set({ acknowledged_at: sql`coalesce(acknowledged_at, now())` })
      .where('id', '=', alertId)
      .where('merchant_id', '=', merchantId)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) throw notFound('Alert', 'ALERT_NOT_FOUND');
  }

  /** Check every enabled rule that covers this room; returns the alerts that fired now. */
  async evaluate(db: Db, room: RoomState, now: Date): Promise<FiredAlert[]> {
    const rules = await db
      .selectFrom('analytics_alert_rules')
      .selectAll()
      .where('merchant_id', '=', room.merchantId)
      .where('enabled', '=', true)
      .where((eb) => eb.or([eb('room_id', 'is', null), eb('room_id', '=', room.roomId)]))
      .execute();
    const fired: FiredAlert[] = [];
    for (const rule of rules) {
      const check = await this.measure(db, rule.metric, Number(rule.threshold), rule.min_visitors, room, now);
      if (!check) continue;
      const alert = await this.fire(db, rule, room, check, now);
      if (alert) fired.push(alert);
    }
    return fired;
  }

  /** The rule's current value, and whether it breaches (null when there is too little data to judge). */
  private async measure(
    db: Db,
    metric: AlertMetric,
    threshold: number,
    minVisitors: number,
    room: RoomState,
    now: Date,
  ): Promise<{ value: number; message: string } | null> {
    const s = room.summary;
    switch (metric) {
      case 'online_drop_pct': {
        const before = await db
          .selectFrom('analytics_online_samples')
          .select('online')
          .where('room_id', '=', room.roomId)
          .where('at', '<=', new Date(now.getTime() - 60_000))
          .where('at', '>=', new Date(now.getTime() - 120_000))
          .orderBy('at', 'desc')
          .limit(1)
          .executeTakeFirst();
        if (!before || before.online < Math.max(1, minVisitors)) return null;
        const drop = Math.round(((before.online - room.online) / before.online) * 1000) / 10;
        return drop >= threshold
          ? {
              value: drop,
              message: `在线人数一分钟内下降 ${drop}%（${before.online} → ${room.online}）Online dropped ${drop}% within a minute`,
            }
          : null;
      }
      case 'online_below':
        return room.online < threshold
          ? { value: room.online, message: `在线人数 ${room.online} 低于 ${threshold} Online below ${threshold}` }
          : null;
      case 'conversion_below': {
        if (s.viewers < minVisitors) return null;
        const pct = Math.round(s.conversionRate * 10_000) / 100;
        return pct < threshold
          ? { value: pct, message: `转化率 ${pct}% 低于 ${threshold}% Conversion below ${threshold}%` }
          : null;
      }
      case 'gpm_below':
        if (s.views < minVisitors) return null;
        return s.gpmFen < threshold
          ? {
              value: s.gpmFen,
              message: `GPM ¥${(s.gpmFen / 100).toFixed(2)} 低于 ¥${(threshold / 100).toFixed(2)} GPM below target`,
            }
          : null;
    }
  }

  /** At most one alert per rule and room per cool-down, even with two nodes ticking (row lock). */
  private async fire(
    db: Db,
    rule: {
      id: number;
      metric: AlertMetric;
      threshold: number | string;
      cooldown_sec: number;
      webhook_url: string | null;
      name: string;
    },
    room: RoomState,
    check: { value: number; message: string },
    now: Date,
  ): Promise<FiredAlert | null> {
    return inTransaction(db, async (trx) => {
      await trx
        .selectFrom('analytics_alert_rules')
        .select('id')
        .where('id', '=', rule.id)
        .forUpdate()
        .executeTakeFirst();
      const last = await trx
        .selectFrom('analytics_alerts')
        .select('fired_at')
        .where('rule_id', '=', rule.id)
        .where('room_id', '=', room.roomId)
        .orderBy('fired_at', 'desc')
        .limit(1)
        .executeTakeFirst();
      if (last && now.getTime() - new Date(last.fired_at).getTime() < rule.cooldown_sec * 1000) return null;
      const message = `${room.title}: ${check.message}`;
      const row = await trx
        .insertInto('analytics_alerts')
        .values({
          rule_id: rule.id,
          merchant_id: room.merchantId,
          room_id: room.roomId,
          value: check.value,
          message,
          fired_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const alert: FiredAlert = {
        id: row.id,
        ruleId: rule.id,
        merchantId: room.merchantId,
        roomId: room.roomId,
        metric: rule.metric,
        value: check.value,
        threshold: Number(rule.threshold),
        message,
        firedAt: now,
      };
      await this.ctx.events.emit(trx, {
        type: 'analytics.alert_fired',
        aggregateType: 'merchant',
        aggregateId: room.merchantId,
        payload: { ...alert, firedAt: now.toISOString(), ruleName: rule.name, webhookUrl: rule.webhook_url },
      });
      return alert;
    });
  }

  /**
   * The webhook: the outbox handler only books a job in its transaction (no network in a
   * handler); the job posts it and is retried with backoff until the receiver answers 2xx.
   */
  subscribe(): void {
    this.ctx.events.subscribe({
      name: 'analytics.alert_webhook',
      events: ['analytics.alert_fired'],
      handle: async (e, db) => {
        const { webhookUrl, ...alert } = e.payload;
        if (!webhookUrl) return;
        // One job per event, even if the event is delivered again.
        await this.ctx.jobs.schedule<AlertWebhookJob>(db, {
          type: WEBHOOK_JOB,
          payload: { eventId: e.id, webhookUrl, alert },
          uniqueKey: `alert-webhook:${e.id}`,
          maxAttempts: WEBHOOK_MAX_ATTEMPTS,
        });
      },
    });
    this.ctx.jobs.register<AlertWebhookJob>({
      type: WEBHOOK_JOB,
      transactional: false, // a network call
      run: (job) => this.postWebhook(job.payload),
    });
  }

  /**
   * Post one alert. Every attempt carries the same body (eventId) and Idempotency-Key, so a
   * receiver can drop a repeat (a retry after a lost answer, or a node dying after the post).
   */
  private async postWebhook({ eventId, webhookUrl, alert }: AlertWebhookJob): Promise<void> {
    const rule = await this.ctx.db
      .selectFrom('analytics_alert_rules')
      .select(['webhook_secret'])
      .where('id', '=', alert.ruleId)
      .executeTakeFirst();
    if (!rule?.webhook_secret) return; // the rule was deleted since
    // Checked again at send time (a name that resolved publicly may resolve privately now), and
    // the connection goes to the address checked. A redirect is an answer like any non-2xx.
    const body = JSON.stringify({ type: 'analytics.alert', eventId, alert });
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'LiveMall-Alerts/1',
      'idempotency-key': `analytics.alert:${eventId}`,
      'x-livemall-signature': signWebhook(rule.webhook_secret, body),
    };
    const sent = await deliverWebhook(webhookUrl, body, headers, this.webhookPolicy());
    if ('refused' in sent) {
      this.ctx.log.warn({ ruleId: alert.ruleId, problem: sent.refused }, 'alert webhook not called');
      return;
    }
    if (sent.status < 200 || sent.status > 299) throw new Error(`alert webhook answered ${sent.status}`);
  }
}

const WEBHOOK_JOB = 'analytics.post_alert_webhook';
/** With the job queue's backoff (2 s doubling, at most 5 min apart): about 24 minutes of retries. */
const WEBHOOK_MAX_ATTEMPTS = 12;
type AlertWebhookJob = {
  eventId: number;
  webhookUrl: string;
  alert: Omit<DomainEvents['analytics.alert_fired'], 'webhookUrl'>;
};

function toRule(r: {
  id: number;
  merchant_id: number;
  name: string;
  metric: AlertMetric;
  threshold: number | string;
  room_id: number | null;
  min_visitors: number;
  cooldown_sec: number;
  webhook_url: string | null;
  enabled: boolean;
  created_at: Date;
}) {
  return {
    id: r.id,
    name: r.name,
    metric: r.metric,
    threshold: Number(r.threshold),
    roomId: r.room_id,
    minVisitors: r.min_visitors,
    cooldownSec: r.cooldown_sec,
    webhookUrl: r.webhook_url,
    enabled: r.enabled,
    createdAt: r.created_at,
  };
}
