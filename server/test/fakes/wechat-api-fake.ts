// A local stand-in for api.weixin.qq.com answering like WeChat does (HTTP 200, errcode/errmsg on
// failure): jscode2session, stable_token / token (access tokens that expire or can be revoked:
// 40001 invalid, 42001 expired), getuserphonenumber, msg_sec_check v2, subscribe/send and
// getwxacodeunlimit (a PNG for a good request, errcode JSON otherwise).
import crypto from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';

export interface WechatApiFake {
  url: string;
  server: FastifyInstance;
  appId: string;
  secret: string;
  tokenCalls: Array<{ path: string; force: boolean }>;
  /** phone button code → purePhoneNumber; each code works once. */
  phoneCodes: Map<string, string>;
  secChecks: Array<{ content: string; version: number; scene: number; openid: string }>;
  sent: Array<{
    touser: string;
    template_id: string;
    page: string;
    data: Record<string, { value: string }>;
    miniprogram_state: string;
  }>;
  /** Bodies getwxacodeunlimit was asked with; `pages` are the published pages it knows. */
  wxaCodes: Array<Record<string, unknown>>;
  pages: Set<string>;
  /** Words msg_sec_check marks risky / review. */
  risky: string[];
  review: string[];
  /** openids whose subscribe/send answers 43101 (no grant on WeChat's side). */
  refusing: Set<string>;
  /** Token lifetime given out, in seconds. */
  tokenTtlSec: number;
  /** Make a token invalid (as when another caller forced a refresh) or expired. */
  revoke(token: string, as: 40001 | 42001): void;
  current(): string | null;
  close(): Promise<void>;
}

