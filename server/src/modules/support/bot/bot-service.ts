// The bot's reply to one shopper message (the contract C1's conversations call while the bot holds
// a conversation): decide (decide.ts) on the shop's FAQ index and threshold, answer a live-data
// intent with the shopper's own figures, and say what to do next — answer, hand over, escalate.
import type { Actor } from '../../../platform/auth/access.ts';
import type { AppContext } from '../../../platform/context.ts';
import { recordEmotion } from '../tickets/facts.ts';
import { confidenceOf, decide, RULE_CONFIDENCE } from './decide.ts';
import { faqKeyString } from './faq-service.ts';
import { LiveAnswers } from './live-answers.ts';

export interface BotReplyInput {
  merchantId: number;
  userId: number;
  conversationId: number;
  text: string;
}

export interface BotReply {
  action: 'answer' | 'handover' | 'escalate';
  text?: string;
  confidence: number;
  /** faq:<id>, faq:platform:<key>, parcel, return, coupons, complaint, asked_human, low_confidence, no_text. */
  intent?: string;
  urgent: boolean;
}

const MAX_TEXT = 2000;
const NO_TEXT = '收到啦，我帮您转接人工客服来看看，请稍等～';
const HANDOVER_TEXT = '这个问题我先帮您转接人工客服，请稍等，马上就来～';
const ASKED_TEXT = '好的，正在为您转接人工客服，请稍候～';
const ESCALATE_TEXT = '非常抱歉给您带来不好的体验！已经为您优先转接人工客服，并登记了投诉工单，我们会尽快给您答复。';

export class BotService {
  private readonly live: LiveAnswers;

  constructor(private readonly ctx: AppContext) {
    this.live = new LiveAnswers(ctx);
  }

  async reply(input: BotReplyInput): Promise<BotReply> {
    const text = input.text.trim();
    // A picture or a card without words: the bot cannot read it, a person can.
    if (!text) return { action: 'handover', text: NO_TEXT, confidence: 0, intent: 'no_text', urgent: false };
    const asked = text.slice(0, MAX_TEXT);
    const { index, settings } = await this.ctx.services.supportFaqs.indexFor(input.merchantId);
    const d = decide(asked, index, settings.threshold);
    const who = { conversationId: input.conversationId, merchantId: input.merchantId, userId: input.userId };
    await recordEmotion(this.ctx.db, who, d.emotion.score);
    const urgent = d.emotion.urgent;
    switch (d.kind) {
      case 'escalate':
        return { action: 'escalate', text: ESCALATE_TEXT, confidence: RULE_CONFIDENCE, intent: 'complaint', urgent };
      case 'handover':
        return d.reason === 'asked'
          ? { action: 'handover', text: ASKED_TEXT, confidence: RULE_CONFIDENCE, intent: 'asked_human', urgent }
          : { action: 'handover', text: HANDOVER_TEXT, confidence: confidenceOf(d), intent: 'low_confidence', urgent };
      case 'intent': {
        const answer = await this.live.answer(d.intent, input.merchantId, input.userId);
        return { action: 'answer', text: answer.text, confidence: RULE_CONFIDENCE, intent: d.intent, urgent };
      }
      case 'faq':
        return {
          action: 'answer',
          text: d.match.answer,
          confidence: d.match.confidence,
          intent: faqKeyString(d.match.key),
          urgent,
        };
    }
  }

  /** What the bot would do with a question, for the shop testing its FAQ (no live data is read). */
  async preview(actor: Actor, merchantId: number, text: string) {
    await this.ctx.services.merchants.requireRole(actor, merchantId);
    const { index, settings } = await this.ctx.services.supportFaqs.indexFor(merchantId);
    const d = decide(text, index, settings.threshold);
    return {
      action: d.kind === 'faq' || d.kind === 'intent' ? ('answer' as const) : d.kind,
      kind: d.kind,
      intent: d.kind === 'intent' ? d.intent : null,
      confidence: confidenceOf(d),
      threshold: settings.threshold,
      urgent: d.emotion.urgent,
      emotionWords: d.emotion.words,
      candidates: index.rank(text, 3).map((m) => ({
        faq: faqKeyString(m.key),
        question: m.question,
        answer: m.answer,
        confidence: m.confidence,
      })),
    };
  }
}
