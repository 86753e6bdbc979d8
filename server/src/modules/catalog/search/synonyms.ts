// Synonym groups: any word of a group also finds the others (芒果 → 芒, 贵妃芒). The platform ships a
// few groups every shop needs; a shop adds its own, which widen matches on its own products only.
import { sql, type SqlBool } from 'kysely';
import type { Actor } from '../../../platform/auth/access.ts';
import type { AppContext } from '../../../platform/context.ts';
import type { Db } from '../../../platform/db/types.ts';
import { transact } from '../../../platform/db/transact.ts';
import { badRequest, notFound } from '../../../platform/errors.ts';
import { normaliseWord, type TermGroup } from '../../../platform/text/segment.ts';
import '../tables.ts';

/** Groups every shop gets: produce and apparel names shoppers type in more than one way. */
export const PLATFORM_SYNONYMS: readonly string[][] = [
  ['芒果', '芒', '贵妃芒', '台农芒', '凯特芒', '小台芒'],
  ['车厘子', '樱桃'],
  ['菠萝', '凤梨'],
  ['橙', '橙子', '脐橙', '柑橘', '桔子', '橘子'],
  ['草莓', '士多啤梨'],
  ['t恤', '短袖', 'tee', '体恤'],
  ['卫衣', '连帽衫', 'hoodie'],
  ['连衣裙', '裙子', '长裙', '裙'],
  ['外套', '夹克', '大衣'],
  ['面膜', '贴片面膜'],
  ['精华', '精华液'],
];

export const MAX_GROUPS_PER_SHOP = 200;
const MAX_WORDS = 10;
const MAX_WORD_LENGTH = 20;

export interface SynonymGroup {
  id: number;
  words: string[];
  createdAt: Date;
}

const ROLES = ['merchant_owner', 'merchant_staff'] as const;

export class SynonymService {
  constructor(private readonly ctx: AppContext) {}

  async list(actor: Actor, merchantId: number): Promise<SynonymGroup[]> {
    await this.ctx.services.merchants.requireRole(actor, merchantId);
    const rows = await this.ctx.db
      .selectFrom('search_synonyms')
      .select(['id', 'words', 'created_at'])
      .where('merchant_id', '=', merchantId)
      .orderBy('id')
      .execute();
    return rows.map((r) => ({ id: r.id, words: r.words, createdAt: r.created_at }));
  }

  async add(actor: Actor, merchantId: number, input: string[]): Promise<SynonymGroup> {
    await this.ctx.services.merchants.requireRole(actor, merchantId, [...ROLES]);
    const words = [...new Set(input.map(normaliseWord).filter(Boolean))];
    if (words.length < 2)
      throw badRequest('SYNONYM_TOO_FEW_WORDS', 'A synonym group needs at least two different words');
    if (words.length > MAX_WORDS || words.some((w) => w.length > MAX_WORD_LENGTH || /\s/.test(w)))
      throw badRequest(
        'SYNONYM_WORD_INVALID',
        `Up to ${MAX_WORDS} words of at most ${MAX_WORD_LENGTH} characters, no spaces`,
      );
    return transact(this.ctx.db, async (trx) => {
      // Serialise one shop's additions so the cap holds under concurrent requests.
      await sql`select pg_advisory_xact_lock(hashtextextended(${`search-synonyms:${merchantId}`}, 0))`.execute(trx);
      const count = await trx
        .selectFrom('search_synonyms')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('merchant_id', '=', merchantId)
        .executeTakeFirstOrThrow();
      if (count.n >= MAX_GROUPS_PER_SHOP)
        throw badRequest('SYNONYM_LIMIT_REACHED', `At most ${MAX_GROUPS_PER_SHOP} synonym groups per shop`);
      const row = await trx
        .insertInto('search_synonyms')
        .values({ merchant_id: merchantId, words: JSON.stringify(words) })
        .returning(['id', 'words', 'created_at'])
        .executeTakeFirstOrThrow();
      return { id: row.id, words: row.words, createdAt: row.created_at };
    });
  }

  async remove(actor: Actor, merchantId: number, id: number): Promise<void> {
    await this.ctx.services.merchants.requireRole(actor, merchantId, [...ROLES]);
    const res = await this.ctx.db
      .deleteFrom('search_synonyms')
      .where('id', '=', id)
      .where('merchant_id', '=', merchantId)
      .executeTakeFirst();
    if (Number(res.numDeletedRows) === 0) throw notFound('Synonym group', 'SYNONYM_NOT_FOUND');
  }

  /** Each query word with what also counts for it: platform groups everywhere, shop groups on that shop. */
  async expand(queryWords: string[], db: Db = this.ctx.db): Promise<TermGroup[]> {
    if (queryWords.length === 0) return [];
    const rows = await db
      .selectFrom('search_synonyms')
      .select(['merchant_id', 'words'])
      .where(sql<SqlBool>`words ?| ${sql.val(queryWords)}::text[]`)
      .execute();
    return queryWords.map((word) => {
      const any = new Set([word]);
      for (const g of PLATFORM_SYNONYMS) if (g.includes(word)) for (const w of g) any.add(w);
      const byMerchant = new Map<number, string[]>();
      for (const r of rows) {
        if (!r.words.includes(word)) continue;
        const extra = r.words.filter((w) => !any.has(w));
        if (extra.length) byMerchant.set(r.merchant_id, [...(byMerchant.get(r.merchant_id) ?? []), ...extra]);
      }
      return { word, any: [...any], byMerchant };
    });
  }
}
