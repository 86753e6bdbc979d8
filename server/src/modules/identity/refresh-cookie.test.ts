// Browsers keep the refresh token in an HttpOnly cookie that page scripts cannot read; clients
// without cookies (the WeChat mini-program) keep getting it in the body. Auth answers are no-store.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_BACKENDS } from '../../../test/backends.ts';
import { startNode, type TestNode } from '../../../test/harness.ts';

const refreshCookie = (headers: Headers) => headers.getSetCookie().find((c) => c.startsWith('lm_refresh='));
const cookieValue = (setCookie: string) => setCookie.split(';')[0]!.slice('lm_refresh='.length);

describe.each(APP_BACKENDS)('refresh token cookie on $name', (backend) => {
  let node: TestNode;
  beforeAll(async () => {
    node = await startNode({ db: backend.db, cache: backend.cache, config: { trustProxy: ['127.0.0.1'] } });
    await node.userToken('13833330001', { password: 'Cookie2jar9' });
  });
  afterAll(async () => {
    await node?.close();
  });

  const signIn = () => node.api('POST', '/api/auth/login', { body: { phone: '13833330001', password: 'Cookie2jar9' } });
  const refreshWith = (cookie: string) =>
    node.api('POST', '/api/auth/refresh', { headers: { cookie: `theme=dark; lm_refresh=${cookie}` } });

  it('signs a browser in with an HttpOnly, SameSite=Strict cookie on /api/auth, and no token in the body', async () => {
    const r = await signIn();
    expect(r.status).toBe(200);
    const set = refreshCookie(r.headers)!;
    expect(set).toBeDefined();
    const attrs = set.split(';').map((s) => s.trim());
    expect(attrs).toEqual(expect.arrayContaining(['HttpOnly', 'SameSite=Strict', 'Path=/api/auth']));
    expect(attrs).not.toContain('Secure'); // plain http here
    expect(r.body.tokens.refreshToken).toBeUndefined();
    expect(r.body.tokens.refreshTokenIn).toBe('cookie');
    expect(JSON.stringify(r.body)).not.toContain(cookieValue(set));
    expect(r.headers.get('cache-control')).toBe('no-store');
  });

  it('refreshes through the cookie, rotating it, and treats a replayed cookie as theft', async () => {
    const first = cookieValue(refreshCookie((await signIn()).headers)!);
    const r = await refreshWith(first);
    expect(r.status).toBe(200);
    expect(r.headers.get('cache-control')).toBe('no-store');
    const second = cookieValue(refreshCookie(r.headers)!);
    expect(second).not.toBe(first);
    expect(r.body.refreshToken).toBeUndefined();
    expect(JSON.stringify(r.body)).not.toContain(second);
    const me = await node.api('GET', '/api/me', { token: r.body.accessToken });
    expect(me.status).toBe(200);
    expect(me.headers.get('cache-control')).toBe('no-store');

    const replay = await refreshWith(first);
    expect(replay.body.error.code).toBe('REFRESH_TOKEN_REUSED');
    expect(refreshCookie(replay.headers)).toMatch(/Max-Age=0/);
    expect((await refreshWith(second)).body.error.code).toBe('SESSION_REVOKED');
  });

  it('signs out through the cookie and clears it', async () => {
    const signedIn = await signIn();
    const cookie = cookieValue(refreshCookie(signedIn.headers)!);
    const out = await node.api('POST', '/api/auth/logout', { headers: { cookie: `lm_refresh=${cookie}` } });
    expect(out.status).toBe(200);
    expect(refreshCookie(out.headers)).toMatch(/Max-Age=0/);
    const me = await node.api('GET', '/api/me', { token: signedIn.body.tokens.accessToken });
    expect(me.body.error.code).toBe('SESSION_REVOKED');
  });

  it('answers a refresh without any token with REFRESH_TOKEN_MISSING', async () => {
    const r = await node.api('POST', '/api/auth/refresh');
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe('REFRESH_TOKEN_MISSING');
  });

  it('keeps the token in the body for clients without cookies (mini-program), and sets no cookie', async () => {
    const body = { phone: '13833330001', password: 'Cookie2jar9', refreshTokenIn: 'body' };
    const r = await node.api('POST', '/api/auth/login', { body });
    expect(r.body.tokens.refreshTokenIn).toBe('body');
    expect(refreshCookie(r.headers)).toBeUndefined();
    const next = await node.api('POST', '/api/auth/refresh', { body: { refreshToken: r.body.tokens.refreshToken } });
    expect(next.status).toBe(200);
    expect(next.body.refreshToken).toEqual(expect.any(String));
    expect(refreshCookie(next.headers)).toBeUndefined();
  });

  it('marks the cookie Secure when the app is reached over https', async () => {
    const body = { phone: '13833330001', password: 'Cookie2jar9' };
    const r = await node.api('POST', '/api/auth/login', { body, headers: { 'x-forwarded-proto': 'https' } });
    expect(
      refreshCookie(r.headers)!
        .split(';')
        .map((s) => s.trim()),
    ).toContain('Secure');
  });

  it('sends no-store on failed auth answers too', async () => {
    const r = await node.api('POST', '/api/auth/login', { body: { phone: '13833330001', password: 'not-the-one-1' } });
    expect(r.status).toBe(401);
    expect(r.headers.get('cache-control')).toBe('no-store');
    const body = { phone: '13833330002', password: 'Another9cookie' };
    const reg = await node.api('POST', '/api/auth/register', { body });
    expect(reg.status).toBe(201);
    expect(reg.headers.get('cache-control')).toBe('no-store');
  });
});
