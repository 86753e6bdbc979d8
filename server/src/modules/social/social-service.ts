// Favourites and follows. Following a shop emits `merchant.followed` (outbox) so analytics and
// lucky bags ("follow to enter") can react; unfollowing and re-following does not emit twice.
import type { AppContext } from '../../platform/context.ts';
import type { CreatedAt } from '../../platform/db/types.ts';
import { notFound } from '../../platform/errors.ts';
import { transact } from '../../platform/db/transact.ts';

declare module '../../platform/db/types.ts' {
  interface Database {
    favourites: { user_id: number; product_id: number; created_at: CreatedAt };
    follows: { user_id: number; merchant_id: number; created_at: CreatedAt };
  }
}

export class SocialService {
  constructor(private readonly ctx: AppContext) {}

  async favourite(userId: number, productId: number, on: boolean) {
    if (on) {
      // Only what shoppers may see: a draft's or a hidden shop's product would show in the list.
      await this.ctx.services.catalog.requireListedProduct(productId);
      await this.ctx.db
        .insertInto('favourites')
        .values({ user_id: userId, product_id: productId })
        .onConflict((oc) => oc.columns(['user_id', 'product_id']).doNothing())
        .execute();
    } else
      await this.ctx.db
        .deleteFrom('favourites')
        .where('user_id', '=', userId)
        .where('product_id', '=', productId)
        .execute();
    return { favourite: on };
  }

  async favourites(userId: number) {
    const rows = await this.ctx.db
      .selectFrom('favourites')
      .select('product_id')
      .where('user_id', '=', userId)
      .orderBy('created_at', 'desc')
      .limit(200)
      .execute();
    return this.ctx.services.catalog.getProductSummaries(rows.map((r) => r.product_id));
  }

  async isFavourite(userId: number, productId: number) {
    return !!(await this.ctx.db
      .selectFrom('favourites')
      .select('product_id')
      .where('user_id', '=', userId)
      .where('product_id', '=', productId)
      .executeTakeFirst());
  }

  async follow(userId: number, merchantId: number, on: boolean) {
    await transact(this.ctx.db, async (trx) => {
      if (!(await this.ctx.services.directory.merchantExists(merchantId, trx)))
        throw notFound('Shop', 'MERCHANT_NOT_FOUND');
      if (!on) {
        await trx.deleteFrom('follows').where('user_id', '=', userId).where('merchant_id', '=', merchantId).execute();
        return;
      }
      const added = await trx
        .insertInto('follows')
        .values({ user_id: userId, merchant_id: merchantId })
        .onConflict((oc) => oc.columns(['user_id', 'merchant_id']).doNothing())
        .returning('user_id')
        .executeTakeFirst();
      if (added)
        await this.ctx.events.emit(trx, {
          type: 'merchant.followed',
          aggregateType: 'merchant',
          aggregateId: merchantId,
          payload: { merchantId, userId },
        });
    });
    return { following: on, followers: await this.followers(merchantId) };
  }

  async followers(merchantId: number): Promise<number> {
    const r = await this.ctx.db
      .selectFrom('follows')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('merchant_id', '=', merchantId)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  /** Of these users, those who follow the shop. */
  async followersAmong(merchantId: number, userIds: readonly number[]): Promise<number[]> {
    if (userIds.length === 0) return [];
    const rows = await this.ctx.db
      .selectFrom('follows')
      .select('user_id')
      .where('merchant_id', '=', merchantId)
      .where('user_id', 'in', [...userIds])
      .execute();
    return rows.map((r) => r.user_id);
  }

  async follows(userId: number) {
    // The 200 latest follows (each one's shop exists: a foreign key).
    const rows = await this.ctx.db
      .selectFrom('follows')
      .select(['merchant_id', 'created_at'])
      .where('user_id', '=', userId)
      .orderBy('created_at', 'desc')
      .limit(200)
      .execute();
    const shops = await this.ctx.services.directory.merchantsByIds(rows.map((r) => r.merchant_id));
    return rows.flatMap((r) => {
      const m = shops.get(r.merchant_id);
      return m ? [{ merchantId: m.id, name: m.name, logoUrl: m.logoUrl, since: r.created_at }] : [];
    });
  }

  async isFollowing(userId: number, merchantId: number) {
    return !!(await this.ctx.db
      .selectFrom('follows')
      .select('user_id')
      .where('user_id', '=', userId)
      .where('merchant_id', '=', merchantId)
      .executeTakeFirst());
  }
}
