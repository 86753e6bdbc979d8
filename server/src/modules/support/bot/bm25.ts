// Okapi BM25 over segmented documents, written here because it is forty lines and the npm ones
// either pull in their own (English) tokenisers or are unmaintained. Pure: the index is built from
// term lists and scores term lists, so it is tested on its own (bm25.property.test.ts).
export interface Bm25Options {
  /** Term-frequency saturation. */
  k1?: number;
  /** Length normalisation (0: none, 1: full). */
  b?: number;
}

export interface Bm25Hit<K> {
  key: K;
  score: number;
  /** Share (0..1) of the query's IDF mass that this document contains: how much of the question it covers. */
  coverage: number;
}

export class Bm25Index<K> {
  private readonly docs: Array<{ key: K; weight: number; tf: Map<string, number>; length: number }>;
  private readonly df = new Map<string, number>();
  private readonly avgLength: number;
  private readonly k1: number;
  private readonly b: number;

  constructor(docs: ReadonlyArray<{ key: K; terms: readonly string[]; weight?: number }>, opts: Bm25Options = {}) {
    this.k1 = opts.k1 ?? 1.2;
    this.b = opts.b ?? 0.75;
    this.docs = docs.map((d) => {
      const tf = new Map<string, number>();
      for (const t of d.terms) tf.set(t, (tf.get(t) ?? 0) + 1);
      for (const t of tf.keys()) this.df.set(t, (this.df.get(t) ?? 0) + 1);
      return { key: d.key, weight: d.weight ?? 1, tf, length: d.terms.length };
    });
    this.avgLength = this.docs.reduce((n, d) => n + d.length, 0) / Math.max(1, this.docs.length);
  }

  get size(): number {
    return this.docs.length;
  }

  /** Always positive (the "+1" form), so a term in every document still counts a little. */
  idf(term: string): number {
    const n = this.df.get(term) ?? 0;
    return Math.log(1 + (this.docs.length - n + 0.5) / (n + 0.5));
  }

  /** Every document with a score above zero, best first (ties: the earlier document); the query is a set of words. */
  search(query: readonly string[]): Bm25Hit<K>[] {
    const terms = [...new Set(query)];
    const mass = terms.reduce((n, t) => n + this.idf(t), 0);
    const hits: Array<Bm25Hit<K> & { at: number }> = [];
    this.docs.forEach((d, at) => {
      let score = 0;
      let covered = 0;
      for (const t of terms) {
        const f = d.tf.get(t);
        if (!f) continue;
        const norm = 1 - this.b + (this.b * d.length) / (this.avgLength || 1);
        score += (this.idf(t) * (f * (this.k1 + 1))) / (f + this.k1 * norm);
      }
      for (const t of terms) if (d.tf.has(t)) covered += this.idf(t);
      if (score > 0) hits.push({ key: d.key, score: score * d.weight, coverage: mass ? covered / mass : 0, at });
    });
    hits.sort((x, y) => y.score - x.score || x.at - y.at);
    return hits.map(({ key, score, coverage }) => ({ key, score, coverage }));
  }
}
