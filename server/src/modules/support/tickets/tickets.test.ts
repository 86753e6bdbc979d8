// Tickets through a real node: SLA escalation by the durable jobs (short SLA settings, no long
// sleeps), a met timer's job cancelled, resolution, the shop opening tickets (tenancy, bad input),
// and compensation approved once under concurrency and paid as the shopper's coupon.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ShopFixture } from '../../../../test/commerce-fixtures.ts';
import { APP_BACKENDS } from '../../../../test/backends.ts';
import { startNode, type TestNode } from '../../../../test/harness.ts';
import { until } from '../../../../test/order-fixtures.ts';
import { fruitShop, nextConversationId, type Shopper, shopperWithParcel } from '../bot/test-support.ts';

describe.each(APP_BACKENDS)('support tickets ($name)', (backend) => {
  let node: TestNode;
  let shop: ShopFixture;
  let other: ShopFixture;
  let a: Shopper;
  const url = (p: string, merchantId = shop.merchantId) => `/api/merchants/${merchantId}/support${p}`;
  const ticket = async (id: number) => (await node.api('GET', url(`/tickets/${id}`), { token: shop.owner.token })).body;
  const setSla = (firstResponseMinutes: number, resolutionMinutes: number) =>
    node.api('PUT', url('/sla-settings'), {
      token: shop.owner.token,
      body: { firstResponseMinutes, resolutionMinutes, urgentFirstResponseMinutes: firstResponseMinutes },
    });
  const jobsOf = (ticketId: number) =>
    node.app.ctx.db
      .selectFrom('jobs')
      .select(['unique_key', 'status'])
      .where('unique_key', 'like', `support.sla:${ticketId}:%`)
      .orderBy('id')
      .execute();

  beforeAll(async () => {
    node = await startNode({ db: backend.db, cache: backend.cache });
    shop = await fruitShop(node, '鲜果时光', '13820000001');
    other = await fruitShop(node, '别家果园', '13820000002');
    a = await shopperWithParcel(node, shop, '13920000001', 'SF3000000003');
  }, 120_000);
  afterAll(async () => node?.close());

  it('escalates a ticket whose first response and then resolution run out (durable SLA jobs)', async () => {
    expect((await setSla(0.05, 0.1)).body).toMatchObject({ firstResponseMinutes: 0.05, resolutionMinutes: 0.1 });
    const t = await node.app.ctx.services.supportTickets.openFromConversation({
      merchantId: shop.merchantId,
      conversationId: nextConversationId(),
      userId: a.userId,
      priority: 'normal',
      reason: '坏果未赔付',
    });
    expect(t).toMatchObject({ status: 'open', priority: 'normal', firstResponseBreached: false });
    expect((await jobsOf(t.id)).map((j) => j.status)).toEqual(['pending', 'pending']);
    await until(async () => (await ticket(t.id)).firstResponseBreached === true);
    expect((await ticket(t.id)).priority).toBe('high');
    await until(async () => (await ticket(t.id)).resolutionBreached === true);
    const late = await ticket(t.id);
    expect(late).toMatchObject({ priority: 'urgent', escalations: 2 });
    expect(late.log.map((l: { kind: string }) => l.kind)).toEqual(['opened', 'sla_breached', 'sla_breached']);
    const events = await node.app.ctx.db
      .selectFrom('outbox_events')
      .select(['payload'])
      .where('type', '=', 'support.ticket_escalated')
      .where('aggregate_id', '=', String(t.id))
      .orderBy('id')
      .execute();
    expect(events.map((e) => (e.payload as { timer: string }).timer)).toEqual(['first_response', 'resolution']);
  });

  it('stops the timers a ticket meets: an agent’s reply in its conversation, then resolving it', async () => {
    await setSla(60, 600);
    const conversationId = nextConversationId();
    const t = await node.app.ctx.services.supportTickets.openFromConversation({
      merchantId: shop.merchantId,
      conversationId,
      userId: a.userId,
      priority: 'normal',
      reason: '物流太慢',
    });
    // What the conversations emit when an agent writes (support/events.ts).
    await node.app.ctx.db.transaction().execute((trx) =>
      node.app.ctx.events.emit(trx, {
        type: 'support.message_sent',
        aggregateType: 'support_conversation',
        aggregateId: conversationId,
        payload: {
          merchantId: shop.merchantId,
          conversationId,
          messageId: conversationId,
          seq: 2,
          from: 'agent',
          senderUserId: shop.owner.userId,
          shopperUserId: a.userId,
          agentUserId: shop.owner.userId,
          recipientUserIds: [a.userId],
          kind: 'text',
          preview: '您好，马上帮您查',
          sentAt: new Date().toISOString(),
        },
      }),
    );
    await until(async () => (await ticket(t.id)).status === 'responded');
    expect((await jobsOf(t.id)).map((j) => j.status)).toEqual(['cancelled', 'pending']);
    const done = await node.api('POST', url(`/tickets/${t.id}/resolve`), {
      token: shop.owner.token,
      body: { note: '已补发' },
    });
    expect(done.body).toMatchObject({ status: 'resolved', resolutionNote: '已补发', firstResponseBreached: false });
    expect((await jobsOf(t.id)).map((j) => j.status)).toEqual(['cancelled', 'cancelled']);
    const again = await node.api('POST', url(`/tickets/${t.id}/resolve`), {
      token: shop.owner.token,
      body: { note: 'x' },
    });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('TICKET_CLOSED');
  });

  it('raises the live ticket of a conversation when the shopper escalates again', async () => {
    const conversationId = nextConversationId();
    const input = {
      merchantId: shop.merchantId,
      conversationId,
      userId: a.userId,
      priority: 'normal' as const,
      reason: '投诉',
    };
    const first = await node.app.ctx.services.supportTickets.openFromConversation(input);
    const results = await Promise.all(
      Array.from({ length: 5 }, () => node.app.ctx.services.supportTickets.openFromConversation(input)),
    );
    expect(new Set(results.map((r) => r.id))).toEqual(new Set([first.id]));
    expect((await ticket(first.id)).priority).toBe('urgent');
  });

  it('lets the shop open a ticket for its own customer only, and keeps it from other shops', async () => {
    const stranger = await node.userToken('13920000099');
    const refused = await node.api('POST', url('/tickets'), {
      token: shop.owner.token,
      body: { userId: stranger.userId, category: 'dispute', priority: 'high', reason: '纠纷' },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('NOT_A_CUSTOMER');
    const opened = await node.api('POST', url('/tickets'), {
      token: shop.owner.token,
      body: { userId: a.userId, category: 'dispute', priority: 'high', reason: '少发一箱' },
    });
    expect(opened.status).toBe(201);
    expect(opened.body).toMatchObject({ source: 'shop', category: 'dispute', priority: 'high' });
    const foreign = await node.api('GET', url(`/tickets/${opened.body.id}`, other.merchantId), {
      token: other.owner.token,
    });
    expect(foreign.status).toBe(404);
    const listed = await node.api('GET', url('/tickets?priority=high&status=open'), { token: shop.owner.token });
    expect(listed.body.items.map((t: { id: number }) => t.id)).toContain(opened.body.id);
    expect((await node.api('GET', url('/tickets?priority=whatever'), { token: shop.owner.token })).status).toBe(400);
    const bad = await node.api('POST', url('/tickets'), {
      token: shop.owner.token,
      body: { category: 'other', priority: 'low', reason: '' },
    });
    expect(bad.status).toBe(400);
    const noOne = await node.api('POST', url('/tickets'), {
      token: shop.owner.token,
      body: { category: 'other', priority: 'low', reason: '无' },
    });
    expect(noOne.body.error.code).toBe('TICKET_USER_REQUIRED');
    const assign = await node.api('PATCH', url(`/tickets/${opened.body.id}`), {
      token: shop.owner.token,
      body: { assigneeId: other.owner.userId },
    });
    expect(assign.body.error.code).toBe('ASSIGNEE_NOT_STAFF');
  });

  it('finds none of the shop’s tickets, compensations or FAQ from another shop', async () => {
    const opened = await node.api('POST', url('/tickets'), {
      token: shop.owner.token,
      body: { userId: a.userId, category: 'other', priority: 'low', reason: '租户检查' },
    });
    const comp = await node.api('POST', url(`/tickets/${opened.body.id}/compensations`), {
      token: shop.owner.token,
      body: { amountFen: 100, reason: '租户检查' },
    });
    const faq = await node.api('POST', url('/faqs'), {
      token: shop.owner.token,
      body: { question: '问', answer: '答' },
    });
    const theirs = (p: string) => url(p, other.merchantId);
    const attempts: Array<[string, string, unknown?]> = [
      ['GET', theirs(`/tickets/${opened.body.id}`)],
      ['PATCH', theirs(`/tickets/${opened.body.id}`), { priority: 'urgent' }],
      ['POST', theirs(`/tickets/${opened.body.id}/respond`), { note: 'x' }],
      ['POST', theirs(`/tickets/${opened.body.id}/resolve`), { note: 'x' }],
      ['POST', theirs(`/tickets/${opened.body.id}/compensations`), { amountFen: 100, reason: 'x' }],
      ['POST', theirs(`/compensations/${comp.body.id}/approve`)],
      ['POST', theirs(`/compensations/${comp.body.id}/reject`)],
      ['PUT', theirs(`/faqs/${faq.body.id}`), { question: '改', answer: '改' }],
      ['DELETE', theirs(`/faqs/${faq.body.id}`)],
      ['POST', theirs('/tickets'), { conversationId: 1, category: 'other', priority: 'low', reason: 'x' }],
    ];
    for (const [method, path, body] of attempts) {
      const r = await node.api(method, path, { token: other.owner.token, ...(body ? { body } : {}) });
      expect(r.status, `${method} ${path}`).toBe(404);
    }
    expect((await ticket(opened.body.id)).status).toBe('open');
    expect((await ticket(opened.body.id)).compensations[0].status).toBe('proposed');
  });

  it('pays an approved compensation once, as a coupon of the amount in the shopper’s wallet', async () => {
    const opened = await node.api('POST', url('/tickets'), {
      token: shop.owner.token,
      body: { userId: a.userId, category: 'complaint', priority: 'normal', reason: '坏果三个' },
    });
    const proposed = await node.api('POST', url(`/tickets/${opened.body.id}/compensations`), {
      token: shop.owner.token,
      body: { amountFen: 1250, reason: '坏果三个，先行赔付' },
    });
    expect(proposed.status).toBe(201);
    expect(proposed.body).toMatchObject({ status: 'proposed', amountFen: 1250, userId: a.userId });
    const id = proposed.body.id;
    const foreign = await node.api('POST', url(`/compensations/${id}/approve`, other.merchantId), {
      token: other.owner.token,
    });
    expect(foreign.status).toBe(404);
    const approvals = await Promise.all(
      Array.from({ length: 20 }, () =>
        node.api('POST', url(`/compensations/${id}/approve`), { token: shop.owner.token }),
      ),
    );
    expect(approvals.every((r) => r.status === 200)).toBe(true);
    await until(async () => (await ticket(opened.body.id)).compensations[0].status === 'paid');
    const paid = (await ticket(opened.body.id)).compensations[0];
    expect(paid).toMatchObject({ approvedBy: shop.owner.userId, amountFen: 1250 });
    const wallet = await node.api('GET', '/api/me/coupons', { token: a.token });
    const given = wallet.body.filter((c: { title: string }) => c.title.startsWith('先行赔付'));
    expect(given).toHaveLength(1);
    expect(given[0].id).toBe(paid.couponId);
    const reject = await node.api('POST', url(`/compensations/${id}/reject`), { token: shop.owner.token });
    expect(reject.body.error.code).toBe('COMPENSATION_DECIDED');
    const tooMuch = await node.api('POST', url(`/tickets/${opened.body.id}/compensations`), {
      token: shop.owner.token,
      body: { amountFen: -5, reason: 'x' },
    });
    expect(tooMuch.status).toBe(400);
  });
});
