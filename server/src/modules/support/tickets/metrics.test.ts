// Service metrics from a scripted set of conversations, told through the conversation events
// (support/events.ts) as the conversations part emits them: one the bot settled, one an agent
// picked up within 30 s, one picked up late and still open; ratings; per shop and per agent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ShopFixture } from '../../../../test/commerce-fixtures.ts';
import { APP_BACKENDS } from '../../../../test/backends.ts';
import { startNode, type TestNode } from '../../../../test/harness.ts';
import { until } from '../../../../test/order-fixtures.ts';
import type { DomainEvents } from '../../../platform/events/catalogue.ts';
import { fruitShop, nextConversationId } from '../bot/test-support.ts';

type Name = keyof DomainEvents & `support.${string}`;

describe.each(APP_BACKENDS)('support metrics ($name)', (backend) => {
  let node: TestNode;
  let shop: ShopFixture;
  let other: ShopFixture;
  let shopper: number;
  let agentA: number;
  let agentB: number;
  const t0 = Date.now() - 3600_000;
  const at = (s: number) => new Date(t0 + s * 1000).toISOString();

  const emit = async <K extends Name>(type: K, payload: DomainEvents[K]) =>
    node.app.ctx.db.transaction().execute((trx) =>
      node.app.ctx.events.emit(trx, {
        type,
        aggregateType: 'support_conversation',
        aggregateId: (payload as { conversationId: number }).conversationId,
        payload,
      } as never),
    );

  async function conversation(script: {
    queuedAt?: number;
    assignedAt?: number;
    agent?: number;
    replyAt?: number;
    closedAt?: number;
    resolvedBy?: 'bot' | 'agent';
    stars?: number;
  }) {
    const conversationId = nextConversationId();
    const merchantId = shop.merchantId;
    const base = { merchantId, conversationId, userId: shopper };
    await emit('support.conversation_opened', {
      ...base,
      source: 'shop',
      sourceId: null,
      roomId: null,
      status: 'bot',
      openedAt: at(0),
    });
    const message = (seq: number, from: 'shopper' | 'agent' | 'bot', s: number, sender: number | null) =>
      emit('support.message_sent', {
        merchantId,
        conversationId,
        messageId: conversationId * 10 + seq,
        seq,
        from,
        senderUserId: sender,
        shopperUserId: shopper,
        agentUserId: script.agent ?? null,
        recipientUserIds: [],
        kind: 'text',
        preview: '…',
        sentAt: at(s),
      });
    await message(1, 'shopper', 1, shopper);
    await message(2, 'bot', 2, null);
    if (script.queuedAt !== undefined)
      await emit('support.queued', {
        ...base,
        status: 'queued',
        priority: 'normal',
        reason: 'bot_handover',
        queuedAt: at(script.queuedAt),
      });
    if (script.assignedAt !== undefined && script.agent)
      await emit('support.assigned', {
        ...base,
        agentUserId: script.agent,
        how: 'auto',
        queuedAt: at(script.queuedAt ?? 0),
        assignedAt: at(script.assignedAt),
        waitSeconds: script.assignedAt - (script.queuedAt ?? 0),
      });
    if (script.replyAt !== undefined && script.agent) await message(3, 'agent', script.replyAt, script.agent);
    if (script.closedAt !== undefined)
      await emit('support.conversation_closed', {
        ...base,
        agentUserId: script.agent ?? null,
        closedBy: 'shopper',
        resolvedBy: script.resolvedBy ?? 'agent',
        openedAt: at(0),
        queuedAt: script.queuedAt !== undefined ? at(script.queuedAt) : null,
        assignedAt: script.assignedAt !== undefined ? at(script.assignedAt) : null,
        firstResponseAt: script.replyAt !== undefined ? at(script.replyAt) : null,
        firstResponseSeconds: script.replyAt !== undefined ? script.replyAt - 1 : null,
        pickupSeconds: script.assignedAt !== undefined ? script.assignedAt - (script.queuedAt ?? 0) : null,
        resolutionSeconds: script.closedAt,
        messages: 3,
        closedAt: at(script.closedAt),
      });
    if (script.stars)
      await emit('support.rated', {
        ...base,
        agentUserId: script.agent ?? null,
        stars: script.stars,
        comment: '',
        ratedAt: at((script.closedAt ?? 0) + 5),
      });
    return conversationId;
  }

  beforeAll(async () => {
    node = await startNode({ db: backend.db, cache: backend.cache });
    shop = await fruitShop(node, '潮流衣橱', '13830000001');
    other = await fruitShop(node, '别家衣橱', '13830000002');
    shopper = (await node.userToken('13930000001')).userId;
    agentA = (await node.userToken('13830000011')).userId;
    agentB = (await node.userToken('13830000012')).userId;
    await conversation({ closedAt: 60, resolvedBy: 'bot', stars: 5 });
    await conversation({ queuedAt: 10, assignedAt: 20, agent: agentA, replyAt: 30, closedAt: 300, stars: 3 });
    await conversation({ queuedAt: 10, assignedAt: 70, agent: agentB, replyAt: 100 });
    await until(async () => {
      const rows = await node.app.ctx.db
        .selectFrom('support_conversation_facts')
        .selectAll()
        .where('merchant_id', '=', shop.merchantId)
        .execute();
      return (
        rows.length === 3 &&
        rows.filter((r) => r.stars).length === 2 &&
        rows.filter((r) => r.first_agent_reply_at).length === 2
      );
    });
  }, 120_000);
  afterAll(async () => node?.close());

  it('counts first response, resolution, bot resolution, 30 s pickup and satisfaction for the shop', async () => {
    const r = await node.api('GET', `/api/merchants/${shop.merchantId}/support/metrics`, { token: shop.owner.token });
    expect(r.status).toBe(200);
    expect(r.body.totals).toEqual({
      conversations: 3,
      closed: 2,
      resolutionRate: 0.6667,
      botResolved: 1,
      botResolutionRate: 0.5,
      waitedForHuman: 2,
      pickup30sRate: 0.5,
      // From the moment each waited for a human (queued at 10 s) to the agent's first reply (30 s, 100 s).
      firstResponseAvgSeconds: 55,
      rated: 2,
      satisfactionAvg: 4,
      satisfiedRate: 0.5,
      ticketsOpened: 0,
      ticketsResolved: 0,
      slaBreaches: 0,
    });
    expect(r.body.days).toHaveLength(1);
    expect(r.body.days[0].conversations).toBe(3);
  });

  it('splits the figures per agent', async () => {
    const r = await node.api('GET', `/api/merchants/${shop.merchantId}/support/metrics`, { token: shop.owner.token });
    const byAgent = new Map(r.body.agents.map((a: { agentId: number }) => [a.agentId, a]));
    expect(byAgent.get(agentA)).toMatchObject({
      conversations: 1,
      closed: 1,
      pickup30sRate: 1,
      firstResponseAvgSeconds: 20,
      satisfactionAvg: 3,
    });
    expect(byAgent.get(agentB)).toMatchObject({
      conversations: 1,
      closed: 0,
      pickup30sRate: 0,
      firstResponseAvgSeconds: 90,
      rated: 0,
    });
  });

  it('counts redelivered events once', async () => {
    const facts = await node.app.ctx.db
      .selectFrom('support_conversation_facts')
      .selectAll()
      .where('merchant_id', '=', shop.merchantId)
      .execute();
    const bot = facts.find((f) => f.resolved_by === 'bot')!;
    expect(bot.bot_answers).toBe(1);
  });

  it('shows nothing to another shop and refuses a bad range', async () => {
    const foreign = await node.api('GET', `/api/merchants/${shop.merchantId}/support/metrics`, {
      token: other.owner.token,
    });
    expect(foreign.status).toBe(403);
    const empty = await node.api('GET', `/api/merchants/${other.merchantId}/support/metrics`, {
      token: other.owner.token,
    });
    expect(empty.body.totals.conversations).toBe(0);
    const backwards = await node.api(
      'GET',
      `/api/merchants/${shop.merchantId}/support/metrics?from=2026-12-05&to=2026-12-01`,
      {
        token: shop.owner.token,
      },
    );
    expect(backwards.status).toBe(400);
    expect(backwards.body.error.code).toBe('METRICS_RANGE_INVALID');
    const garbage = await node.api('GET', `/api/merchants/${shop.merchantId}/support/metrics?from=yesterday`, {
      token: shop.owner.token,
    });
    expect(garbage.status).toBe(400);
    const impossible = await node.api('GET', `/api/merchants/${shop.merchantId}/support/metrics?from=2026-13-45`, {
      token: shop.owner.token,
    });
    expect(impossible.status).toBe(400);
    // Found by the fuzz: an impossible `to` alone was a 500 (the default `from` was computed from it).
    for (const q of ['to=9530-31-20', 'from=2026-02-30', 'from=2026-01-01&to=2026-12-31']) {
      const r = await node.api('GET', `/api/merchants/${shop.merchantId}/support/metrics?${q}`, {
        token: shop.owner.token,
      });
      expect(r.status, q).toBe(400);
    }
  });
});
