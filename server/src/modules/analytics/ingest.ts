// Event collection: the client beacon (batched, validated, bounded, bots dropped) and the server's
// own facts from the outbox (orders, refunds, follows). Raw events are append-only; a device seen
// signed in is stitched to its user, and what was already rolled up for the device moves to the user.
import { isbot } from 'isbot';
import { sql } from 'kysely';
import type { AppContext } from '../../platform/context.ts';
import type { Db } from '../../platform/db/types.ts';
import { ANALYTICS_LOCK, inTransaction } from './lock.ts';

/** What a client may report. Server facts (order, order_paid, refund, follow, comment) are not accepted from clients. */
export const CLIENT_EVENT_TYPES = [
  'exposure',
  'page_view',
  'room_enter',
  'room_leave',
  'heartbeat',
  'product_click',
  'add_to_cart',
  'checkout_start',
  'share',
] as const;
export type ClientEventType = (typeof CLIENT_EVENT_TYPES)[number];
const CLIENT_TYPES = new Set<string>(CLIENT_EVENT_TYPES);
const NEEDS_ROOM = new Set(['exposure', 'room_enter', 'room_leave', 'heartbeat']);
const NEEDS_PRODUCT = new Set(['product_click', 'add_to_cart']);

export const MAX_EVENTS_PER_BEACON = 100;
export const BEACONS_PER_DEVICE_PER_MINUTE = 60;
/** A heartbeat reports the seconds watched since the last one; more than this is not believed. */
export const MAX_HEARTBEAT_SECONDS = 60;
const MAX_PROPS_BYTES = 2048;
const MAX_AGE_MS = 24 * 3600_000;
const MAX_SKEW_MS = 5 * 60_000;

export interface BeaconEvent {
  id?: string | undefined;
  type: string;
  at?: number | string | undefined;
  roomId?: number | undefined;
  productId?: number | undefined;
  seconds?: number | undefined;
  props?: Record<string, unknown> | undefined;
  sharer?: string | undefined;
}
export interface BeaconResult {
  accepted: number;
  duplicates: number;
  filtered: boolean;
  rejected: Array<{ index: number; code: string }>;
}

type RawEvent = {
  type: string;
  source: 'client' | 'server';
  device_id: string;
  dedupe_key: string | null;
  user_id: number | null;
  merchant_id: number;
  room_id: number | null;
  product_id: number | null;
  amount_fen: number;
  seconds: number;
  props: string;
  occurred_at: Date;
  sharer?: string | null;
};

export class AnalyticsIngest {
  /** room/product id → merchant id; ids never change owner, so this only needs a size bound. */
  private readonly owners = new Map<string, number | null>();

  constructor(private readonly ctx: AppContext) {}

  async beacon(input: {
    deviceId: string;
    events: BeaconEvent[];
    userId: number | null;
    userAgent: string | undefined;
    now?: Date;
  }): Promise<BeaconResult> {
    const result: BeaconResult = { accepted: 0, duplicates: 0, filtered: false, rejected: [] };
    if (!input.userAgent || isbot(input.userAgent)) {
      this.ctx.metrics
        .counter('livemall_analytics_bot_events_total', 'Client analytics events dropped as bot traffic')
        .inc(input.events.length);
      return { ...result, filtered: true };
    }
    const limit = await this.ctx.cache.rateLimit(
      `analytics:rl:${input.deviceId}`,
      BEACONS_PER_DEVICE_PER_MINUTE,
      60_000,
    );
    if (!limit.allowed)
      return { ...result, rejected: input.events.map((_, index) => ({ index, code: 'RATE_LIMITED' })) };

    const now = input.now ?? new Date();
    await this.resolveOwners(input.events);
    // Shop governance (identity decides, read fresh like the product page): a shop shoppers may
    // not see collects no views, so its rooms and products answer "not found" here as everywhere.
    const owners = input.events.map((e) => this.merchantOf(e)).filter((m): m is number => m !== null);
    const listed = await this.ctx.services.merchants.publicAmong(owners);
    const staffOf = await this.staffShops(input.userId, owners);
    const rows: RawEvent[] = [];
    input.events.forEach((e, index) => {
      const problem = this.check(e, now, listed);
      if (problem) {
        result.rejected.push({ index, code: problem.code });
        return;
      }
      // The shop's own staff watching or testing their shop are not its audience (UV, funnel, GPM).
      if (staffOf.has(this.merchantOf(e)!)) {
        result.filtered = true;
        return;
      }
      rows.push({
        type: e.type,
        source: 'client',
        device_id: input.deviceId,
        dedupe_key: e.id ?? null,
        user_id: input.userId,
        merchant_id: this.merchantOf(e)!,
        room_id: e.roomId ?? null,
        product_id: e.productId ?? null,
        amount_fen: 0,
        seconds: e.type === 'heartbeat' ? Math.min(Math.max(Math.round(e.seconds ?? 0), 0), MAX_HEARTBEAT_SECONDS) : 0,
        props: JSON.stringify(e.props ?? {}),
        occurred_at: this.timeOf(e, now),
        sharer: e.sharer ?? null,
      });
    });
    if (input.userId !== null) await this.stitch(input.deviceId, input.userId);
    if (rows.length > 0) {
      const inserted = await this.insert(this.ctx.db, rows);
      result.accepted = inserted;
      result.duplicates = rows.length - inserted;
    }
    return result;
  }

