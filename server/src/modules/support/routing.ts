// Who answers: staff availability (online / busy / away / offline) and capacity, automatic
// round-robin (the online agent with room who was given a conversation longest ago), the waiting
// queue (queued while every online agent is full, left_message while nobody is online) and how it
// drains when an agent frees up. Capacity is a counter moved by conditional updates
// (`active < capacity`), so two nodes assigning at once never push an agent past it.
import type { AppContext } from '../../platform/context.ts';
import type { Tx } from '../../platform/db/types.ts';
import type { SupportFrame } from './delivery.ts';
import { appendMessage, type ConversationRow, type MessageRow, participants } from './store.ts';
import type { Priority } from './tables.ts';
import { messageView, updateView } from './views.ts';

export type QueueReason = 'shopper_asked' | 'bot_handover' | 'bot_escalate' | 'no_bot' | 'agent_left';
/** Frames to publish once the transaction commits: (user ids, frame). */
export type Pushes = Array<[number[], SupportFrame]>;

export const WAITING = ['queued', 'left_message'] as const;

/** Take one slot of the next online agent with room (round-robin), or null when none has room. */
export async function takeAgent(ctx: AppContext, trx: Tx, merchantId: number): Promise<number | null> {
  const candidates = await trx
    .selectFrom('support_agents')
    .select('user_id')
    .where('merchant_id', '=', merchantId)
    .where('status', '=', 'online')
    .whereRef('active', '<', 'capacity')
    .orderBy((eb) => eb.fn.coalesce('last_assigned_at', eb.val(new Date(0))))
    .orderBy('user_id')
    .limit(20)
    .execute();
  for (const { user_id } of candidates) {
    // Someone who left the team keeps no conversations.
    if (!(await ctx.services.directory.memberRole(merchantId, user_id, trx))) {
      await setOffline(trx, merchantId, user_id);
      continue;
    }
    if (await takeSlot(trx, merchantId, user_id, true)) return user_id;
  }
  return null;
}

/** One more conversation for this agent, if under capacity (and online, when `onlineOnly`). */
export async function takeSlot(trx: Tx, merchantId: number, userId: number, onlineOnly: boolean): Promise<boolean> {
  let q = trx
    .updateTable('support_agents')
    .set((eb) => ({ active: eb('active', '+', 1), last_assigned_at: new Date() }))
    .where('merchant_id', '=', merchantId)
    .where('user_id', '=', userId)
    .whereRef('active', '<', 'capacity');
  q = onlineOnly ? q.where('status', '=', 'online') : q.where('status', '<>', 'offline');
  return Number((await q.executeTakeFirst()).numUpdatedRows) === 1;
}

export async function releaseSlot(trx: Tx, merchantId: number, userId: number): Promise<void> {
  await trx
    .updateTable('support_agents')
    .set((eb) => ({ active: eb('active', '-', 1) }))
    .where('merchant_id', '=', merchantId)
    .where('user_id', '=', userId)
    .where('active', '>', 0)
    .execute();
}

async function setOffline(trx: Tx, merchantId: number, userId: number): Promise<void> {
  await trx
    .updateTable('support_agents')
    .set({ status: 'offline', updated_at: new Date() })
    .where('merchant_id', '=', merchantId)
    .where('user_id', '=', userId)
    .execute();
}

export async function onlineAgents(trx: Tx, merchantId: number): Promise<number[]> {
  const rows = await trx
    .selectFrom('support_agents')
    .select('user_id')
    .where('merchant_id', '=', merchantId)
    .where('status', '=', 'online')
    .execute();
  return rows.map((r) => r.user_id);
}

/**
 * Hand a locked conversation to a human: to an agent with room now, else into the queue (someone is
 * online but full) or the leave-a-message state (nobody online). No-op when an agent already has it.
 */
export async function routeToHuman(
  ctx: AppContext,
  trx: Tx,
  conv: ConversationRow,
  reason: QueueReason,
  priority: Priority,
  pushes: Pushes,
): Promise<ConversationRow> {
  if (conv.status === 'assigned' || conv.status === 'closed') return conv;
  const now = new Date();
  const raised: Priority = priority === 'high' || conv.priority === 'high' ? 'high' : 'normal';
  const agent = await takeAgent(ctx, trx, conv.merchant_id);
  const status =
    agent !== null ? 'assigned' : (await onlineAgents(trx, conv.merchant_id)).length ? 'queued' : 'left_message';
  const queuedAt = conv.queued_at ?? now;
  let row = await trx
    .updateTable('support_conversations')
    .set({
      status,
      priority: raised,
      queue_reason: reason,
      queued_at: queuedAt,
      updated_at: now,
      ...(agent !== null ? { agent_user_id: agent, assigned_at: now } : {}),
    })
    .where('id', '=', conv.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await ctx.events.emit(trx, {
    type: 'support.queued',
    aggregateType: 'support_conversation',
    aggregateId: conv.id,
    payload: {
      merchantId: conv.merchant_id,
      conversationId: conv.id,
      userId: conv.user_id,
      status: status === 'assigned' ? 'queued' : status,
      priority: raised,
      reason,
      queuedAt: new Date(queuedAt).toISOString(),
    },
  });
  if (agent !== null) await emitAssigned(ctx, trx, row, 'auto');
  const text =
    status === 'assigned'
      ? '已为您接通人工客服'
      : status === 'queued'
        ? '正在为您转接人工客服，请稍候'
        : '客服暂时不在线，请留言，我们会尽快回复您';
  const appended = await appendMessage(ctx, trx, row, {
    sender: 'system',
    senderUserId: null,
    clientId: null,
    kind: 'system',
    text,
    payload: { event: status },
  });
  row = appended.conversation;
  pushMessage(pushes, row, appended.message);
  const watchers = status === 'assigned' ? [] : await onlineAgents(trx, conv.merchant_id);
  pushes.push([[...participants(row), ...watchers], { type: 'support.conversation', data: updateView(row) }]);
  return row;
}

export async function emitAssigned(ctx: AppContext, trx: Tx, row: ConversationRow, how: 'auto' | 'picked') {
  const assignedAt = row.assigned_at ? new Date(row.assigned_at) : new Date();
  const queuedAt = row.queued_at ? new Date(row.queued_at) : null;
  await ctx.events.emit(trx, {
    type: 'support.assigned',
    aggregateType: 'support_conversation',
    aggregateId: row.id,
    payload: {
      merchantId: row.merchant_id,
      conversationId: row.id,
      userId: row.user_id,
      agentUserId: row.agent_user_id!,
      how,
      queuedAt: queuedAt?.toISOString() ?? null,
      assignedAt: assignedAt.toISOString(),
      waitSeconds: queuedAt ? Math.max(0, Math.floor((assignedAt.getTime() - queuedAt.getTime()) / 1000)) : 0,
    },
  });
}

export function pushMessage(pushes: Pushes, row: ConversationRow, m: MessageRow): void {
  pushes.push([
    participants(row),
    {
      type: 'support.message',
      data: { conversationId: row.id, merchantId: row.merchant_id, message: messageView(m) },
    },
  ]);
}
