// WeChat mini-program login against a local fake of api.weixin.qq.com/sns/jscode2session that
// answers exactly like the real endpoint (HTTP 200 with errcode on failure).
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_BACKENDS } from '../../../test/backends.ts';
import { startNode, type TestNode } from '../../../test/harness.ts';
import { testConfig } from '../../platform/config.ts';

const APP_ID = 'wx1234567890abcdef';
const SECRET = 'fake-secret';

async function fakeWechat(): Promise<{ server: FastifyInstance; url: string; calls: Array<Record<string, string>> }> {
  const calls: Array<Record<string, string>> = [];
  const used = new Set<string>();
  const server = Fastify();
  server.get('/sns/jscode2session', async (req) => {
    const q = req.query as Record<string, string>;
    calls.push(q);
    if (q.appid !== APP_ID || q.secret !== SECRET) return { errcode: 40125, errmsg: 'invalid appsecret' };
    if (q.grant_type !== 'authorization_code') return { errcode: 40002, errmsg: 'invalid grant_type' };
    if (!q.js_code?.startsWith('code-')) return { errcode: 40029, errmsg: 'invalid code' };
    if (used.has(q.js_code)) return { errcode: 40163, errmsg: 'code been used' };
    used.add(q.js_code);
    const who = q.js_code.split('-')[1];
    return { openid: `oOPENID_${who}`, session_key: 'tiihtNczf5v6AKRyjwEUhQ==', unionid: `oUNION_${who}` };
  });
  const url = await server.listen({ host: '127.0.0.1', port: 0 });
  return { server, url, calls };
}

describe.each(APP_BACKENDS)('WeChat mini-program login on $name', (backend) => {
  let node: TestNode;
  let fake: Awaited<ReturnType<typeof fakeWechat>>;
  beforeAll(async () => {
    fake = await fakeWechat();
    node = await startNode({
      db: backend.db,
      cache: backend.cache,
      config: { wechatAppId: APP_ID, wechatAppSecret: SECRET, wechatApiBase: fake.url },
    });
  });
  afterAll(async () => {
    await node?.close();
    await fake?.server.close();
  });

  it('creates a user on first sign-in and finds the same user next time', async () => {
    const first = await node.api('POST', '/api/auth/wechat', { body: { code: 'code-alice-1' } });
    expect(first.status).toBe(200);
    expect(first.body.created).toBe(true);
    expect(first.body.user).toMatchObject({ hasWechat: true, phone: null });
    expect(fake.calls.at(-1)).toMatchObject({
      appid: APP_ID,
      secret: SECRET,
      js_code: 'code-alice-1',
      grant_type: 'authorization_code',
    });
    const second = await node.api('POST', '/api/auth/wechat', { body: { code: 'code-alice-2' } });
    expect(second.body.created).toBe(false);
    expect(second.body.user.id).toBe(first.body.user.id);
    const me = await node.api('GET', '/api/me', { token: second.body.tokens.accessToken });
    expect(me.body.user.id).toBe(first.body.user.id);
  });

  it('maps WeChat errors to stable codes', async () => {
    const invalid = await node.api('POST', '/api/auth/wechat', { body: { code: 'garbage' } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.code).toBe('WECHAT_CODE_INVALID');
    await node.api('POST', '/api/auth/wechat', { body: { code: 'code-bob-1' } });
    const reused = await node.api('POST', '/api/auth/wechat', { body: { code: 'code-bob-1' } });
    expect(reused.body.error.code).toBe('WECHAT_CODE_INVALID');
  });

  it('answers 422 when WeChat is not configured, and 502 when WeChat is unreachable', async () => {
    const noSandbox = { ...testConfig().wechat, sandbox: false };
    const unconfigured = await startNode({ db: 'pglite', config: { wechatAppId: undefined, wechat: noSandbox } });
    try {
      const r = await unconfigured.api('POST', '/api/auth/wechat', { body: { code: 'code-x-1' } });
      expect(r.status).toBe(422);
      expect(r.body.error.code).toBe('WECHAT_NOT_CONFIGURED');
    } finally {
      await unconfigured.close();
    }
    const unreachable = await startNode({
      db: 'pglite',
      config: { wechatAppId: APP_ID, wechatAppSecret: SECRET, wechatApiBase: 'http://127.0.0.1:1' },
    });
    try {
      const r = await unreachable.api('POST', '/api/auth/wechat', { body: { code: 'code-x-1' } });
      expect(r.status).toBe(502);
      expect(r.body.error.code).toBe('WECHAT_UNAVAILABLE');
    } finally {
      await unreachable.close();
    }
  });
});
