// What a shopper's search box talks to: products and rooms for a query, hot words (what other
// shoppers searched, per shop and platform-wide) and the shopper's own recent searches.
import { sql } from 'kysely';
import type { AppContext } from '../../../platform/context.ts';
import { notFound } from '../../../platform/errors.ts';
import { normaliseWord } from '../../../platform/text/segment.ts';
import '../tables.ts';

const HISTORY_KEPT = 20;
const HOT_WINDOW_DAYS = 7;
const HOT_WORDS = 10;
/** Search log rows older than this are deleted by the daily retention job. */
export const SEARCH_LOG_RETENTION_DAYS = 30;

export interface SearchRequest {
  q: string;
  merchantId?: number | undefined;
  page: number;
  pageSize: number;
  userId: number | null;
}

/** A query as logged and shown back: trimmed, inner spaces collapsed, latin lower-cased. */
export const normaliseQuery = (q: string) => normaliseWord(q).replace(/\s+/g, ' ').slice(0, 60);

export class SearchService {
  constructor(private readonly ctx: AppContext) {}

  async search(req: SearchRequest) {
    // Searching inside a shop that shoppers cannot see (or that does not exist) finds no shop.
    if (req.merchantId && !(await this.ctx.services.merchants.isPublic(req.merchantId)))
      throw notFound('Shop', 'MERCHANT_NOT_FOUND');
    const q = normaliseQuery(req.q);
    const ranked = await this.ctx.services.productSearch.rank(q, req.merchantId);
    const pageIds = ranked.ids.slice((req.page - 1) * req.pageSize, req.page * req.pageSize);
    const [items, rooms] = await Promise.all([
      this.ctx.services.catalog.getProductSummaries(pageIds),
      this.ctx.services.roomSearch.search(ranked.groups, {
        merchantId: req.merchantId,
        loose: ranked.fuzzy,
        limit: 6,
      }),
    ]);
    if (q) await this.record(q, req.merchantId ?? null, req.userId, ranked.ids.length);
    return {
      query: q,
      words: ranked.groups.map((g) => g.word),
      fuzzy: ranked.fuzzy && ranked.ids.length > 0,
      products: {
        items: items.map((p) => ({ ...p, onAir: ranked.onAir.has(p.id) })),
        total: ranked.ids.length,
        page: req.page,
        pageSize: req.pageSize,
      },
      rooms,
    };
  }

  private async record(query: string, merchantId: number | null, userId: number | null, results: number) {
    await this.ctx.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('search_queries')
        .values({ query, merchant_id: merchantId, user_id: userId, results })
        .execute();
      if (userId === null) return;
      await trx
        .insertInto('search_history')
        .values({ user_id: userId, query })
        .onConflict((oc) => oc.columns(['user_id', 'query']).doUpdateSet({ searched_at: sql`now()` }))
        .execute();
      // Keep the newest few: the box shows them, nothing reads older ones.
      await trx
        .deleteFrom('search_history')
        .where('user_id', '=', userId)
        .where(
          'query',
          'not in',
          trx
            .selectFrom('search_history')
            .select('query')
            .where('user_id', '=', userId)
            .orderBy('searched_at', 'desc')
            .orderBy('query')
            .limit(HISTORY_KEPT),
        )
        .execute();
    });
  }

  /**
   * What shoppers searched most in the last week and found something for, each shopper counted
   * once per word (one person typing a word fifty times does not make it hot).
   */
  async hotWords(merchantId?: number): Promise<string[]> {
    let q = this.ctx.db
      .selectFrom('search_queries')
      .select(['query', sql<number>`count(distinct coalesce(user_id::text, 'g' || id::text))`.as('n')])
      .where('created_at', '>', sql<Date>`now() - make_interval(days => ${HOT_WINDOW_DAYS})`)
      .where('results', '>', 0);
    if (merchantId) q = q.where('merchant_id', '=', merchantId);
    const rows = await q.groupBy('query').orderBy('n', 'desc').orderBy('query').limit(HOT_WORDS).execute();
    return rows.map((r) => r.query);
  }

  async history(userId: number): Promise<string[]> {
    const rows = await this.ctx.db
      .selectFrom('search_history')
      .select('query')
      .where('user_id', '=', userId)
      .orderBy('searched_at', 'desc')
      .orderBy('query')
      .limit(HISTORY_KEPT)
      .execute();
    return rows.map((r) => r.query);
  }

  async clearHistory(userId: number): Promise<void> {
    await this.ctx.db.deleteFrom('search_history').where('user_id', '=', userId).execute();
  }

  /** Daily retention: the log only feeds a week of hot words. */
  async pruneLog(db = this.ctx.db): Promise<void> {
    await db
      .deleteFrom('search_queries')
      .where('created_at', '<', sql<Date>`now() - make_interval(days => ${SEARCH_LOG_RETENTION_DAYS})`)
      .execute();
  }
}
