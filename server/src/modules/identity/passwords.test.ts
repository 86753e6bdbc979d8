// Changing and resetting passwords, and the common-password list.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_BACKENDS } from '../../../test/backends.ts';
import { startNode, type TestNode } from '../../../test/harness.ts';
import type { SandboxSms } from './sms.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(APP_BACKENDS)('passwords on $name', (backend) => {
  let node: TestNode;
  let sms: SandboxSms;
  beforeAll(async () => {
    node = await startNode({
      db: backend.db,
      cache: backend.cache,
      config: {
        trustProxy: ['127.0.0.1'],
        smsCode: { ttlSec: 2, maxAttempts: 3, resendSec: 1 },
        // The parallel-guess test sends more resets from one address than the route allows in an hour.
        rateLimits: { enabled: true, overrides: { 'auth.password-reset': { max: 100, windowSec: 3600 } } },
      },
    });
    sms = node.app.ctx.services.passwords.sms as SandboxSms;
  });
  afterAll(async () => {
    await node?.close();
  });

  const login = (phone: string, password: string) =>
    node.api('POST', '/api/auth/login', {
      body: { phone, password, refreshTokenIn: 'body' },
      headers: { 'x-forwarded-for': `192.0.2.${phone.slice(-2)}` },
    });
  const requestCode = (phone: string) => node.api('POST', '/api/auth/password-reset/code', { body: { phone } });
  const reset = (phone: string, code: string, newPassword = 'Reset2mine8q') =>
    node.api('POST', '/api/auth/password-reset', { body: { phone, code, newPassword } });

  it('refuses the most common passwords with a stable code', async () => {
    for (const password of ['password1', 'Qwerty123', 'woaini1314', '1q2w3e4r']) {
      const r = await node.api('POST', '/api/auth/register', { body: { phone: '13844440001', password } });
      expect(r.status, password).toBe(400);
      expect(r.body.error.code, password).toBe('PASSWORD_COMMON');
    }
    const body = { phone: '13844440001', password: 'Tangerine7kite' };
    const fine = await node.api('POST', '/api/auth/register', { body });
    expect(fine.status).toBe(201);
  });

  it('changes the password with the current one and signs out the other sessions', async () => {
    const phone = '13844440011';
    const here = await node.userToken(phone, { password: 'Before2change' });
    const other = await login(phone, 'Before2change');
    const change = (body: Record<string, string>) => node.api('POST', '/api/me/password', { token: here.token, body });
    const refused = async (currentPassword: string, newPassword: string) =>
      (await change({ currentPassword, newPassword })).body.error.code;
    expect(await refused('not-it-123', 'After3change')).toBe('PASSWORD_WRONG');
    expect(await refused('Before2change', 'password123')).toBe('PASSWORD_COMMON');
    expect(await refused('Before2change', 'short1')).toBe('PASSWORD_WEAK');
    const ok = await change({ currentPassword: 'Before2change', newPassword: 'After3change' });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ ok: true, signedOutSessions: 1 });
    const otherTokens = other.body.tokens;
    const otherMe = await node.api('GET', '/api/me', { token: otherTokens.accessToken });
    expect(otherMe.body.error.code).toBe('SESSION_REVOKED');
    const refreshBody = { refreshToken: otherTokens.refreshToken };
    const otherRefresh = await node.api('POST', '/api/auth/refresh', { body: refreshBody });
    expect(otherRefresh.status).toBe(401);
    expect((await node.api('GET', '/api/me', { token: here.token })).status).toBe(200);
    expect((await login(phone, 'Before2change')).body.error.code).toBe('INVALID_CREDENTIALS');
    expect((await login(phone, 'After3change')).status).toBe(200);
  });

  it('resets a forgotten password with the texted code: single use, every session signed out', async () => {
    const phone = '13844440021';
    const session = await node.userToken(phone, { password: 'Forgot2this' });
    const sent = await requestCode(phone);
    expect(sent.status).toBe(202);
    const code = sms.lastCode(phone)!;
    expect(code).toMatch(/^\d{6}$/);
    const wrong = await reset(phone, code === '000000' ? '111111' : '000000');
    expect(wrong.body.error).toMatchObject({ code: 'RESET_CODE_INVALID', details: { attemptsLeft: 2 } });
    expect((await reset(phone, code, 'abc12345')).body.error.code).toBe('PASSWORD_COMMON');
    const ok = await reset(phone, code);
    expect(ok.status).toBe(200);
    expect((await reset(phone, code, 'Again5reset')).body.error.code).toBe('RESET_CODE_INVALID');
    expect((await node.api('GET', '/api/me', { token: session.token })).body.error.code).toBe('SESSION_REVOKED');
    expect((await login(phone, 'Forgot2this')).status).toBe(401);
    expect((await login(phone, 'Reset2mine8q')).status).toBe(200);
  });

  it('lets a code expire, and spends it after the allowed wrong tries even when they arrive at once', async () => {
    const phone = '13844440031';
    await node.userToken(phone, { password: 'Slow2typer' });
    await requestCode(phone);
    await sleep(2100);
    expect((await reset(phone, sms.lastCode(phone)!)).body.error.code).toBe('RESET_CODE_EXPIRED');

    await requestCode(phone);
    const code = sms.lastCode(phone)!;
    const guesses = Array.from({ length: 20 }, (_, i) => String((Number(code) + 1 + i) % 1_000_000).padStart(6, '0'));
    const results = await Promise.all(guesses.map((g) => reset(phone, g)));
    const left = results.map((r) => r.body.error.details?.attemptsLeft).filter((n) => n > 0);
    expect(left.sort()).toEqual([1, 2]); // only 3 tries were weighed; the rest found no code
    expect((await reset(phone, code)).body.error.code).toBe('RESET_CODE_INVALID');
  });

  it('answers the same for unknown numbers, and waits between two codes to one phone', async () => {
    const unknown = await requestCode('13844449999');
    expect(unknown.status).toBe(202);
    expect(sms.lastCode('13844449999')).toBeUndefined();
    const phone = '13844440041';
    await node.userToken(phone);
    expect((await requestCode(phone)).status).toBe(202);
    const again = await requestCode(phone);
    expect(again.status).toBe(429);
    expect(again.body.error.code).toBe('RATE_LIMITED');
    expect(Number(again.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });

  it('clears the failure count on reset, so the owner signs in without a captcha', async () => {
    const phone = '13844440051';
    await node.userToken(phone, { password: 'Locked2out' });
    for (let i = 0; i < 6; i++) {
      const headers = { 'x-forwarded-for': `198.51.100.${50 + i}` };
      await node.api('POST', '/api/auth/login', { body: { phone, password: `x-${i}-guess` }, headers });
    }
    expect((await login(phone, 'Locked2out')).body.error.code).toBe('CAPTCHA_REQUIRED');
    await requestCode(phone);
    expect((await reset(phone, sms.lastCode(phone)!, 'Unlocked3now')).status).toBe(200);
    expect((await login(phone, 'Unlocked3now')).status).toBe(200);
  });
});
