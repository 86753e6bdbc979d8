// Shop governance through the HTTP API and a real WebSocket: a shop waiting for approval cannot go
// on air; a suspended shop's products and rooms vanish from every shopper-facing listing, it starts
// nothing new and its live show ends; reinstating brings everything back. The allowed status
// changes are driven as random sequences (fast-check, seed printed). RTMP: shop-governance-rtmp.test.ts.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNode, type TestNode } from '../../../test/harness.ts';
import { APP_BACKENDS } from '../../../test/backends.ts';
import { makeShop, simpleProduct, type ShopFixture } from '../../../test/commerce-fixtures.ts';
import { until } from '../../../test/order-fixtures.ts';
import { Viewer } from '../realtime/test-support.ts';
import { canTransition, MERCHANT_STATUSES } from '../identity/merchant-status.ts';
import type { MerchantStatus } from '../identity/tables.ts';

const inAnHour = () => new Date(Date.now() + 3600_000).toISOString();
const ids = (r: { body: unknown }) =>
  ((Array.isArray(r.body) ? r.body : (r.body as { items: unknown[] }).items) as Array<{ id: number }>).map((x) => x.id);
const everywhere = (v: boolean) => ({
  search: v,
  shopProducts: v,
  home: v,
  product: v,
  upcoming: v,
  shopRooms: v,
  room: v,
  online: v,
});
const NO_ROOM = { upcoming: false, shopRooms: false, room: false, online: false };

