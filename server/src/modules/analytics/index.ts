// Analytics: event collection, rollups, live room metrics, reports, alerts and A/B tests.
// RFM segments are the members module's (members/customers.ts).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Module } from '../../platform/context.ts';
import { AnalyticsService } from './analytics-service.ts';
import { analyticsRoutes } from './routes.ts';
import './tables.ts';
import { ANALYTICS_EVENTS } from './events.ts';

declare module '../../platform/context.ts' {
  interface Services {
    analytics: AnalyticsService;
  }
}

export const analyticsModule: Module = {
  name: 'analytics',
  events: ANALYTICS_EVENTS,
  migrationsDir: path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations'),
  init(ctx) {
    const analytics = new AnalyticsService(ctx);
    ctx.services.analytics = analytics;
    analytics.ingest.subscribe();
    analytics.alerts.subscribe();
    ctx.jobs.recurring({
      type: 'analytics.tick',
      everyMs: ctx.config.analytics.tickMs,
      run: async (_job, db) => {
        await analytics.tick({ db });
      },
    });
    ctx.jobs.recurring({
      type: 'analytics.retention',
      everyMs: 3600_000,
      run: async (_job, db) => analytics.applyRetention(db),
    });
  },
  routes: analyticsRoutes,
};