  /** The shops among `merchantIds` that the signed-in user works for. */
  private async staffShops(userId: number | null, merchantIds: number[]): Promise<Set<number>> {
    const out = new Set<number>();
    if (userId === null) return out;
    for (const m of new Set(merchantIds)) if (await this.ctx.services.merchants.merchantRole(userId, m)) out.add(m);
    return out;
  }

  /** Server facts, written in the outbox handler's transaction (so a redelivery changes nothing). */
  async record(
    db: Db,
    rows: Array<Omit<RawEvent, 'source' | 'device_id' | 'props' | 'seconds'> & { props?: Record<string, unknown> }>,
  ): Promise<void> {
    await this.insert(
      db,
      rows.map((r) => ({ ...r, source: 'server', device_id: '', seconds: 0, props: JSON.stringify(r.props ?? {}) })),
    );
  }

  /** One multi-row INSERT per batch; retried beacons and redelivered facts hit the dedupe index. */
  private async insert(db: Db, rows: RawEvent[]): Promise<number> {
    const res = await db
      .insertInto('analytics_events')
      .values(rows)
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    return Number(res.numInsertedOrUpdatedRows ?? 0);
  }

  private check(e: BeaconEvent, now: Date, listed: Set<number>): { code: string } | null {
    if (!CLIENT_TYPES.has(e.type)) return { code: 'UNKNOWN_EVENT_TYPE' };
    if (NEEDS_ROOM.has(e.type) && e.roomId === undefined) return { code: 'ROOM_REQUIRED' };
    if (NEEDS_PRODUCT.has(e.type) && e.productId === undefined) return { code: 'PRODUCT_REQUIRED' };
    if (e.props && Buffer.byteLength(JSON.stringify(e.props)) > MAX_PROPS_BYTES) return { code: 'PROPS_TOO_LARGE' };
    const at = this.timeOf(e, now).getTime();
    if (Number.isNaN(at)) return { code: 'BAD_TIME' };
    if (at > now.getTime() + MAX_SKEW_MS) return { code: 'IN_THE_FUTURE' };
    if (at < now.getTime() - MAX_AGE_MS) return { code: 'TOO_OLD' };
    const room = e.roomId !== undefined ? this.owners.get(`r${e.roomId}`) : undefined;
    const product = e.productId !== undefined ? this.owners.get(`p${e.productId}`) : undefined;
    if (room === null || (room !== undefined && !listed.has(room))) return { code: 'ROOM_NOT_FOUND' };
    if (product === null || (product !== undefined && !listed.has(product))) return { code: 'PRODUCT_NOT_FOUND' };
    if (room !== undefined && product !== undefined && room !== product) return { code: 'MERCHANT_MISMATCH' };
    if (room === undefined && product === undefined) return { code: 'ROOM_OR_PRODUCT_REQUIRED' };
    return null;
  }

  private merchantOf(e: BeaconEvent): number | null {
    return (e.roomId !== undefined ? this.owners.get(`r${e.roomId}`) : this.owners.get(`p${e.productId}`)) ?? null;
  }

  private timeOf(e: BeaconEvent, now: Date): Date {
    if (e.at === undefined) return now;
    return new Date(e.at);
  }

  /** Look up the owners of rooms and products not seen before, two queries per beacon at most. */
  private async resolveOwners(events: BeaconEvent[]): Promise<void> {
    const rooms = [
      ...new Set(
        events.map((e) => e.roomId).filter((id): id is number => id !== undefined && !this.owners.has(`r${id}`)),
      ),
    ];
    const products = [
      ...new Set(
        events.map((e) => e.productId).filter((id): id is number => id !== undefined && !this.owners.has(`p${id}`)),
      ),
    ];
    if (this.owners.size > 100_000) this.owners.clear();
    if (rooms.length > 0) {
      const found = await this.ctx.services.roomDirectory.byIds(rooms);
      for (const id of rooms) this.owners.set(`r${id}`, found.get(id)?.merchantId ?? null);
    }
    if (products.length > 0) {
      const found = await this.ctx.services.catalog.productBriefs(products);
      for (const id of products) this.owners.set(`p${id}`, found.get(id)?.merchantId ?? null);
    }
  }

