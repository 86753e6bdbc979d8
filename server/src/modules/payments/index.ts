// Payments: providers (WeChat Pay v3 and Alipay when configured; the test-money sandbox only where
// PAYMENTS_SANDBOX or the embedded demo turns it on), cashier, notifications, refunds.
import crypto from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Module } from '../../platform/context.ts';
import { deploymentSecret } from '../../platform/db/settings.ts';
import { PaymentService } from './payment-service.ts';
import { paymentRoutes } from './routes.ts';
import { SandboxProvider } from './providers/sandbox.ts';
import { WechatPayProvider } from './providers/wechat-pay.ts';
import { AlipayProvider } from './providers/alipay.ts';
import { PAYMENT_EVENTS } from './events.ts';

declare module '../../platform/context.ts' {
  interface Services {
    payments: PaymentService;
  }
}

export const paymentsModule: Module = {
  name: 'payments',
  events: PAYMENT_EVENTS,
  migrationsDir: path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations'),
  async init(ctx) {
    const payments = new PaymentService(ctx);
    ctx.services.payments = payments;
    // The sandbox signs its own notices with a random key of this deployment (shared by its nodes).
    const sandboxOn = ctx.config.paymentsSandbox;
    const sandboxKey = sandboxOn
      ? await deploymentSecret(ctx.db, 'payments_sandbox_key')
      : crypto.randomBytes(32).toString('base64url'); // off: a key nobody has, and notices are refused anyway
    payments.addProvider(new SandboxProvider(sandboxKey, sandboxOn));
    const level = ctx.config.env === 'production' ? 'warn' : 'info';
    if (sandboxOn) ctx.log[level]('payment sandbox is on: orders can be paid with test money (PAYMENTS_SANDBOX)');
    payments.addProvider(new WechatPayProvider(ctx.config.wechatPay));
    payments.addProvider(new AlipayProvider(ctx.config.alipay));
    ctx.jobs.register<{ refundId: number }>({
      type: 'payments.execute_refund',
      transactional: false, // calls the provider over the network
      run: (job) => payments.executeRefund(job.payload.refundId),
    });
  },
  routes: paymentRoutes,
};
