// Aho–Corasick sensitive-word matcher: one pass over the text finds every listed word, however
// many words there are. Text is normalised per character (full-width → half-width, case folded)
// and separators are skipped while matching, so "Ｆ.u c-k" still matches "fuck"; positions map
// back to the original text so masking replaces exactly the offending characters.
import type { WordAction } from './tables.ts';

const SEPARATORS = new Set(
  [...' \t\r\n.,·•-_*~|/\\\'"`!！?？。，、:;：；()（）[]【】{}<>《》+=#@$%^&0'].filter((c) => c !== '0'),
);
const SEVERITY: Record<WordAction, number> = { mask: 1, review: 2, block: 3 };

interface Node {
  next: Map<string, number>;
  fail: number;
  out: Array<{ length: number; action: WordAction; word: string }>;
}

export interface Match {
  word: string;
  action: WordAction;
  start: number;
  end: number;
}
export interface FilterResult {
  /** The strongest action among the matches, or 'allow'. */
  action: WordAction | 'allow';
  /** The text with every matched word's characters replaced by '*'. */
  masked: string;
  matches: Match[];
}

export function normaliseChar(c: string): string {
  const n = c.normalize('NFKC').toLowerCase();
  return n.length === 1 ? n : c.toLowerCase();
}

export class WordFilter {
  private readonly nodes: Node[] = [{ next: new Map(), fail: 0, out: [] }];
  readonly size: number;

  constructor(words: Array<{ word: string; action: WordAction }>) {
    let count = 0;
    for (const { word, action } of words) {
      const chars = [...word].map(normaliseChar).filter((c) => !SEPARATORS.has(c));
      if (chars.length === 0) continue;
      let s = 0;
      for (const c of chars) {
        let nx = this.nodes[s]!.next.get(c);
        if (nx === undefined) {
          nx = this.nodes.length;
          this.nodes.push({ next: new Map(), fail: 0, out: [] });
          this.nodes[s]!.next.set(c, nx);
        }
        s = nx;
      }
      this.nodes[s]!.out.push({ length: chars.length, action, word });
      count++;
    }
    this.size = count;
    // Breadth-first failure links; each node inherits the outputs of its failure target.
    const queue: number[] = [];
    for (const child of this.nodes[0]!.next.values()) queue.push(child);
    for (let i = 0; i < queue.length; i++) {
      const s = queue[i]!;
      for (const [c, child] of this.nodes[s]!.next) {
        let f = this.nodes[s]!.fail;
        while (f !== 0 && !this.nodes[f]!.next.has(c)) f = this.nodes[f]!.fail;
        const target = this.nodes[f]!.next.get(c);
        this.nodes[child]!.fail = target !== undefined && target !== child ? target : 0;
        this.nodes[child]!.out.push(...this.nodes[this.nodes[child]!.fail]!.out);
        queue.push(child);
      }
    }
  }

  check(text: string): FilterResult {
    const chars = [...text];
    const matches: Match[] = [];
    // Positions (in `chars`) of the characters that take part in matching.
    const kept: number[] = [];
    let s = 0;
    for (let i = 0; i < chars.length; i++) {
      const c = normaliseChar(chars[i]!);
      if (SEPARATORS.has(c)) continue;
      kept.push(i);
      while (s !== 0 && !this.nodes[s]!.next.has(c)) s = this.nodes[s]!.fail;
      s = this.nodes[s]!.next.get(c) ?? 0;
      for (const o of this.nodes[s]!.out) {
        matches.push({ word: o.word, action: o.action, start: kept[kept.length - o.length]!, end: i + 1 });
      }
    }
    let action: FilterResult['action'] = 'allow';
    for (const m of matches) if (action === 'allow' || SEVERITY[m.action] > SEVERITY[action]) action = m.action;
    return { action, masked: maskMatches(text, matches), matches };
  }
}

/** Star out the matched characters (separators inside a match are kept). */
export function maskMatches(text: string, matches: Array<{ start: number; end: number }>): string {
  const chars = [...text];
  for (const m of matches)
    for (let i = m.start; i < m.end; i++) if (!SEPARATORS.has(normaliseChar(chars[i]!))) chars[i] = '*';
  return chars.join('');
}
