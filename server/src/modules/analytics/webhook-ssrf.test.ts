// Alert webhooks cannot reach the host's own network: every spelling of a loopback, private,
// metadata or other special-purpose address is refused when the rule is saved and again when the
// alert is delivered (a real listener on 127.0.0.1 proves nothing arrives), a name is resolved once
// and the connection goes to the address checked (a rebinding DNS answer cannot slip through).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { APP_BACKENDS } from '../../../test/backends.ts';
import { makeShop, type ShopFixture } from '../../../test/commerce-fixtures.ts';
import { startNode, type TestNode } from '../../../test/harness.ts';
import { until } from '../../../test/order-fixtures.ts';
import { blockedRange, postTo, resolveTarget, type Lookup } from '../../platform/http/outbound.ts';
import { ANALYTICS_TEST_CONFIG } from './test-support.ts';

/** Every way we know to write an address inside the host or its networks; {port} is the listener's. */
const INTERNAL_HOSTS = [
  '127.0.0.1',
  '127.1',
  '2130706433',
  '0x7f000001',
  '0177.0.0.1',
  'localhost',
  '[::1]',
  '0.0.0.0',
  '[::]',
  '[::ffff:127.0.0.1]',
  '[::ffff:7f00:1]',
  '[0:0:0:0:0:ffff:127.0.0.1]',
  '[0:0:0:0:0:ffff:7f00:1]',
  '[::FFFF:7F00:0001]',
  '[::ffff:0:127.0.0.1]',
  '[64:ff9b::127.0.0.1]',
  '[64:ff9b:1::a00:1]',
  '[2002:7f00:1::1]',
  '[::127.0.0.1]',
  '[2001:0:4136:e378:8000:63bf:80ff:fffe]',
  '169.254.169.254',
  '[::ffff:169.254.169.254]',
  '[::ffff:a9fe:a9fe]',
  '[fd00:ec2::254]',
  '[fe80::1]',
  '10.0.0.1',
  '172.16.0.1',
  '192.168.1.1',
  '100.64.0.1',
  '192.0.0.1',
  '198.18.0.1',
  '224.0.0.1',
  '240.0.0.1',
  '255.255.255.255',
  '[ff02::1]',
  '[fc00::1]',
  '[fec0::1]',
  '[2001:db8::1]',
  '[100::1]',
];

// Only ever handed to the code under test as a lookup answer: no test connects to it.
const PUBLIC = { address: '93.184.216.34', family: 4 as const };
const LOOPBACK = { address: '127.0.0.1', family: 4 as const };

describe('special-purpose address ranges', () => {
  it('blocks every internal spelling once parsed, including IPv4 carried inside IPv6', () => {
    for (const h of INTERNAL_HOSTS) {
      const host = new URL(`http://${h}/`).hostname; // what the URL parser makes of it
      if (h === 'localhost') continue;
      expect(blockedRange(host), h).not.toBeNull();
    }
  });

  it('lets public unicast addresses through, also when NAT64 or 6to4 carries a public IPv4', () => {
    for (const a of ['93.184.216.34', '1.1.1.1', '2606:4700:4700::1111', '64:ff9b::5db8:d822', '2002:5db8:d822::1']) {
      expect(blockedRange(a), a).toBeNull();
    }
  });
});

describe('resolving once and connecting to the address checked', () => {
  let listener: http.Server;
  const hits: Array<{ host: string | undefined; url: string | undefined }> = [];
  beforeAll(async () => {
    listener = http.createServer((req, res) => {
      hits.push({ host: req.headers.host, url: req.url });
      req.resume();
      res.writeHead(200).end();
    });
    await new Promise<void>((r) => listener.listen(0, '127.0.0.1', r));
  });
  afterAll(async () => {
    await new Promise((r) => listener.close(r));
  });

  it('refuses a name whose answer points inside, and never asks DNS a second time', async () => {
    const port = (listener.address() as AddressInfo).port;
    let calls = 0;
    const rebinding: Lookup = async () => (++calls === 1 ? [PUBLIC] : [LOOPBACK]);
    const url = `http://hooks.rebind.test:${port}/x`;
    const first = await resolveTarget(url, { allowPrivate: false, lookup: rebinding });
    expect(first).toMatchObject({ address: '93.184.216.34' });
    const second = await resolveTarget(url, { allowPrivate: false, lookup: rebinding });
    expect(second).toMatchObject({ problem: expect.stringContaining('loopback') });
    expect(calls).toBe(2);
    // A name with one internal answer among public ones is refused too.
    const mixed: Lookup = async () => [PUBLIC, { address: '::ffff:7f00:1', family: 6 }];
    const answer = await resolveTarget(`http://mixed.test:${port}/`, { allowPrivate: false, lookup: mixed });
    expect(answer).toHaveProperty('problem');
  });

  it('connects to the checked address with the name in the Host header (no second lookup)', async () => {
    const port = (listener.address() as AddressInfo).port;
    let calls = 0;
    const lookup: Lookup = async () => {
      calls++;
      return [{ address: '127.0.0.1', family: 4 }];
    };
    const url = `http://only-in-this-test.invalid:${port}/pinned`;
    const target = await resolveTarget(url, { allowPrivate: true, lookup });
    if ('problem' in target) throw new Error(target.problem);
    // The name does not exist in any DNS: a second lookup anywhere would fail the call.
    expect(await postTo(target, '{}', { 'content-type': 'application/json' }, 5000)).toBe(200);
    expect(calls).toBe(1);
    expect(hits.at(-1)).toEqual({ host: `only-in-this-test.invalid:${port}`, url: '/pinned' });
  });
});

