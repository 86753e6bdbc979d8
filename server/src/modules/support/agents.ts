// The shop's side of routing: staff availability and capacity, the waiting queue with wait times,
// picking a conversation, transferring it to a colleague, and draining the queue whenever an agent
// comes online or frees a slot (high priority first, then the longest wait).
import type { Actor } from '../../platform/auth/access.ts';
import type { AppContext } from '../../platform/context.ts';
import { transact } from '../../platform/db/transact.ts';
import type { Db } from '../../platform/db/types.ts';
import { conflict, notFound } from '../../platform/errors.ts';
import type { ConversationService } from './conversations.ts';
import { transferConversation } from './transfer.ts';
import { emitAssigned, type Pushes, pushMessage, takeAgent, takeSlot, WAITING } from './routing.ts';
import { appendMessage, lockConversation, participants } from './store.ts';
import type { AgentStatus, ConversationStatus } from './tables.ts';
import { conversationView, updateView } from './views.ts';

const OPERATORS = ['merchant_owner', 'merchant_staff'] as const;
/** Conversations assigned per drain at most: a burst of frees cannot keep one request busy for long. */
const DRAIN_BATCH = 50;

export class SupportAgents {
  constructor(
    private readonly ctx: AppContext,
    private readonly conversations: ConversationService,
  ) {}

  private requireStaff(
    actor: Actor,
    merchantId: number,
    roles: Array<(typeof OPERATORS)[number]> = [...OPERATORS],
    db: Db = this.ctx.db,
  ) {
    return this.ctx.services.merchants.requireRole(actor, merchantId, roles, db);
  }

  async agents(actor: Actor, merchantId: number) {
    await this.requireStaff(actor, merchantId);
    const ids = await this.ctx.services.directory.memberIds(merchantId, [...OPERATORS]);
    const [rows, names] = await Promise.all([
      this.ctx.db.selectFrom('support_agents').selectAll().where('merchant_id', '=', merchantId).execute(),
      this.ctx.services.directory.nicknames(ids),
    ]);
    const byUser = new Map(rows.map((r) => [r.user_id, r]));
    return ids.map((userId) => {
      const r = byUser.get(userId);
      return {
        userId,
        nickname: names.get(userId) ?? '',
        status: r?.status ?? ('offline' as AgentStatus),
        capacity: r?.capacity ?? 5,
        active: r?.active ?? 0,
        lastAssignedAt: r?.last_assigned_at ?? null,
      };
    });
  }

  /** Set an agent's availability and capacity: one's own, or (the owner) a colleague's. */
  async setAgent(
    actor: Actor,
    merchantId: number,
    userId: number | 'me',
    input: { status?: AgentStatus | undefined; capacity?: number | undefined },
  ) {
    const target = userId === 'me' ? actor.userId : userId;
    if (target === actor.userId) await this.requireStaff(actor, merchantId);
    else await this.requireStaff(actor, merchantId, ['merchant_owner']);
    const role = await this.ctx.services.directory.memberRole(merchantId, target);
    if (role !== 'merchant_owner' && role !== 'merchant_staff') throw notFound('Agent', 'AGENT_NOT_FOUND');
    const now = new Date();
    await this.ctx.db
      .insertInto('support_agents')
      .values({
        merchant_id: merchantId,
        user_id: target,
        status: input.status ?? 'offline',
        capacity: input.capacity ?? 5,
      })
      .onConflict((oc) =>
        oc.columns(['merchant_id', 'user_id']).doUpdateSet({
          ...(input.status ? { status: input.status } : {}),
          ...(input.capacity ? { capacity: input.capacity } : {}),
          updated_at: now,
        }),
      )
      .execute();
    await this.drain(merchantId);
    return (await this.agents(actor, merchantId)).find((a) => a.userId === target)!;
  }

  /** Give waiting conversations to agents with room, until either runs out. */
  async drain(merchantId: number): Promise<number> {
    let assigned = 0;
    for (; assigned < DRAIN_BATCH; assigned++) {
      const pushes: Pushes = [];
      const done = await transact(this.ctx.db, async (trx) => {
        const next = await trx
          .selectFrom('support_conversations')
          .select('id')
          .where('merchant_id', '=', merchantId)
          .where('status', 'in', [...WAITING])
          .orderBy((eb) => eb.case().when('priority', '=', 'high').then(0).else(1).end())
          .orderBy('queued_at')
          .orderBy('id')
          .limit(1)
          .forUpdate()
          .skipLocked()
          .executeTakeFirst();
        if (!next) return false;
        const agent = await takeAgent(this.ctx, trx, merchantId);
        if (agent === null) return false;
        const conv = await lockConversation(trx, next.id);
        const row = await trx
          .updateTable('support_conversations')
          .set({ status: 'assigned', agent_user_id: agent, assigned_at: new Date(), updated_at: new Date() })
          .where('id', '=', conv.id)
          .returningAll()
          .executeTakeFirstOrThrow();
        await emitAssigned(this.ctx, trx, row, 'auto');
        const hello = await appendMessage(this.ctx, trx, row, {
          sender: 'system',
          senderUserId: null,
          clientId: null,
          kind: 'system',
          text: '已为您接通人工客服',
          payload: { event: 'assigned' },
        });
        pushMessage(pushes, hello.conversation, hello.message);
        pushes.push([participants(row), { type: 'support.conversation', data: updateView(hello.conversation) }]);
        return true;
      });
      await this.conversations.flush(pushes);
      if (!done) break;
    }
    return assigned;
  }

