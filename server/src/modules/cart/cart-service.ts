// The shopper's cart, grouped by shop, with each line flagged when it can no longer be bought
// as it was added: off the shelf, out of (enough) stock, or repriced since.
import { sql } from 'kysely';
import type { Generated } from 'kysely';
import type { AppContext } from '../../platform/context.ts';
import type { CreatedAt, Db, UpdatedAt } from '../../platform/db/types.ts';
import { badRequest, notFound } from '../../platform/errors.ts';

export interface CartItemsTable {
  user_id: number;
  sku_id: number;
  quantity: number;
  price_fen_at_add: number;
  selected: Generated<boolean>;
  added_at: CreatedAt;
  updated_at: UpdatedAt;
}
declare module '../../platform/db/types.ts' {
  interface Database {
    cart_items: CartItemsTable;
  }
}

export const MAX_CART_LINES = 120;

export interface CartLine {
  skuId: number;
  productId: number;
  productTitle: string;
  skuName: string;
  imageUrl: string | null;
  quantity: number;
  selected: boolean;
  priceFen: number;
  priceFenAtAdd: number;
  lineTotalFen: number;
  available: number;
  flags: { offShelf: boolean; outOfStock: boolean; insufficientStock: boolean; repriced: boolean };
}

export class CartService {
  constructor(private readonly ctx: AppContext) {}

  async add(userId: number, skuId: number, quantity: number): Promise<void> {
    if (!Number.isSafeInteger(quantity) || quantity <= 0)
      throw badRequest('QUANTITY_INVALID', 'Quantity must be a positive integer');
    const [sku] = await this.ctx.services.catalog.getSkusForCheckout(this.ctx.db, [skuId]);
    if (!sku) throw notFound('SKU', 'SKU_NOT_FOUND');
    if (!sku.purchasable) throw badRequest('SKU_NOT_PURCHASABLE', 'This item is not on sale');
    const lines = await this.ctx.db
      .selectFrom('cart_items')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_id', '=', userId)
      .executeTakeFirstOrThrow();
    const existing = await this.ctx.db
      .selectFrom('cart_items')
      .select('quantity')
      .where('user_id', '=', userId)
      .where('sku_id', '=', skuId)
      .executeTakeFirst();
    if (!existing && lines.n >= MAX_CART_LINES)
      throw badRequest('CART_FULL', `A cart holds at most ${MAX_CART_LINES} items`);
    const total = (existing?.quantity ?? 0) + quantity;
    if (total > 999) throw badRequest('QUANTITY_INVALID', 'At most 999 of one item');
    // The limit is checked again on the quantity the row holds now, not the one read above: two
    // adds at once would otherwise both pass and break the 999 check constraint (a 500).
    const row = await this.ctx.db
      .insertInto('cart_items')
      .values({ user_id: userId, sku_id: skuId, quantity, price_fen_at_add: sku.priceFen })
      .onConflict((oc) =>
        oc
          .columns(['user_id', 'sku_id'])
          .doUpdateSet({ quantity: sql`cart_items.quantity + ${quantity}`, selected: true, updated_at: sql`now()` })
          .where(sql<boolean>`cart_items.quantity + ${quantity} <= 999`),
      )
      .returning('quantity')
      .executeTakeFirst();
    if (!row) throw badRequest('QUANTITY_INVALID', 'At most 999 of one item');
  }

  async update(
    userId: number,
    skuId: number,
    input: { quantity?: number | undefined; selected?: boolean | undefined },
  ): Promise<void> {
    if (
      input.quantity !== undefined &&
      (!Number.isSafeInteger(input.quantity) || input.quantity <= 0 || input.quantity > 999)
    )
      throw badRequest('QUANTITY_INVALID', 'Quantity must be between 1 and 999');
    const res = await this.ctx.db
      .updateTable('cart_items')
      .set({
        ...(input.quantity !== undefined ? { quantity: input.quantity } : {}),
        ...(input.selected !== undefined ? { selected: input.selected } : {}),
        updated_at: sql`now()`,
      })
      .where('user_id', '=', userId)
      .where('sku_id', '=', skuId)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) === 0) throw notFound('Cart item');
  }

  /** `db`: the caller's transaction (an order placed from the cart: the outbox handler's). */
  async remove(userId: number, skuIds: number[], db: Db = this.ctx.db): Promise<void> {
    if (skuIds.length)
      await db.deleteFrom('cart_items').where('user_id', '=', userId).where('sku_id', 'in', skuIds).execute();
  }

  /** Lines grouped by shop, with flags and totals of the selected, buyable lines. */
  async view(userId: number) {
    const items = await this.ctx.db
      .selectFrom('cart_items')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('added_at', 'desc')
      .execute();
    const skus = new Map(
      (
        await this.ctx.services.catalog.getSkusForCheckout(
          this.ctx.db,
          items.map((i) => i.sku_id),
        )
      ).map((s) => [s.skuId, s]),
    );
    const stock = await this.ctx.services.inventory.available(items.map((i) => i.sku_id));
    const merchantIds = [...new Set([...skus.values()].map((s) => s.merchantId))];
    const merchants = [...(await this.ctx.services.directory.merchantNames(merchantIds)).entries()].map(
      ([id, name]) => ({ id, name }),
    );
    const groups = new Map<
      number,
      { merchantId: number; merchantName: string; lines: CartLine[]; selectedTotalFen: number }
    >();
    for (const item of items) {
      const sku = skus.get(item.sku_id);
      if (!sku) continue; // SKU deleted entirely
      const available = Math.max(0, stock.get(item.sku_id) ?? 0);
      const line: CartLine = {
        skuId: sku.skuId,
        productId: sku.productId,
        productTitle: sku.productTitle,
        skuName: sku.skuName,
        imageUrl: sku.imageUrl,
        quantity: item.quantity,
        selected: item.selected,
        priceFen: sku.priceFen,
        priceFenAtAdd: item.price_fen_at_add,
        lineTotalFen: sku.priceFen * item.quantity,
        available,
        flags: {
          offShelf: !sku.purchasable,
          outOfStock: available === 0,
          insufficientStock: available > 0 && available < item.quantity,
          repriced: sku.priceFen !== item.price_fen_at_add,
        },
      };
      const g = groups.get(sku.merchantId) ?? {
        merchantId: sku.merchantId,
        merchantName: merchants.find((m) => m.id === sku.merchantId)?.name ?? '',
        lines: [],
        selectedTotalFen: 0,
      };
      g.lines.push(line);
      if (line.selected && buyable(line)) g.selectedTotalFen += line.lineTotalFen;
      groups.set(sku.merchantId, g);
    }
    const list = [...groups.values()];
    return { groups: list, selectedTotalFen: list.reduce((s, g) => s + g.selectedTotalFen, 0), count: items.length };
  }
}

export const buyable = (l: CartLine) => !l.flags.offShelf && !l.flags.outOfStock && !l.flags.insufficientStock;