  /**
   * The first time a device is seen signed in, it becomes the user's: its raw events get the user
   * id, and its rolled-up visitor rows merge into the user's, so a guest who logs in mid-show is
   * one viewer, not two. Holds the rollup lock so a rollup never sees half of it.
   */
  async stitch(deviceId: string, userId: number): Promise<boolean> {
    const known = await this.ctx.db
      .selectFrom('analytics_devices')
      .select('user_id')
      .where('device_id', '=', deviceId)
      .executeTakeFirst();
    if (known) return false;
    return inTransaction(this.ctx.db, async (trx) => {
      await sql`select pg_advisory_xact_lock(${ANALYTICS_LOCK})`.execute(trx);
      const linked = await trx
        .insertInto('analytics_devices')
        .values({ device_id: deviceId, user_id: userId })
        .onConflict((oc) => oc.doNothing())
        .returning('user_id')
        .executeTakeFirst();
      if (!linked) return false;
      const from = `d:${deviceId}`;
      const to = `u:${userId}`;
      // Recent raw events get the user too (follows look back 12 h for the room being watched);
      // older ones need not: rollups resolve devices through analytics_devices.
      await trx
        .updateTable('analytics_events')
        .set({ user_id: userId })
        .where('received_at', '>', sql<Date>`now() - interval '12 hours'`)
        .where('device_id', '=', deviceId)
        .where('user_id', 'is', null)
        .execute();
      await sql`
        insert into analytics_room_visitors as v (room_id, visitor, merchant_id, exposed, entered, watch_seconds, clicked, ordered, paid, interacted, first_at, last_at)
        select room_id, ${to}, merchant_id, exposed, entered, watch_seconds, clicked, ordered, paid, interacted, first_at, last_at
        from analytics_room_visitors where visitor = ${from}
        on conflict (room_id, visitor) do update set ${sql.raw(MERGE_VISITOR)}`.execute(trx);
      await sql`delete from analytics_room_visitors where visitor = ${from}`.execute(trx);
      await sql`insert into analytics_daily_visitors (day, merchant_id, room_id, visitor)
        select day, merchant_id, room_id, ${to} from analytics_daily_visitors where visitor = ${from} on conflict do nothing`.execute(
        trx,
      );
      await sql`delete from analytics_daily_visitors where visitor = ${from}`.execute(trx);
      await trx
        .updateTable('analytics_experiment_units')
        .set({ user_id: userId })
        .where('unit', '=', from)
        .where('user_id', 'is', null)
        .execute();
      return true;
    });
  }

  /** Orders, payments, refunds and follows become raw events through the outbox. */
  subscribe(): void {
    this.ctx.events.subscribe({
      name: 'analytics.orders',
      events: ['order.placed', 'order.paid'],
      handle: async (e, db) => {
        const p = e.payload;
        const type = e.type === 'order.paid' ? 'order_paid' : 'order';
        await this.record(db, [
          {
            type,
            dedupe_key: `${type}:${p.orderId}`,
            user_id: p.userId,
            merchant_id: p.merchantId,
            room_id: p.roomId ?? null,
            product_id: null,
            amount_fen: p.totalFen,
            occurred_at: new Date(e.type === 'order.paid' ? e.payload.paidAt : e.createdAt),
            props: { orderId: p.orderId, items: p.items },
          },
        ]);
      },
    });
    this.ctx.events.subscribe({
      name: 'analytics.refunds',
      events: ['order.refunded'],
      handle: async (e, db) => {
        const p = e.payload;
        await this.record(db, [
          {
            type: 'refund',
            dedupe_key: `refund:${p.refundId}`,
            user_id: p.userId,
            merchant_id: p.merchantId,
            room_id: p.roomId ?? null,
            product_id: null,
            amount_fen: p.amountFen,
            occurred_at: new Date(e.createdAt),
            props: { orderId: p.orderId },
          },
        ]);
      },
    });
    this.ctx.events.subscribe({
      name: 'analytics.follows',
      events: ['merchant.followed'],
      handle: async (e, db) => {
        const p = e.payload;
        const at = new Date(e.createdAt);
        await this.record(db, [
          {
            type: 'follow',
            dedupe_key: `follow:${e.id}`,
            user_id: p.userId,
            merchant_id: p.merchantId,
            room_id: await this.roomBeingWatched(db, p.merchantId, p.userId, at),
            product_id: null,
            amount_fen: 0,
            occurred_at: at,
          },
        ]);
      },
    });
  }

  /** A follow counts for the shop's live room the user entered last (within the show's day), if any. */
  private async roomBeingWatched(db: Db, merchantId: number, userId: number, at: Date): Promise<number | null> {
    const r = await db
      .selectFrom('analytics_events')
      .select('room_id')
      .where('user_id', '=', userId)
      .where('merchant_id', '=', merchantId)
      .where('type', 'in', ['room_enter', 'heartbeat'])
      .where('occurred_at', '<=', at)
      .where('occurred_at', '>', new Date(at.getTime() - 12 * 3600_000))
      .orderBy('occurred_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    return r?.room_id ?? null;
  }
}

/** How two rows of one visitor in one room combine (used by the rollup and by stitching). */
export const MERGE_VISITOR = `
  exposed = v.exposed or excluded.exposed, entered = v.entered or excluded.entered,
  watch_seconds = v.watch_seconds + excluded.watch_seconds, clicked = v.clicked or excluded.clicked,
  ordered = v.ordered or excluded.ordered, paid = v.paid or excluded.paid, interacted = v.interacted or excluded.interacted,
  first_at = least(v.first_at, excluded.first_at), last_at = greatest(v.last_at, excluded.last_at)`;
