// The growth part of a tenant's world: the shopper's share of the shop's room (its id is the spread
// tree's root filter) and the shop's invitation reward.
import type { Person, Tenant } from './world.ts';

type Call = (method: string, path: string, who: Person, body?: unknown) => Promise<any>;

export async function growthWorld(t: Tenant, call: Call): Promise<void> {
  t.ids.shareId = (await call('POST', '/api/shares', t.shopper, { targetKind: 'room', targetId: t.ids.roomId })).id;
  await call('PUT', `/api/merchants/${t.merchantId}/growth/invite-settings`, t.owner, {
    enabled: true,
    inviter: { couponTemplateIds: [], points: 10 },
    invitee: { couponTemplateIds: [], points: 10 },
  });
}
