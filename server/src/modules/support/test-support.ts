// Test helpers for the conversation tests: a shop with agents, shoppers, and sockets that speak
// the customer-service frames.
import { makeShop, type ShopFixture } from '../../../test/commerce-fixtures.ts';
import type { TestNode } from '../../../test/harness.ts';
import { Viewer } from '../realtime/test-support.ts';

export interface SupportShop extends ShopFixture {
  agents: Array<{ token: string; userId: number }>;
  /** A workbench call as agent i (0: the owner, 1…: staff). */
  as(i: number, method: string, route: string, body?: unknown): Promise<{ status: number; body: any }>;
}

export async function supportShop(node: TestNode, name: string, phoneBase: number, staff = 1): Promise<SupportShop> {
  const shop = await makeShop(node, name, `138${phoneBase}`);
  const agents = [shop.owner];
  for (let i = 1; i <= staff; i++) {
    const phone = `138${phoneBase + i}`;
    const u = await node.userToken(phone);
    const r = await node.api('POST', `/api/merchants/${shop.merchantId}/staff`, {
      token: shop.owner.token,
      body: { phone, role: 'merchant_staff' },
    });
    if (r.status !== 201) throw new Error(`add staff failed: ${JSON.stringify(r.body)}`);
    agents.push(u);
  }
  return {
    ...shop,
    agents,
    as: (i, method, route, body) =>
      node.api(method, `/api/merchants/${shop.merchantId}/support${route}`, { token: agents[i]!.token, body }),
  };
}

export async function online(shop: SupportShop, i: number, capacity = 5, status = 'online') {
  const r = await shop.as(i, 'PUT', '/agents/me', { status, capacity });
  if (r.status !== 200) throw new Error(`availability failed: ${JSON.stringify(r.body)}`);
  return r.body;
}

/** Open a conversation and ask for a human (so the bot, when there is one, is out of the way). */
export async function openWithHuman(node: TestNode, shopper: { token: string }, merchantId: number, from?: unknown) {
  const opened = await node.api('POST', '/api/me/support/conversations', {
    token: shopper.token,
    body: { merchantId, ...(from ? { from } : {}) },
  });
  if (opened.status !== 200) throw new Error(`open failed: ${JSON.stringify(opened.body)}`);
  const id = opened.body.conversation.id as number;
  const human = await node.api('POST', `/api/me/support/conversations/${id}/human`, { token: shopper.token });
  return { id, status: human.body.status as string, agentUserId: human.body.agentUserId as number | null };
}

/** A signed-in socket receiving customer service (support.resume sent). */
export async function device(url: string | TestNode, token: string, cursors: unknown[] = []): Promise<Viewer> {
  const v = await Viewer.connect(url, { token });
  await v.request('support.resume', { cursors });
  return v;
}

/** support.message frames of one conversation, in arrival order. */
export const messagesOf = (v: Viewer, conversationId: number) =>
  v
    .all('support.message')
    .filter((f) => f.data.conversationId === conversationId)
    .map((f) => f.data.message);

export async function waitForSeq(v: Viewer, conversationId: number, seq: number) {
  return v.waitFor(
    (f) => f.type === 'support.message' && f.data.conversationId === conversationId && f.data.message.seq === seq,
  );
}
