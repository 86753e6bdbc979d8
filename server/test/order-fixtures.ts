import type { TestNode } from './harness.ts';

export async function addressFor(node: TestNode, token: string, province: string) {
  const r = await node.api('POST', '/api/me/addresses', {
    token,
    body: { name: '张三', phone: '13912345678', province, city: '某市', district: '某区', detail: '某路1号' },
  });
  if (r.status !== 201) throw new Error(`address failed: ${JSON.stringify(r.body)}`);
  return r.body as { id: number };
}

/** Press the sandbox cashier's button, as the shopper would. */
export async function payWithSandbox(
  node: TestNode,
  cashierUrl: string,
  outcome: 'succeeded' | 'failed',
): Promise<string> {
  const url = new URL(cashierUrl);
  const page = await fetch(`${node.url}${url.pathname}${url.search}`);
  const html = await page.text();
  if (!html.includes('SANDBOX')) throw new Error('not a sandbox cashier page');
  const token = url.searchParams.get('t')!;
  const r = await fetch(`${node.url}${url.pathname}/confirm`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({ t: token, outcome }).toString(),
  });
  return ((await r.json()) as { outcome: string }).outcome;
}

export async function until(cond: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('condition not met in time');
}

/**
 * Many shoppers at once for load-shaped tests: users and a default address each, inserted in bulk,
 * with access tokens signed directly (sign-in itself is tested elsewhere).
 */
export async function bulkBuyers(
  node: TestNode,
  count: number,
  phonePrefix: string,
): Promise<Array<{ userId: number; token: string; addressId: number }>> {
  const db = node.app.ctx.db;
  const phones = Array.from(
    { length: count },
    (_, i) => `${phonePrefix}${String(i).padStart(11 - phonePrefix.length, '0')}`,
  );
  const users: Array<{ id: number }> = [];
  for (let i = 0; i < phones.length; i += 500) {
    users.push(
      ...(await db
        .insertInto('users')
        .values(
          phones.slice(i, i + 500).map((phone) => ({
            phone,
            nickname: `买家${phone.slice(-4)}`,
            password_hash: 'x',
            is_platform_admin: false,
          })),
        )
        .returning('id')
        .execute()),
    );
  }
  const addresses: Array<{ id: number; user_id: number }> = [];
  for (let i = 0; i < users.length; i += 500) {
    addresses.push(
      ...(await db
        .insertInto('addresses')
        .values(
          users.slice(i, i + 500).map((u) => ({
            user_id: u.id,
            name: '买家',
            phone: '13900000000',
            province: '广东省',
            city: '深圳市',
            district: '南山区',
            detail: '科技园1号',
            is_default: true,
          })),
        )
        .returning(['id', 'user_id'])
        .execute()),
    );
  }
  return Promise.all(
    users.map(async (u) => ({
      userId: u.id,
      token: await node.app.ctx.tokens.signAccess({ userId: u.id, sessionId: `bulk-${u.id}`, isPlatformAdmin: false }),
      addressId: addresses.find((a) => a.user_id === u.id)!.id,
    })),
  );
}