describe.each(APP_BACKENDS)('alert webhook targets on $name', (backend) => {
  let node: TestNode;
  let shop: ShopFixture;
  let listener: http.Server;
  let port = 0;
  const hits: string[] = [];
  beforeAll(async () => {
    const analytics = { ...ANALYTICS_TEST_CONFIG.analytics, webhookAllowPrivate: false };
    node = await startNode({ db: backend.db, cache: backend.cache, config: { analytics } });
    shop = await makeShop(node, '防探测小店', '13800009201');
    listener = http.createServer((req, res) => {
      hits.push(req.url ?? '');
      req.resume();
      res.writeHead(200).end('ok');
    });
    await new Promise<void>((r) => listener.listen(0, '127.0.0.1', r));
    port = (listener.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await node?.close();
    await new Promise((r) => listener?.close(r));
  });
  beforeEach(() => {
    node.app.ctx.config.analytics.webhookAllowPrivate = false;
    node.app.ctx.services.analytics.alerts.webhookLookup = undefined;
  });

  const rules = () => `/api/merchants/${shop.merchantId}/alert-rules`;
  const save = (webhookUrl: string) =>
    node.api('POST', rules(), {
      token: shop.owner.token,
      body: { name: 'hook', metric: 'online_below', threshold: 1, webhookUrl },
    });

  /** Fire an alert for a saved rule through the outbox, and wait until the job posting it has finished. */
  async function deliver(ruleId: number, webhookUrl: string): Promise<void> {
    const ctx = node.app.ctx;
    const id = await ctx.db.transaction().execute((trx) =>
      ctx.events.emit(trx, {
        type: 'analytics.alert_fired',
        aggregateType: 'merchant',
        aggregateId: shop.merchantId,
        payload: {
          id: 1,
          ruleId,
          merchantId: shop.merchantId,
          roomId: 1,
          metric: 'online_below',
          value: 0,
          threshold: 1,
          message: 'm',
          firedAt: new Date().toISOString(),
          ruleName: 'hook',
          webhookUrl,
        },
      }),
    );
    const finished = () =>
      ctx.db
        .selectFrom('jobs')
        .select('id')
        .where('unique_key', '=', `alert-webhook:${id}`)
        .where('status', 'in', ['done', 'failed'])
        .executeTakeFirst();
    await until(async () => Boolean(await finished()));
  }

  it('refuses every internal spelling when the rule is saved', async () => {
    for (const h of INTERNAL_HOSTS) {
      const r = await save(`http://${h}:${port}/save`);
      expect(r.status, h).toBe(400);
      expect(r.body.error.code, h).toBe('BAD_WEBHOOK_URL');
    }
    expect(hits).toEqual([]);
  });

  it('refuses them again at delivery, even for rules saved while private targets were allowed', async () => {
    node.app.ctx.config.analytics.webhookAllowPrivate = true;
    const saved: Array<[number, string]> = [];
    for (const h of ['127.0.0.1', '[::ffff:127.0.0.1]', '[::ffff:7f00:1]', '[0:0:0:0:0:ffff:127.0.0.1]', 'localhost']) {
      const url = `http://${h}:${port}/deliver`;
      const r = await save(url);
      expect(r.status, h).toBe(201);
      saved.push([r.body.id, url]);
    }
    node.app.ctx.config.analytics.webhookAllowPrivate = false;
    for (const [ruleId, url] of saved) await deliver(ruleId, url);
    expect(hits).toEqual([]);
    // The same path does reach the listener when the operator allows private targets.
    node.app.ctx.config.analytics.webhookAllowPrivate = true;
    await deliver(saved[1]![0], saved[1]![1]);
    await until(async () => hits.length === 1);
    expect(hits).toEqual(['/deliver']);
    hits.length = 0;
  });

  it('refuses a name that resolved publicly when saved and points inside at delivery (DNS rebinding)', async () => {
    let calls = 0;
    node.app.ctx.services.analytics.alerts.webhookLookup = async () => (++calls === 1 ? [PUBLIC] : [LOOPBACK]);
    const url = `http://hooks.rebind.test:${port}/rebind`;
    const r = await save(url);
    expect(r.status).toBe(201);
    await deliver(r.body.id, url);
    expect(calls).toBe(2);
    expect(hits).toEqual([]);
  });
});
