// The shopper's message centre and offline notifications (in-app, WeChat subscribe message, SMS).
// Notices come from the other modules' events (orders, after-sales, live reminders, follows) and
// from customer service; each kind can be switched off, marketing is off until the shopper agrees.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Module } from '../../platform/context.ts';
import { DELIVER_JOB, type SmsGateway, SandboxSmsGateway, SmsAdapter, WechatAdapter } from './channels.ts';
import { CAMPAIGN_JOB, FollowerFanout } from './fanout.ts';
import { ROOM_LIVE_JOB, subscribeHandlers } from './handlers.ts';
import { NotificationService } from './notification-service.ts';
import { notificationRoutes } from './routes.ts';
import { subscribeSupportNotices } from './support-notices.ts';
import './tables.ts';

export interface NotificationServices {
  centre: NotificationService;
  fanout: FollowerFanout;
  sms: SmsAdapter;
  /** The SMS sandbox when no provider is plugged in (tests and the demo read what it "sent"). */
  smsSandbox: SandboxSmsGateway | null;
}

declare module '../../platform/context.ts' {
  interface Services {
    notifications: NotificationServices;
  }
}

export const notificationsModule: Module = {
  name: 'notifications',
  migrationsDir: path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations'),
  init(ctx) {
    // A deployment plugs its SMS provider in here; until then the sandbox records what it would send.
    const gateway: SmsGateway = new SandboxSmsGateway(ctx.log);
    const sms = new SmsAdapter(ctx, gateway);
    const centre = new NotificationService(ctx, [sms, new WechatAdapter(ctx)]);
    const fanout = new FollowerFanout(ctx, centre);
    ctx.services.notifications = {
      centre,
      fanout,
      sms,
      smsSandbox: gateway instanceof SandboxSmsGateway ? gateway : null,
    };
    subscribeHandlers(ctx, centre);
    subscribeSupportNotices(ctx, centre);
    ctx.jobs.register<{ deliveryId: number }>({
      type: DELIVER_JOB,
      transactional: false,
      run: (job) => sms.send(job.payload.deliveryId),
    });
    ctx.jobs.register<{ roomId: number; merchantId: number; sessionId: number }>({
      type: ROOM_LIVE_JOB,
      transactional: false,
      run: (job) => fanout.roomLive(job.payload),
    });
    ctx.jobs.register<{ campaignId: number }>({
      type: CAMPAIGN_JOB,
      transactional: false,
      run: (job) => fanout.runCampaign(job.payload.campaignId),
    });
  },
  routes: notificationRoutes,
};
