// Realtime: the room WebSocket gateway and cross-node fan-out (docs/realtime-protocol.md).
// Other modules publish to rooms through ctx.services.realtime and add client frame types with
// realtime.gateway.on(type, handler).
import type { Module } from '../../platform/context.ts';
import { RealtimeService } from './realtime-service.ts';

declare module '../../platform/context.ts' {
  interface Services {
    realtime: RealtimeService;
  }
}

export const realtimeModule: Module = {
  name: 'realtime',
  init(ctx) {
    ctx.services.realtime = new RealtimeService(ctx);
  },
  routes(app, ctx) {
    ctx.services.realtime.routes(app);
  },
  async start(ctx) {
    ctx.services.realtime.start();
    ctx.startupLinks.push(`room websocket  ${ctx.config.publicUrl.replace(/^http/, 'ws')}/ws?v=1&roomId=<id>`);
  },
  async stop(ctx) {
    await ctx.services.realtime.stop();
  },
};
