// Transfer (转接): an agent (or the owner) hands a conversation to a colleague who is not offline and
// has room; the slots move in the same transaction, the shopper is told, and the queue drains.
import type { Actor } from '../../platform/auth/access.ts';
import type { AppContext } from '../../platform/context.ts';
import { transact } from '../../platform/db/transact.ts';
import { conflict, notFound } from '../../platform/errors.ts';
import type { SupportAgents } from './agents.ts';
import type { ConversationService } from './conversations.ts';
import { type Pushes, pushMessage, releaseSlot, takeSlot } from './routing.ts';
import { appendMessage, lockConversation, participants } from './store.ts';
import { updateView } from './views.ts';

/** Hand a conversation to a colleague who is not offline and has room. */
export async function transferConversation(
  ctx: AppContext,
  agents: SupportAgents,
  conversations: ConversationService,

  actor: Actor,
  merchantId: number,
  conversationId: number,
  input: { toUserId: number; note?: string | undefined },
) {
  await ctx.services.merchants.requireRole(actor, merchantId, ['merchant_owner', 'merchant_staff']);
  const conv = await conversations.visible({ as: 'agent', actor, merchantId }, conversationId);
  const role = await ctx.services.directory.memberRole(merchantId, input.toUserId);
  if (role !== 'merchant_owner' && role !== 'merchant_staff') throw notFound('Agent', 'AGENT_NOT_FOUND');
  const note = (input.note ?? '').trim();
  const pushes: Pushes = [];
  const row = await transact(ctx.db, async (trx) => {
    const locked = await lockConversation(trx, conv.id);
    if (locked.status !== 'assigned' || locked.agent_user_id === null)
      throw conflict(
        'CONVERSATION_NOT_ASSIGNED',
        'Only a conversation an agent has can be transferred; pick it instead',
      );
    const from = locked.agent_user_id;
    const mayMove =
      from === actor.userId ||
      (await ctx.services.merchants.requireRole(actor, merchantId, ['merchant_owner', 'merchant_staff'], trx)) !==
        'merchant_staff';
    if (!mayMove) throw conflict('CONVERSATION_NOT_YOURS', 'Only its agent or the shop owner can transfer it');
    if (input.toUserId === from) throw conflict('TRANSFER_TO_SELF', 'This agent has the conversation already');
    if (!(await takeSlot(trx, merchantId, input.toUserId, false)))
      throw conflict('AGENT_AT_CAPACITY', 'That colleague is offline or at capacity');
    await releaseSlot(trx, merchantId, from);
    const now = new Date();
    const moved = await trx
      .updateTable('support_conversations')
      .set({ agent_user_id: input.toUserId, assigned_at: now, updated_at: now })
      .where('id', '=', conv.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await ctx.events.emit(trx, {
      type: 'support.transferred',
      aggregateType: 'support_conversation',
      aggregateId: conv.id,
      payload: {
        merchantId,
        conversationId: conv.id,
        userId: conv.user_id,
        fromAgentUserId: from,
        toAgentUserId: input.toUserId,
        byUserId: actor.userId,
        note,
        transferredAt: now.toISOString(),
      },
    });
    const said = await appendMessage(ctx, trx, moved, {
      sender: 'system',
      senderUserId: null,
      clientId: null,
      kind: 'system',
      text: '已为您转接其他客服',
      payload: { event: 'transferred' },
    });
    pushMessage(pushes, said.conversation, said.message);
    pushes.push([
      [...participants(said.conversation), from],
      { type: 'support.conversation', data: updateView(said.conversation) },
    ]);
    return said.conversation;
  });
  await conversations.flush(pushes);
  await agents.drain(merchantId);
  return updateView(row);
}
