// Route rate limits: declared on the route, counted per client or per user in the shared cache,
// 429 RATE_LIMITED with Retry-After in the standard shape, visible in OpenAPI, overridable.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_BACKENDS } from '../../../test/backends.ts';
import { startNode, makeMerchant, type TestNode } from '../../../test/harness.ts';
import { clientKey } from './rate-limit.ts';

describe('clientKey', () => {
  it('groups IPv6 clients by /64 and unwraps IPv4-mapped addresses', () => {
    expect(clientKey('203.0.113.9')).toBe('203.0.113.9');
    expect(clientKey('::ffff:203.0.113.9')).toBe('203.0.113.9');
    expect(clientKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:db8:1:2:bbbb:cccc:dddd:eeee')).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(clientKey('::1')).toBe('0:0:0:0::/64');
  });
});

describe.each(APP_BACKENDS)('route rate limits on $name', (backend) => {
  let node: TestNode;
  beforeAll(async () => {
    node = await startNode({
      db: backend.db,
      cache: backend.cache,
      config: {
        trustProxy: ['127.0.0.1'],
        rateLimits: {
          enabled: true,
          overrides: {
            'analytics.beacon': { max: 2, windowSec: 60 },
            'orders.place': { max: 1, windowSec: 60 },
            'uploads.media': { max: 1, windowSec: 600 },
          },
        },
      },
    });
  });
  afterAll(async () => {
    await node?.close();
  });

  const beacon = (ip: string) =>
    node.api('POST', '/api/analytics/events', {
      headers: { 'x-forwarded-for': ip, 'user-agent': 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)' },
      body: { deviceId: 'device-rl-0001', events: [{ id: `e-${Math.random()}`, type: 'page_view' }] },
    });

  it('answers the beacon past its limit with 429 RATE_LIMITED and Retry-After, per client', async () => {
    const statuses = [];
    for (let i = 0; i < 2; i++) statuses.push((await beacon('198.51.100.20')).status);
    expect(statuses.every((s) => s !== 429)).toBe(true);
    const limited = await beacon('198.51.100.20');
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({
      error: {
        code: 'RATE_LIMITED',
        message: expect.any(String),
        details: { bucket: 'analytics.beacon', retryAfterSec: expect.any(Number) },
      },
    });
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect((await beacon('198.51.100.21')).status).not.toBe(429);
  });

  it('counts order placement per signed-in user, before the body is even read', async () => {
    const a = await node.userToken('13822220001');
    const b = await node.userToken('13822220002');
    const place = (token: string) =>
      node.api('POST', '/api/orders', { token, body: { idempotencyKey: 'not-a-real-order', items: [], addressId: 1 } });
    expect((await place(a.token)).status).toBe(400);
    const limited = await place(a.token);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await place(b.token)).status).toBe(400);
  });

  it('limits uploads per user', async () => {
    const { merchantId, owner } = await makeMerchant(node, '限流店铺', '13822220010');
    const upload = () =>
      node.api('POST', `/api/merchants/${merchantId}/media`, {
        token: owner.token,
        body: 'x',
        headers: { 'content-type': 'text/plain' },
      });
    expect((await upload()).status).not.toBe(429);
    expect((await upload()).status).toBe(429);
  });

  it('shows each limit in the OpenAPI document: a 429 with Retry-After and a line in the description', async () => {
    const doc = (await node.api('GET', '/docs/json')).body;
    const declared = [
      ['/api/auth/login', 'auth.login'],
      ['/api/auth/register', 'auth.register'],
      ['/api/orders', 'orders.place'],
      ['/api/analytics/events', 'analytics.beacon'],
    ] as const;
    for (const [path, bucket] of declared) {
      const op = doc.paths[path].post;
      expect(op.description, path).toContain(`Rate limit \`${bucket}\``);
      expect(op.responses['429'].headers['retry-after'], path).toBeDefined();
    }
  });
});

describe('rate limit configuration', () => {
  it('refuses to start with an override for a bucket no route declares', async () => {
    const typo = startNode({ config: { rateLimits: { enabled: true, overrides: { 'auth.logn': 'off' } } } });
    await expect(typo).rejects.toThrow(/unknown buckets: auth\.logn/);
  });
});
