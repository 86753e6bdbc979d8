// The bot's decision without I/O: segmentation + BM25 rank the right FAQ of the demo shops, the
// threshold hands over, the emotion lexicon (with negation) escalates, intents are recognised; and
// properties of BM25: a query word a document has counts for it, one it lacks does not.
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Bm25Index } from './bm25.ts';
import { decide } from './decide.ts';
import { asksForHuman, emotionOf } from './emotion.ts';
import { FaqIndex } from './faq-index.ts';
import { intentOf } from './intents.ts';
import { segment } from './segment.ts';

const faqs = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, 'eval/faqs.json'), 'utf8')) as Record<
  string,
  Array<{ id: string; question: string; phrasings: string[]; answer: string }>
>;
const shop = (name: string) => new FaqIndex(faqs[name]!.map((f) => ({ ...f, key: f.id })));

describe('segmentation and BM25 ranking', () => {
  it('segments Chinese into words without particles and folds synonyms', () => {
    expect(segment('请问包邮吗？')).toEqual(['运费']);
    expect(segment('我的优惠券在哪')).toContain('优惠券');
    expect(segment('这件衣服是什么材质')).toContain('面料');
  });

  it.each([
    ['fruit', '收到的水果坏了好几个怎么办', 'fruit-bad'],
    ['fruit', '车厘子要放冰箱吗', 'fruit-storage'],
    ['fruit', '能寄到新疆吗', 'fruit-area'],
    ['clothing', '洗了会缩水吗', 'cloth-wash'],
    ['clothing', '退回来的运费谁出', 'cloth-insurance'],
    ['clothing', '身高165体重55穿什么码', 'cloth-size'],
  ])('ranks the right FAQ first (%s: %s)', (name, text, id) => {
    expect(shop(name).best(text)?.key).toBe(id);
  });

  it('answers at or above the threshold and hands over below it', () => {
    const idx = shop('fruit');
    const text = '芒果硬邦邦的要放几天';
    const confidence = idx.best(text)!.confidence;
    expect(confidence).toBeGreaterThan(0);
    expect(confidence).toBeLessThan(1);
    expect(decide(text, idx, confidence).kind).toBe('faq');
    const strict = decide(text, idx, confidence + 0.01);
    expect(strict.kind === 'handover' && strict.reason).toBe('low_confidence');
    expect(decide('你们老板是谁', idx, 0.35).kind).toBe('handover');
  });
});

describe('emotion, handover and intents', () => {
  it('escalates threats to complain and anger, not their negation', () => {
    expect(emotionOf('再不退款我就打12315投诉你们').urgent).toBe(true);
    expect(emotionOf('你们就是骗子').urgent).toBe(true);
    expect(emotionOf('我不是要投诉，就问问什么时候发货').urgent).toBe(false);
    expect(emotionOf('我不想退钱，换一个就行').urgent).toBe(false);
    expect(emotionOf('有点失望').urgent).toBe(false);
    expect(emotionOf('有点失望！！').urgent).toBe(true);
  });

  it('hands over when the shopper asks for a person, not when asking about service hours', () => {
    expect(asksForHuman('转人工')).toBe(true);
    expect(asksForHuman('我不要机器人，找个人')).toBe(true);
    expect(asksForHuman('人工客服几点上班')).toBe(false);
    expect(decide('转人工', shop('fruit'), 0).kind).toBe('handover');
  });

  it('recognises the live-data intents and leaves the FAQ questions that share their words', () => {
    expect(intentOf('我的快递到哪了')).toBe('parcel');
    expect(intentOf('这个能退吗')).toBe('return');
    expect(intentOf('我有几张券')).toBe('coupons');
    expect(intentOf('优惠券怎么用')).toBeNull();
    expect(intentOf('退货运费谁出')).toBeNull();
    expect(intentOf('发什么快递')).toBeNull();
  });
});

describe('BM25 properties', () => {
  const words = ['芒果', '坏', '运费', '尺码', '洗', '快递', '冷藏', '礼盒', '甜', '面料'] as const;
  const word = fc.constantFrom(...words);
  const doc = fc.array(word, { minLength: 1, maxLength: 8 });

  // Growing one document also changes its length and every word's IDF, which can lower its score (the
  // 面料 it matched counts for less once 冷藏 is everywhere). What BM25 does promise: of two documents
  // of the same length in the same index, differing in one word, the one with the query's word ranks higher.
  it('of two same-length documents differing in one word, the one with a query word scores higher', () => {
    fc.assert(
      fc.property(
        fc.array(doc, { minLength: 0, maxLength: 5 }),
        doc,
        fc.array(word, { minLength: 1, maxLength: 4 }),
        (others, shared, query) => {
          const outside = words.find((w) => !query.includes(w))!;
          const corpus = [[...shared, query[0]!], [...shared, outside], ...others];
          const idx = new Bm25Index(corpus.map((terms, key) => ({ key, terms })));
          const hits = idx.search(query);
          const score = (k: number) => hits.find((h) => h.key === k)?.score ?? 0;
          expect(score(0)).toBeGreaterThan(score(1));
          for (const h of hits) {
            expect(h.coverage).toBeGreaterThanOrEqual(0);
            expect(h.coverage).toBeLessThanOrEqual(1);
          }
        },
      ),
    );
  });

  it('a query word the document has adds to its score, one it lacks does not', () => {
    fc.assert(
      fc.property(fc.array(doc, { minLength: 2, maxLength: 6 }), word, (docs, extra) => {
        const idx = new Bm25Index(docs.map((terms, key) => ({ key, terms })));
        const base = ['礼盒'];
        for (const [k, d] of docs.entries()) {
          const s0 = idx.search(base).find((h) => h.key === k)?.score ?? 0;
          const s1 = idx.search([...base, extra]).find((h) => h.key === k)?.score ?? 0;
          if (d.includes(extra) && extra !== base[0]) expect(s1).toBeGreaterThan(s0);
          else expect(s1).toBeCloseTo(s0, 9);
        }
      }),
    );
  });
});
