// Demo rooms: the fruit shop's live room (made live by the demo stream at start) and a trailer
// for the fashion shop tomorrow evening. Idempotent: rooms are found by title.
import type { AppContext, SeedProgress } from '../../platform/context.ts';
import { demoMerchantIds } from '../identity/seed.ts';
import { DEMO_ROOM_TITLE } from './demo.ts';

export async function seedLive(ctx: AppContext, progress: SeedProgress): Promise<void> {
  const { fruit, fashion } = await demoMerchantIds(ctx);
  const tomorrow8pm = new Date(Date.now() + 86400_000);
  tomorrow8pm.setHours(20, 0, 0, 0);
  const rooms = [
    { merchantId: fruit, title: DEMO_ROOM_TITLE, scheduledAt: null },
    { merchantId: fashion, title: '潮流衣橱 · 秋冬新品首发预告', scheduledAt: tomorrow8pm.toISOString() },
  ];
  for (const [i, r] of rooms.entries()) {
    const exists = await ctx.db.selectFrom('live_rooms').select('id').where('title', '=', r.title).executeTakeFirst();
    if (!exists) {
      const { directory, catalog } = ctx.services;
      const [owner] = await directory.memberIds(r.merchantId, ['merchant_owner']);
      if (owner === undefined) throw new Error(`demo shop ${r.merchantId} has no owner`);
      const [anchor] = await directory.memberIds(r.merchantId, ['anchor']);
      const products = await catalog.onShelfProducts(r.merchantId, 8);
      await ctx.services.live.create({ userId: owner, sessionId: 'seed', isPlatformAdmin: false }, r.merchantId, {
        title: r.title,
        scheduledAt: r.scheduledAt,
        anchorUserId: anchor ?? null,
        coverUrl: products[0]?.coverUrl ?? null,
        productIds: products.map((p) => p.id),
      });
    }
    progress.step('rooms', i + 1, rooms.length);
  }
}
