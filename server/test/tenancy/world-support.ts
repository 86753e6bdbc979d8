// The customer-service part of a tenant's world: the shopper's conversation with the shop (opened
// from the shop's room, answered by the staff member), an internal note and a canned reply, each
// text carrying the tenant's private marker.
import type { Person, Tenant } from './world.ts';

type Call = (method: string, path: string, who: Person, body?: unknown) => Promise<any>;

export async function supportWorld(t: Tenant, call: Call): Promise<void> {
  const base = `/api/merchants/${t.merchantId}/support`;
  await call('PUT', `${base}/agents/me`, t.staff, { status: 'online', capacity: 5 });
  const opened = await call('POST', '/api/me/support/conversations', t.shopper, {
    merchantId: t.merchantId,
    from: { kind: 'room', id: t.ids.roomId },
  });
  const id = opened.conversation.id;
  await call('POST', `/api/me/support/conversations/${id}/human`, t.shopper);
  await call('POST', `/api/me/support/conversations/${id}/messages`, t.shopper, {
    clientId: `world-${t.tag}`,
    text: `我的订单${t.priv}`,
  });
  await call('POST', `${base}/conversations/${id}/notes`, t.staff, { text: `备注${t.priv}` });
  t.ids.conversationId = id;
  t.ids.cannedReplyId = (
    await call('POST', `${base}/canned-replies`, t.owner, { title: '问候', text: `您好${t.priv}` })
  ).id;
}
