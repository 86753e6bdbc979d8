// The customer-service bot on its evaluation set (server/src/modules/support/bot/eval): 228
// shopper questions to the fruit and clothing demo shops, each labelled with the FAQ, the live-data
// intent, or "hand over" / "escalate" it should get. Prints, at the default threshold and over a
// sweep: answer rate, precision of the answers, bot resolution (right answers / all questions) and
// how many that needed a human reached one; next to a naive baseline from the same run (character
// bigram overlap against the FAQ, no segmentation, no intents, no emotion lexicon).
//   npx tsx bench/support-bot.ts            BOT_THRESHOLD=0.4 npx tsx bench/support-bot.ts
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { PLATFORM_FAQS } from '../server/src/modules/support/bot/default-faqs.ts';
import { decide } from '../server/src/modules/support/bot/decide.ts';
import { FaqIndex, type FaqEntry } from '../server/src/modules/support/bot/faq-index.ts';
import { DEFAULT_THRESHOLD } from '../server/src/modules/support/bot/settings.ts';

interface Question {
  shop: string;
  text: string;
  expect: { faq?: string; intent?: string; action?: 'handover' | 'escalate' };
}
const dir = path.resolve(import.meta.dirname, '../server/src/modules/support/bot/eval');
const faqs = JSON.parse(fs.readFileSync(path.join(dir, 'faqs.json'), 'utf8')) as Record<
  string,
  Array<{ id: string; question: string; phrasings: string[]; answer: string }>
>;
const { questions } = JSON.parse(fs.readFileSync(path.join(dir, 'questions.json'), 'utf8')) as {
  questions: Question[];
};
const entriesOf = (shop: string): FaqEntry<string>[] => [
  ...(faqs[shop] ?? []).map((f) => ({ key: f.id, question: f.question, phrasings: f.phrasings, answer: f.answer })),
  ...PLATFORM_FAQS.map((f) => ({ key: f.key, question: f.question, phrasings: f.phrasings, answer: f.answer })),
];
const expected = (q: Question) =>
  q.expect.faq ? `faq:${q.expect.faq}` : q.expect.intent ? `intent:${q.expect.intent}` : q.expect.action!;

/** Each question's outcome and confidence, once; a threshold then only moves FAQ answers to handover. */
type Outcome = { want: string; got: string; confidence: number; faqKey: string | null };

function runBot(): { outcomes: Outcome[]; micros: number[] } {
  const indexes = new Map(Object.keys(faqs).map((s) => [s, new FaqIndex(entriesOf(s))]));
  const micros: number[] = [];
  const outcomes = questions.map((q) => {
    const t0 = performance.now();
    const d = decide(q.text, indexes.get(q.shop)!, 0);
    micros.push((performance.now() - t0) * 1000);
    const want = expected(q);
    if (d.kind === 'escalate') return { want, got: 'escalate', confidence: 1, faqKey: null };
    if (d.kind === 'intent') return { want, got: `intent:${d.intent}`, confidence: 1, faqKey: null };
    if (d.kind === 'faq')
      return { want, got: `faq:${d.match.key}`, confidence: d.match.confidence, faqKey: d.match.key };
    return { want, got: 'handover', confidence: d.reason === 'asked' ? 1 : 0, faqKey: null };
  });
  return { outcomes, micros };
}

const bigrams = (s: string) => {
  const t = s.replace(/[\p{P}\p{S}\s]/gu, '');
  const out = new Set<string>();
  for (let i = 0; i < t.length - 1; i++) out.add(t.slice(i, i + 2));
  return out;
};
function runBaseline(): Outcome[] {
  return questions.map((q) => {
    const qb = bigrams(q.text);
    let best: { key: string; score: number } | null = null;
    for (const f of entriesOf(q.shop)) {
      for (const text of [f.question, ...f.phrasings]) {
        const fb = bigrams(text);
        const shared = [...qb].filter((b) => fb.has(b)).length;
        const score = qb.size ? shared / qb.size : 0;
        if (score > 0 && (!best || score > best.score)) best = { key: f.key, score };
      }
    }
    const want = expected(q);
    return best
      ? { want, got: `faq:${best.key}`, confidence: best.score, faqKey: best.key }
      : { want, got: 'handover', confidence: 0, faqKey: null };
  });
}

function score(outcomes: Outcome[], threshold: number) {
  let answered = 0;
  let right = 0;
  let needHuman = 0;
  let reachedHuman = 0;
  let angry = 0;
  let escalated = 0;
  for (const o of outcomes) {
    const got = o.faqKey && o.confidence < threshold ? 'handover' : o.got;
    const human = o.want === 'handover' || o.want === 'escalate';
    if (human) needHuman++;
    if (o.want === 'escalate') angry++;
    if (got === 'handover' || got === 'escalate') {
      if (human) reachedHuman++;
      if (o.want === 'escalate' && got === 'escalate') escalated++;
      continue;
    }
    answered++;
    if (got === o.want) right++;
  }
  const n = outcomes.length;
  const pct = (a: number, b: number) => `${b ? ((100 * a) / b).toFixed(1) : '–'} %`.padStart(7);
  return {
    line: (label: string) =>
      `${label.padEnd(22)} answer rate ${pct(answered, n)}  precision ${pct(right, answered)}  ` +
      `resolved ${pct(right, n)}  of answerable ${pct(right, n - needHuman)}  ` +
      `to a human ${pct(reachedHuman, needHuman)}  angry escalated ${pct(escalated, angry)}`,
    resolved: right / n,
  };
}

const { outcomes, micros } = runBot();
const baseline = runBaseline();
const kinds = questions.reduce<Record<string, number>>((m, q) => {
  const k = expected(q).split(':')[0]!;
  m[k] = (m[k] ?? 0) + 1;
  return m;
}, {});
const threshold = Number(process.env.BOT_THRESHOLD ?? DEFAULT_THRESHOLD);
micros.sort((a, b) => a - b);
console.log(
  `Support bot evaluation: ${questions.length} questions (${Object.entries(kinds)
    .map(([k, v]) => `${v} ${k}`)
    .join(', ')}), FAQs: ${Object.entries(faqs)
    .map(([s, f]) => `${s} ${f.length}`)
    .join(', ')} + platform ${PLATFORM_FAQS.length}`,
);
console.log(
  `decision time (segmentation + BM25 + rules, warm): p50 ${micros[Math.floor(micros.length / 2)]!.toFixed(0)} µs, ` +
    `p99 ${micros[Math.floor(micros.length * 0.99)]!.toFixed(0)} µs`,
);
console.log(`\nAt the threshold ${threshold}:`);
console.log(score(outcomes, threshold).line('bot'));
console.log(score(baseline, 0.5).line('baseline (bigrams .5)'));
console.log('\nThreshold sweep (bot | baseline):');
for (const t of [0, 0.1, 0.2, 0.3, 0.35, 0.4, 0.5, 0.6, 0.7, 0.8]) {
  console.log(score(outcomes, t).line(`  bot ${t.toFixed(2)}`));
  console.log(score(baseline, t).line(`  baseline ${t.toFixed(2)}`));
}
const misses = outcomes
  .map((o, i) => ({ o, q: questions[i]! }))
  .filter(({ o }) => (o.faqKey && o.confidence < threshold ? 'handover' : o.got) !== o.want);
console.log(`\nMisses at ${threshold} (${misses.length}):`);
for (const { o, q } of misses)
  console.log(`  [${q.shop}] ${q.text}  want ${o.want}  got ${o.got} (${o.confidence.toFixed(2)})`);
