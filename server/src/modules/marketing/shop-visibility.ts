// Deals follow shop governance, which identity decides (merchants.isPublic / publicMerchantIds, the
// same rule the catalog and live listings use): shoppers see and buy no flash sale, group-buy or
// bargain of a shop that is pending, suspended or rejected, and get the deal's "not found" for it,
// as they do for its products and rooms. The shop's own staff still see their deals.
import type { AppContext } from '../../platform/context.ts';
import type { Db } from '../../platform/db/types.ts';
import type { AppError } from '../../platform/errors.ts';

/** Who may create deals for a shop (with merchants.requireOperating: a suspended shop starts none). */
export const DEAL_WRITERS = ['merchant_owner', 'merchant_staff'] as const;

/** Who is looking: a shopper (public routes) or the shop's own staff (its console routes). */
export type DealAudience = 'shoppers' | 'shop';

/** Throws `hidden()` when shoppers are looking at a deal of a shop they may not see. */
export async function assertDealVisible(
  ctx: AppContext,
  merchantId: number,
  audience: DealAudience,
  hidden: () => AppError,
  db?: Db,
): Promise<void> {
  if (audience === 'shop') return;
  if (!(await ctx.services.merchants.isPublic(merchantId, db))) throw hidden();
}

/** The shops whose deals shoppers may list, as a subquery for a `merchant_id in (…)` filter. */
export const listedShops = (ctx: AppContext) => ctx.services.merchants.publicMerchantIds();
