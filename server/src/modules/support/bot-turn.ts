// The bot's turn (C2's supportBot in bot/): after a shopper's message while the conversation is with
// the bot, a durable job asks it for a reply, stores the answer, and on handover or escalation puts
// the conversation in the human queue (escalation: high priority, and a ticket through tickets/).
// The job runs outside any transaction (the bot reads FAQs and orders through other services) and
// is idempotent: the bot's answer is stored under the client id of the message it answers.
import type { AppContext } from '../../platform/context.ts';
import { transact } from '../../platform/db/transact.ts';
import type { Tx } from '../../platform/db/types.ts';
import type { SupportDelivery } from './delivery.ts';
import { type Pushes, pushMessage, routeToHuman } from './routing.ts';
import { appendMessage, type ConversationRow, lockConversation, type MessageRow } from './store.ts';

/** The contracts of the bot and tickets parts (bot/, tickets/), looked up at call time. */
export interface BotParts {
  supportBot: {
    reply(input: { merchantId: number; userId: number; conversationId: number; text: string }): Promise<{
      action: 'answer' | 'handover' | 'escalate';
      text?: string;
      confidence: number;
      intent?: string;
      urgent: boolean;
    }>;
  };
  supportTickets: {
    openFromConversation(input: {
      merchantId: number;
      conversationId: number;
      userId: number;
      priority: 'normal' | 'high';
      reason: string;
    }): Promise<unknown>;
  };
}
const parts = (ctx: AppContext) => ctx.services as unknown as Partial<BotParts>;

const JOB = 'support.bot_turn';
interface Payload {
  conversationId: number;
  messageId: number;
}

export async function scheduleBotTurn(ctx: AppContext, trx: Tx, conv: ConversationRow, m: MessageRow): Promise<void> {
  await ctx.jobs.schedule(trx, {
    type: JOB,
    payload: { conversationId: conv.id, messageId: m.id } satisfies Payload,
    uniqueKey: `support.bot:${m.id}`,
    maxAttempts: 3,
  });
}

export function registerBotTurn(ctx: AppContext, delivery: SupportDelivery): void {
  ctx.jobs.register<Payload>({
    type: JOB,
    transactional: false,
    async run(job) {
      const bot = parts(ctx).supportBot;
      if (!bot) return;
      const { conversationId, messageId } = job.payload;
      const conv = await ctx.db
        .selectFrom('support_conversations')
        .selectAll()
        .where('id', '=', conversationId)
        .executeTakeFirst();
      const asked = await ctx.db
        .selectFrom('support_messages')
        .selectAll()
        .where('id', '=', messageId)
        .executeTakeFirst();
      if (!conv || !asked || conv.status !== 'bot') return;
      const reply = await bot.reply({
        merchantId: conv.merchant_id,
        userId: conv.user_id,
        conversationId,
        text: asked.text,
      });
      const pushes: Pushes = [];
      const escalate = reply.action === 'escalate';
      const row = await transact(ctx.db, async (trx) => {
        let locked = await lockConversation(trx, conversationId);
        if (locked.status !== 'bot') return null; // a human took over meanwhile
        if (reply.text) {
          const answer = await appendMessage(ctx, trx, locked, {
            sender: 'bot',
            senderUserId: null,
            clientId: `bot:${messageId}`,
            kind: 'text',
            text: reply.text,
            payload: { intent: reply.intent ?? null, confidence: reply.confidence, action: reply.action },
          });
          if (answer.duplicate) return null;
          pushMessage(pushes, answer.conversation, answer.message);
          locked = answer.conversation;
        }
        if (reply.action === 'answer') return null;
        const priority = escalate || reply.urgent ? 'high' : 'normal';
        return routeToHuman(ctx, trx, locked, escalate ? 'bot_escalate' : 'bot_handover', priority, pushes);
      });
      for (const [userIds, frame] of pushes)
        await delivery.publish(userIds, frame).catch((err: unknown) => ctx.log.warn({ err }, 'support publish failed'));
      if (row && escalate)
        await parts(ctx).supportTickets?.openFromConversation({
          merchantId: row.merchant_id,
          conversationId: row.id,
          userId: row.user_id,
          priority: 'high',
          reason: reply.intent ?? 'escalated by the bot',
        });
    },
  });
}