export async function startWechatApiFake(): Promise<WechatApiFake> {
  const tokens = new Map<string, { expiresAt: number; bad?: 40001 | 42001 }>();
  let latest: string | null = null;
  const usedLogin = new Set<string>();
  const fake = {
    appId: 'wx1234567890abcdef',
    secret: 'fake-secret',
    tokenCalls: [],
    phoneCodes: new Map(),
    secChecks: [],
    sent: [],
    wxaCodes: [],
    pages: new Set(['pages/room/index', 'pages/home/index', 'mall/pages/product/index']),
    risky: ['赌博', '毒品'],
    review: ['加微信'],
    refusing: new Set<string>(),
    tokenTtlSec: 7200,
  } as unknown as WechatApiFake;
  const issue = () => {
    const t = `ACCESS_${crypto.randomBytes(8).toString('hex')}`;
    tokens.set(t, { expiresAt: Date.now() + fake.tokenTtlSec * 1000 });
    latest = t;
    return { access_token: t, expires_in: fake.tokenTtlSec };
  };
  const server = Fastify();
  server.get('/sns/jscode2session', async (req) => {
    const q = req.query as Record<string, string>;
    if (q.appid !== fake.appId || q.secret !== fake.secret) return { errcode: 40125, errmsg: 'invalid appsecret' };
    if (!q.js_code?.startsWith('code-') || usedLogin.has(q.js_code)) return { errcode: 40029, errmsg: 'invalid code' };
    usedLogin.add(q.js_code);
    return { openid: `oOPENID_${q.js_code.split('-')[1]}`, session_key: 'tiihtNczf5v6AKRyjwEUhQ==' };
  });
  server.post('/cgi-bin/stable_token', async (req) => {
    const b = req.body as { grant_type?: string; appid?: string; secret?: string; force_refresh?: boolean };
    fake.tokenCalls.push({ path: 'stable_token', force: b.force_refresh === true });
    if (b.grant_type !== 'client_credential') return { errcode: 40002, errmsg: 'invalid grant_type' };
    if (b.appid !== fake.appId || b.secret !== fake.secret) return { errcode: 40125, errmsg: 'invalid appsecret' };
    // Normal mode hands out the token still in force; force_refresh makes a new one.
    const cur = latest ? tokens.get(latest) : undefined;
    if (!b.force_refresh && latest && cur && !cur.bad && cur.expiresAt > Date.now()) {
      return { access_token: latest, expires_in: Math.floor((cur.expiresAt - Date.now()) / 1000) };
    }
    if (latest && cur) cur.bad = 40001;
    return issue();
  });
  server.get('/cgi-bin/token', async (req) => {
    const q = req.query as Record<string, string>;
    fake.tokenCalls.push({ path: 'token', force: false });
    if (q.appid !== fake.appId || q.secret !== fake.secret) return { errcode: 40125, errmsg: 'invalid appsecret' };
    return issue();
  });
  const tokenError = (q: Record<string, string>) => {
    const t = tokens.get(q.access_token ?? '');
    if (!t) return { errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' };
    if (t.bad) return { errcode: t.bad, errmsg: t.bad === 42001 ? 'access_token expired' : 'invalid credential' };
    if (t.expiresAt <= Date.now()) return { errcode: 42001, errmsg: 'access_token expired' };
    return null;
  };
  server.post('/wxa/business/getuserphonenumber', async (req) => {
    const bad = tokenError(req.query as Record<string, string>);
    if (bad) return bad;
    const code = (req.body as { code?: string }).code ?? '';
    const phone = fake.phoneCodes.get(code);
    if (!phone) return { errcode: 40029, errmsg: 'code 无效' };
    fake.phoneCodes.delete(code);
    return {
      errcode: 0,
      errmsg: 'ok',
      phone_info: {
        phoneNumber: phone,
        purePhoneNumber: phone,
        countryCode: '86',
        watermark: { timestamp: Math.floor(Date.now() / 1000), appid: fake.appId },
      },
    };
  });
  server.post('/wxa/msg_sec_check', async (req) => {
    const bad = tokenError(req.query as Record<string, string>);
    if (bad) return bad;
    const b = req.body as { content?: string; version?: number; scene?: number; openid?: string };
    if (b.version !== 2 || ![1, 2, 3, 4].includes(b.scene ?? 0) || !b.openid || typeof b.content !== 'string') {
      return { errcode: 40003, errmsg: 'invalid args' };
    }
    fake.secChecks.push({ content: b.content, version: b.version, scene: b.scene!, openid: b.openid });
    const suggest = fake.risky.some((w) => b.content!.includes(w))
      ? 'risky'
      : fake.review.some((w) => b.content!.includes(w))
        ? 'review'
        : 'pass';
    const label = suggest === 'pass' ? 100 : 20001;
    return {
      errcode: 0,
      errmsg: 'ok',
      result: { suggest, label },
      detail: [{ strategy: 'content_model', errcode: 0, suggest, label }],
      trace_id: 'trace',
    };
  });
  server.post('/cgi-bin/message/subscribe/send', async (req) => {
    const bad = tokenError(req.query as Record<string, string>);
    if (bad) return bad;
    const b = req.body as WechatApiFake['sent'][number];
    if (!b.touser || !b.template_id || typeof b.data !== 'object')
      return { errcode: 47003, errmsg: 'argument invalid' };
    if (fake.refusing.has(b.touser)) return { errcode: 43101, errmsg: 'user refuse to accept the msg' };
    fake.sent.push(b);
    return { errcode: 0, errmsg: 'ok' };
  });
  server.post('/wxa/getwxacodeunlimit', async (req, reply) => {
    const bad = tokenError(req.query as Record<string, string>);
    if (bad) return bad;
    const b = req.body as Record<string, unknown>;
    fake.wxaCodes.push(b);
    const scene = typeof b.scene === 'string' ? b.scene : '';
    if (!/^[A-Za-z0-9!#$&'()*+,/:;=?@._~-]{1,32}$/.test(scene)) return { errcode: 40129, errmsg: 'invalid scene' };
    if (b.check_path !== false && !fake.pages.has(String(b.page))) return { errcode: 41030, errmsg: 'invalid page' };
    // A tiny valid PNG (1×1, white) stands for the code's image.
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4//8/AAX+Av4N70a4AAAAAElFTkSuQmCC',
      'base64',
    );
    return reply.header('content-type', 'image/png').send(png);
  });
  const url = await server.listen({ host: '127.0.0.1', port: 0 });
  return Object.assign(fake, {
    url,
    server,
    revoke(token: string, as: 40001 | 42001) {
      const t = tokens.get(token);
      if (t) t.bad = as;
    },
    current: () => latest,
    close: () => server.close(),
  });
}
