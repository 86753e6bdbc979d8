// Chinese word segmentation for search (jieba), shared by every module that indexes its own rows
// (catalog products, live rooms). Chinese has no spaces, so a substring match cannot tell 芒果 from
// 芒果干 nor find 贵妃芒 for 芒果; words plus synonyms can. A row's words are stored as one string
// " w1 w2 … " so `like '% w %'` matches a whole word on PGlite and PostgreSQL alike.
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';
import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';

let jieba: Jieba | undefined;
// Loading the dictionary takes ~150 ms: only the first search or write pays it.
const segmenter = (): Jieba => {
  jieba ??= Jieba.withDict(dict);
  return jieba;
};

/** Stop words and symbols that would match everything. */
const NOISE = new Set(['的', '了', '和', '与', '及', '装', '款', '新', '·', '-', '/', '|', '+']);

/** Normalise one word: lower case, full-width ASCII folded to half-width, control characters dropped. */
export function normaliseWord(w: string): string {
  return w
    .replace(/\p{Cc}/gu, '') // NUL and friends: PostgreSQL text cannot hold them
    .replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .toLowerCase()
    .trim();
}

/** The distinct words of a text, in order (search mode: long words also give their parts). */
export function words(text: string): string[] {
  const out = new Set<string>();
  for (const raw of segmenter().cutForSearch(normaliseWord(text.slice(0, 2000)), true)) {
    const w = normaliseWord(raw);
    if (!w || NOISE.has(w) || !/[\p{L}\p{N}]/u.test(w)) continue;
    out.add(w);
  }
  return [...out];
}

/** What is stored in a row's `search_terms` column: its words, space-delimited on both sides. */
export function termsText(...texts: Array<string | null | undefined>): string {
  const all = new Set<string>();
  for (const t of texts) if (t) for (const w of words(t)) all.add(w);
  return all.size ? ` ${[...all].join(' ')} ` : ' ';
}

const likeEscape = (w: string) => w.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * One query word and what also counts for it: `any` everywhere, `byMerchant` only on that shop's rows
 * (a shop's own synonyms must not change what other shops' rows match).
 */
export interface TermGroup {
  word: string;
  any: string[];
  byMerchant: Map<number, string[]>;
}

const likeAny = (column: Expression<unknown>, alts: string[]): RawBuilder<SqlBool> =>
  sql<SqlBool>`(${sql.join(
    alts.map((a) => sql`${column} like ${`% ${likeEscape(a)} %`}`),
    sql` or `,
  )})`;

/** True when the row (words in `column`, shop in `merchantColumn`) has one of the group's words. */
export function groupMatches(
  column: Expression<unknown>,
  merchantColumn: Expression<unknown>,
  g: TermGroup,
): RawBuilder<SqlBool> {
  const parts = [likeAny(column, g.any)];
  for (const [merchantId, alts] of g.byMerchant)
    parts.push(sql<SqlBool>`(${merchantColumn} = ${merchantId} and ${likeAny(column, alts)})`);
  return sql<SqlBool>`(${sql.join(parts, sql` or `)})`;
}

/** How many of the groups a row matches (a number for ranking). */
export function groupsMatched(
  column: Expression<unknown>,
  merchantColumn: Expression<unknown>,
  groups: TermGroup[],
): RawBuilder<number> {
  if (groups.length === 0) return sql<number>`0`;
  return sql<number>`(${sql.join(
    groups.map((g) => sql`(case when ${groupMatches(column, merchantColumn, g)} then 1 else 0 end)`),
    sql` + `,
  )})`;
}

/** The CJK characters of a query, for the typo fallback (one wrong character in 草每 still shares 草). */
export function hanChars(text: string): string[] {
  return [...new Set([...text].filter((c) => /\p{Script=Han}/u.test(c)))];
}
