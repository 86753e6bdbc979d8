import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_BACKENDS } from '../../../test/backends.ts';
import { categoryPath, makeShop, type ShopFixture } from '../../../test/commerce-fixtures.ts';
import { startNode, type TestNode } from '../../../test/harness.ts';

const CSV = [
  'spu_code,title,category,spec1_name,spec1_value,spec2_name,spec2_value,sku_code,price,original_price,stock,weight_grams,tags,status',
  'TS-1,纯棉T恤,服饰/男装/T恤,颜色,白,尺码,M,TS-1-WM,59.00,99,10,200,新品|纯棉,上架',
  'TS-1,纯棉T恤,服饰/男装/T恤,颜色,白,尺码,L,TS-1-WL,59.5,99,8,210,新品,上架',
  'TS-1,纯棉T恤,服饰/男装/T恤,颜色,黑,尺码,M,TS-1-BM,59,99,5,200,,上架',
  'TS-1,纯棉T恤,服饰/男装/T恤,颜色,黑,尺码,L,TS-1-BL,59,99,0,210,,上架',
  'MG-1,贵妃芒果,,规格,5斤,,,MG-5,49.9,,100,2600,,on_shelf',
  'BAD-1,价格错误,,,,,,,12.345,,1,1,,', // price with 3 decimals
  'BAD-2,,,,,,,,10,,1,1,,', // missing title
  'BAD-3,库存错误,,,,,,,10,,-4,1,,', // negative stock
  'HALF-1,缺一个规格,,颜色,红,尺码,M,,10,,1,1,,', // matrix incomplete with the next row
  'HALF-1,缺一个规格,,颜色,蓝,尺码,L,,10,,1,1,,',
  'CAT-1,类目不存在,不存在的类目,,,,,,10,,1,1,,',
].join('\n');

async function upload(node: TestNode, shop: ShopFixture, csv: string) {
  const form = new FormData();
  form.append('file', new Blob([csv], { type: 'text/csv' }), 'products.csv');
  const res = await fetch(`${node.url}/api/merchants/${shop.merchantId}/product-imports`, {
    method: 'POST',
    body: form,
    headers: { authorization: `Bearer ${shop.owner.token}` },
  });
  return { status: res.status, body: (await res.json()) as any };
}

