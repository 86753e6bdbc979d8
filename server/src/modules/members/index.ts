// Members: a shop's customers with what they bought, their points and coupons, RFM scores and
// segments (the console's Members page issues coupons to a segment). Owns only the shop's RFM
// thresholds: orders, points, coupons and names come from their modules' services.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Module } from '../../platform/context.ts';
import { RfmSettings } from './rfm-settings.ts';
import { MemberService } from './customers.ts';
import { memberRoutes } from './routes.ts';

declare module '../../platform/context.ts' {
  interface Services {
    members: MemberService;
    rfmSettings: RfmSettings;
  }
}

export const membersModule: Module = {
  name: 'members',
  migrationsDir: path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations'),
  init(ctx) {
    ctx.services.members = new MemberService(ctx);
    ctx.services.rfmSettings = new RfmSettings(ctx);
  },
  routes: memberRoutes,
};
