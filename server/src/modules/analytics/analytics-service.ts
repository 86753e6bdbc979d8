// ctx.services.analytics: collection, the periodic tick (rollup → online samples → alerts → live
// numbers pushed to the room's staff over the gateway), dashboards and reports.
import type { LiveMetricsFrame } from '@livemall/sdk/realtime-frames';
import { sql } from 'kysely';
import type { AppContext } from '../../platform/context.ts';
import type { Db } from '../../platform/db/types.ts';
import { notFound } from '../../platform/errors.ts';
import { AlertService, type FiredAlert } from './alerts.ts';
import { ExperimentService } from './experiments.ts';
import { AnalyticsIngest } from './ingest.ts';
import { report, type ReportBy } from './reports.ts';
import { roomDashboard, type RoomDashboard } from './room-metrics.ts';
import { rollup, type RollupResult } from './rollup.ts';

export interface TickResult {
  rollup: RollupResult;
  rooms: number;
  alerts: FiredAlert[];
}

/** The live numbers pushed to the console (the analytics.metrics frame, without its roomId). */
type LiveMetrics = Pick<RoomDashboard, 'summary' | 'funnel' | 'series'> & {
  online: number;
  shares?: LiveMetricsFrame['shares'];
};

export class AnalyticsService {
  readonly ingest: AnalyticsIngest;
  readonly alerts: AlertService;
  readonly experiments: ExperimentService;

  constructor(private readonly ctx: AppContext) {
    this.ingest = new AnalyticsIngest(ctx);
    this.alerts = new AlertService(ctx);
    this.experiments = new ExperimentService(ctx);
  }

  /** Roll up what arrived, then, for every live room, sample online, check alerts and push the numbers. */
  async tick(opts: { db?: Db; now?: Date } = {}): Promise<TickResult> {
    const db = opts.db ?? this.ctx.db;
    const now = opts.now ?? new Date();
    const rolled = await this.rollup(db);
    const rooms = (await this.ctx.services.roomDirectory.live(db)).map((r) => ({
      id: r.id,
      merchant_id: r.merchantId,
      title: r.title,
    }));
    const fired: FiredAlert[] = [];
    for (const room of rooms) {
      const online = this.ctx.services.realtime ? (await this.ctx.services.realtime.roomOnline(room.id)).online : 0;
      await db
        .insertInto('analytics_online_samples')
        .values({ room_id: room.id, merchant_id: room.merchant_id, at: now, online })
        .onConflict((oc) => oc.columns(['room_id', 'at']).doUpdateSet({ online }))
        .execute();
      const dashboard = await roomDashboard(db, room.id, { sinceMinutes: 3, products: false });
      const alerts = await this.alerts.evaluate(
        db,
        { roomId: room.id, merchantId: room.merchant_id, title: room.title, online, summary: dashboard.summary },
        now,
      );
      fired.push(...alerts);
      // The room's shares come from growth's service (its tables are its own).
      const shares = this.ctx.services.growth ? await this.ctx.services.growth.roomLive(db, room.id) : undefined;
      await this.push(
        db,
        room,
        {
          online,
          summary: dashboard.summary,
          funnel: dashboard.funnel,
          series: dashboard.series.slice(-3),
          ...(shares ? { shares } : {}),
        },
        alerts,
      );
    }
    return { rollup: rolled, rooms: rooms.length, alerts: fired };
  }

  rollup(db: Db = this.ctx.db): Promise<RollupResult> {
    const a = this.ctx.config.analytics;
    const chat = this.ctx.services.chat;
    return rollup(db, {
      timeZone: a.timeZone,
      lagMs: a.lagMs,
      chat: (trx, afterId, o) => chat.visibleSince(trx, afterId, o),
    });
  }

  /** Live numbers go only to the merchant's own people watching the room (the console), never to shoppers. */
  private async push(
    db: Db,
    room: { id: number; merchant_id: number },
    metrics: LiveMetrics,
    alerts: FiredAlert[],
  ): Promise<void> {
    const realtime = this.ctx.services.realtime;
    if (!realtime) return;
    const staff = await this.ctx.services.directory.memberIds(room.merchant_id, undefined, db);
    await realtime.publishToUsers(room.id, staff, { type: 'analytics.metrics', data: { roomId: room.id, ...metrics } });
    for (const alert of alerts) await realtime.publishToUsers(room.id, staff, { type: 'analytics.alert', data: alert });
  }

  /** Product titles by id (deleted products keep theirs), from the catalog. */
  readonly productTitles = async (ids: number[]): Promise<Map<number, string>> =>
    new Map([...(await this.ctx.services.catalog.productBriefs(ids))].map(([id, p]) => [id, p.title]));

  async room(merchantId: number, roomId: number) {
    const room = await this.ctx.services.roomDirectory.byId(roomId);
    if (!room || room.merchantId !== merchantId) throw notFound('Room', 'ROOM_NOT_FOUND');
    const [dashboard, online, state] = await Promise.all([
      roomDashboard(this.ctx.db, roomId, { titles: this.productTitles }),
      this.ctx.services.realtime
        ? this.ctx.services.realtime.roomOnline(roomId)
        : Promise.resolve({ online: 0, cumulative: 0 }),
      this.ctx.db
        .selectFrom('analytics_rollup_state')
        .select('updated_at')
        .where('source', '=', 'events')
        .executeTakeFirst(),
    ]);
    return {
      room: { id: room.id, title: room.title, status: room.status, startedAt: room.startedAt, endedAt: room.endedAt },
      onlineNow: online.online,
      asOf: state?.updated_at ?? null,
      ...dashboard,
    };
  }

  async report(
    merchantId: number,
    q: {
      by: ReportBy;
      grain: 'hour' | 'day';
      from?: string | undefined;
      to?: string | undefined;
      roomId?: number | undefined;
    },
  ) {
    if (q.roomId) await this.ctx.services.live.requireOwnRoom(this.ctx.db, merchantId, q.roomId);
    const to = q.to ? new Date(q.to) : new Date();
    const from = q.from ? new Date(q.from) : new Date(to.getTime() - 7 * 86_400_000);
    return {
      from,
      to,
      by: q.by,
      grain: q.by === 'time' ? q.grain : 'day',
      rows: await report(
        this.ctx.db,
        {
          merchantId,
          by: q.by,
          grain: q.grain,
          from,
          to,
          roomId: q.roomId,
          timeZone: this.ctx.config.analytics.timeZone,
        },
        {
          products: this.productTitles,
          rooms: async (ids) =>
            new Map([...(await this.ctx.services.roomDirectory.byIds(ids))].map(([id, r]) => [id, r.title])),
        },
      ),
    };
  }

  /** Raw events past retention go; minute rows and online samples after 30 days (hours and days stay). */
  async applyRetention(db: Db): Promise<void> {
    await sql`delete from analytics_events where id in (select id from analytics_events where received_at < now() - make_interval(days => ${this.ctx.config.analytics.rawRetentionDays}) limit 50000)`.execute(
      db,
    );
    await sql`delete from analytics_rollups where grain = 'minute' and bucket < now() - interval '30 days'`.execute(db);
    await sql`delete from analytics_online_samples where at < now() - interval '30 days'`.execute(db);
  }
}
