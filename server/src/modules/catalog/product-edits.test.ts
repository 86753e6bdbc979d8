// Editing a product as the console does: saving never rewrites stock, concurrent saves are
// detected through the product's version (ETag / If-Match), and nothing goes on sale at ¥0.00.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_BACKENDS } from '../../../test/backends.ts';
import { createProduct, makeShop, type ShopFixture } from '../../../test/commerce-fixtures.ts';
import { startNode, type TestNode } from '../../../test/harness.ts';

describe.each(APP_BACKENDS)('product edits on $name', (backend) => {
  let node: TestNode;
  let shop: ShopFixture;
  let nextOrderId = 500_000;
  beforeAll(async () => {
    node = await startNode({ db: backend.db, cache: backend.cache, config: { dbPoolMax: 20 } });
    shop = await makeShop(node, '编辑测试店', '13823330001');
  });
  afterAll(async () => {
    await node?.close();
  });

  const path = (productId: number) => `/api/merchants/${shop.merchantId}/products/${productId}`;
  const get = (productId: number) => node.api('GET', path(productId), { token: shop.owner.token });
  const put = (productId: number, body: unknown, ifMatch?: string) =>
    node.api('PUT', path(productId), {
      token: shop.owner.token,
      body,
      ...(ifMatch !== undefined ? { headers: { 'if-match': ifMatch } } : {}),
    });
  const reserve = (skuId: number, quantity: number) =>
    node.app.ctx.db.transaction().execute((trx) =>
      node.app.ctx.services.inventory.reserve(trx, {
        orderId: nextOrderId++,
        merchantId: shop.merchantId,
        lines: [{ skuId, quantity }],
      }),
    );
  const level = (skuId: number) =>
    node.app.ctx.db
      .selectFrom('stock_levels')
      .select(['on_hand', 'reserved'])
      .where('sku_id', '=', skuId)
      .executeTakeFirstOrThrow();
  const ledgerRows = (skuId: number) =>
    node.app.ctx.db
      .selectFrom('stock_ledger')
      .select(['reason', 'delta_on_hand'])
      .where('sku_id', '=', skuId)
      .orderBy('id')
      .execute();

  /** What the console's editor sends back: the product as loaded, every field as shown. */
  const asEditorSaves = (p: any) => ({
    title: p.title,
    subtitle: p.subtitle,
    description: p.description,
    categoryId: p.categoryId,
    status: p.status,
    coverUrl: p.coverUrl,
    media: p.media,
    specs: p.specs,
    tags: p.tags.map((t: any) => t.name),
    skus: p.skus.map((s: any) => ({
      specValues: s.specValues,
      priceFen: s.priceFen,
      originalPriceFen: s.originalPriceFen,
      stock: s.stock,
      weightGrams: s.weightGrams,
      ...(s.code ? { code: s.code } : {}),
    })),
  });

  it('saves a product unchanged without touching its stock while orders hold some of it', async () => {
    const p = await createProduct(node, shop, {
      title: '预占测试款',
      specs: [{ name: '颜色', values: ['红', '蓝'] }],
      skus: [
        { specValues: ['红'], priceFen: 1990, stock: 10, weightGrams: 300 },
        { specValues: ['蓝'], priceFen: 1990, stock: 4, weightGrams: 300 },
      ],
    });
    const [red, blue] = p.skus.map((s: any) => s.id as number);
    await reserve(red, 3);
    const loaded = await get(p.id);
    expect(loaded.body.skus.map((s: any) => [s.stock, s.onHand, s.reserved])).toEqual([
      [7, 10, 3],
      [4, 4, 0],
    ]);
    const saved = await put(p.id, asEditorSaves(loaded.body), loaded.headers.get('etag')!);
    expect(saved.status).toBe(200);
    expect(await level(red)).toEqual({ on_hand: 10, reserved: 3 });
    expect(await level(blue)).toEqual({ on_hand: 4, reserved: 0 });
    expect(await ledgerRows(red)).toEqual([
      { reason: 'initial', delta_on_hand: 10 },
      { reason: 'reserve', delta_on_hand: 0 },
    ]);
    // A stock number typed into the save is not a stock change either: that is what adjust is for.
    const typed = asEditorSaves(saved.body);
    typed.skus[0].stock = 50;
    expect((await put(p.id, typed, saved.headers.get('etag')!)).status).toBe(200);
    expect(await level(red)).toEqual({ on_hand: 10, reserved: 3 });
  });

  it('opens each SKU of a new product with its own stock, ledger line and low-stock alert', async () => {
    const colours = ['红', '黄', '蓝', '绿', '紫'];
    const stock = [8, 0, 2, 3, 4];
    const p = await createProduct(node, shop, {
      title: '开仓测试款',
      specs: [{ name: '颜色', values: colours }],
      // Listed in another order than the spec's, so ids cannot line up by position by luck.
      skus: [4, 2, 0, 3, 1].map((i) => ({ specValues: [colours[i]!], priceFen: 1990, stock: stock[i]! })),
      lowStockThreshold: 3,
    });
    const { db } = node.app.ctx;
    const ids = colours.map((c) => p.skus.find((s: any) => s.specValues[0] === c).id as number);
    for (const [i, id] of ids.entries()) {
      expect(await level(id)).toEqual({ on_hand: stock[i], reserved: 0 });
      expect(await ledgerRows(id)).toEqual(stock[i] ? [{ reason: 'initial', delta_on_hand: stock[i] }] : []);
    }
    const after = await db
      .selectFrom('stock_ledger')
      .select(['sku_id', 'on_hand_after'])
      .where('sku_id', 'in', ids)
      .execute();
    expect(after.every((r) => r.on_hand_after === stock[ids.indexOf(r.sku_id)])).toBe(true);
    // At or under the threshold with stock: alerted once (a SKU opened at 0 has nothing to run low on).
    const alerted = await db
      .selectFrom('outbox_events')
      .select(sql<number>`(payload->>'skuId')::bigint`.as('sku'))
      .where('type', '=', 'inventory.low_stock')
      .where(sql<number>`(payload->>'skuId')::bigint`, 'in', ids)
      .execute();
    expect(alerted.map((r) => Number(r.sku)).sort()).toEqual([ids[2], ids[3]].sort());
    const flags = await db
      .selectFrom('stock_levels')
      .select(['sku_id', 'low_stock_alerted'])
      .where('sku_id', 'in', ids)
      .execute();
    expect(
      flags
        .filter((f) => f.low_stock_alerted)
        .map((f) => f.sku_id)
        .sort(),
    ).toEqual([ids[2], ids[3]].sort());
  });

  it('gives a SKU added by an edit its initial stock through the ledger', async () => {
    const p = await createProduct(node, shop, {
      title: '加规格款',
      specs: [{ name: '尺码', values: ['M'] }],
      skus: [{ specValues: ['M'], priceFen: 5900, stock: 6 }],
    });
    const body = asEditorSaves(p);
    body.specs = [{ name: '尺码', values: ['M', 'L'] }];
    body.skus.push({ specValues: ['L'], priceFen: 5900, stock: 9, weightGrams: 250 });
    const r = await put(p.id, body, `"${p.version}"`);
    expect(r.status).toBe(200);
    const large = r.body.skus.find((s: any) => s.name === 'L');
    expect(large).toMatchObject({ stock: 9, onHand: 9, reserved: 0, weightGrams: 250 });
    expect(await ledgerRows(large.id)).toEqual([{ reason: 'initial', delta_on_hand: 9 }]);
    expect(await level(p.skus[0].id)).toEqual({ on_hand: 6, reserved: 0 });
  });

  it('lets exactly one of ten saves made from the same version through, and tells the others to reload', async () => {
    const p = await createProduct(node, shop, {
      title: '并发编辑款',
      specs: [],
      skus: [{ specValues: [], priceFen: 990, stock: 5 }],
    });
    const loaded = await get(p.id);
    const etag = loaded.headers.get('etag')!;
    expect(etag).toBe(`"${loaded.body.version}"`);
    const saves = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        put(p.id, { ...asEditorSaves(loaded.body), title: `并发编辑款 ${i}` }, etag),
      ),
    );
    const statuses = saves.map((s) => s.status).sort();
    expect(statuses).toEqual([200, ...Array<number>(9).fill(412)]);
    const winner = saves.find((s) => s.status === 200)!;
    for (const s of saves.filter((x) => x.status === 412)) {
      expect(s.body.error).toMatchObject({
        code: 'PRODUCT_VERSION_CONFLICT',
        details: { currentVersion: loaded.body.version + 1, yourVersion: loaded.body.version },
      });
    }
    const now = await get(p.id);
    expect(now.body).toMatchObject({ title: winner.body.title, version: loaded.body.version + 1 });
    expect(winner.headers.get('etag')).toBe(`"${loaded.body.version + 1}"`);
  });

  it('asks for If-Match, refuses a malformed one, and accepts * as a deliberate overwrite', async () => {
    const p = await createProduct(node, shop, {
      title: '版本头款',
      specs: [],
      skus: [{ specValues: [], priceFen: 990, stock: 5 }],
    });
    const body = asEditorSaves(p);
    const missing = await put(p.id, body);
    expect([missing.status, missing.body.error.code]).toEqual([428, 'PRODUCT_VERSION_REQUIRED']);
    const bad = await put(p.id, body, 'yesterday');
    expect([bad.status, bad.body.error.code]).toEqual([400, 'PRODUCT_VERSION_INVALID']);
    expect((await put(p.id, body, '*')).status).toBe(200);
    // Shelf changes are edits too: an editor opened before one must reload.
    const before = (await get(p.id)).body.version;
    await node.api('POST', `/api/merchants/${shop.merchantId}/products/status`, {
      token: shop.owner.token,
      body: { productIds: [p.id], status: 'off_shelf' },
    });
    const stale = await put(p.id, { ...body, status: 'on_shelf' }, `"${before}"`);
    expect([stale.status, stale.body.error.code]).toEqual([412, 'PRODUCT_VERSION_CONFLICT']);
    expect((await get(p.id)).body.status).toBe('off_shelf');
    // The version appears in the OpenAPI document as a required header.
    const doc = await node.api('GET', '/openapi.json');
    const op = doc.body.paths['/api/merchants/{merchantId}/products/{productId}'].put;
    expect(op.parameters.find((x: any) => x.in === 'header' && x.name === 'if-match')).toMatchObject({
      required: true,
    });
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['412', '428']));
  });

  it('refuses to put a SKU on sale at ¥0.00 and names it, but lets drafts and disabled SKUs be unpriced', async () => {
    const skus = [
      { specValues: ['大'], priceFen: 2990, stock: 3 },
      { specValues: ['小'], priceFen: 0, stock: 3 },
    ];
    const specs = [{ name: '规格', values: ['大', '小'] }];
    const onShelf = await node.api('POST', `/api/merchants/${shop.merchantId}/products`, {
      token: shop.owner.token,
      body: { title: '零元款', status: 'on_shelf', specs, skus },
    });
    expect([onShelf.status, onShelf.body.error.code]).toEqual([400, 'SKU_PRICE_REQUIRED']);
    expect(onShelf.body.error.details).toEqual([{ specValues: ['小'], name: '小' }]);
    const draft = await createProduct(node, shop, { title: '零元款', status: 'draft', specs, skus });
    const small = draft.skus.find((s: any) => s.name === '小');
    const shelve = await node.api('POST', `/api/merchants/${shop.merchantId}/products/status`, {
      token: shop.owner.token,
      body: { productIds: [draft.id], status: 'on_shelf' },
    });
    expect([shelve.status, shelve.body.error.code]).toEqual([400, 'SKU_PRICE_REQUIRED']);
    expect(shelve.body.error.details).toEqual([
      { productId: draft.id, skuId: small.id, specValues: ['小'], name: '小' },
    ]);
    const edit = await put(draft.id, { ...asEditorSaves(draft), status: 'on_shelf' }, `"${draft.version}"`);
    expect([edit.status, edit.body.error.code, edit.body.error.details[0].skuId]).toEqual([
      400,
      'SKU_PRICE_REQUIRED',
      small.id,
    ]);
    // Disabled, the unpriced SKU can stay while the rest sells.
    const disabled = asEditorSaves(draft);
    disabled.status = 'on_shelf';
    disabled.skus[1].enabled = false;
    expect((await put(draft.id, disabled, `"${draft.version}"`)).status).toBe(200);
    const sellable = await node.api('GET', `/api/products/${draft.id}`);
    expect(sellable.body.skus.map((s: any) => s.priceFen)).toEqual([2990]);
  });

  it("keeps each SKU's weight in grams", async () => {
    const p = await createProduct(node, shop, {
      title: '称重款',
      specs: [],
      skus: [{ specValues: [], priceFen: 3990, stock: 1, weightGrams: 2500 }],
    });
    expect(p.skus[0].weightGrams).toBe(2500);
    const body = asEditorSaves(p);
    body.skus[0].weightGrams = 1250;
    const r = await put(p.id, body, `"${p.version}"`);
    expect(r.body.skus[0].weightGrams).toBe(1250);
    const grams = await node.app.ctx.db
      .selectFrom('skus')
      .select('weight_grams')
      .where('id', '=', p.skus[0].id)
      .executeTakeFirstOrThrow();
    expect(grams.weight_grams).toBe(1250);
    const versions = await node.app.ctx.db
      .selectFrom('products')
      .select(sql<number>`version`.as('v'))
      .where('id', '=', p.id)
      .executeTakeFirstOrThrow();
    expect(versions.v).toBe(p.version + 1);
  });
});
