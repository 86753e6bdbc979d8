import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_BACKENDS } from '../../../test/backends.ts';
import {
  categoryPath,
  createProduct,
  makeShop,
  simpleProduct,
  type ShopFixture,
} from '../../../test/commerce-fixtures.ts';
import { startNode, type TestNode } from '../../../test/harness.ts';
import { MEDIA_BYTES } from '../../../test/fixtures/media-bytes.ts';

describe.each(APP_BACKENDS)('catalog on $name', (backend) => {
  let node: TestNode;
  let shop: ShopFixture;
  let other: ShopFixture;
  let tee: number;
  beforeAll(async () => {
    node = await startNode({ db: backend.db, cache: backend.cache });
    shop = await makeShop(node, '潮流衣橱 Catalog', '13822220001');
    other = await makeShop(node, '别家店 Catalog', '13822220002');
    tee = await categoryPath(node, ['服饰', '男装', 'T恤']);
  });
  afterAll(async () => {
    await node?.close();
  });

  it('generates SKUs from a 2×2 spec matrix, each with its own price, stock and code', async () => {
    const p = await createProduct(node, shop, {
      title: '纯棉T恤',
      categoryId: tee,
      tags: ['新品', '纯棉'],
      specs: [
        { name: '颜色', values: ['白', '黑'] },
        { name: '尺码', values: ['M', 'L'] },
      ],
      skus: [
        { specValues: ['白', 'M'], priceFen: 5900, originalPriceFen: 9900, stock: 10, code: 'T-WM', weightGrams: 200 },
        { specValues: ['白', 'L'], priceFen: 5900, stock: 8, code: 'T-WL' },
        { specValues: ['黑', 'M'], priceFen: 6900, stock: 0, code: 'T-BM' },
        { specValues: ['黑', 'L'], priceFen: 6900, stock: 3, code: 'T-BL' },
      ],
    });
    expect(p.skus.map((s: any) => s.name)).toEqual(['白 / M', '白 / L', '黑 / M', '黑 / L']);
    expect(p.skus.map((s: any) => s.stock)).toEqual([10, 8, 0, 3]);
    expect(p.skus[0]).toMatchObject({ priceFen: 5900, originalPriceFen: 9900, code: 'T-WM', weightGrams: 200 });
    expect(p.categoryPath.map((c: any) => c.name)).toEqual(['服饰', '男装', 'T恤']);
    expect(p.tags.map((t: any) => t.name).sort()).toEqual(['新品', '纯棉'].sort());

    // Editing: add a size; the existing four keep their ids, one new SKU appears.
    const ids = p.skus.map((s: any) => s.id);
    const put = await node.api('PUT', `/api/merchants/${shop.merchantId}/products/${p.id}`, {
      token: shop.owner.token,
      headers: { 'if-match': `"${p.version}"` },
      body: {
        title: '纯棉T恤',
        categoryId: tee,
        specs: [
          { name: '颜色', values: ['白', '黑'] },
          { name: '尺码', values: ['M', 'L', 'XL'] },
        ],
        skus: ['白', '黑'].flatMap((c) =>
          ['M', 'L', 'XL'].map((s) => ({
            specValues: [c, s],
            priceFen: c === '白' ? 5900 : 6900,
            code: `T-${c === '白' ? 'W' : 'B'}${s}`,
          })),
        ),
      },
    });
    expect(put.status).toBe(200);
    const enabled = put.body.skus.filter((s: any) => s.enabled);
    expect(enabled).toHaveLength(6);
    expect(ids.every((id: number) => enabled.some((s: any) => s.id === id))).toBe(true);
    // Stock was not touched by an edit that did not mention it.
    expect(enabled.find((s: any) => s.id === ids[0]).stock).toBe(10);
  });

  it('rejects an incomplete matrix, duplicate SKU codes and bad prices with clear codes', async () => {
    const base = { title: 'X', specs: [{ name: '颜色', values: ['红', '蓝'] }] };
    const missing = await node.api('POST', `/api/merchants/${shop.merchantId}/products`, {
      token: shop.owner.token,
      body: { ...base, skus: [{ specValues: ['红'], priceFen: 100 }] },
    });
    expect(missing.status).toBe(400);
    expect(missing.body.error.code).toBe('SKU_SPEC_MISMATCH');
    const dupCode = await node.api('POST', `/api/merchants/${shop.merchantId}/products`, {
      token: shop.owner.token,
      body: { title: 'Y', specs: [], skus: [{ specValues: [], priceFen: 100, code: 'T-WM' }] },
    });
    expect(dupCode.status).toBe(409);
    expect(dupCode.body.error.code).toBe('SKU_CODE_TAKEN');
    const below = await node.api('POST', `/api/merchants/${shop.merchantId}/products`, {
      token: shop.owner.token,
      body: { title: 'Z', specs: [], skus: [{ specValues: [], priceFen: 500, originalPriceFen: 100 }] },
    });
    expect(below.body.error.code).toBe('PRICE_INVALID');
    const float = await node.api('POST', `/api/merchants/${shop.merchantId}/products`, {
      token: shop.owner.token,
      body: { title: 'F', specs: [], skus: [{ specValues: [], priceFen: 10.5 }] },
    });
    expect(float.body.error.code).toBe('VALIDATION_FAILED');
    // Nothing half-written: no product called X, Y or Z exists.
    const list = await node.api('GET', `/api/merchants/${shop.merchantId}/products?pageSize=100`, {
      token: shop.owner.token,
    });
    expect(list.body.items.map((i: any) => i.title)).not.toContain('Y');
  });

  it('searches by Chinese substring, category subtree, price, tag, and sorts', async () => {
    const fruit = await categoryPath(node, ['生鲜', '水果', '芒果']);
    const fruitRoot = await categoryPath(node, ['生鲜']);
    await simpleProduct(node, shop, '海南贵妃芒果 5斤', 4990, 10, { categoryId: fruit, tags: ['爆款'] });
    await simpleProduct(node, shop, '小台农芒果 3斤', 2990, 10, { categoryId: fruit });
    await simpleProduct(node, shop, '芒果干 零食', 1590, 10);
    await simpleProduct(node, shop, '下架芒果', 100, 10, { status: 'off_shelf' });
    const kw = await node.api('GET', `/api/products?q=${encodeURIComponent('芒果')}&sort=price_asc`);
    expect(kw.body.items.map((i: any) => i.title)).toEqual(['芒果干 零食', '小台农芒果 3斤', '海南贵妃芒果 5斤']);
    const cat = await node.api('GET', `/api/products?categoryId=${fruitRoot}&sort=price_desc`);
    expect(cat.body.items.map((i: any) => i.title)).toEqual(['海南贵妃芒果 5斤', '小台农芒果 3斤']);
    const price = await node.api(
      'GET',
      `/api/products?q=${encodeURIComponent('芒果')}&minPriceFen=2000&maxPriceFen=3000`,
    );
    expect(price.body.items.map((i: any) => i.title)).toEqual(['小台农芒果 3斤']);
    const detail = await node.api('GET', `/api/products/${kw.body.items[2].id}`);
    const tagId = detail.body.tags[0].id;
    const tagged = await node.api('GET', `/api/products?tagIds=${tagId}`);
    expect(tagged.body.items.map((i: any) => i.title)).toEqual(['海南贵妃芒果 5斤']);
    // Off-shelf products are invisible to shoppers, visible to the shop.
    const hidden = (
      await node.api('GET', `/api/merchants/${shop.merchantId}/products?q=${encodeURIComponent('下架')}`, {
        token: shop.owner.token,
      })
    ).body.items[0];
    expect((await node.api('GET', `/api/products/${hidden.id}`)).status).toBe(404);
  });

  it("keeps shops apart: B cannot see or change A's products or stock", async () => {
    const { productId, skuId } = await simpleProduct(node, shop, '只属于A', 1000, 5, { status: 'draft' });
    const t = other.owner.token;
    expect((await node.api('GET', `/api/merchants/${shop.merchantId}/products`, { token: t })).status).toBe(403);
    expect(
      (await node.api('GET', `/api/merchants/${other.merchantId}/products/${productId}`, { token: t })).status,
    ).toBe(404);
    expect(
      (
        await node.api('PUT', `/api/merchants/${other.merchantId}/products/${productId}`, {
          token: t,
          headers: { 'if-match': '*' },
          body: { title: 'hijack', specs: [], skus: [{ specValues: [], priceFen: 1 }] },
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await node.api('POST', `/api/merchants/${other.merchantId}/products/status`, {
          token: t,
          body: { productIds: [productId], status: 'on_shelf' },
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await node.api('POST', `/api/merchants/${other.merchantId}/stock/adjust`, {
          token: t,
          body: { skuId, quantity: 0 },
        })
      ).status,
    ).toBe(404);
    // Another shop's SKU is not a filter that finds nothing: it is refused like every foreign id.
    const stock = await node.api('GET', `/api/merchants/${other.merchantId}/stock?skuId=${skuId}`, { token: t });
    expect(stock.status).toBe(404);
    const mine = await node.api('GET', `/api/merchants/${shop.merchantId}/products/${productId}`, {
      token: shop.owner.token,
    });
    expect(mine.body).toMatchObject({ title: '只属于A', status: 'draft' });
    expect(mine.body.skus[0].stock).toBe(5);
  });

  it('takes any category id the bigint column can hold, and answers ids past it with a 400, never a 500', async () => {
    // Category ids are bigint: a category numbered past 2^31 is as usable as any other.
    const big = 3_000_000_000;
    await sql`insert into categories (id, name, level) overriding system value values (${big}, ${'大号类目'}, 1)`.execute(
      node.app.ctx.db,
    );
    // The raw JSON text, so numbers JavaScript cannot hold (2^63, 1e400) reach the server as sent.
    const post = (categoryId: string) =>
      node.api('POST', `/api/merchants/${shop.merchantId}/products`, {
        token: shop.owner.token,
        body:
          `{"title":"大号类目商品","categoryId":${categoryId},"status":"draft","specs":[],` +
          '"skus":[{"specValues":[],"priceFen":100}]}',
      });
    const made = await post(String(big));
    expect(made.status).toBe(201);
    expect(made.body.categoryId).toBe(big);
    // Unknown but representable: the catalog's own refusal. Past the safe range, or not an id: the schema's.
    expect((await post(String(Number.MAX_SAFE_INTEGER))).body.error.code).toBe('CATEGORY_NOT_FOUND');
    for (const raw of ['9223372036854775808', '1e400', '-1', '0', '1.5', '"7"']) {
      const r = await post(raw);
      expect(`${r.status} ${r.body.error?.code}`, raw).toBe('400 VALIDATION_FAILED');
    }
    const search = await node.api('GET', `/api/products?categoryId=${Number.MAX_SAFE_INTEGER}`);
    expect(search.status).toBe(200);
    expect((await node.api('GET', '/api/products?categoryId=99999999999999999999')).status).toBe(400);
  });

  it('uploads an image and serves it back', async () => {
    const form = new FormData();
    form.append('file', new Blob([MEDIA_BYTES.png], { type: 'image/png' }), 'a.png');
    const up = await fetch(`${node.url}/api/merchants/${shop.merchantId}/media`, {
      method: 'POST',
      body: form,
      headers: { authorization: `Bearer ${shop.owner.token}` },
    });
    expect(up.status).toBe(201);
    const body = (await up.json()) as { url: string; type: string };
    expect(body.type).toBe('image');
    const got = await fetch(node.url + body.url);
    expect(got.status).toBe(200);
    expect(Buffer.from(await got.arrayBuffer()).equals(MEDIA_BYTES.png)).toBe(true);
    const bad = new FormData();
    bad.append('file', new Blob([Buffer.from('MZ')], { type: 'application/x-msdownload' }), 'x.exe');
    const r = await fetch(`${node.url}/api/merchants/${shop.merchantId}/media`, {
      method: 'POST',
      body: bad,
      headers: { authorization: `Bearer ${shop.owner.token}` },
    });
    expect(r.status).toBe(415);
  });
});
