// wxacode.getUnlimited: the real adapter against a local stand-in of api.weixin.qq.com (the request
// body exactly as documented, the image back, a revoked token refreshed once, errcodes mapped to
// 4xx), the sandbox's stand-in code, and a poster carrying a real-adapter code on both backends.
import { loadImage } from '@napi-rs/canvas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_BACKENDS } from '../../../test/backends.ts';
import { makeShop, simpleProduct } from '../../../test/commerce-fixtures.ts';
import { startWechatApiFake, type WechatApiFake } from '../../../test/fakes/wechat-api-fake.ts';
import { startNode, type TestNode } from '../../../test/harness.ts';
import { openCache } from '../../platform/cache/index.ts';
import { testConfig } from '../../platform/config.ts';
import { AppError } from '../../platform/errors.ts';
import { RealWechatApi, SandboxWechatApi } from './api.ts';

const code = (e: unknown) => (e instanceof AppError ? `${e.statusCode} ${e.code}` : String(e));

describe('wxacode.getUnlimited through the real adapter', () => {
  let wx: WechatApiFake;
  let api: RealWechatApi;
  beforeAll(async () => {
    wx = await startWechatApiFake();
    api = new RealWechatApi(openCache({}), {
      appId: wx.appId,
      appSecret: wx.secret,
      apiBase: wx.url,
      tokenMode: 'stable',
    });
  });
  afterAll(async () => {
    await wx?.close();
  });

  it('posts the documented body with the access token and returns the image', async () => {
    const img = await api.wxaCodeUnlimited({ scene: 'r12.abcd1234', page: 'pages/room/index' });
    expect(img.contentType).toBe('image/png');
    expect((await loadImage(img.body)).width).toBe(1);
    expect(wx.wxaCodes.at(-1)).toEqual({
      scene: 'r12.abcd1234',
      page: 'pages/room/index',
      check_path: true,
      env_version: 'release',
      width: 430,
      auto_color: false,
      line_color: { r: 0, g: 0, b: 0 },
      is_hyaline: false,
    });
  });

  it('refreshes a revoked token once and asks again', async () => {
    wx.revoke(wx.current()!, 40001);
    const before = wx.tokenCalls.length;
    const img = await api.wxaCodeUnlimited({ scene: 'p3', page: 'mall/pages/product/index', envVersion: 'trial' });
    expect(img.body.length).toBeGreaterThan(0);
    expect(wx.tokenCalls.slice(before)).toEqual([{ path: 'stable_token', force: true }]);
    expect(wx.wxaCodes.at(-1)).toMatchObject({ check_path: false, env_version: 'trial' });
  });

  it("maps WeChat's refusals to 4xx, and refuses what WeChat would refuse without asking", async () => {
    await expect(api.wxaCodeUnlimited({ scene: 'r1', page: 'pages/nowhere/index' })).rejects.toSatisfy(
      (e) => code(e) === '400 WXACODE_PAGE_INVALID',
    );
    const asked = wx.wxaCodes.length;
    await expect(api.wxaCodeUnlimited({ scene: 'x'.repeat(33), page: 'pages/room/index' })).rejects.toSatisfy(
      (e) => code(e) === '400 WXACODE_SCENE_INVALID',
    );
    await expect(api.wxaCodeUnlimited({ scene: 'a b', page: 'pages/room/index' })).rejects.toSatisfy(
      (e) => code(e) === '400 WXACODE_SCENE_INVALID',
    );
    await expect(api.wxaCodeUnlimited({ scene: 'r1', page: '/pages/room/index?x=1' })).rejects.toSatisfy(
      (e) => code(e) === '400 WXACODE_PAGE_INVALID',
    );
    expect(wx.wxaCodes.length).toBe(asked);
  });
});

describe('the sandbox mini-program code', () => {
  it('is a PNG of the asked width, the same for the same scene and different for another', async () => {
    const sb = new SandboxWechatApi();
    const a = await sb.wxaCodeUnlimited({ scene: 'r1.aaaa', page: 'pages/room/index', width: 300 });
    const b = await sb.wxaCodeUnlimited({ scene: 'r1.aaaa', page: 'pages/room/index', width: 300 });
    const c = await sb.wxaCodeUnlimited({ scene: 'r1.bbbb', page: 'pages/room/index', width: 300 });
    expect((await loadImage(a.body)).width).toBe(300);
    expect(a.body.equals(b.body)).toBe(true);
    expect(a.body.equals(c.body)).toBe(false);
  });
});

describe.each(APP_BACKENDS)('a poster with a real mini-program code on $name', (backend) => {
  let wx: WechatApiFake;
  let node: TestNode;
  beforeAll(async () => {
    wx = await startWechatApiFake();
    node = await startNode({
      db: backend.db,
      cache: backend.cache,
      config: {
        wechatAppId: wx.appId,
        wechatAppSecret: wx.secret,
        wechatApiBase: wx.url,
        wechat: { ...testConfig().wechat, sandbox: false },
      },
    });
  }, 120_000);
  afterAll(async () => {
    await node?.close();
    await wx?.close();
  });

  it("asks WeChat once for the code of a product's share and draws it into the poster", async () => {
    const shop = await makeShop(node, '小程序码店', '13877770001');
    const { productId } = await simpleProduct(node, shop, '小程序码商品', 990, 3);
    const shared = await node.api('POST', '/api/shares', {
      body: { targetKind: 'product', targetId: productId, visitorKey: 'visitor-wxa' },
    });
    const path = `${node.url}/api/posters/products/${productId}?code=wxa&share=${shared.body.token}`;
    const first = await fetch(path);
    expect(first.status).toBe(200);
    expect(wx.wxaCodes.at(-1)).toMatchObject({
      scene: `p${productId}.${shared.body.token}`,
      page: 'mall/pages/product/index',
    });
    const asked = wx.wxaCodes.length;
    expect((await fetch(path)).status).toBe(200);
    expect(wx.wxaCodes.length).toBe(asked); // the stored render: WeChat is not asked again
  });
});
