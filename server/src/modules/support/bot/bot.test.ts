// The bot through a real node: the shop's FAQ (CRUD, tenancy, bad input), answers from it at the
// shop's threshold and a handover below it, the live-data intents with the asking shopper's own
// order and coupons (another shopper's never), and an angry message that escalates and opens an
// urgent ticket.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ShopFixture } from '../../../../test/commerce-fixtures.ts';
import { APP_BACKENDS } from '../../../../test/backends.ts';
import { startNode, type TestNode } from '../../../../test/harness.ts';
import { fruitShop, loadFruitFaq, nextConversationId, type Shopper, shopperWithParcel } from './test-support.ts';

describe.each(APP_BACKENDS)('support bot ($name)', (backend) => {
  let node: TestNode;
  let shop: ShopFixture;
  let other: ShopFixture;
  let faqIds: Map<string, number>;
  let a: Shopper;
  let b: Shopper;
  const ask = (userId: number, text: string, merchantId = shop.merchantId) =>
    node.app.ctx.services.supportBot.reply({ merchantId, userId, conversationId: nextConversationId(), text });

  beforeAll(async () => {
    node = await startNode({ db: backend.db, cache: backend.cache });
    shop = await fruitShop(node, '鲜果时光', '13810000001');
    other = await fruitShop(node, '别家果园', '13810000002');
    faqIds = await loadFruitFaq(node, shop);
    a = await shopperWithParcel(node, shop, '13910000001', 'SF1000000001');
    b = await shopperWithParcel(node, shop, '13910000002', 'SF2000000002');
  }, 120_000);
  afterAll(async () => node?.close());

  it('keeps the shop’s FAQ: list, change, delete; another shop cannot touch it', async () => {
    const list = await node.api('GET', `/api/merchants/${shop.merchantId}/support/faqs`, { token: shop.owner.token });
    expect(list.body).toHaveLength(15);
    const id = faqIds.get('fruit-gift')!;
    const changed = await node.api('PUT', `/api/merchants/${shop.merchantId}/support/faqs/${id}`, {
      token: shop.owner.token,
      body: {
        question: '有礼盒装吗？',
        phrasings: ['可以送人吗', '可以送人吗', ' '],
        answer: '有的，选「礼盒装」规格。',
      },
    });
    expect(changed.status).toBe(200);
    expect(changed.body.phrasings).toEqual(['可以送人吗']);
    const foreign = await node.api('PUT', `/api/merchants/${other.merchantId}/support/faqs/${id}`, {
      token: other.owner.token,
      body: { question: '改别人的', answer: '不行' },
    });
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.code).toBe('FAQ_NOT_FOUND');
    const intruder = await node.api('GET', `/api/merchants/${shop.merchantId}/support/faqs`, {
      token: other.owner.token,
    });
    expect(intruder.status).toBe(403);
    const empty = await node.api('POST', `/api/merchants/${shop.merchantId}/support/faqs`, {
      token: shop.owner.token,
      body: { question: '', answer: 'x' },
    });
    expect(empty.status).toBe(400);
    const extra = await node.api('POST', `/api/merchants/${shop.merchantId}/support/faqs`, {
      token: shop.owner.token,
      body: { question: '问', answer: '答', merchantId: other.merchantId },
    });
    expect(extra.status).toBe(400);
  });

  it('answers from the shop’s FAQ with its confidence', async () => {
    const r = await ask(a.userId, '收到的水果坏了好几个怎么办');
    expect(r).toMatchObject({ action: 'answer', intent: `faq:${faqIds.get('fruit-bad')}`, urgent: false });
    expect(r.text).toContain('48小时');
    expect(r.confidence).toBeGreaterThanOrEqual(0.35);
    const platform = await ask(a.userId, '可以开发票吗');
    expect(platform.intent).toBe('faq:platform:platform-invoice');
  });

  it('hands over below the shop’s threshold, and when asked for a person', async () => {
    const set = await node.api('PUT', `/api/merchants/${shop.merchantId}/support/bot-settings`, {
      token: shop.owner.token,
      body: { threshold: 0.95, usePlatformFaqs: true },
    });
    expect(set.body).toEqual({ threshold: 0.95, usePlatformFaqs: true });
    const r = await ask(a.userId, '芒果硬邦邦的要放几天');
    expect(r.action).toBe('handover');
    expect(r.intent).toBe('low_confidence');
    expect(r.confidence).toBeLessThan(0.95);
    await node.api('PUT', `/api/merchants/${shop.merchantId}/support/bot-settings`, {
      token: shop.owner.token,
      body: { threshold: 0.35, usePlatformFaqs: true },
    });
    expect((await ask(a.userId, '芒果收到是硬的怎么办')).action).toBe('answer');
    expect(await ask(a.userId, '转人工')).toMatchObject({ action: 'handover', intent: 'asked_human' });
    // A picture or a card carries no words for the bot.
    expect(await ask(a.userId, '  ')).toMatchObject({ action: 'handover', intent: 'no_text' });
    const staff = await node.api('PUT', `/api/merchants/${shop.merchantId}/support/bot-settings`, {
      token: shop.owner.token,
      body: { threshold: 1.5, usePlatformFaqs: true },
    });
    expect(staff.status).toBe(400);
  });

  it('tells each shopper where their own parcel is, never another shopper’s', async () => {
    const mine = await ask(a.userId, '我的快递到哪了');
    expect(mine).toMatchObject({ action: 'answer', intent: 'parcel' });
    expect(mine.text).toContain(a.orderNo);
    expect(mine.text).toContain('SF1000000001');
    expect(mine.text).not.toContain('SF2000000002');
    expect(mine.text).not.toContain(b.orderNo);
    const theirs = await ask(b.userId, '物流怎么一直不动');
    expect(theirs.text).toContain('SF2000000002');
    expect(theirs.text).not.toContain(a.orderNo);
    // Asked in another shop, where this shopper has no order: nothing of this shop's order shows.
    const elsewhere = await ask(a.userId, '我的快递到哪了', other.merchantId);
    expect(elsewhere.text).not.toContain(a.orderNo);
    expect(elsewhere.text).toContain('没有查到');
  });

  it('says whether the shopper’s order can still be returned, and how', async () => {
    const r = await ask(a.userId, '不想要了能退吗');
    expect(r).toMatchObject({ action: 'answer', intent: 'return' });
    expect(r.text).toContain(a.orderNo);
    expect(r.text).toContain('退货退款');
    expect(r.text).toContain(`${node.app.ctx.config.afterSalesWindowDays} 天`);
  });

  it('lists the coupons the shopper holds for this shop', async () => {
    const t = await node.api('POST', `/api/merchants/${shop.merchantId}/coupons`, {
      token: shop.owner.token,
      body: {
        title: '芒果季满50减8',
        kind: 'threshold',
        amountFen: 800,
        thresholdFen: 5000,
        totalQuantity: 100,
        validDays: 7,
      },
    });
    expect(t.status).toBe(201);
    expect((await node.api('POST', `/api/coupons/${t.body.id}/claim`, { token: a.token })).status).toBe(201);
    const r = await ask(a.userId, '我有什么优惠券');
    expect(r).toMatchObject({ action: 'answer', intent: 'coupons' });
    expect(r.text).toContain('芒果季满50减8');
    const none = await ask(b.userId, '我有什么优惠券');
    expect(none.text).toContain('没有');
  });

  it('escalates an angry message at once, and the ticket it opens starts urgent', async () => {
    const conversationId = nextConversationId();
    const r = await node.app.ctx.services.supportBot.reply({
      merchantId: shop.merchantId,
      userId: a.userId,
      conversationId,
      text: '你们就是骗子！烂了一半还不赔，我要打12315投诉',
    });
    expect(r).toMatchObject({ action: 'escalate', urgent: true, intent: 'complaint' });
    // What the conversations do on an escalation (support/bot-turn.ts): open a ticket at high priority.
    const t = await node.app.ctx.services.supportTickets.openFromConversation({
      merchantId: shop.merchantId,
      conversationId,
      userId: a.userId,
      priority: 'high',
      reason: 'complaint',
    });
    expect(t.priority).toBe('urgent');
    const calm = nextConversationId();
    const polite = await node.app.ctx.services.supportBot.reply({
      merchantId: shop.merchantId,
      userId: a.userId,
      conversationId: calm,
      text: '我不是要投诉，就问问什么时候发货',
    });
    expect(polite.action).toBe('answer');
  });

  it('previews an answer for the shop’s staff only', async () => {
    const r = await node.api('POST', `/api/merchants/${shop.merchantId}/support/bot/preview`, {
      token: shop.owner.token,
      body: { text: '能寄到新疆吗' },
    });
    expect(r.status).toBe(200);
    expect(r.body.candidates[0].faq).toBe(`faq:${faqIds.get('fruit-area')}`);
    const foreign = await node.api('POST', `/api/merchants/${shop.merchantId}/support/bot/preview`, {
      token: other.owner.token,
      body: { text: '能寄到新疆吗' },
    });
    expect(foreign.status).toBe(403);
    const pub = await node.api('GET', '/api/support/platform-faqs');
    expect(pub.body.length).toBeGreaterThan(0);
  });
});
