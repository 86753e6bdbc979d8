// Password guessing is throttled before argon2 runs: per account and per client, in the shared
// cache, with a captcha step-up instead of locking the owner out. Clients are told apart by
// X-Forwarded-For (the test node trusts the loopback proxy), so each test is its own "network".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_BACKENDS, uniquePrefix } from '../../../test/backends.ts';
import { startNode, type TestNode } from '../../../test/harness.ts';
import type { Config } from '../../platform/config.ts';

const LOGIN: Config['login'] = {
  windowSec: 900,
  accountCaptchaAfter: 5,
  clientCaptchaAfter: 10,
  clientMaxFailures: 15,
};
const config: Partial<Config> = {
  trustProxy: ['127.0.0.1'],
  login: LOGIN,
  rateLimits: { enabled: true, overrides: { 'auth.register': { max: 3, windowSec: 3600 } } },
};
const from = (ip: string) => ({ 'x-forwarded-for': ip });

/** Counts the argon2 verifications the node performs. */
function countVerifications(node: TestNode) {
  const auth = node.app.ctx.services.auth;
  const real = auth.passwords;
  const counter = { n: 0 };
  auth.passwords = {
    hash: real.hash,
    verify: async (h, p) => {
      counter.n++;
      return real.verify(h, p);
    },
  };
  return counter;
}
const codes = (rs: Array<{ status: number; body: any }>) => rs.map((r) => r.body?.error?.code ?? String(r.status));
const count = (xs: string[], x: string) => xs.filter((y) => y === x).length;

