// The service-metrics facts: one row per conversation, kept from the conversation events (C1's
// support/events.ts carries everything in its payloads), so the metrics never read the
// conversations' tables. Events may arrive in any order and more than once: each write only fills
// a missing time or keeps the earliest, so replaying them changes nothing.
import { sql } from 'kysely';
import type { AppContext } from '../../../platform/context.ts';
import type { DomainEvents } from '../../../platform/events/catalogue.ts';
import type { Db, Tx } from '../../../platform/db/types.ts';
import './tables.ts';

type Base = { conversationId: number; merchantId: number; userId: number; at: string };
type Fill = {
  queued_at?: Date;
  assigned_at?: Date;
  agent_id?: number;
  first_shopper_at?: Date;
  first_agent_reply_at?: Date;
  closed_at?: Date;
  resolved_by?: string;
  stars?: number;
  handed_over?: boolean;
};

/** Insert the conversation's row if missing, then fill what this event tells (earliest time wins). */
async function fill(db: Db, b: Base, f: Fill) {
  const opened = new Date(b.at);
  await db
    .insertInto('support_conversation_facts')
    .values({ conversation_id: b.conversationId, merchant_id: b.merchantId, user_id: b.userId, opened_at: opened })
    .onConflict((oc) => oc.column('conversation_id').doNothing())
    .execute();
  const earliest = (col: keyof Fill & string, v: Date) => sql<Date>`least(coalesce(${sql.ref(col)}, ${v}), ${v})`;
  const set: Record<string, unknown> = {};
  for (const col of ['queued_at', 'assigned_at', 'first_shopper_at', 'first_agent_reply_at', 'closed_at'] as const) {
    const v = f[col];
    if (v) set[col] = earliest(col, v);
  }
  if (f.agent_id) set.agent_id = sql`coalesce(agent_id, ${f.agent_id})`;
  if (f.resolved_by) set.resolved_by = f.resolved_by;
  if (f.stars) set.stars = f.stars;
  if (f.handed_over) set.handed_over = true;
  await db
    .updateTable('support_conversation_facts')
    .set({ ...set, opened_at: sql<Date>`least(opened_at, ${opened})` })
    .where('conversation_id', '=', b.conversationId)
    .execute();
}

/** The bot saw a message with this emotion score (bot/emotion.ts): keep the highest. */
export async function recordEmotion(db: Db, b: Omit<Base, 'at'>, score: number) {
  if (score <= 0) return;
  await fill(db, { ...b, at: new Date().toISOString() }, {});
  await db
    .updateTable('support_conversation_facts')
    .set({ max_emotion: sql<number>`greatest(max_emotion, ${score})` })
    .where('conversation_id', '=', b.conversationId)
    .execute();
}

export function subscribeFacts(ctx: AppContext): void {
  ctx.events.subscribe({
    name: 'support.metrics_facts',
    events: [
      'support.conversation_opened',
      'support.queued',
      'support.assigned',
      'support.message_sent',
      'support.conversation_closed',
      'support.rated',
    ],
    async handle(e, db) {
      // The payload's type follows the event's name (the bus checked it against the declaration).
      const as = <K extends keyof DomainEvents>(_k: K) => e.payload as unknown as DomainEvents[K];
      switch (e.type) {
        case 'support.conversation_opened': {
          const o = as('support.conversation_opened');
          return fill(db, { ...o, at: o.openedAt }, {});
        }
        case 'support.queued': {
          const q = as('support.queued');
          return fill(
            db,
            { ...q, at: q.queuedAt },
            { queued_at: new Date(q.queuedAt), handed_over: q.reason !== 'no_bot' },
          );
        }
        case 'support.assigned': {
          const a = as('support.assigned');
          return fill(db, { ...a, at: a.assignedAt }, { assigned_at: new Date(a.assignedAt), agent_id: a.agentUserId });
        }
        case 'support.message_sent': {
          const m = as('support.message_sent');
          const base = {
            conversationId: m.conversationId,
            merchantId: m.merchantId,
            userId: m.shopperUserId,
            at: m.sentAt,
          };
          if (m.from === 'shopper') return fill(db, base, { first_shopper_at: new Date(m.sentAt) });
          if (m.from === 'agent') {
            await fill(db, base, {
              first_agent_reply_at: new Date(m.sentAt),
              ...(m.senderUserId ? { agent_id: m.senderUserId } : {}),
            });
            return ctx.services.supportTicketActions.agentReplied(
              db as Tx,
              m.merchantId,
              m.conversationId,
              new Date(m.sentAt),
            );
          }
          if (m.from === 'bot')
            await fill(db, base, {}).then(() =>
              db
                .updateTable('support_conversation_facts')
                .set({ bot_answers: sql<number>`bot_answers + 1` })
                .where('conversation_id', '=', m.conversationId)
                .execute(),
            );
          return;
        }
        case 'support.conversation_closed': {
          const c = as('support.conversation_closed');
          return fill(
            db,
            { ...c, at: c.openedAt },
            {
              closed_at: new Date(c.closedAt),
              resolved_by: c.resolvedBy,
              ...(c.queuedAt ? { queued_at: new Date(c.queuedAt) } : {}),
              ...(c.assignedAt ? { assigned_at: new Date(c.assignedAt) } : {}),
              ...(c.firstResponseAt ? { first_agent_reply_at: new Date(c.firstResponseAt) } : {}),
              ...(c.agentUserId ? { agent_id: c.agentUserId } : {}),
            },
          );
        }
        case 'support.rated': {
          const r = as('support.rated');
          return fill(
            db,
            { ...r, at: r.ratedAt },
            { stars: r.stars, ...(r.agentUserId ? { agent_id: r.agentUserId } : {}) },
          );
        }
      }
    },
  });
}
