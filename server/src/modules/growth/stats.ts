// Share analytics for the shop: per share, sharer, room or product over a date range; the spread
// tree with K by level; the room's live share numbers. Each figure is counted by its own time:
// shares by when they were made, visits by the first visit, new visitors by their first touch,
// orders by when they were paid (attributed to the last touch; GMV is paid minus refunded).
import { sql } from 'kysely';
import type { Actor } from '../../platform/auth/access.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Db } from '../../platform/db/types.ts';
import { notFound } from '../../platform/errors.ts';
import type { ShareTargetKind } from './events.ts';
import { type SpreadShare, spreadSummary, subtree } from './spread.ts';
import './tables.ts';

export type StatsBy = 'share' | 'sharer' | 'room' | 'product';
export interface ShareFigures {
  shares: number;
  visitors: number;
  visits: number;
  newVisitors: number;
  signups: number;
  roomEntries: number;
  orders: number;
  gmvFen: number;
}
interface Range {
  from: Date;
  to: Date;
}
const zero = (): ShareFigures => ({
  shares: 0,
  visitors: 0,
  visits: 0,
  newVisitors: 0,
  signups: 0,
  roomEntries: 0,
  orders: 0,
  gmvFen: 0,
});
const MAX_TREE = 5000;

export class ShareStats {
  constructor(private readonly ctx: AppContext) {}

  range(q: { from?: string | undefined; to?: string | undefined }): Range {
    const to = q.to ? new Date(q.to) : new Date();
    const from = q.from ? new Date(q.from) : new Date(to.getTime() - 30 * 86_400_000);
    return { from, to };
  }

  /** Figures of every share of the shop with something in the range. */
  private async perShare(db: Db, merchantId: number, r: Range, roomId?: number) {
    let sq = db
      .selectFrom('growth_shares')
      .select(['id', 'token', 'sharer_key', 'sharer_user_id', 'target_kind', 'target_id', 'parent_share_id', 'depth'])
      .select(sql<boolean>`created_at >= ${r.from} and created_at < ${r.to}`.as('made_in_range'))
      .where('merchant_id', '=', merchantId)
      .orderBy('id')
      .limit(MAX_TREE);
    if (roomId !== undefined) sq = sq.where('target_kind', '=', 'room').where('target_id', '=', roomId);
    const [shares, touches, heads, orders] = await Promise.all([
      sq.execute(),
      db
        .selectFrom('growth_touches')
        .select(['share_id', 'kind'])
        .select(sql<number>`count(distinct coalesce('u:' || visitor_user_id::text, visitor_key))`.as('visitors'))
        .select(sql<number>`sum(hits)`.as('hits'))
        .where('merchant_id', '=', merchantId)
        .where('first_at', '>=', r.from)
        .where('first_at', '<', r.to)
        .groupBy(['share_id', 'kind'])
        .execute(),
      db
        .selectFrom('growth_visitor_touches')
        .select(['first_share_id', sql<number>`count(*)`.as('n')])
        .where('merchant_id', '=', merchantId)
        .where('first_at', '>=', r.from)
        .where('first_at', '<', r.to)
        .groupBy('first_share_id')
        .execute(),
      db
        .selectFrom('growth_order_attributions')
        .select(['last_share_id', sql<number>`count(*)`.as('n'), sql<number>`sum(total_fen - refunded_fen)`.as('gmv')])
        .where('merchant_id', '=', merchantId)
        .where('paid_at', '>=', r.from)
        .where('paid_at', '<', r.to)
        .groupBy('last_share_id')
        .execute(),
    ]);
    const figures = new Map(shares.map((s) => [s.id, { ...zero(), shares: s.made_in_range ? 1 : 0 }]));
    for (const t of touches) {
      const f = figures.get(t.share_id);
      if (!f) continue;
      if (t.kind === 'visit') {
        f.visitors += Number(t.visitors);
        f.visits += Number(t.hits);
      } else if (t.kind === 'signup') f.signups += Number(t.visitors);
      else f.roomEntries += Number(t.visitors);
    }
    for (const h of heads) {
      const f = figures.get(h.first_share_id);
      if (f) f.newVisitors += Number(h.n);
    }
    for (const o of orders) {
      const f = figures.get(o.last_share_id);
      if (!f) continue;
      f.orders += Number(o.n);
      f.gmvFen += Number(o.gmv);
    }
    return shares.map((s) => ({ share: s, figures: figures.get(s.id)! }));
  }