describe.each(APP_BACKENDS)('shop governance on $name', (backend) => {
  let node: TestNode;
  beforeAll(async () => {
    node = await startNode({ db: backend.db, cache: backend.cache });
  }, 60_000);
  afterAll(async () => {
    await node?.close();
  });

  const get = (path: string, token?: string) => node.api('GET', path, token ? { token } : {});
  const setStatus = (shop: ShopFixture, status: MerchantStatus) =>
    node.api('PATCH', `/api/platform/merchants/${shop.merchantId}`, { token: shop.admin.token, body: { status } });
  /** The owner's call on the shop's own routes. */
  const asOwner = (shop: ShopFixture, method: string, path: string, body?: unknown) =>
    node.api(method, `/api/merchants/${shop.merchantId}${path}`, { token: shop.owner.token, body });
  const createRoom = (shop: ShopFixture, body: Record<string, unknown> = {}) =>
    asOwner(shop, 'POST', '/rooms', { title: '上新预告', scheduledAt: inAnHour(), ...body });
  const applyForShop = async (phone: string, name: string): Promise<ShopFixture> => {
    const owner = await node.userToken(phone);
    const applied = await node.api('POST', '/api/merchants', { token: owner.token, body: { name } });
    expect(applied.body.status).toBe('pending');
    const admin = await node.userToken('13700000000', { admin: true });
    return { merchantId: applied.body.id as number, owner, admin };
  };
  /** Everything a shopper could see of one product and one room, listing by listing. */
  const publicView = async (merchantId: number, productId: number, roomId: number, title: string) => ({
    search: ids(await get(`/api/products?q=${encodeURIComponent(title)}`)).includes(productId),
    shopProducts: ids(await get(`/api/products?merchantId=${merchantId}`)).includes(productId),
    home: ids(await get('/api/products?sort=sales&pageSize=100')).includes(productId),
    product: (await get(`/api/products/${productId}`)).status === 200,
    upcoming: ids(await get('/api/rooms?kind=upcoming')).includes(roomId),
    shopRooms: ids(await get(`/api/rooms?kind=upcoming&merchantId=${merchantId}`)).includes(roomId),
    room: (await get(`/api/rooms/${roomId}`)).status === 200,
    online: (await get(`/api/rooms/${roomId}/online`)).status === 200,
  });

  it('keeps a shop waiting for approval off the air, while it may prepare its products', async () => {
    const shop = await applyForShop('13866660001', '待审核小店');
    expect((await createRoom(shop)).body.error.code).toBe('MERCHANT_PENDING_APPROVAL');
    expect((await createRoom(shop, { visibility: 'private' })).status).toBe(403);
    const product = await simpleProduct(node, shop, '待审核的芒果', 990, 5); // the catalogue may be built…
    expect(ids(await get(`/api/products?merchantId=${shop.merchantId}`))).not.toContain(product.productId);
    expect((await get(`/api/products/${product.productId}`)).status).toBe(404); // …but nobody sees it yet
    expect((await setStatus(shop, 'active')).status).toBe(200);
    expect((await createRoom(shop)).status).toBe(201);
    expect((await get(`/api/products/${product.productId}`)).status).toBe(200);
  });

  it("hides a suspended shop's products and rooms everywhere, refuses new ones, and brings them back", async () => {
    const shop = await makeShop(node, '将被停业的店', '13866660002');
    const title = '停业测试荔枝';
    const { productId } = await simpleProduct(node, shop, title, 1990, 10);
    const room = (await createRoom(shop, { productIds: [productId] })).body.id as number;
    // Seen everywhere (which also caches the product page).
    expect(await publicView(shop.merchantId, productId, room, title)).toEqual(everywhere(true));
    const guest = await Viewer.connect(node);
    await guest.join(room);

    expect((await setStatus(shop, 'suspended')).status).toBe(200);
    expect(await publicView(shop.merchantId, productId, room, title)).toEqual(everywhere(false));
    expect((await get(`/api/shops/${shop.merchantId}`)).status).toBe(404);
    expect((await guest.next('error', (f) => f.data.roomId === room)).data.code).toBe('ROOM_NOT_FOUND');
    const late = await Viewer.connect(node);
    await expect(late.join(room)).rejects.toMatchObject({ code: 'ROOM_NOT_FOUND' });
    // The shop's own staff still see their room, and start nothing new.
    expect((await get(`/api/rooms/${room}`, shop.owner.token)).status).toBe(200);
    const staff = await Viewer.connect(node, { token: shop.owner.token });
    expect((await staff.join(room)).roomId).toBe(room);
    const refusal = async (r: Promise<{ body: { error: { code: string } } }>) => (await r).body.error.code;
    expect(await refusal(createRoom(shop))).toBe('MERCHANT_SUSPENDED');
    expect(await refusal(asOwner(shop, 'PATCH', `/rooms/${room}`, { title: 'x' }))).toBe('MERCHANT_SUSPENDED');
    expect(await refusal(asOwner(shop, 'POST', `/rooms/${room}/invite`, {}))).toBe('MERCHANT_SUSPENDED');
    const sku = { specValues: [], priceFen: 100, stock: 1, weightGrams: 1 };
    const product = asOwner(shop, 'POST', '/products', { title: '新品', status: 'on_shelf', specs: [], skus: [sku] });
    expect(await refusal(product)).toBe('MERCHANT_SUSPENDED');

    expect((await setStatus(shop, 'active')).status).toBe(200);
    expect(await publicView(shop.merchantId, productId, room, title)).toEqual(everywhere(true));
    expect((await late.join(room)).roomId).toBe(room);
    expect((await createRoom(shop)).status).toBe(201);
    for (const v of [guest, late, staff]) v.close();
  });

  it("ends a suspended shop's live show and lets its viewers out", async () => {
    const shop = await makeShop(node, '直播中被停业', '13866660003');
    const room = (await createRoom(shop, { scheduledAt: null })).body.id as number;
    await node.app.ctx.services.live.goLive(room);
    const viewer = await Viewer.connect(node);
    await viewer.join(room);
    expect(ids(await get('/api/rooms?kind=live'))).toContain(room);
    await setStatus(shop, 'suspended');
    expect(ids(await get('/api/rooms?kind=live'))).not.toContain(room);
    await viewer.next('error', (f) => f.data.code === 'ROOM_NOT_FOUND' && f.data.roomId === room);
    await until(async () => (await get(`/api/rooms/${room}`, shop.owner.token)).body.status === 'ended');
    const key = (await asOwner(shop, 'GET', `/rooms/${room}/push`)).body.streamKey as string;
    expect(await node.app.ctx.services.live.mayPublish(key)).toEqual({ ok: false, reason: 'show ended' });
    viewer.close();
  });

  it('allows only approve, reject, suspend and reinstate, and lists a shop exactly while it is active', async () => {
    const shop = await applyForShop('13866660004', '状态机小店');
    const title = '状态机椰子';
    const { productId } = await simpleProduct(node, shop, title, 500, 3);
    let room: number | undefined; // a pending shop has none: made the first time the shop is active
    let current: MerchantStatus = 'pending';
    const seed = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
    console.log(`governance property seed ${seed} (FC_SEED=${seed} to replay)`);
    const sequences = fc.array(fc.constantFrom(...MERCHANT_STATUSES), { minLength: 1, maxLength: 5 });
    await fc.assert(
      fc.asyncProperty(sequences, async (targets) => {
        for (const to of targets) {
          const r = await setStatus(shop, to);
          if (canTransition(current, to)) {
            expect(r.status).toBe(200);
            expect(r.body.status).toBe(to);
            current = to;
          } else {
            expect(r.status).toBe(409);
            expect(r.body.error).toMatchObject({ code: 'MERCHANT_STATUS_TRANSITION', details: { from: current, to } });
          }
          if (current === 'active') room ??= (await createRoom(shop)).body.id as number;
          const view = await publicView(shop.merchantId, productId, room ?? 0, title);
          expect(view).toEqual({ ...everywhere(current === 'active'), ...(room === undefined ? NO_ROOM : {}) });
        }
      }),
      { seed, numRuns: 8 },
    );
  }, 180_000);
});
