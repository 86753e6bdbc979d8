// The message centre: producers (outbox handlers, jobs, other modules' services) call notify() in
// their own transaction; the shopper lists, counts and marks read. Each notice has a dedupe key, so
// a redelivered event or a retried job writes nothing twice and queues no second SMS.
import { sql } from 'kysely';
import type { AppContext } from '../../platform/context.ts';
import type { Db } from '../../platform/db/types.ts';
import { badRequest } from '../../platform/errors.ts';
import type { OfflineAdapter, StoredNotice } from './channels.ts';
import { DEFAULT_PREFERENCES, type KindPreference } from './kinds.ts';
import { NOTICE_KINDS, type DeliveryChannel, type NoticeKind, type NoticeParams } from './tables.ts';

export interface NoticeInput {
  kind: NoticeKind;
  topic: string;
  merchantId?: number | null;
  ref: string;
  params: NoticeParams;
  /** Unique per user: the same key twice is one notice. */
  dedupeKey: string;
  /** Also send copies through these offline channels, as the shopper's preferences allow. */
  offline?: readonly DeliveryChannel[];
  /** Hold the offline copies this long; a notice read by then gets none. */
  offlineDelayMs?: number | undefined;
}

export interface ListQuery {
  kind?: NoticeKind | undefined;
  unread?: boolean | undefined;
  before?: number | undefined;
  limit?: number | undefined;
}

export class NotificationService {
  constructor(
    private readonly ctx: AppContext,
    private readonly adapters: readonly OfflineAdapter[],
  ) {}

  /** Each user's switches for one kind (defaults where they set none). */
  async preferencesOf(db: Db, userIds: readonly number[], kind: NoticeKind): Promise<Map<number, KindPreference>> {
    const out = new Map<number, KindPreference>();
    const ids = [...new Set(userIds)];
    for (const id of ids) out.set(id, { kind, ...DEFAULT_PREFERENCES[kind] });
    for (let i = 0; i < ids.length; i += 5000) {
      const rows = await db
        .selectFrom('notification_preferences')
        .select(['user_id', 'enabled', 'sms', 'wechat'])
        .where('kind', '=', kind)
        .where('user_id', 'in', ids.slice(i, i + 5000))
        .execute();
      for (const r of rows) out.set(r.user_id, { kind, enabled: r.enabled, sms: r.sms, wechat: r.wechat });
    }
    return out;
  }

  /** In the caller's transaction: one notice to each user who has the kind on; returns the ids made. */
  async notify(db: Db, userIds: readonly number[], input: NoticeInput): Promise<number[]> {
    if (userIds.length === 0) return [];
    const prefs = await this.preferencesOf(db, userIds, input.kind);
    const made: number[] = [];
    for (const [userId, pref] of prefs) {
      if (!pref.enabled) continue;
      const row = await db
        .insertInto('notifications')
        .values({
          user_id: userId,
          kind: input.kind,
          topic: input.topic,
          merchant_id: input.merchantId ?? null,
          ref: input.ref,
          params: JSON.stringify(input.params),
          dedupe_key: input.dedupeKey,
        })
        .onConflict((oc) => oc.columns(['user_id', 'dedupe_key']).doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!row) continue; // delivered before: nothing new, no second SMS
      made.push(row.id);
      const notice: StoredNotice = { id: row.id, userId, ...input };
      for (const adapter of this.adapters) {
        if (input.offline?.includes(adapter.channel) && pref[adapter.channel]) await adapter.queue(db, notice);
      }
    }
    return made;
  }

  async list(userId: number, q: ListQuery) {
    const limit = q.limit ?? 20;
    let query = this.ctx.db
      .selectFrom('notifications')
      .select(['id', 'kind', 'topic', 'merchant_id', 'ref', 'params', 'read_at', 'created_at'])
      .where('user_id', '=', userId)
      .orderBy('id', 'desc')
      .limit(limit + 1);
    if (q.kind) query = query.where('kind', '=', q.kind);
    if (q.unread) query = query.where('read_at', 'is', null);
    if (q.before) query = query.where('id', '<', q.before);
    const rows = await query.execute();
    const page = rows.slice(0, limit);
    return {
      items: page.map((r) => ({
        id: r.id,
        kind: r.kind,
        topic: r.topic,
        merchantId: r.merchant_id,
        ref: r.ref,
        params: r.params,
        read: r.read_at !== null,
        createdAt: r.created_at,
      })),
      nextBefore: rows.length > limit ? (page.at(-1)?.id ?? null) : null,
    };
  }

  async unreadCounts(userId: number) {
    const rows = await this.ctx.db
      .selectFrom('notifications')
      .select(['kind', (eb) => eb.fn.countAll<number>().as('n')])
      .where('user_id', '=', userId)
      .where('read_at', 'is', null)
      .groupBy('kind')
      .execute();
    const byKind = Object.fromEntries(NOTICE_KINDS.map((k) => [k, 0])) as Record<NoticeKind, number>;
    for (const r of rows) byKind[r.kind] = Number(r.n);
    return { total: Object.values(byKind).reduce((a, b) => a + b, 0), byKind };
  }

  /** Mark my notices read: by id, by what they open (a conversation the shopper opened), by kind, or all. */
  async markRead(userId: number, by: { ids?: number[]; ref?: string; kind?: NoticeKind; all?: boolean }) {
    if (!by.ids?.length && !by.ref && !by.kind && !by.all) {
      throw badRequest('MESSAGES_READ_EMPTY', 'Say which messages: ids, ref, kind or all');
    }
    let q = this.ctx.db
      .updateTable('notifications')
      .set({ read_at: sql`now()` })
      .where('user_id', '=', userId)
      .where('read_at', 'is', null);
    if (by.ids?.length) q = q.where('id', 'in', by.ids);
    if (by.ref) q = q.where('ref', '=', by.ref);
    if (by.kind) q = q.where('kind', '=', by.kind);
    const res = await q.executeTakeFirst();
    return { updated: Number(res.numUpdatedRows), unread: await this.unreadCounts(userId) };
  }

  async preferences(userId: number): Promise<KindPreference[]> {
    const rows = await this.ctx.db
      .selectFrom('notification_preferences')
      .select(['kind', 'enabled', 'sms', 'wechat'])
      .where('user_id', '=', userId)
      .execute();
    const mine = new Map(rows.map((r) => [r.kind, r]));
    return NOTICE_KINDS.map((kind) => {
      const r = mine.get(kind);
      return r ? { kind, enabled: r.enabled, sms: r.sms, wechat: r.wechat } : { kind, ...DEFAULT_PREFERENCES[kind] };
    });
  }

  async setPreference(userId: number, kind: NoticeKind, patch: { enabled?: boolean; sms?: boolean; wechat?: boolean }) {
    if (patch.enabled === undefined && patch.sms === undefined && patch.wechat === undefined) {
      throw badRequest('PREFERENCE_EMPTY', 'Say what to switch: enabled, sms or wechat');
    }
    // One upsert that sets only the switches given: two devices flipping different switches at once
    // both win (a read-then-write would let the later one restore the other's old value).
    const set = stripUndefined(patch);
    const first = { ...DEFAULT_PREFERENCES[kind], ...set };
    await this.ctx.db
      .insertInto('notification_preferences')
      .values({ user_id: userId, kind, enabled: first.enabled, sms: first.sms, wechat: first.wechat })
      .onConflict((oc) => oc.columns(['user_id', 'kind']).doUpdateSet({ ...set, updated_at: sql`now()` }))
      .execute();
    return this.preferences(userId);
  }
}

function stripUndefined<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
