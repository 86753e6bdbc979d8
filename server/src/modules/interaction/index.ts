// Interaction: chat with moderation, likes, gifts and coins, lucky bags, room coupon drops — frames on the realtime gateway
// (docs/realtime-protocol.md) and staff REST routes.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Module } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { ChatService } from './chat-service.ts';
import { CouponDropService, LikeService } from './likes-and-drops.ts';
import { GiftService } from './gift-service.ts';
import { LuckyBagService } from './lucky-bag-service.ts';
import { interactionRoutes } from './routes.ts';
import { INTERACTION_EVENTS } from './events.ts';

declare module '../../platform/context.ts' {
  interface Services {
    chat: ChatService;
    likes: LikeService;
    couponDrops: CouponDropService;
    luckyBags: LuckyBagService;
    gifts: GiftService;
  }
}

export const interactionModule: Module = {
  name: 'interaction',
  events: INTERACTION_EVENTS,
  migrationsDir: path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations'),
  init(ctx) {
    ctx.services.chat = new ChatService(ctx);
    ctx.services.likes = new LikeService(ctx);
    ctx.services.couponDrops = new CouponDropService(ctx);
    ctx.services.luckyBags = new LuckyBagService(ctx);
    ctx.services.luckyBags.register();
    ctx.services.gifts = new GiftService(ctx);
    ctx.services.gifts.register();
    const rt = ctx.services.realtime;
    rt.gateway.on('chat', (conn, f) => ctx.services.chat.send(conn, f.data));
    rt.gateway.on('report', (conn, f) => ctx.services.chat.report(conn, f.data));
    rt.gateway.on('like', (conn, f) => ctx.services.likes.tap(conn, f.data));
    rt.gateway.on('gift', (conn, f) => ctx.services.gifts.send(conn, f.data));
    // Banned viewers cannot enter the shop's rooms.
    rt.gateway.joinChecks.push(async (conn, room) => {
      if (!conn.user) return;
      const s = await ctx.services.chat.activeSanction(room.merchantId, room.id, conn.user.userId);
      if (s?.kind === 'ban') throw new AppError(403, 'BANNED', "You are banned from this shop's rooms");
    });
    // Joiners get the like total straight away.
    rt.gateway.joinListeners.push(async (conn, roomId) => {
      conn.sendPrivate({ type: 'likes', data: { total: await ctx.services.likes.total(roomId) } });
      if (conn.user) await ctx.services.luckyBags.onJoin(roomId, conn.user.userId);
    });
    rt.onTick(() => ctx.services.likes.broadcast());
  },
  routes: interactionRoutes,
  async seed(ctx, progress) {
    await ctx.services.gifts.seed();
    progress.step('gifts', 1, 1);
  },
};
