// What the bot does with a shopper's message, decided without I/O (so the bench and the tests run
// it on the evaluation set): escalate an angry or threatening message, hand over when asked for a
// person, answer a live-data intent, answer the best FAQ at or above the shop's threshold, else
// hand over. The service (bot-service.ts) then fetches the live data and writes the reply.
import { asksForHuman, type Emotion, emotionOf } from './emotion.ts';
import type { FaqIndex, FaqMatch } from './faq-index.ts';
import { type Intent, intentOf } from './intents.ts';

export type Decision<K> =
  | { kind: 'escalate'; emotion: Emotion }
  | { kind: 'handover'; reason: 'asked' | 'low_confidence' | 'no_match'; best: FaqMatch<K> | null; emotion: Emotion }
  | { kind: 'intent'; intent: Intent; emotion: Emotion }
  | { kind: 'faq'; match: FaqMatch<K>; emotion: Emotion };

/** Confidence reported for a pattern-matched intent or an explicit request: the rule either fires or not. */
export const RULE_CONFIDENCE = 0.9;

export function decide<K>(text: string, faqs: FaqIndex<K>, threshold: number): Decision<K> {
  const emotion = emotionOf(text);
  if (emotion.urgent) return { kind: 'escalate', emotion };
  if (asksForHuman(text)) return { kind: 'handover', reason: 'asked', best: null, emotion };
  const intent = intentOf(text);
  if (intent) return { kind: 'intent', intent, emotion };
  const best = faqs.best(text);
  if (!best) return { kind: 'handover', reason: 'no_match', best: null, emotion };
  if (best.confidence < threshold) return { kind: 'handover', reason: 'low_confidence', best, emotion };
  return { kind: 'faq', match: best, emotion };
}

export function confidenceOf<K>(d: Decision<K>): number {
  if (d.kind === 'faq') return d.match.confidence;
  if (d.kind === 'handover' && d.reason !== 'asked') return d.best?.confidence ?? 0;
  return RULE_CONFIDENCE;
}
