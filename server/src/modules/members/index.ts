// Members: a shop's customers with what they bought, their points and coupons, RFM scores and
// segments (the console's Members page issues coupons to a segment). Owns no tables: orders, points,
// coupons and names come from their modules' services.
import type { Module } from '../../platform/context.ts';
import { MemberService } from './customers.ts';
import { memberRoutes } from './routes.ts';

declare module '../../platform/context.ts' {
  interface Services {
    members: MemberService;
  }
}

export const membersModule: Module = {
  name: 'members',
  init(ctx) {
    ctx.services.members = new MemberService(ctx);
  },
  routes: memberRoutes,
};
