import type { TestNode } from './harness.ts';

export async function addressFor(node: TestNode, token: string, province: string) {
  const r = await node.api('POST', '/api/me/addresses', { token, body: { name: '张三', phone: '13912345678', province, city: '某市', district: '某区', detail: '某路1号' } });
  if (r.status !== 201) throw new Error(`address failed: ${JSON.stringify(r.body)}`);
  return r.body as { id: number };
}

/** Press the sandbox cashier's button, as the shopper would. */
export async function payWithSandbox(node: TestNode, cashierUrl: string, outcome: 'succeeded' | 'failed'): Promise<string> {
  const url = new URL(cashierUrl);
  const page = await fetch(`${node.url}${url.pathname}${url.search}`);
  const html = await page.text();
  if (!html.includes('SANDBOX')) throw new Error('not a sandbox cashier page');
  const token = url.searchParams.get('t')!;
  const r = await fetch(`${node.url}${url.pathname}/confirm`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body: new URLSearchParams({ t: token, outcome }).toString() });
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
