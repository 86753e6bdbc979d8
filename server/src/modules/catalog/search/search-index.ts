// Keeps each product's words (products.search_terms) in step with what a shopper reads on its card:
// title, subtitle, its category path and its tags. Written in the transaction of every product write
// (ProductService.createIn / updateIn); rows from before this existed are indexed by the next search.
import { sql } from 'kysely';
import type { Db } from '../../../platform/db/types.ts';
import { termsText } from '../../../platform/text/segment.ts';
import '../tables.ts';

/** Products indexed by one catch-up pass; a search never waits for more than this. */
const CATCH_UP_BATCH = 500;

/** Write the words of `productIds` (any shop: callers have already checked ownership). */
export async function indexProducts(db: Db, productIds: readonly number[]): Promise<void> {
  if (productIds.length === 0) return;
  const rows = await db
    .selectFrom('products as p')
    .leftJoin('categories as c', 'c.id', 'p.category_id')
    .leftJoin('categories as c2', 'c2.id', 'c.parent_id')
    .select([
      'p.id',
      'p.title',
      'p.subtitle',
      'c.name as category',
      'c2.name as parent_category',
      sql<string>`coalesce((select string_agg(t.name, ' ') from product_tags pt join tags t on t.id = pt.tag_id
        where pt.product_id = p.id), '')`.as('tag_names'),
    ])
    .where('p.id', 'in', [...new Set(productIds)])
    .execute();
  for (const r of rows) {
    await db
      .updateTable('products')
      .set({ search_terms: termsText(r.title, r.subtitle, r.category, r.parent_category, r.tag_names) })
      .where('id', '=', r.id)
      .execute();
  }
}

/** Index products never indexed (written before search existed). Returns how many were done. */
export async function indexUnindexed(db: Db): Promise<number> {
  const ids = (
    await db.selectFrom('products').select('id').where('search_terms', 'is', null).limit(CATCH_UP_BATCH).execute()
  ).map((r) => r.id);
  await indexProducts(db, ids);
  return ids.length;
}
