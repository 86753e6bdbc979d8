// Shared fixtures for commerce tests: a shop with a category tree and products made through the API.
import { makeMerchant, type TestNode } from './harness.ts';

export async function categoryPath(node: TestNode, path: string[]): Promise<number> {
  return node.app.ctx.services.categories.ensurePath(node.app.ctx.db, path);
}

export interface ShopFixture {
  merchantId: number;
  owner: { token: string; userId: number };
  admin: { token: string; userId: number };
}

export async function makeShop(node: TestNode, name: string, ownerPhone: string): Promise<ShopFixture> {
  const m = await makeMerchant(node, name, ownerPhone);
  return { merchantId: m.merchantId, owner: m.owner, admin: m.admin };
}

export async function createProduct(node: TestNode, shop: ShopFixture, body: Record<string, unknown>): Promise<any> {
  const r = await node.api('POST', `/api/merchants/${shop.merchantId}/products`, {
    token: shop.owner.token,
    body: { status: 'on_shelf', ...body },
  });
  if (r.status !== 201) throw new Error(`create product failed: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

/** A one-SKU product with the given price and stock. */
export async function simpleProduct(
  node: TestNode,
  shop: ShopFixture,
  title: string,
  priceFen: number,
  stock: number,
  extra: Record<string, unknown> = {},
) {
  const p = await createProduct(node, shop, {
    title,
    specs: [],
    skus: [{ specValues: [], priceFen, stock, weightGrams: 500 }],
    ...extra,
  });
  return { productId: p.id as number, skuId: p.skus[0].id as number };
}