  /** The shop's conversations for the workbench: the queue (waiting, longest first) or by status / agent. */
  async list(
    actor: Actor,
    merchantId: number,
    f: { status?: ConversationStatus | 'waiting' | undefined; mine?: boolean | undefined; limit: number },
  ) {
    await this.ctx.services.merchants.requireRole(actor, merchantId);
    let q = this.ctx.db.selectFrom('support_conversations').selectAll().where('merchant_id', '=', merchantId);
    if (f.status === 'waiting') q = q.where('status', 'in', [...WAITING]);
    else if (f.status) q = q.where('status', '=', f.status);
    if (f.mine) q = q.where('agent_user_id', '=', actor.userId);
    q =
      f.status === 'waiting'
        ? q.orderBy((eb) => eb.case().when('priority', '=', 'high').then(0).else(1).end()).orderBy('queued_at')
        : q.orderBy('id', 'desc');
    const rows = await q.limit(f.limit).execute();
    const names = await this.ctx.services.directory.nicknames(
      rows.flatMap((r) => [r.user_id, ...(r.agent_user_id ? [r.agent_user_id] : [])]),
    );
    return rows.map((r) => conversationView(r, 'agent', names));
  }

  /** An agent's own unread total (the workbench badge). */
  async unread(actor: Actor, merchantId: number) {
    await this.ctx.services.merchants.requireRole(actor, merchantId);
    const rows = await this.ctx.db
      .selectFrom('support_conversations')
      .select(['id', 'agent_unread'])
      .where('merchant_id', '=', merchantId)
      .where('status', '=', 'assigned')
      .where('agent_user_id', '=', actor.userId)
      .execute();
    return {
      total: rows.reduce((n, r) => n + r.agent_unread, 0),
      conversations: rows
        .filter((r) => r.agent_unread > 0)
        .map((r) => ({ conversationId: r.id, unread: r.agent_unread })),
    };
  }

  /** Take a waiting conversation (or one still with the bot) oneself, within one's capacity. */
  async pick(actor: Actor, merchantId: number, conversationId: number) {
    await this.requireStaff(actor, merchantId);
    const conv = await this.conversations.visible({ as: 'agent', actor, merchantId }, conversationId);
    const pushes: Pushes = [];
    const row = await transact(this.ctx.db, async (trx) => {
      const locked = await lockConversation(trx, conv.id);
      if (locked.status === 'assigned' && locked.agent_user_id === actor.userId) return locked;
      if (locked.status === 'assigned' || locked.status === 'closed')
        throw conflict('CONVERSATION_TAKEN', 'Someone else has this conversation, or it is closed');
      await trx
        .insertInto('support_agents')
        .values({ merchant_id: merchantId, user_id: actor.userId, status: 'online' })
        .onConflict((oc) => oc.columns(['merchant_id', 'user_id']).doNothing())
        .execute();
      if (!(await takeSlot(trx, merchantId, actor.userId, false)))
        throw conflict(
          'AGENT_AT_CAPACITY',
          'You are at your capacity (or offline): close or transfer a conversation first',
        );
      const now = new Date();
      const picked = await trx
        .updateTable('support_conversations')
        .set({
          status: 'assigned',
          agent_user_id: actor.userId,
          assigned_at: now,
          queued_at: locked.queued_at ?? now,
          updated_at: now,
        })
        .where('id', '=', conv.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await emitAssigned(this.ctx, trx, picked, 'picked');
      const hello = await appendMessage(this.ctx, trx, picked, {
        sender: 'system',
        senderUserId: null,
        clientId: null,
        kind: 'system',
        text: '已为您接通人工客服',
        payload: { event: 'assigned' },
      });
      pushMessage(pushes, hello.conversation, hello.message);
      pushes.push([participants(picked), { type: 'support.conversation', data: updateView(hello.conversation) }]);
      return hello.conversation;
    });
    await this.conversations.flush(pushes);
    return updateView(row);
  }

  transfer(
    actor: Actor,
    merchantId: number,
    conversationId: number,
    input: { toUserId: number; note?: string | undefined },
  ) {
    return transferConversation(this.ctx, this, this.conversations, actor, merchantId, conversationId, input);
  }
}
