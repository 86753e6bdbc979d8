// The api layer on its own: wx.request wrapper (bearer token, one refresh in body mode on TOKEN_EXPIRED, error
// codes), wx.login sign-in, and the sharer kept from a shared page.
import { beforeAll, describe, expect, it } from 'vitest';
import { signedIn } from './fixtures.ts';
import { ensureBuilt, logged, mp, scriptedWx, type Call } from './wx.ts';

beforeAll(() => ensureBuilt());

type Http = {
  api<T>(method: string, path: string, o?: unknown): Promise<T>;
  ApiError: new (...a: never[]) => Error & { status: number; code: string };
  errorText(e: unknown): string;
};
const http = () => mp<Http>('api/http.js');
const expired = {
  status: 401,
  data: { error: { code: 'TOKEN_EXPIRED', message: 'Access token has expired; refresh it' } },
};

describe('api layer', () => {
  it("shows a refused request in the SDK's Chinese text for its code, never the server's message", async () => {
    scriptedWx([
      (c) =>
        c.path === '/api/orders/1/cancel'
          ? { status: 409, data: { error: { code: 'ORDER_NOT_CANCELLABLE', message: 'Order is not cancellable' } } }
          : undefined,
      (c) =>
        c.path === '/api/x' ? { status: 418, data: { error: { code: 'BRAND_NEW', message: 'English' } } } : undefined,
      (c) => (c.path === '/api/y' ? { status: 502, data: '<html>bad gateway</html>' } : undefined),
    ]);
    const { api, errorText } = http();
    const refused = (p: string) =>
      api('POST', p).then(
        () => 'answered',
        (e: unknown) => errorText(e),
      );
    const zh = (await import('../../../packages/sdk/src/errors-zh.ts')).zhErrors;
    expect(await refused('/api/orders/1/cancel')).toBe(zh.ORDER_NOT_CANCELLABLE);
    expect(zh.ORDER_NOT_CANCELLABLE).toMatch(/[\u4e00-\u9fff]/);
    // Codes the catalogue does not know (a newer server, a proxy's page) get the fallback text.
    expect(await refused('/api/x')).toBe('操作没有成功，请稍后再试');
    expect(await refused('/api/y')).toBe('操作没有成功，请稍后再试');
    // A socket frame's error carries the code too; a wx API's English errMsg gets the fallback.
    expect(errorText(Object.assign(new Error('Message blocked'), { code: 'CHAT_BLOCKED' }))).toBe(zh.CHAT_BLOCKED);
    expect(errorText(new Error('requestPayment:fail system error'))).toBe('操作没有成功，请稍后再试');
    expect(errorText(new Error('timeout'))).toBe('网络不太顺畅，请检查网络后重试');
    expect(
      errorText(
        new (http().ApiError as never as new (s: number, c: string, m: string) => Error)(0, 'NETWORK', 'request:fail'),
      ),
    ).toBe('网络不太顺畅，请检查网络后重试');
  });

  it('sends the bearer token and, once it has expired, refreshes it in the body and repeats the call', async () => {
    const refreshes: Call[] = [];
    const env = scriptedWx([
      (c) =>
        c.path === '/api/auth/refresh'
          ? logged(refreshes, c, { data: { accessToken: 'new', refreshToken: 'rt2' } })
          : undefined,
      (c) => (c.path === '/api/me' && c.headers.authorization === 'Bearer old' ? expired : undefined),
      (c) => (c.path === '/api/me' && c.headers.authorization === 'Bearer new' ? { data: { id: 7 } } : undefined),
    ]);
    env.storage.set('lm.tokens', { accessToken: 'old', refreshToken: 'rt1' });
    await expect(http().api('GET', '/api/me')).resolves.toEqual({ id: 7 });
    expect(refreshes.map((c) => c.body)).toEqual([{ refreshToken: 'rt1' }]);
    expect(env.storage.get('lm.tokens')).toEqual({ accessToken: 'new', refreshToken: 'rt2' });
  });

  it('forgets a refused refresh token and surfaces the stable error code', async () => {
    const env = scriptedWx([
      (c) =>
        c.path === '/api/auth/refresh'
          ? { status: 401, data: { error: { code: 'REFRESH_TOKEN_REUSED', message: 'sign in again' } } }
          : undefined,
      () => expired,
    ]);
    env.storage.set('lm.tokens', { accessToken: 'old', refreshToken: 'spent' });
    const err = await http()
      .api('GET', '/api/me')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(http().ApiError);
    expect(err).toMatchObject({ status: 401, code: 'TOKEN_EXPIRED' });
    expect(env.storage.has('lm.tokens')).toBe(false);
  });

  it('says NETWORK when nothing answers, and sends query strings encoded', async () => {
    const env = scriptedWx([]);
    const wx = (globalThis as unknown as { wx: Record<string, unknown> }).wx;
    const request = wx.request;
    wx.request = (o: { fail(e: { errMsg: string }): void }) => o.fail({ errMsg: 'request:fail timeout' });
    await expect(http().api('GET', '/api/x')).rejects.toMatchObject({ status: 0, code: 'NETWORK' });
    wx.request = request;
    await http()
      .api('GET', '/api/products', { query: { q: '椰 子', page: 2, none: undefined } })
      .catch(() => undefined);
    expect(env.calls.at(-1)!.path).toBe('/api/products?q=%E6%A4%B0%20%E5%AD%90&page=2');
  });

  it('signs in with the wx.login code once and keeps the session', async () => {
    const logins: Call[] = [];
    const env = scriptedWx([
      (c) => (c.path === '/api/auth/wechat' ? logged(logins, c, { data: signedIn }) : undefined),
    ]);
    const auth = mp<{ signIn(): Promise<{ id: number }>; currentUser(): unknown }>('api/auth.js');
    expect(auth.currentUser()).toBeNull();
    await expect(auth.signIn()).resolves.toMatchObject({ id: 7 });
    await auth.signIn();
    expect(logins).toHaveLength(1);
    expect(logins[0]!.body.code).toMatch(/^code-/);
    expect(env.storage.get('lm.tokens')).toEqual(signedIn.tokens);
  });

  it('in the sandbox signs in with a stable sandbox:<device> code instead of the wx.login code', async () => {
    const logins: Call[] = [];
    scriptedWx([
      (c) =>
        c.path === '/api/wechat/config' ? { data: { sandbox: true, templates: {}, msgSecCheck: 'off' } } : undefined,
      (c) => (c.path === '/api/auth/wechat' ? logged(logins, c, { data: signedIn }) : undefined),
    ]);
    const auth = mp<{ signIn(force?: boolean): Promise<unknown>; resetDeployment(): void }>('api/auth.js');
    auth.resetDeployment();
    await auth.signIn(true);
    await auth.signIn(true);
    auth.resetDeployment();
    expect(logins[0]!.body.code).toMatch(/^sandbox:[A-Za-z0-9_-]{8,32}$/);
    expect(logins[1]!.body.code).toBe(logins[0]!.body.code);
  });

  it('app launch keeps the sharer of the shared page', async () => {
    const env = scriptedWx([]);
    let app: { onLaunch(o: unknown): void } | undefined;
    (globalThis as unknown as { App: (o: typeof app) => void }).App = (o) => {
      app = o;
    };
    mp('app.js');
    app!.onLaunch({ path: 'pages/room/index', query: { roomId: '9', sharer: '42' }, scene: 1007 });
    expect(env.storage.get('lm.sharer')).toBe('42');
  });
});
