// The distribution part of a tenant's world: a promoter level, a product's own rates, the shopper as
// an approved promoter with a settled balance, and a withdrawal waiting for the shop's decision.
import { transact } from '../../src/platform/db/transact.ts';
import { applyLedger } from '../../src/modules/distribution/ledger.ts';
import type { TestNode } from '../harness.ts';
import type { Person, Tenant } from './world.ts';

type Call = (method: string, path: string, who: Person, body?: unknown) => Promise<any>;

export async function distributionWorld(node: TestNode, t: Tenant, call: Call): Promise<void> {
  const base = `/api/merchants/${t.merchantId}/distribution`;
  await call('PUT', `${base}/settings`, t.owner, { bindingDays: 15 });
  t.ids.levelId = (await call('POST', `${base}/levels`, t.owner, { name: `等级${t.priv}`, rates: [1200, 300] })).id;
  await call('PUT', `${base}/rules/${t.ids.productId}`, t.owner, { rates: [800, 200] });
  const applied = await call('POST', `/api/me/distribution/merchants/${t.merchantId}/apply`, t.shopper, {
    note: `推广${t.priv}`,
  });
  await call('POST', `${base}/promoters/${applied.id}/decision`, t.owner, { action: 'approve' });
  t.ids.promoterId = applied.id;
  // A settled balance without running an order through completion (the module's own tests do that).
  await transact(node.app.ctx.db, (trx) =>
    applyLedger(trx, {
      promoterId: applied.id,
      merchantId: t.merchantId,
      deltaFen: 5_000,
      reason: 'commission_settled',
      ref: `tenancy-world:${t.priv}`,
    }),
  );
  t.ids.withdrawalId = (
    await call('POST', `/api/me/distribution/merchants/${t.merchantId}/withdrawals`, t.shopper, {
      amountFen: 1_000,
      idempotencyKey: `world-${t.tag}-withdrawal`,
    })
  ).id;
}
