// Identity & access: users, sign-in, sessions, merchants (tenants) and their teams.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Module } from '../../platform/context.ts';
import { AuthService } from './auth-service.ts';
import { IdentityDirectory } from './directory.ts';
import { MerchantService } from './merchant-service.ts';
import { PasswordService } from './password-service.ts';
import { SandboxSms } from './sms.ts';
import { identityRoutes } from './routes.ts';
import { seedIdentity } from './seed.ts';
import { SandboxWechatAuth, WechatMiniProgramAuth } from './wechat.ts';
import { IDENTITY_EVENTS } from './events.ts';

declare module '../../platform/context.ts' {
  interface Services {
    auth: AuthService;
    passwords: PasswordService;
    merchants: MerchantService;
    /** Names, shops and teams by id, for other modules (they never query identity's tables). */
    directory: IdentityDirectory;
  }
}

export const identityModule: Module = {
  name: 'identity',
  events: IDENTITY_EVENTS,
  migrationsDir: path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations'),
  init(ctx) {
    const c = ctx.config;
    const wechat =
      !(c.wechatAppId && c.wechatAppSecret) && c.wechat.sandbox
        ? new SandboxWechatAuth()
        : new WechatMiniProgramAuth({ appId: c.wechatAppId, appSecret: c.wechatAppSecret, apiBase: c.wechatApiBase });
    ctx.services.auth = new AuthService(ctx, wechat);
    // SMS and captcha are sandboxes until a deployment plugs its providers in (sms.ts, captcha.ts).
    ctx.services.passwords = new PasswordService(ctx, ctx.services.auth, new SandboxSms(ctx.log));
    if (ctx.config.env === 'production') {
      ctx.log.warn('identity: captcha and SMS are the sandbox providers (no real captcha; codes are only logged)');
    }
    ctx.services.merchants = new MerchantService(ctx);
    ctx.services.directory = new IdentityDirectory(ctx);
    ctx.memberships = ctx.services.merchants;
  },
  routes(app, ctx) {
    identityRoutes(app, ctx, ctx.services.auth, ctx.services.merchants);
  },
  seed: seedIdentity,
  start: (ctx) => ctx.services.merchants.start(),
  stop: (ctx) => ctx.services.merchants.stop(),
};