async function waitDone(node: TestNode, shop: ShopFixture, id: number) {
  for (let i = 0; i < 200; i++) {
    const r = await node.api('GET', `/api/merchants/${shop.merchantId}/product-imports/${id}`, {
      token: shop.owner.token,
    });
    if (r.body.status === 'done' || r.body.status === 'failed') return r.body;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error('import did not finish');
}

describe.each(APP_BACKENDS)('CSV product import on $name', (backend) => {
  let node: TestNode;
  let shop: ShopFixture;
  beforeAll(async () => {
    node = await startNode({ db: backend.db, cache: backend.cache });
    shop = await makeShop(node, '导入测试店', '13833330001');
    await categoryPath(node, ['服饰', '男装', 'T恤']);
  });
  afterAll(async () => {
    await node?.close();
  });

  it('imports the good rows, reports every bad row, and never lets a bad row abort the rest', async () => {
    const up = await upload(node, shop, CSV);
    expect(up.status).toBe(202);
    const done = await waitDone(node, shop, up.body.id);
    expect(done).toMatchObject({
      status: 'done',
      totalRows: 11,
      processedRows: 11,
      okRows: 5,
      errorRows: 6,
      productsCreated: 2,
      progress: 100,
    });
    expect(done.errors.map((e: any) => [e.row, e.column])).toEqual([
      [7, 'price'],
      [8, 'title'],
      [9, 'stock'],
      [10, null],
      [11, null],
      [12, null],
    ]);
    expect(done.errors[3].message).toContain('Missing SKUs');
    expect(done.errors[5].message).toContain('不存在的类目');

    const products = await node.api(
      'GET',
      `/api/merchants/${shop.merchantId}/products?q=${encodeURIComponent('纯棉')}`,
      { token: shop.owner.token },
    );
    const tee = await node.api('GET', `/api/merchants/${shop.merchantId}/products/${products.body.items[0].id}`, {
      token: shop.owner.token,
    });
    expect(tee.body.skus.map((s: any) => [s.name, s.priceFen, s.stock, s.code])).toEqual([
      ['白 / M', 5900, 10, 'TS-1-WM'],
      ['白 / L', 5950, 8, 'TS-1-WL'],
      ['黑 / M', 5900, 5, 'TS-1-BM'],
      ['黑 / L', 5900, 0, 'TS-1-BL'],
    ]);
    expect(tee.body.status).toBe('on_shelf');
    expect(tee.body.categoryPath.map((c: any) => c.name)).toEqual(['服饰', '男装', 'T恤']);

    const report = await fetch(
      `${node.url}/api/merchants/${shop.merchantId}/product-imports/${up.body.id}/errors.csv`,
      { headers: { authorization: `Bearer ${shop.owner.token}` } },
    );
    const text = (await report.text()).replace(/^\uFEFF/, '');
    const lines = text.trim().split('\n');
    expect(lines[0]).toMatch(/^row,column,error,spu_code,title/);
    expect(lines).toHaveLength(7);
    expect(lines[1]).toContain('BAD-1');

    // Re-importing the same SPU updates it instead of duplicating.
    const again = await upload(
      node,
      shop,
      'spu_code,title,spec1_name,spec1_value,price,stock\nMG-1,贵妃芒果,规格,5斤,45.00,90\n',
    );
    const second = await waitDone(node, shop, again.body.id);
    expect(second).toMatchObject({ okRows: 1, productsCreated: 0, productsUpdated: 1 });
    const mango = await node.api('GET', `/api/merchants/${shop.merchantId}/products?q=${encodeURIComponent('芒果')}`, {
      token: shop.owner.token,
    });
    expect(mango.body.items).toHaveLength(1);
    expect(mango.body.items[0]).toMatchObject({ minPriceFen: 4500, stock: 90 });
    // The stock change is in the ledger with its reason.
    const ledger = await node.api('GET', `/api/merchants/${shop.merchantId}/stock/ledger?pageSize=100`, {
      token: shop.owner.token,
    });
    expect(ledger.body.items.some((l: any) => l.reason === 'import' && l.deltaOnHand === -10)).toBe(true);
  });

  it('takes a re-imported stock cell as the on-hand count, never below what orders reserve; a blank cell keeps stock', async () => {
    const first = await waitDone(
      node,
      shop,
      (
        await upload(
          node,
          shop,
          'spu_code,title,spec1_name,spec1_value,price,stock,status\nRS-1,预占导入款,规格,标准,20.00,10,on_shelf\n',
        )
      ).body.id,
    );
    expect(first).toMatchObject({ okRows: 1, productsCreated: 1 });
    const sku = await node.app.ctx.db
      .selectFrom('skus')
      .select('id')
      .where('code', 'is', null)
      .where('name', '=', '标准')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    await node.app.ctx.db.transaction().execute((trx) =>
      node.app.ctx.services.inventory.reserve(trx, {
        orderId: 700_001,
        merchantId: shop.merchantId,
        lines: [{ skuId: sku.id, quantity: 4 }],
      }),
    );
    const level = () =>
      node.app.ctx.db
        .selectFrom('stock_levels')
        .select(['on_hand', 'reserved'])
        .where('sku_id', '=', sku.id)
        .executeTakeFirstOrThrow();
    const reimport = async (stock: string) =>
      waitDone(
        node,
        shop,
        (
          await upload(
            node,
            shop,
            `spu_code,title,spec1_name,spec1_value,price,stock\nRS-1,预占导入款,规格,标准,20.00,${stock}\n`,
          )
        ).body.id,
      );

    expect(await reimport('8')).toMatchObject({ okRows: 1, productsUpdated: 1 });
    expect(await level()).toEqual({ on_hand: 8, reserved: 4 }); // 4 still held for the order, 4 for sale
    const below = await reimport('3');
    expect(below).toMatchObject({ okRows: 0, errorRows: 1 });
    expect(below.errors[0].message).toContain('4 units reserved');
    expect(await level()).toEqual({ on_hand: 8, reserved: 4 });
    expect(await reimport('')).toMatchObject({ okRows: 1, productsUpdated: 1 });
    expect(await level()).toEqual({ on_hand: 8, reserved: 4 });
    const ledger = await node.app.ctx.db
      .selectFrom('stock_ledger')
      .select(['reason', 'delta_on_hand'])
      .where('sku_id', '=', sku.id)
      .orderBy('id')
      .execute();
    expect(ledger).toEqual([
      { reason: 'import', delta_on_hand: 10 },
      { reason: 'reserve', delta_on_hand: 0 },
      { reason: 'import', delta_on_hand: -2 },
    ]);
  });

  it('fails cleanly on a file that is not CSV', async () => {
    const up = await upload(node, shop, '"unterminated,quote\n1,2');
    const done = await waitDone(node, shop, up.body.id);
    expect(done.status).toBe('failed');
    expect(done.errors[0].message).toContain('Not a readable CSV');
  });
});
