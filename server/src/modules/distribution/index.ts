// Distribution (分销): promoters, bindings, two-level commissions, withdrawals and their ledger.
// Reactions: share.touched binds customers; order.paid books pending commissions; order.refunded
// reduces them; order.completed settles them into balances. Payouts are jobs (the network).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AppContext, Module } from '../../platform/context.ts';
import { BindingService } from './binding-service.ts';
import { PromoterCentre } from './centre.ts';
import { CommissionReads } from './commission-reads.ts';
import { CommissionService } from './commission-service.ts';
import type { PayoutProvider } from './payout/provider.ts';
import { UnconfiguredPayout } from './payout/provider.ts';
import { SandboxPayout } from './payout/sandbox.ts';
import { WechatTransferPayout } from './payout/wechat-transfer.ts';
import { PromoterService } from './promoter-service.ts';
import { distributionBooksCheck } from './reconcile.ts';
import { meRoutes } from './routes-me.ts';
import { shopRoutes } from './routes-shop.ts';
import { shopConfigRoutes } from './routes-shop-config.ts';
import { seedDistribution } from './seed.ts';
import { DistributionSettingsService } from './settings-service.ts';
import { PAYOUT_JOB, WithdrawalService } from './withdrawal-service.ts';

declare module '../../platform/context.ts' {
  interface Services {
    distributionSettings: DistributionSettingsService;
    promoters: PromoterService;
    distributionBindings: BindingService;
    commissions: CommissionService;
    commissionReads: CommissionReads;
    promoterCentre: PromoterCentre;
    withdrawals: WithdrawalService;
  }
}

/** WeChat Pay when it is configured; else the sandbox, except in production, where nothing is paid out. */
function payoutProvider(ctx: AppContext): PayoutProvider {
  const wechat = new WechatTransferPayout(ctx.config.wechatPay);
  if (wechat.configured) return wechat;
  return ctx.config.env === 'production' ? new UnconfiguredPayout() : new SandboxPayout();
}

export const distributionModule: Module = {
  name: 'distribution',
  migrationsDir: path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations'),
  init(ctx) {
    const s = ctx.services;
    s.distributionSettings = new DistributionSettingsService(ctx);
    s.promoters = new PromoterService(ctx);
    s.distributionBindings = new BindingService(ctx);
    s.commissions = new CommissionService(ctx);
    s.commissionReads = new CommissionReads(ctx);
    s.promoterCentre = new PromoterCentre(ctx);
    s.withdrawals = new WithdrawalService(ctx, payoutProvider(ctx));
    ctx.reconcile.register(distributionBooksCheck(ctx));

    ctx.events.subscribe({
      name: 'distribution.bind_on_share',
      events: ['share.touched'],
      handle: async (e, db) => {
        await s.distributionBindings.onShareTouched(db, e.payload);
      },
    });
    ctx.events.subscribe({
      name: 'distribution.commission_on_paid',
      events: ['order.paid'],
      handle: async (e, db) => {
        await s.commissions.onOrderPaid(db, e.payload);
      },
    });
    ctx.events.subscribe({
      name: 'distribution.commission_on_refund',
      events: ['order.refunded'],
      handle: (e, db) => s.commissions.onOrderRefunded(db, e.payload),
    });
    ctx.events.subscribe({
      name: 'distribution.commission_on_completed',
      events: ['order.completed'],
      handle: (e, db) => s.commissions.onOrderCompleted(db, e.payload),
    });
    ctx.jobs.register<{ withdrawalId: number }>({
      type: PAYOUT_JOB,
      transactional: false, // calls the payout provider over the network
      run: (job) => s.withdrawals.runPayout(job),
    });
  },
  routes(app, ctx) {
    meRoutes(app, ctx);
    shopConfigRoutes(app, ctx);
    shopRoutes(app, ctx);
  },
  seed: seedDistribution,
};
