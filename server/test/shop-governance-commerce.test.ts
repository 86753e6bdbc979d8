// Shop governance beyond products and rooms (live/shop-governance.test.ts covers those): a suspended
// shop's flash sales, group-buys and bargains leave every shopper-facing listing and link, no path
// of the checkout sells them (SKU_NOT_PURCHASABLE, the catalog's code for goods not on sale), its
// rooms and products collect no analytics, and its product CSV imports do not run — even one that
// was queued before the suspension. Reinstating brings everything back. Both backends.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_BACKENDS } from './backends.ts';
import { makeShop, simpleProduct, type ShopFixture } from './commerce-fixtures.ts';
import { startNode, type TestNode } from './harness.ts';
import { bulkBuyers, payWithSandbox } from './order-fixtures.ts';
import { PHONE_UA } from '../src/modules/analytics/test-support.ts';

const at = (ms: number) => new Date(Date.now() + ms).toISOString();
const ids = (r: { body: unknown }) => (r.body as Array<{ id: number }>).map((x) => x.id);
type Buyer = { userId: number; token: string; addressId: number };

describe.each(APP_BACKENDS)('deals, beacons and imports follow shop governance on $name', (backend) => {
  let node: TestNode;
  let shop: ShopFixture;
  let buyers: Buyer[];
  beforeAll(async () => {
    node = await startNode({ db: backend.db, cache: backend.cache });
    shop = await makeShop(node, '停业促销店', '13866670001');
    buyers = await bulkBuyers(node, 4, '1386668');
  }, 60_000);
  afterAll(async () => {
    await node?.close();
  });

  const get = (path: string, token?: string) => node.api('GET', path, token ? { token } : {});
  const asOwner = (method: string, path: string, body?: unknown) =>
    node.api(method, `/api/merchants/${shop.merchantId}${path}`, { token: shop.owner.token, body });
  const setStatus = (status: string) =>
    node.api('PATCH', `/api/platform/merchants/${shop.merchantId}`, { token: shop.admin.token, body: { status } });
  let n = 0;
  const order = (b: Buyer, skuId: number, extra: Record<string, unknown> = {}) =>
    node.api('POST', '/api/orders', {
      token: b.token,
      body: {
        idempotencyKey: `governance-${++n}`,
        items: [{ skuId, quantity: 1 }],
        addressId: b.addressId,
        couponIds: [],
        ...extra,
      },
    });
  const quote = (b: Buyer, skuId: number, extra: Record<string, unknown> = {}) =>
    node.api('POST', '/api/checkout/quote', {
      token: b.token,
      body: { items: [{ skuId, quantity: 1 }], addressId: b.addressId, couponIds: [], ...extra },
    });
  const flashToken = (b: Buyer, itemId: number) =>
    node.api('POST', `/api/flash-sales/items/${itemId}/token`, { token: b.token, body: {} });
  const beacon = (deviceId: string, events: unknown[]) =>
    node.api('POST', '/api/analytics/events', {
      body: { deviceId, events },
      headers: { 'user-agent': PHONE_UA },
    });
  const code = (r: { body: { error?: { code: string } } }) => r.body.error?.code;

  it("hides a suspended shop's deals, sells none of them on any path, and brings them back", async () => {
    const plain = await simpleProduct(node, shop, '停业普通商品', 3000, 50);
    const flashSku = await simpleProduct(node, shop, '停业秒杀商品', 5000, 50);
    const groupSku = await simpleProduct(node, shop, '停业拼团商品', 6000, 50);
    const bargainSku = await simpleProduct(node, shop, '停业砍价商品', 8000, 50);
    const flash = (
      await asOwner('POST', '/flash-sales', {
        title: '停业秒杀',
        startsAt: at(-1000),
        endsAt: at(3600_000),
        items: [{ skuId: flashSku.skuId, flashPriceFen: 1990, stock: 10, perUserLimit: 1 }],
      })
    ).body;
    const itemId = flash.items[0].id as number;
    const deal = (
      await asOwner('POST', '/group-buys', {
        skuId: groupSku.skuId,
        title: '停业拼团',
        groupPriceFen: 3990,
        groupSize: 3,
        expireMinutes: 60,
        startsAt: at(-1000),
        endsAt: at(86400_000),
      })
    ).body;
    const campaign = (
      await asOwner('POST', '/bargains', {
        skuId: bargainSku.skuId,
        title: '停业砍价',
        floorPriceFen: 1000,
        helpsNeeded: 2,
        expireHours: 24,
        startsAt: at(-1000),
        endsAt: at(86400_000),
      })
    ).body;
    const [leader, joiner, bargainer, friend] = buyers as [Buyer, Buyer, Buyer, Buyer];
    // Before: a group opened and paid, a bargain started, a flash token in hand.
    const opened = (await order(leader, groupSku.skuId, { groupBuy: { dealId: deal.id } })).body;
    if (!opened.payment) throw new Error(JSON.stringify(opened));
    await payWithSandbox(node, opened.payment.cashierUrl, 'succeeded');
    const groupId = (await get(`/api/group-buys/${deal.id}`)).body.openGroups[0].id as number;
    const startBargain = (b: Buyer) =>
      node.api('POST', `/api/bargains/campaigns/${campaign.id}/start`, { token: b.token });
    const bargain = (await startBargain(bargainer)).body;
    const heldToken = (await flashToken(joiner, itemId)).body.token as string;
    const seen = async () => ({
      flashList: ids(await get('/api/flash-sales')).includes(flash.id),
      flashShopList: ids(await get(`/api/flash-sales?merchantId=${shop.merchantId}`)).includes(flash.id),
      flash: (await get(`/api/flash-sales/${flash.id}`)).status,
      groupList: ids(await get('/api/group-buys')).includes(deal.id),
      deal: (await get(`/api/group-buys/${deal.id}`)).status,
      group: (await get(`/api/group-buys/groups/${groupId}`)).status,
      bargainList: ids(await get(`/api/bargains/campaigns?merchantId=${shop.merchantId}`)).includes(campaign.id),
      bargain: (await get(`/api/bargains/${bargain.id}`)).status,
    });
    const everywhere = {
      flashList: true,
      flashShopList: true,
      flash: 200,
      groupList: true,
      deal: 200,
      group: 200,
      bargainList: true,
      bargain: 200,
    };
    expect(await seen()).toEqual(everywhere);

    expect((await setStatus('suspended')).status).toBe(200);
    expect(await seen()).toEqual({
      flashList: false,
      flashShopList: false,
      flash: 404,
      groupList: false,
      deal: 404,
      group: 404,
      bargainList: false,
      bargain: 404,
    });
    expect(code(await get(`/api/flash-sales/${flash.id}`))).toBe('FLASH_NOT_FOUND');
    expect(code(await get(`/api/group-buys/${deal.id}`))).toBe('GROUP_BUY_NOT_FOUND');
    expect(code(await get(`/api/group-buys/groups/${groupId}`))).toBe('GROUP_NOT_FOUND');
    expect(code(await get(`/api/bargains/${bargain.id}`))).toBe('BARGAIN_NOT_FOUND');
    expect(code(await flashToken(friend, itemId))).toBe('FLASH_NOT_FOUND');
    expect(code(await startBargain(friend))).toBe('BARGAIN_NOT_FOUND');
    const help = await node.api('POST', `/api/bargains/${bargain.id}/help`, { token: friend.token });
    expect(code(help)).toBe('BARGAIN_NOT_FOUND');
    // Every checkout path answers the same stable code, for the quote and the order alike.
    const refusals = [
      await quote(friend, plain.skuId),
      await order(friend, plain.skuId),
      await order(joiner, flashSku.skuId, { flashSaleItemId: itemId, flashToken: heldToken }),
      await quote(friend, groupSku.skuId, { groupBuy: { dealId: deal.id } }),
      await order(friend, groupSku.skuId, { groupBuy: { dealId: deal.id } }),
      await order(joiner, groupSku.skuId, { groupBuy: { dealId: deal.id, groupId } }),
      await order(bargainer, bargainSku.skuId, { bargainId: bargain.id }),
    ];
    expect(refusals.map((r) => [r.status, code(r)])).toEqual(refusals.map(() => [400, 'SKU_NOT_PURCHASABLE']));
    // The shop's staff still see their deals, with no flash unit lost to the refused order; they start no new one.
    type Session = { id: number; items: Array<{ remaining: number }> };
    const staffView = (await asOwner('GET', '/flash-sales')).body as Session[];
    expect(staffView.find((s) => s.id === flash.id)?.items[0]?.remaining).toBe(10);
    expect(ids(await asOwner('GET', '/group-buys'))).toContain(deal.id);
    expect(ids(await asOwner('GET', '/bargains'))).toContain(campaign.id);
    const again = await asOwner('POST', '/flash-sales', {
      title: '新秒杀',
      startsAt: at(0),
      endsAt: at(60_000),
      items: [{ skuId: flashSku.skuId, flashPriceFen: 1000, stock: 1 }],
    });
    expect(code(again)).toBe('MERCHANT_SUSPENDED');

    expect((await setStatus('active')).status).toBe(200);
    expect(await seen()).toEqual(everywhere);
    const freshToken = (await flashToken(joiner, itemId)).body.token as string;
    const bought = [
      await order(joiner, flashSku.skuId, { flashSaleItemId: itemId, flashToken: freshToken }),
      await order(joiner, groupSku.skuId, { groupBuy: { dealId: deal.id, groupId } }),
      await order(bargainer, bargainSku.skuId, { bargainId: bargain.id }),
      await order(friend, plain.skuId),
    ];
    expect(bought.map((r) => r.status)).toEqual([201, 201, 201, 201]);
  }, 60_000);

  it("takes no analytics for a suspended shop's rooms and products, and takes them again once back", async () => {
    const { productId } = await simpleProduct(node, shop, '停业统计商品', 1000, 5);
    const room = (await asOwner('POST', '/rooms', { title: '停业统计直播间', scheduledAt: at(3600_000) })).body
      .id as number;
    const events = (tag: string) => [
      { id: `${tag}-1`, type: 'room_enter', roomId: room },
      { id: `${tag}-2`, type: 'product_click', productId, roomId: room },
      { id: `${tag}-3`, type: 'page_view', productId },
    ];
    expect((await beacon('gov-device-0001', events('before'))).body).toMatchObject({ accepted: 3, rejected: [] });
    await setStatus('suspended');
    expect((await beacon('gov-device-0001', events('during'))).body).toMatchObject({
      accepted: 0,
      rejected: [
        { index: 0, code: 'ROOM_NOT_FOUND' },
        { index: 1, code: 'ROOM_NOT_FOUND' },
        { index: 2, code: 'PRODUCT_NOT_FOUND' },
      ],
    });
    await setStatus('active');
    expect((await beacon('gov-device-0001', events('after'))).body).toMatchObject({ accepted: 3, rejected: [] });
  });

  it("refuses a suspended shop's product import, and does not run one queued before the suspension", async () => {
    const csv = 'title,price,stock,status\n停业导入商品,9.90,5,上架\n';
    const upload = () => {
      const form = new FormData();
      form.append('file', new Blob([csv], { type: 'text/csv' }), 'products.csv');
      return fetch(`${node.url}/api/merchants/${shop.merchantId}/product-imports`, {
        method: 'POST',
        body: form,
        headers: { authorization: `Bearer ${shop.owner.token}` },
      });
    };
    // Queued while active (written as start() does, without its job, so the suspension lands first).
    const { ctx } = node.app;
    const prefix = `m${shop.merchantId}/imports`;
    const stored = await ctx.storage.put({ prefix, contentType: 'text/csv', body: Buffer.from(csv) });
    const queued = await ctx.db
      .insertInto('product_imports')
      .values({
        merchant_id: shop.merchantId,
        created_by: shop.owner.userId,
        file_key: stored.key,
        filename: 'queued.csv',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await setStatus('suspended');
    const refused = await upload();
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('MERCHANT_SUSPENDED');
    await ctx.services.productImports.run(queued.id);
    const ran = (await asOwner('GET', `/product-imports/${queued.id}`)).body;
    expect(ran).toMatchObject({ status: 'failed', productsCreated: 0 });
    const titles = await ctx.db
      .selectFrom('products')
      .select('title')
      .where('merchant_id', '=', shop.merchantId)
      .execute();
    expect(titles.map((t) => t.title)).not.toContain('停业导入商品');
    await setStatus('active');
    expect((await upload()).status).toBe(202);
  });
});
