// Shopper search: the query's words (jieba) with their synonyms must all be among a product's words;
// when nothing matches, a typo-tolerant fallback (any word, shared characters, trigram similarity).
// Results rank goods on air in a live room and in stock first, then by how well they match.
import { sql, type SqlBool } from 'kysely';
import type { AppContext } from '../../../platform/context.ts';
import type { Db } from '../../../platform/db/types.ts';
import {
  groupMatches,
  groupsMatched,
  hanChars,
  normaliseWord,
  words,
  type TermGroup,
} from '../../../platform/text/segment.ts';
import { escapeLike } from '../../inventory/inventory-service.ts';
import { indexUnindexed } from './search-index.ts';
import '../tables.ts';

/** Matches ranked per query: a shopper reads the first pages, never the 200th result. */
const MAX_CANDIDATES = 200;
const MAX_QUERY_WORDS = 8;
/** word_similarity above which a title counts as a near miss of the query (typos in latin words). */
const NEAR_MISS = 0.4;

export interface RankedMatch {
  /** Matching product ids, best first. */
  ids: number[];
  onAir: Set<number>;
  /** True when nothing matched every word and these are the fallback's near misses. */
  fuzzy: boolean;
  groups: TermGroup[];
}

interface Candidate {
  id: number;
  sales: number;
  score: number;
}

export class ProductSearch {
  constructor(private readonly ctx: AppContext) {}

  /** The query's words with their synonyms (empty when the query has no searchable word). */
  async groupsOf(q: string, db: Db = this.ctx.db): Promise<TermGroup[]> {
    return this.ctx.services.searchSynonyms.expand(words(q).slice(0, MAX_QUERY_WORDS), db);
  }

  /** On-shelf products of public shops matching `q`, ranked. */
  async rank(q: string, merchantId?: number): Promise<RankedMatch> {
    const db = this.ctx.db;
    await indexUnindexed(db);
    const groups = await this.groupsOf(q, db);
    let fuzzy = false;
    let found = groups.length ? await this.candidates(db, q, groups, 'all', merchantId) : [];
    if (found.length === 0) {
      fuzzy = true;
      found = await this.candidates(db, q, groups, 'near', merchantId);
    }
    const ids = found.map((c) => c.id);
    const [stock, onAir] = await Promise.all([
      this.stockOf(ids, db),
      this.ctx.services.roomSearch.onAirProducts(ids, db),
    ]);
    const key = (c: Candidate) => [(stock.get(c.id) ?? 0) > 0 ? 1 : 0, onAir.has(c.id) ? 1 : 0, c.score, c.sales, c.id];
    found.sort((a, b) => {
      const ka = key(a);
      const kb = key(b);
      for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return kb[i]! - ka[i]!;
      return 0;
    });
    return { ids: found.map((c) => c.id), onAir, fuzzy, groups };
  }

  private async candidates(
    db: Db,
    q: string,
    groups: TermGroup[],
    mode: 'all' | 'near',
    merchantId?: number,
  ): Promise<Candidate[]> {
    const terms = sql.ref('p.search_terms');
    const shop = sql.ref('p.merchant_id');
    const text = normaliseWord(q).slice(0, 60);
    const inTitle = sql<number>`(case when p.title ilike ${`%${escapeLike(text)}%`} then 1 else 0 end)`;
    const matched = groupsMatched(terms, shop, groups);
    const chars = hanChars(text);
    const charHits = chars.length
      ? sql<number>`(${sql.join(
          chars.map((c) => sql`(case when p.title like ${`%${c}%`} then 1 else 0 end)`),
          sql` + `,
        )})`
      : sql<number>`0`;
    let where: ReturnType<typeof sql<SqlBool>>;
    if (mode === 'all') {
      where = sql<SqlBool>`(${sql.join(
        groups.map((g) => groupMatches(terms, shop, g)),
        sql` and `,
      )})`;
    } else {
      // A near miss: any word, at least half of the query's characters (草每 → 草莓), or a title
      // trigram-close to the query (iphnoe → iPhone).
      const parts = [
        ...groups.map((g) => groupMatches(terms, shop, g)),
        sql<SqlBool>`word_similarity(${text}, p.title) >= ${NEAR_MISS}`,
      ];
      if (chars.length >= 2) parts.push(sql<SqlBool>`${charHits} * 2 >= ${chars.length}`);
      where = sql<SqlBool>`(${sql.join(parts, sql` or `)})`;
    }
    let query = db
      .selectFrom('products as p')
      .select([
        'p.id',
        'p.sales',
        sql<number>`(${matched} * 4 + ${inTitle} * 2 + ${charHits}::float / ${Math.max(chars.length, 1)}
          + word_similarity(${text}, p.title))`.as('score'),
      ])
      .where('p.status', '=', 'on_shelf')
      .where('p.deleted_at', 'is', null)
      .where('p.merchant_id', 'in', this.ctx.services.merchants.publicMerchantIds())
      .where(where);
    if (merchantId) query = query.where('p.merchant_id', '=', merchantId);
    const rows = await query.orderBy('score', 'desc').orderBy('p.id', 'desc').limit(MAX_CANDIDATES).execute();
    return rows.map((r) => ({ id: r.id, sales: r.sales, score: Number(r.score) }));
  }

  /** Each product's available stock over its enabled SKUs (inventory's figures). */
  private async stockOf(productIds: number[], db: Db): Promise<Map<number, number>> {
    const skus = await this.ctx.services.catalog.enabledSkusOf(productIds, db);
    const available = await this.ctx.services.inventory.available([...skus.values()].flat(), db);
    const out = new Map<number, number>();
    for (const [productId, skuIds] of skus)
      out.set(
        productId,
        skuIds.reduce((sum, id) => sum + (available.get(id) ?? 0), 0),
      );
    return out;
  }
}