  /** The table the console charts: one row per share, sharer, room or product with something in the range. */
  async report(actor: Actor, merchantId: number, q: { by: StatsBy; from?: string; to?: string; roomId?: number }) {
    await this.ctx.services.merchants.requireRole(actor, merchantId);
    if (q.roomId !== undefined) await this.ctx.services.live.requireOwnRoom(this.ctx.db, merchantId, q.roomId);
    const range = this.range(q);
    const rows = await this.perShare(this.ctx.db, merchantId, range, q.roomId);
    const groups = new Map<string, { key: string; id: number | null; token?: string; figures: ShareFigures }>();
    for (const { share: s, figures } of rows) {
      const key =
        q.by === 'share'
          ? `${s.id}`
          : q.by === 'sharer'
            ? s.sharer_key
            : s.target_kind === (q.by as ShareTargetKind)
              ? `${s.target_id}`
              : null;
      if (key === null) continue;
      const id = q.by === 'share' ? s.id : q.by === 'sharer' ? s.sharer_user_id : s.target_id;
      const g = groups.get(key) ?? { key, id, figures: zero(), ...(q.by === 'share' ? { token: s.token } : {}) };
      for (const k of Object.keys(figures) as Array<keyof ShareFigures>) g.figures[k] += figures[k];
      groups.set(key, g);
    }
    const list = [...groups.values()].filter((g) => Object.values(g.figures).some((n) => n > 0));
    const labels = await this.labels(
      q.by,
      list.map((g) => g.id).filter((id): id is number => id !== null),
    );
    const totals = zero();
    for (const g of list) for (const k of Object.keys(totals) as Array<keyof ShareFigures>) totals[k] += g.figures[k];
    return {
      from: range.from,
      to: range.to,
      by: q.by,
      totals,
      rows: list
        .sort((a, b) => b.figures.gmvFen - a.figures.gmvFen || b.figures.visitors - a.figures.visitors)
        .map((g) => ({
          key: g.key,
          id: g.id,
          label: g.id !== null ? (labels.get(g.id) ?? null) : null,
          ...(g.token ? { token: g.token } : {}),
          ...g.figures,
        })),
    };
  }

  private async labels(by: StatsBy, ids: number[]): Promise<Map<number, string>> {
    const s = this.ctx.services;
    if (by === 'sharer') return s.directory.nicknames(ids);
    if (by === 'product') return new Map([...(await s.catalog.productBriefs(ids))].map(([id, p]) => [id, p.title]));
    if (by === 'room') return new Map([...(await s.roomDirectory.byIds(ids))].map(([id, r]) => [id, r.title]));
    return new Map();
  }

  /** Who reached whom: the shares as a tree (optionally under one share), K by level with its decay. */
  async spread(actor: Actor, merchantId: number, q: { rootShareId?: number; from?: string; to?: string }) {
    await this.ctx.services.merchants.requireRole(actor, merchantId);
    const range = this.range(q);
    const rows = await this.perShare(this.ctx.db, merchantId, range);
    if (q.rootShareId !== undefined && !rows.some((r) => r.share.id === q.rootShareId))
      throw notFound('Share', 'SHARE_NOT_FOUND');
    const input: SpreadShare[] = rows.map(({ share: s, figures }) => ({
      id: s.id,
      parentId: s.parent_share_id,
      depth: s.depth,
      sharerKey: s.sharer_key,
      newVisitors: figures.newVisitors,
    }));
    const tree = subtree(input, q.rootShareId !== undefined ? [q.rootShareId] : []);
    const byId = new Map(rows.map((r) => [r.share.id, r]));
    const names = await this.ctx.services.directory.nicknames(
      rows.map((r) => r.share.sharer_user_id).filter((id): id is number => id !== null),
    );
    return {
      from: range.from,
      to: range.to,
      ...spreadSummary(tree),
      nodes: tree.map((n) => {
        const r = byId.get(n.id)!;
        return {
          shareId: n.id,
          parentShareId: r.share.parent_share_id,
          depth: n.depth,
          sharerUserId: r.share.sharer_user_id,
          sharerNickname: r.share.sharer_user_id ? (names.get(r.share.sharer_user_id) ?? null) : null,
          targetKind: r.share.target_kind,
          targetId: r.share.target_id,
          ...r.figures,
        };
      }),
    };
  }

  /** The room's share numbers for its live data: shares of the room, visits through them, orders attributed there. */
  async roomLive(db: Db, roomId: number) {
    const [shares, visits, orders] = await Promise.all([
      db
        .selectFrom('growth_shares')
        .select(sql<number>`count(*)`.as('n'))
        .where('target_kind', '=', 'room')
        .where('target_id', '=', roomId)
        .executeTakeFirstOrThrow(),
      db
        .selectFrom('growth_touches as t')
        .innerJoin('growth_shares as s', 's.id', 't.share_id')
        .select(sql<number>`coalesce(sum(t.hits), 0)`.as('n'))
        .where('s.target_kind', '=', 'room')
        .where('s.target_id', '=', roomId)
        .where('t.kind', '=', 'visit')
        .executeTakeFirstOrThrow(),
      db
        .selectFrom('growth_order_attributions')
        .select([sql<number>`count(*)`.as('n'), sql<number>`coalesce(sum(total_fen - refunded_fen), 0)`.as('gmv')])
        .where('room_id', '=', roomId)
        .where('paid_at', 'is not', null)
        .executeTakeFirstOrThrow(),
    ]);
    return {
      shares: Number(shares.n),
      visits: Number(visits.n),
      attributedOrders: Number(orders.n),
      attributedGmvFen: Number(orders.gmv),
    };
  }
}
