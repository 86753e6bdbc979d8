// Emotion and urgency from a lexicon: words of anger, threats to complain (投诉, 12315, 消协) and
// demands for money back weigh in; a negation just before a word ("不是投诉", "没说你们骗子") cancels
// it, which is cheap and catches the common case. An urgent message goes to a human at once.
import { normalise } from './segment.ts';

/** Word → weight. 2: urgent on its own; 1: urgent with another sign (a second word, "！", "马上"). */
const LEXICON: Record<string, number> = {
  投诉: 2,
  '12315': 2,
  '12345': 2,
  消协: 2,
  工商局: 2,
  市场监管: 2,
  举报: 2,
  曝光: 2,
  起诉: 2,
  律师: 2,
  骗子: 2,
  骗人: 2,
  欺诈: 2,
  黑店: 2,
  坑人: 2,
  退钱: 2,
  要个说法: 2,
  给我个说法: 2,
  给个说法: 2,
  垃圾: 2,
  破店: 2,
  气死: 2,
  死哪: 2,
  差劲: 1,
  太差: 1,
  恶心: 1,
  无语: 1,
  失望: 1,
  生气: 1,
  愤怒: 1,
  离谱: 1,
  过分: 1,
  忍无可忍: 2,
  滚: 1,
  妈的: 2,
  半天没人: 1,
  没人回: 1,
  不认: 1,
  发错货: 1,
};

const NEGATIONS = ['不是', '没有', '不会', '不想', '不用', '不', '没', '别', '未'];
const INTENSIFIERS = /[!！]{1,}|马上|立刻|赶紧|立即|必须/;

export interface Emotion {
  /** Sum of the weights of the words found (negated ones left out). */
  score: number;
  words: string[];
  urgent: boolean;
}

/** A negation right before the word, or before one helper verb in between (不是要投诉, 不想退钱). */
function negated(text: string, at: number): boolean {
  let before = text.slice(Math.max(0, at - 4), at);
  if (/[要想会是说用]$/.test(before) && !NEGATIONS.some((n) => before.endsWith(n))) before = before.slice(0, -1);
  return NEGATIONS.some((n) => before.endsWith(n));
}

export function emotionOf(raw: string): Emotion {
  const text = normalise(raw);
  let score = 0;
  const words: string[] = [];
  for (const [word, weight] of Object.entries(LEXICON)) {
    let at = text.indexOf(word);
    while (at >= 0) {
      if (!negated(text, at)) {
        score += weight;
        words.push(word);
        break;
      }
      at = text.indexOf(word, at + word.length);
    }
  }
  if (score > 0 && INTENSIFIERS.test(text)) score += 1;
  return { score, words, urgent: score >= 2 };
}

/** The shopper asks for a person ("转人工", "找个真人", "不要机器人"). */
export function asksForHuman(raw: string): boolean {
  const text = normalise(raw);
  // "人工客服几点上班" asks about the service hours, not for a person now.
  if (/几点|时间|上班|下班|在线吗|有没有人工|什么时候/.test(text)) return false;
  return /转人工|人工客服|^人工$|找人工|要人工|真人|活人|找个人|不要机器人|别用机器人|机器人.{0,4}(不行|没用)/.test(
    text,
  );
}
