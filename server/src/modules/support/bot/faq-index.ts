// A shop's FAQ as a BM25 index: the question and each alternative phrasing are documents of their
// own (a shopper's words usually match one way of asking, not all of them at once), the answer is a
// weaker one (it names the things asked about: 冷藏, 运费险). A FAQ scores by its best document.
import { Bm25Index } from './bm25.ts';
import { terms as segment } from './segment.ts';

export interface FaqEntry<K> {
  key: K;
  question: string;
  phrasings: readonly string[];
  answer: string;
}

export interface FaqMatch<K> {
  key: K;
  answer: string;
  question: string;
  /** 0..1: how much of the shopper's question the best-matching FAQ text covers (IDF-weighted). */
  confidence: number;
  score: number;
}

const ANSWER_WEIGHT = 0.5;

export class FaqIndex<K> {
  private readonly index: Bm25Index<number>;
  private readonly entries: FaqEntry<K>[];

  constructor(entries: readonly FaqEntry<K>[]) {
    this.entries = [...entries];
    const docs: Array<{ key: number; terms: string[]; weight?: number }> = [];
    this.entries.forEach((e, i) => {
      for (const text of [e.question, ...e.phrasings]) docs.push({ key: i, terms: segment(text) });
      docs.push({ key: i, terms: segment(e.answer), weight: ANSWER_WEIGHT });
    });
    this.index = new Bm25Index(docs);
  }

  get size(): number {
    return this.entries.length;
  }

  /** The best FAQ for a question, or null when nothing in the FAQ shares a word with it. */
  best(text: string): FaqMatch<K> | null {
    return this.rank(text, 1)[0] ?? null;
  }

  /** The `limit` best FAQs, each once (by its best document). */
  rank(text: string, limit = 3): FaqMatch<K>[] {
    const out: FaqMatch<K>[] = [];
    const seen = new Set<number>();
    for (const hit of this.index.search(segment(text))) {
      if (seen.has(hit.key)) continue;
      seen.add(hit.key);
      const e = this.entries[hit.key]!;
      out.push({ key: e.key, answer: e.answer, question: e.question, confidence: hit.coverage, score: hit.score });
      if (out.length >= limit) break;
    }
    return out;
  }
}
