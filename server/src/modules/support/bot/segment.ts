// Chinese word segmentation for the bot: the platform's jieba (platform/text/segment.ts: search
// mode, so 优惠券 also yields 优惠; its dictionary is loaded once per process, shared with product
// search), without particles, pronouns and punctuation, with the synonyms shoppers use for the same
// thing folded onto one word.
import { words } from '../../../platform/text/segment.ts';

// Words that say nothing about what is asked: particles, pronouns, politeness, filler.
const STOP_WORDS = new Set(
  (
    '的 了 吗 呢 吧 啊 呀 哦 哈 嘛 么 啦 喔 噢 哟 我 你 您 他 她 它 我们 你们 他们 亲 亲亲 请问 问 问下 问一下 ' +
    '一下 下 这 那 这个 那个 这件 那件 这款 这条 个 件 款 是 在 就 都 也 还 和 跟 与 或 及 把 被 给 让 又 很 ' +
    '太 好 要 想 会 能 可以 可 吧 呗 嗯 额 那么 这么 一个 有点 一点 有 没 么'
  ).split(' '),
);

// Shoppers' words for one thing, folded onto the word a FAQ is most likely to use.
const SYNONYMS: Record<string, string> = {
  邮费: '运费',
  快递费: '运费',
  包邮: '运费',
  烂: '坏',
  烂果: '坏果',
  坏果: '坏果',
  发霉: '坏',
  软烂: '坏',
  码: '尺码',
  码数: '尺码',
  尺寸: '尺码',
  大小: '尺码',
  褪色: '掉色',
  染色: '掉色',
  毛球: '起球',
  掉毛: '起球',
  材质: '面料',
  料子: '面料',
  成分: '面料',
  几点: '时间',
  什么时候: '时间',
  多久: '时间',
  几天: '时间',
  红包: '优惠券',
  券: '优惠券',
  缩水: '洗',
  清洗: '洗',
  机洗: '洗',
  洗衣机: '洗',
  干洗: '洗',
  送礼: '礼盒',
  送人: '礼盒',
  单果: '果',
  公斤: '尺码',
  kg: '尺码',
  身高: '尺码',
  体重: '尺码',
};

const PUNCTUATION = /^[\p{P}\p{S}\p{Z}\s]+$/u;

/** Full-width to half-width, lower case, collapsed spaces: ＭＭ and mm are one word. */
export function normalise(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** The distinct words of a text that can match a FAQ, in order, synonyms folded. */
export function segment(text: string): string[] {
  const out: string[] = [];
  for (const raw of words(normalise(text))) {
    const word = raw.trim();
    if (!word || PUNCTUATION.test(word) || STOP_WORDS.has(word)) continue;
    // Numbers with a unit (165cm, 50kg) match on the unit: the figure itself is the shopper's own.
    const unit = /^\d+(?:\.\d+)?([a-z]+)$/.exec(word)?.[1];
    if (/^\d+(?:\.\d+)?$/.test(word)) continue;
    const w = unit ?? word;
    out.push(SYNONYMS[w] ?? w);
  }
  return out;
}

/**
 * The words and, for words of two or more Chinese characters, their characters (marked "·x"): jieba
 * cuts the same phrase differently in different sentences (发顺丰 / 顺丰, 偏大 / 偏|大), and the
 * characters still meet when the words do not. IDF keeps common characters cheap.
 */
export function terms(text: string): string[] {
  const out: string[] = [];
  for (const w of segment(text)) {
    out.push(w);
    if (w.length > 1 && /^\p{Script=Han}+$/u.test(w)) for (const ch of w) if (!STOP_WORDS.has(ch)) out.push(`·${ch}`);
  }
  return out;
}
