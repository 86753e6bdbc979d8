// Posters through real HTTP on both backends: a PNG of the right size with the cover drawn, cached per
// content (same bytes and ETag, 304, one render for many concurrent asks), a new render when what is
// drawn changes, the sandbox's mini-program code, private rooms kept private, bad input refused.
import { loadImage } from '@napi-rs/canvas';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_BACKENDS } from '../../../test/backends.ts';
import { makeShop, type ShopFixture, simpleProduct } from '../../../test/commerce-fixtures.ts';
import { startNode, type TestNode } from '../../../test/harness.ts';
import { POSTER_HEIGHT, POSTER_WIDTH } from './render.ts';

describe.each(APP_BACKENDS)('posters on $name', (backend) => {
  let node: TestNode;
  let shop: ShopFixture;
  let productId: number;
  const get = async (path: string, headers: Record<string, string> = {}) => {
    const r = await fetch(`${node.url}${path}`, { headers });
    const body = Buffer.from(await r.arrayBuffer());
    return { status: r.status, headers: r.headers, body };
  };
  /** A guest's share of a target (each visitor key is another sharer, so another token). */
  const share = async (targetKind: string, targetId: number, visitor = 'visitor-one') => {
    const r = await node.api('POST', '/api/shares', { body: { targetKind, targetId, visitorKey: visitor } });
    if (r.status !== 201) throw new Error(`share failed: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body.token as string;
  };
  const pixel = async (png: Buffer, x: number, y: number) => {
    const { createCanvas } = await import('@napi-rs/canvas');
    const img = await loadImage(png);
    const c = createCanvas(img.width, img.height);
    const g = c.getContext('2d');
    g.drawImage(img, 0, 0);
    return Array.from(g.getImageData(x, y, 1, 1).data);
  };

  beforeAll(async () => {
    node = await startNode({ db: backend.db, cache: backend.cache });
    shop = await makeShop(node, '海报测试店', '13866660001');
    const cover = await node.app.ctx.storage.put({
      prefix: `m${shop.merchantId}/images`,
      contentType: 'image/svg+xml',
      body: Buffer.from(
        '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="400">' +
          '<rect width="400" height="400" fill="#0000ff"/></svg>',
      ),
    });
    ({ productId } = await simpleProduct(node, shop, '真丝连衣裙 春季新款', 19900, 5, { coverUrl: cover.url }));
  }, 120_000);
  afterAll(async () => {
    await node?.close();
  });

  it('draws a product poster: 750 × 1200 PNG, the cover on top, not blank', async () => {
    const r = await get(`/api/posters/products/${productId}?share=${await share('product', productId)}`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('image/png');
    const img = await loadImage(r.body);
    expect([img.width, img.height]).toEqual([POSTER_WIDTH, POSTER_HEIGHT]);
    expect(await pixel(r.body, 375, 375)).toEqual([0, 0, 255, 255]); // the blue cover
    expect(await pixel(r.body, 5, 1190)).toEqual([255, 255, 255, 255]); // the white card below
  });

  it('is cached per content: same bytes and ETag, 304 on If-None-Match, one render for 20 at once', async () => {
    const path = `/api/posters/products/${productId}?share=${await share('product', productId, 'visitor-two')}`;
    const many = await Promise.all(Array.from({ length: 20 }, () => get(path)));
    expect(many.every((r) => r.status === 200)).toBe(true);
    const etag = many[0]!.headers.get('etag');
    expect(etag).toMatch(/^"[0-9a-f]{40}"$/);
    expect(many.every((r) => r.headers.get('etag') === etag && r.body.equals(many[0]!.body))).toBe(true);
    const rows = await node.app.ctx.db
      .selectFrom('poster_renders')
      .select('hash')
      .where('hash', '=', etag!.slice(1, -1))
      .execute();
    expect(rows).toHaveLength(1);
    const again = await get(path, { 'if-none-match': etag! });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
  });

  it('renders anew when what is drawn changes: another share token, the language, the mini-program code', async () => {
    const [first, second] = [
      await share('product', productId, 'visitor-3'),
      await share('product', productId, 'visitor-4'),
    ];
    const a = await get(`/api/posters/products/${productId}?share=${first}`);
    const b = await get(`/api/posters/products/${productId}?share=${second}`);
    expect(a.headers.get('etag')).not.toBe(b.headers.get('etag'));
    const wxa = await get(`/api/posters/products/${productId}?share=${first}&code=wxa`);
    expect(wxa.status).toBe(200);
    expect(wxa.headers.get('etag')).not.toBe(a.headers.get('etag'));
    const en = await get(`/api/posters/products/${productId}?share=${first}&lang=en`);
    expect(en.headers.get('etag')).not.toBe(a.headers.get('etag'));
    expect(en.body.equals(a.body)).toBe(false);
  });

  it("draws a room's poster, and keeps a private room's poster from outsiders", async () => {
    const room = await node.api('POST', `/api/merchants/${shop.merchantId}/rooms`, {
      token: shop.owner.token,
      body: { title: '春季上新直播', scheduledAt: new Date(Date.now() + 3600_000).toISOString() },
    });
    expect(room.status).toBe(201);
    const r = await get(`/api/posters/rooms/${room.body.id}?lang=en`);
    expect(r.status).toBe(200);
    expect((await loadImage(r.body)).width).toBe(POSTER_WIDTH);
    const hidden = await node.api('POST', `/api/merchants/${shop.merchantId}/rooms`, {
      token: shop.owner.token,
      body: { title: '内部直播', visibility: 'private' },
    });
    expect((await get(`/api/posters/rooms/${hidden.body.id}`)).status).toBe(404);
  });

  it("draws an approved promoter's poster with their own link token; refuses others", async () => {
    const me = await node.userToken('13866660002');
    const auth = { authorization: `Bearer ${me.token}` };
    const path = `/api/posters/promoter/${shop.merchantId}`;
    expect((await get(path)).status).toBe(401);
    expect((await node.api('GET', path, { token: me.token })).body.error.code).toBe('PROMOTER_NOT_FOUND');
    const settings = await node.api('PUT', `/api/merchants/${shop.merchantId}/distribution/settings`, {
      token: shop.owner.token,
      body: { enabled: true, autoApprove: true },
    });
    expect(settings.status).toBe(200);
    const applied = await node.api('POST', `/api/me/distribution/merchants/${shop.merchantId}/apply`, {
      token: me.token,
      body: {},
    });
    expect(applied.body.status).toBe('approved');
    const r = await get(path, auth);
    expect(r.status).toBe(200);
    expect((await loadImage(r.body)).height).toBe(POSTER_HEIGHT);
    // The poster made (or reused) the promoter's link share: asking with that token draws the same poster.
    const mine = await node.api('GET', `/api/me/shares?merchantId=${shop.merchantId}`, { token: me.token });
    const link = mine.body.find((s: { targetKind: string }) => s.targetKind === 'promoter');
    const again = await get(`${path}?share=${link.token}`, auth);
    expect(again.headers.get('etag')).toBe(r.headers.get('etag'));
    // Someone else's token is not the promoter's to print.
    const other = await get(`${path}?share=${await share('product', productId, 'visitor-5')}`, auth);
    expect(other.status).toBe(400);
    expect((await get('/api/posters/promoter/999999', auth)).status).toBe(404);
  });

  it('forgets renders past their keep time and deletes their files; a later ask draws it again', async () => {
    const path = `/api/posters/products/${productId}?lang=en`;
    const first = await get(path);
    const hash = first.headers.get('etag')!.slice(1, -1);
    const db = node.app.ctx.db;
    const row = await db.selectFrom('poster_renders').selectAll().where('hash', '=', hash).executeTakeFirstOrThrow();
    // Made 40 days ago (created_at is not updatable through the typed builder on purpose).
    await sql`update poster_renders set created_at = now() - interval '40 days' where hash = ${hash}`.execute(db);
    expect(await node.app.ctx.services.posters.prune()).toBeGreaterThanOrEqual(1);
    expect(await db.selectFrom('poster_renders').select('hash').where('hash', '=', hash).execute()).toEqual([]);
    expect(await node.app.ctx.storage.open(row.storage_key)).toBeNull();
    expect(await db.selectFrom('poster_renders').select('hash').execute()).not.toEqual([]); // fresh ones stay
    const again = await get(path);
    expect(again.headers.get('etag')).toBe(first.headers.get('etag'));
    expect(again.body.equals(first.body)).toBe(true);
  });

  it("refuses bad input with 4xx: an unknown product, a malformed, unknown or another shop's token", async () => {
    expect((await node.api('GET', '/api/posters/products/999999')).body.error.code).toBe('NOT_FOUND');
    const bad = await node.api('GET', `/api/posters/products/${productId}?share=${'x'.repeat(65)}`);
    expect(bad.status).toBe(400);
    const unknown = await node.api('GET', `/api/posters/products/${productId}?share=nosuchtoken1`);
    expect(unknown.body.error.code).toBe('SHARE_NOT_FOUND');
    const elsewhere = await makeShop(node, '别家店', '13866660003');
    const theirs = await simpleProduct(node, elsewhere, '别家的货', 100, 1);
    const token = await share('product', theirs.productId);
    const wrong = await node.api('GET', `/api/posters/products/${productId}?share=${token}`);
    expect([wrong.status, wrong.body.error.code]).toEqual([400, 'SHARE_TARGET_INVALID']);
  });
});
