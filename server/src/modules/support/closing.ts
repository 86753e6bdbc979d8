// Closing a conversation: the agent's slot comes back, the shopper is asked for a rating, and the
// closed event carries the service facts (first response, pickup, resolution time, who resolved it)
// so the metrics need not read these tables.
import type { AppContext } from '../../platform/context.ts';
import type { Tx } from '../../platform/db/types.ts';
import { type Pushes, pushMessage, releaseSlot } from './routing.ts';
import { appendMessage, type ConversationRow, participants } from './store.ts';
import { updateView } from './views.ts';

const seconds = (from: Date | string | null, to: Date | string | null) =>
  from && to ? Math.max(0, Math.floor((new Date(to).getTime() - new Date(from).getTime()) / 1000)) : null;

export async function finishConversation(
  ctx: AppContext,
  trx: Tx,
  conv: ConversationRow,
  closedBy: 'agent' | 'shopper' | 'system',
  pushes: Pushes,
): Promise<ConversationRow> {
  const bye = await appendMessage(ctx, trx, conv, {
    sender: 'system',
    senderUserId: null,
    clientId: null,
    kind: 'system',
    text: '本次会话已结束，欢迎为我们的服务评分',
    payload: { event: 'closed' },
  });
  pushMessage(pushes, bye.conversation, bye.message);
  if (conv.status === 'assigned' && conv.agent_user_id !== null)
    await releaseSlot(trx, conv.merchant_id, conv.agent_user_id);
  const now = new Date();
  const row = await trx
    .updateTable('support_conversations')
    .set({ status: 'closed', closed_at: now, closed_by: closedBy, updated_at: now })
    .where('id', '=', conv.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  const bot = await trx
    .selectFrom('support_messages')
    .select('id')
    .where('conversation_id', '=', conv.id)
    .where('sender', '=', 'bot')
    .limit(1)
    .executeTakeFirst();
  await ctx.events.emit(trx, {
    type: 'support.conversation_closed',
    aggregateType: 'support_conversation',
    aggregateId: conv.id,
    payload: {
      merchantId: row.merchant_id,
      conversationId: row.id,
      userId: row.user_id,
      agentUserId: row.agent_user_id,
      closedBy,
      resolvedBy: row.human_joined ? 'agent' : bot ? 'bot' : 'none',
      openedAt: new Date(row.created_at).toISOString(),
      queuedAt: row.queued_at ? new Date(row.queued_at).toISOString() : null,
      assignedAt: row.assigned_at ? new Date(row.assigned_at).toISOString() : null,
      firstResponseAt: row.first_response_at ? new Date(row.first_response_at).toISOString() : null,
      firstResponseSeconds: seconds(row.first_shopper_at, row.first_response_at),
      pickupSeconds: seconds(row.queued_at, row.assigned_at),
      resolutionSeconds: seconds(row.created_at, now) ?? 0,
      messages: row.last_seq,
      closedAt: now.toISOString(),
    },
  });
  pushes.push([participants(row), { type: 'support.conversation', data: updateView(row) }]);
  return row;
}
