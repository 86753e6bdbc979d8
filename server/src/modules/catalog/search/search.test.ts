import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_BACKENDS } from '../../../../test/backends.ts';
import { categoryPath, makeShop, simpleProduct, type ShopFixture } from '../../../../test/commerce-fixtures.ts';
import { startNode, type TestNode } from '../../../../test/harness.ts';

describe.each(APP_BACKENDS)('search on $name', (backend) => {
  let node: TestNode;
  let shop: ShopFixture;
  let other: ShopFixture;
  let mango: number;
  let soldOutMango: number;
  let cherry: number;
  let roomId: number;
  const search = async (q: string, token?: string, extra = '') =>
    (await node.api('GET', `/api/search?q=${encodeURIComponent(q)}${extra}`, token ? { token } : {})).body;
  const titles = (r: any) => r.products.items.map((p: any) => p.title);

  beforeAll(async () => {
    node = await startNode({ db: backend.db, cache: backend.cache });
    shop = await makeShop(node, '鲜果时光 Search', '13833330001');
    other = await makeShop(node, '别家果园 Search', '13833330002');
    const fruit = await categoryPath(node, ['生鲜水果', '热带水果', '菠萝']);
    soldOutMango = (await simpleProduct(node, shop, '台农芒 小果', 1990, 0)).productId;
    mango = (await simpleProduct(node, shop, '海南贵妃芒 当季现摘', 3990, 50, { categoryId: fruit })).productId;
    cherry = (await simpleProduct(node, other, '智利车厘子 JJ级', 9900, 20)).productId;
    await simpleProduct(node, shop, '丹东99草莓 礼盒装', 4990, 30);
    await simpleProduct(node, shop, '芒果干 零食', 1500, 100);
    const room = await node.api('POST', `/api/merchants/${shop.merchantId}/rooms`, {
      token: shop.owner.token,
      body: { title: '芒果专场 · 产地直播', productIds: [mango] },
    });
    roomId = room.body.id;
  });
  afterAll(async () => {
    await node?.close();
  });

  it('finds 贵妃芒 and the 芒果 room for 芒果 (words and the platform synonyms)', async () => {
    const r = await search('芒果');
    expect(r.words).toEqual(['芒果']);
    expect(titles(r)).toContain('海南贵妃芒 当季现摘');
    expect(titles(r)).toContain('芒果干 零食');
    expect(r.rooms.map((x: any) => x.id)).toEqual([roomId]);
    expect(r.fuzzy).toBe(false);
  });

  it('ranks in-stock goods before sold-out ones, and goods on air first', async () => {
    expect(titles(await search('芒果')).at(-1)).toBe('台农芒 小果'); // sold out: last
    await node.app.ctx.services.live.goLive(roomId);
    expect(titles(await search('芒果'))[0]).toBe('海南贵妃芒 当季现摘'); // in the live room's bag
    const hit = (await search('芒果')).products.items[0];
    expect(hit).toMatchObject({ id: mango, onAir: true });
  });

  it('uses the same words for the product list (/api/products?q=)', async () => {
    const r = await node.api('GET', `/api/products?q=${encodeURIComponent('芒果')}`);
    expect(r.body.items[0].id).toBe(mango);
    expect(r.body.items.map((p: any) => p.id)).toContain(soldOutMango);
  });

  it("a shop's own synonyms widen matches on its products only", async () => {
    expect(titles(await search('樱桃'))).toContain('智利车厘子 JJ级'); // platform group
    expect(titles(await search('kingfruit'))).toEqual([]);
    const add = await node.api('POST', `/api/merchants/${shop.merchantId}/search/synonyms`, {
      token: shop.owner.token,
      body: { words: ['kingfruit', '车厘子', '芒'] },
    });
    expect(add.status).toBe(201);
    const r = titles(await search('kingfruit'));
    expect(r).toContain('海南贵妃芒 当季现摘'); // the shop's 芒
    expect(r).not.toContain('智利车厘子 JJ级'); // another shop's 车厘子: not widened
    const list = await node.api('GET', `/api/merchants/${shop.merchantId}/search/synonyms`, {
      token: shop.owner.token,
    });
    expect(list.body.map((g: any) => g.words)).toEqual([['kingfruit', '车厘子', '芒']]);
    const del = await node.api('DELETE', `/api/merchants/${shop.merchantId}/search/synonyms/${add.body.id}`, {
      token: other.owner.token,
    });
    expect(del.status).toBe(403);
    expect(
      (
        await node.api('DELETE', `/api/merchants/${other.merchantId}/search/synonyms/${add.body.id}`, {
          token: other.owner.token,
        })
      ).status,
    ).toBe(404);
  });

  it('refuses a synonym group of one word with a stable code', async () => {
    const r = await node.api('POST', `/api/merchants/${shop.merchantId}/search/synonyms`, {
      token: shop.owner.token,
      body: { words: ['芒果', ' 芒果 '] },
    });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('SYNONYM_TOO_FEW_WORDS');
  });

  it('falls back to near misses for a typo (草每 → 草莓, Stawberry-like latin typos by trigram)', async () => {
    const r = await search('草每');
    expect(r.fuzzy).toBe(true);
    expect(titles(r)).toContain('丹东99草莓 礼盒装');
  });

  it('keeps a signed-in shopper history, newest first, which they can clear', async () => {
    const me = await node.userToken('13833330099');
    await search('草莓', me.token);
    await search('芒果', me.token);
    await search('草莓', me.token);
    const h = await node.api('GET', '/api/me/search-history', { token: me.token });
    expect(h.body).toEqual(['草莓', '芒果']);
    expect((await node.api('DELETE', '/api/me/search-history', { token: me.token })).status).toBe(200);
    expect((await node.api('GET', '/api/me/search-history', { token: me.token })).body).toEqual([]);
  });

  it('hot words count each shopper once, platform-wide and per shop', async () => {
    const a = await node.userToken('13833330101');
    const b = await node.userToken('13833330102');
    for (let i = 0; i < 5; i++) await search('菠萝', a.token); // one eager shopper
    await search('芒果', a.token, `&merchantId=${shop.merchantId}`);
    await search('芒果', b.token, `&merchantId=${shop.merchantId}`);
    const hot = (await node.api('GET', '/api/search/hot')).body as string[];
    expect(hot[0]).toBe('芒果');
    expect((await node.api('GET', `/api/search/hot?merchantId=${shop.merchantId}`)).body).toEqual(['芒果']);
    expect((await node.api('GET', `/api/search/hot?merchantId=${other.merchantId}`)).body).toEqual([]);
  });

  it('indexes products written before search existed on the next search', async () => {
    await node.app.ctx.db.updateTable('products').set({ search_terms: null }).where('id', '=', cherry).execute();
    expect(titles(await search('车厘子'))).toContain('智利车厘子 JJ级');
    const row = await node.app.ctx.db
      .selectFrom('products')
      .select(sql<string>`search_terms`.as('t'))
      .where('id', '=', cherry)
      .executeTakeFirstOrThrow();
    expect(row.t).toContain(' 车厘子 ');
  });

  it('answers control characters in a query or a synonym with results or a 4xx, never a 500', async () => {
    const nul = encodeURIComponent('芒\u0000果');
    expect((await node.api('GET', `/api/search?q=${nul}`)).status).toBeLessThan(500);
    expect((await node.api('GET', `/api/products?q=${nul}`)).status).toBeLessThan(500);
    // The service strips them too (a caller other than HTTP).
    const ranked = await node.app.ctx.services.productSearch.rank('芒\u0000果');
    expect(ranked.ids).toContain(mango);
    const r = await node.api('POST', `/api/merchants/${shop.merchantId}/search/synonyms`, {
      token: shop.owner.token,
      body: { words: ['\u0000', '\u0000\u0001'] },
    });
    expect(r.status).toBe(400);
  });

  it('answers a search inside a shop that does not exist with MERCHANT_NOT_FOUND', async () => {
    const r = await node.api('GET', `/api/search?q=${encodeURIComponent('芒果')}&merchantId=999999`);
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('MERCHANT_NOT_FOUND');
  });

  it('keeps a shop under its synonym cap when 30 additions race', async () => {
    const db = node.app.ctx.db;
    const { MAX_GROUPS_PER_SHOP } = await import('./synonyms.ts');
    const rows = Array.from({ length: MAX_GROUPS_PER_SHOP - 5 }, (_, i) => ({
      merchant_id: other.merchantId,
      words: JSON.stringify([`词${i}a`, `词${i}b`]),
    }));
    await db.insertInto('search_synonyms').values(rows).execute();
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        node.api('POST', `/api/merchants/${other.merchantId}/search/synonyms`, {
          token: other.owner.token,
          body: { words: [`并发${i}`, `同义${i}`] },
        }),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(5);
    expect(results.filter((r) => r.status === 400).every((r) => r.body.error.code === 'SYNONYM_LIMIT_REACHED')).toBe(
      true,
    );
  });
});
