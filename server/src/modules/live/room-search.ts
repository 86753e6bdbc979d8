// Rooms a shopper's search finds: public rooms of public shops whose title has the query's words
// (synonyms already expanded by the caller), live first, then upcoming, then replays.
import { sql, type SqlBool } from 'kysely';
import type { AppContext } from '../../platform/context.ts';
import type { Db } from '../../platform/db/types.ts';
import { groupMatches, groupsMatched, termsText, type TermGroup } from '../../platform/text/segment.ts';
import './tables.ts';

const CATCH_UP_BATCH = 500;

export interface RoomHit {
  id: number;
  merchantId: number;
  title: string;
  coverUrl: string | null;
  status: 'scheduled' | 'live' | 'ended';
  scheduledAt: Date | null;
}

export class RoomSearch {
  constructor(private readonly ctx: AppContext) {}

  /** Index rooms written before search existed (a few hundred per call). */
  async indexUnindexed(db: Db = this.ctx.db): Promise<number> {
    const rows = await db
      .selectFrom('live_rooms')
      .select(['id', 'title'])
      .where('search_terms', 'is', null)
      .limit(CATCH_UP_BATCH)
      .execute();
    for (const r of rows)
      await db
        .updateTable('live_rooms')
        .set({ search_terms: termsText(r.title) })
        .where('id', '=', r.id)
        .execute();
    return rows.length;
  }

  /** Rooms matching every group (or, with `loose`, any of them), best first. */
  async search(groups: TermGroup[], opts: { merchantId?: number | undefined; loose?: boolean; limit: number }) {
    if (groups.length === 0) return [];
    await this.indexUnindexed();
    const terms = sql.ref('search_terms');
    const shop = sql.ref('merchant_id');
    let q = this.ctx.db
      .selectFrom('live_rooms')
      .select(['id', 'merchant_id', 'title', 'cover_url', 'status', 'scheduled_at'])
      .where('visibility', '=', 'public')
      .where('merchant_id', 'in', this.ctx.services.merchants.publicMerchantIds())
      .where(
        opts.loose
          ? sql<SqlBool>`(${sql.join(
              groups.map((g) => groupMatches(terms, shop, g)),
              sql` or `,
            )})`
          : sql<SqlBool>`(${sql.join(
              groups.map((g) => groupMatches(terms, shop, g)),
              sql` and `,
            )})`,
      );
    if (opts.merchantId) q = q.where('merchant_id', '=', opts.merchantId);
    const rows = await q
      .orderBy(sql`case status when 'live' then 0 when 'scheduled' then 1 else 2 end`)
      .orderBy(groupsMatched(terms, shop, groups), 'desc')
      .orderBy('id', 'desc')
      .limit(opts.limit)
      .execute();
    return rows.map(
      (r): RoomHit => ({
        id: r.id,
        merchantId: r.merchant_id,
        title: r.title,
        coverUrl: r.cover_url,
        status: r.status,
        scheduledAt: r.scheduled_at ? new Date(r.scheduled_at) : null,
      }),
    );
  }

  /** Which of `productIds` are in the bag of a room that is live now (search ranks them first). */
  async onAirProducts(productIds: readonly number[], db: Db = this.ctx.db): Promise<Set<number>> {
    if (productIds.length === 0) return new Set();
    const rows = await db
      .selectFrom('live_room_products as b')
      .innerJoin('live_rooms as r', 'r.id', 'b.room_id')
      .select('b.product_id')
      .distinct()
      .where('r.status', '=', 'live')
      .where('r.visibility', '=', 'public')
      .where('b.product_id', 'in', [...new Set(productIds)])
      .execute();
    return new Set(rows.map((r) => r.product_id));
  }
}
