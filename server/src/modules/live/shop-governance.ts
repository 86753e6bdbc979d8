// The live module's side of shop governance (identity owns the status): when a shop is suspended
// or rejected its live shows end and its viewers are re-checked on every node (RoomAccess then
// refuses everyone but staff); when a staff member leaves, their staff access to the rooms ends.
// Handlers only schedule jobs: the pub/sub fan-out and the media pipeline are network work.
import type { AppContext } from '../../platform/context.ts';
import './tables.ts';

interface MerchantEvent {
  merchantId: number;
}

export function registerShopGovernance(ctx: AppContext): void {
  ctx.events.subscribe({
    name: 'live.shop_closed',
    events: ['merchant.suspended', 'merchant.rejected'],
    handle: async (e, db) => {
      const payload = { merchantId: e.payload.merchantId };
      await ctx.jobs.schedule(db, { type: 'live.close_shop_rooms', payload, uniqueKey: `live-close-shop:${e.id}` });
    },
  });
  ctx.events.subscribe({
    name: 'live.staff_left',
    events: ['merchant.staff_removed'],
    handle: async (e, db) => {
      const payload = { merchantId: e.payload.merchantId };
      await ctx.jobs.schedule(db, { type: 'live.recheck_viewers', payload, uniqueKey: `live-recheck:${e.id}` });
    },
  });
  ctx.jobs.register<MerchantEvent>({
    type: 'live.close_shop_rooms',
    transactional: false,
    run: async (job) => {
      const { merchantId } = job.payload;
      // Reinstated before this ran: nothing to close.
      if (await ctx.services.merchants.isPublic(merchantId)) return;
      await ctx.services.live.recheckViewers({ merchantId });
      const ended = await ctx.services.live.endShopShows(merchantId);
      if (ended.length) ctx.log.info({ merchantId, rooms: ended }, 'shop closed: live shows ended');
    },
  });
  ctx.jobs.register<MerchantEvent>({
    type: 'live.recheck_viewers',
    transactional: false,
    run: async (job) => {
      await ctx.services.live.recheckViewers({ merchantId: job.payload.merchantId });
    },
  });
}
