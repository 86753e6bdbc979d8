// Payments: providers (sandbox by default; WeChat Pay v3 and Alipay when configured), cashier,
// notifications, refunds.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Module } from '../../platform/context.ts';
import { PaymentService } from './payment-service.ts';
import { paymentRoutes } from './routes.ts';
import { SandboxProvider } from './providers/sandbox.ts';
import { WechatPayProvider } from './providers/wechat-pay.ts';
import { AlipayProvider } from './providers/alipay.ts';

declare module '../../platform/context.ts' {
  interface Services { payments: PaymentService }
}

export const paymentsModule: Module = {
  name: 'payments',
  migrationsDir: path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations'),
  init(ctx) {
    const payments = new PaymentService(ctx);
    ctx.services.payments = payments;
    // The sandbox signs its own notices with a key derived from the token secret.
    payments.addProvider(new SandboxProvider(`sandbox:${ctx.config.jwtSecret ?? ctx.config.nodeId}`));
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
