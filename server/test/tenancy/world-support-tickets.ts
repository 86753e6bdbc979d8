// The bot and tickets part of a tenant's world: a FAQ, a ticket the shop opened for its shopper
// and a proposed compensation on it, each text carrying the tenant's private marker.
import type { Person, Tenant } from './world.ts';

type Call = (method: string, path: string, who: Person, body?: unknown) => Promise<any>;

export async function supportTicketsWorld(t: Tenant, call: Call): Promise<void> {
  const base = `/api/merchants/${t.merchantId}/support`;
  t.ids.faqId = (await call('POST', `${base}/faqs`, t.owner, { question: `问${t.priv}`, answer: `答${t.priv}` })).id;
  const ticket = await call('POST', `${base}/tickets`, t.owner, {
    userId: t.ids.shopperUserId,
    category: 'dispute',
    priority: 'normal',
    reason: `纠纷${t.priv}`,
  });
  t.ids.ticketId = ticket.id;
  t.ids.compensationId = (
    await call('POST', `${base}/tickets/${ticket.id}/compensations`, t.owner, {
      amountFen: 100,
      reason: `赔付${t.priv}`,
    })
  ).id;
}