describe.each(APP_BACKENDS)('sign-in throttling on $name', (backend) => {
  let node: TestNode;
  beforeAll(async () => {
    node = await startNode({ db: backend.db, cache: backend.cache, config });
  });
  afterAll(async () => {
    await node?.close();
  });

  const login = (phone: string, password: string, ip: string, captcha?: string) =>
    node.api('POST', '/api/auth/login', {
      body: { phone, password, ...(captcha ? { captcha } : {}) },
      headers: from(ip),
    });

  it('checks at most the bucket size of 30 parallel wrong guesses, then asks for a captcha', async () => {
    await node.userToken('13855550001', { password: 'Owner2pass9x' });
    const verified = countVerifications(node);
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => login('13855550001', `wrong-guess-${i}`, '198.51.100.1')),
    );
    const got = codes(results);
    expect(verified.n).toBe(LOGIN.accountCaptchaAfter);
    expect(count(got, 'INVALID_CREDENTIALS')).toBe(LOGIN.accountCaptchaAfter);
    expect(count(got, 'CAPTCHA_REQUIRED')).toBe(30 - LOGIN.accountCaptchaAfter);
    const challenge = results.find((r) => r.body.error?.code === 'CAPTCHA_REQUIRED')!.body.error.details.captcha;
    expect(challenge).toMatchObject({
      provider: 'sandbox',
      challengeId: expect.any(String),
      prompt: expect.any(String),
    });
  });

  it('does not lock the owner out: after the captcha they sign in, from anywhere', async () => {
    const phone = '13855550002';
    await node.userToken(phone, { password: 'Owner2pass9x' });
    for (let i = 0; i < 8; i++) await login(phone, `attacker-${i}`, '198.51.100.2');
    const asked = await login(phone, 'Owner2pass9x', '203.0.113.2');
    expect(asked.status).toBe(403);
    expect(asked.body.error.code).toBe('CAPTCHA_REQUIRED');
    const { challengeId, sandboxAnswer } = asked.body.error.details.captcha;
    const wrongAnswer = await login(phone, 'Owner2pass9x', '203.0.113.2', `${challengeId}:x${sandboxAnswer}`);
    expect(wrongAnswer.body.error.code).toBe('CAPTCHA_INVALID');
    const fresh = wrongAnswer.body.error.details.captcha;
    const ok = await login(phone, 'Owner2pass9x', '203.0.113.2', `${fresh.challengeId}:${fresh.sandboxAnswer}`);
    expect(ok.status).toBe(200);
    // Their success starts the account afresh: the next sign-in needs no captcha.
    expect((await login(phone, 'Owner2pass9x', '203.0.113.2')).status).toBe(200);
  });

  it('spends a captcha answer once', async () => {
    const phone = '13855550003';
    for (let i = 0; i < LOGIN.accountCaptchaAfter; i++) await login(phone, `guess-${i}`, '198.51.100.3');
    const asked = await login(phone, 'guess-x', '198.51.100.3');
    const answer = `${asked.body.error.details.captcha.challengeId}:${asked.body.error.details.captcha.sandboxAnswer}`;
    expect((await login(phone, 'guess-y', '198.51.100.3', answer)).body.error.code).toBe('INVALID_CREDENTIALS');
    expect((await login(phone, 'guess-z', '198.51.100.3', answer)).body.error.code).toBe('CAPTCHA_INVALID');
  });

  it('stops one client spraying a password across 50 phones; another client is unaffected', async () => {
    const verified = countVerifications(node);
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        login(`1386666${String(i).padStart(4, '0')}`, 'Spring2024x', '198.51.100.4'),
      ),
    );
    const got = codes(results);
    expect(verified.n).toBe(LOGIN.clientCaptchaAfter);
    expect(count(got, 'INVALID_CREDENTIALS')).toBe(LOGIN.clientCaptchaAfter);
    expect(count(got, 'CAPTCHA_REQUIRED') + count(got, 'RATE_LIMITED')).toBe(50 - LOGIN.clientCaptchaAfter);
    const limited = results.find((r) => r.status === 429);
    if (limited) expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await login('13866669999', 'Spring2024x', '203.0.113.4')).body.error.code).toBe('INVALID_CREDENTIALS');
  });

  it('stops a client that keeps solving captchas at its ceiling, with Retry-After', async () => {
    const ip = '198.51.100.5';
    const phones = (i: number) => `1387777${String(i).padStart(4, '0')}`;
    for (let i = 0; i < LOGIN.clientCaptchaAfter; i++) {
      expect((await login(phones(i), 'Guess1234x', ip)).status).toBe(401);
    }
    let last: Awaited<ReturnType<typeof login>> | undefined;
    for (let i = LOGIN.clientCaptchaAfter; i < LOGIN.clientMaxFailures; i++) {
      const asked = await login(phones(i), 'Guess1234x', ip);
      if (asked.status !== 403) {
        last = asked;
        break;
      }
      const c = asked.body.error.details.captcha;
      last = await login(phones(i), 'Guess1234x', ip, `${c.challengeId}:${c.sandboxAnswer}`);
    }
    const stopped = await login(phones(99), 'Guess1234x', ip);
    expect(last?.status).toBe(401);
    expect(stopped.status).toBe(429);
    expect(stopped.body.error.code).toBe('RATE_LIMITED');
    const retryAfter = Number(stopped.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(LOGIN.windowSec);
  });

  it('throttles registration per client, with Retry-After', async () => {
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        node.api('POST', '/api/auth/register', {
          body: { phone: `1388888000${i}`, password: 'Fresh2join7q' },
          headers: from('198.51.100.6'),
        }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 201, 201, 429, 429, 429]);
    const limited = results.find((r) => r.status === 429)!;
    expect(limited.body.error.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(3500);
    const elsewhere = await node.api('POST', '/api/auth/register', {
      body: { phone: '13888880009', password: 'Fresh2join7q' },
      headers: from('203.0.113.6'),
    });
    expect(elsewhere.status).toBe(201);
  });
});

describe.runIf(process.env.REDIS_URL)('sign-in throttling across two nodes sharing Redis', () => {
  let a: TestNode;
  let b: TestNode;
  beforeAll(async () => {
    const redisPrefix = uniquePrefix();
    a = await startNode({ cache: 'redis', redisPrefix, config });
    b = await startNode({ cache: 'redis', redisPrefix, config });
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
  });

  it('counts failures for one account on both nodes together', async () => {
    const guess = (n: TestNode, i: number) =>
      n.api('POST', '/api/auth/login', {
        body: { phone: '13899990001', password: `guess-${i}` },
        headers: from('198.51.100.7'),
      });
    const got: string[] = [];
    for (let i = 0; i < LOGIN.accountCaptchaAfter + 1; i++) got.push((await guess(i % 2 ? b : a, i)).body.error.code);
    expect(got).toEqual([...Array(LOGIN.accountCaptchaAfter).fill('INVALID_CREDENTIALS'), 'CAPTCHA_REQUIRED']);
  });

  it('shares the registration bucket between the nodes', async () => {
    const register = (n: TestNode, i: number) =>
      n.api('POST', '/api/auth/register', {
        body: { phone: `1389999100${i}`, password: 'Fresh2join7q' },
        headers: from('198.51.100.8'),
      });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await register(i % 2 ? b : a, i)).status);
    expect(statuses).toEqual([201, 201, 201, 429]);
  });
});
