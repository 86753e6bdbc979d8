// Configuration comes only from the environment, is validated once at start, and a bad value
// stops the process with a message naming the variable — never a half-configured server.
import fs from 'node:fs';
import path from 'node:path';
import type { RateLimitOverrides } from './http/rate-limit.ts';

export interface Config {
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  rtmpPort: number;
  dataDir: string;
  databaseUrl: string | undefined;
  dbPoolMax: number;
  redisUrl: string | undefined;
  redisPrefix: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  logPretty: boolean;
  publicUrl: string;
  jwtSecret: string | undefined;
  accessTokenTtlSec: number;
  refreshTokenTtlSec: number;
  bodyLimitBytes: number;
  wechatAppId: string | undefined;
  wechatAppSecret: string | undefined;
  wechatApiBase: string;
  /** WeChat platform calls beyond login (README "WeChat"): access token, phone, subscribe messages, msgSecCheck. */
  wechat: WechatConfig;
  seedDemo: boolean;
  workers: boolean;
  nodeId: string;
  /** auto (system ffmpeg, else the one bundled in npm), bundled, none, or a path (modules/media/ffmpeg-locate.ts). */
  ffmpegPath: string;
  demoStream: boolean;
  liveGraceMs: number;
  replayRetentionDays: number;
  hlsSegmentSec: number;
  transcodeLadder: string[];
  orderPaymentTimeoutSec: number;
  /** A stock hold whose order is not written this long after goes back on sale (its node died placing it). */
  stockHoldLapseSec: number;
  orderAutoConfirmDays: number;
  afterSalesWindowDays: number;
  quoteTtlSec: number;
  /** Chat messages a user may send per 10 s (all nodes together). */
  chatPer10s: number;
  /** Chat messages a second each viewer of a busy room is shown (the rest are folded into a count); 0: all. */
  chatDisplayPerSec: number;
  /** Fastify trustProxy: which proxies' X-Forwarded-For names the client (rate limits count per client). */
  trustProxy: boolean | number | string[];
  /** HTTP route rate limits (platform/http/rate-limit.ts): on/off, and per-bucket overrides. */
  rateLimits: { enabled: boolean; overrides: RateLimitOverrides };
  /** Sign-in throttling (identity/login-guard.ts): failures counted per account and per client. */
  login: { windowSec: number; accountCaptchaAfter: number; clientCaptchaAfter: number; clientMaxFailures: number };
  /** Password-reset SMS codes: lifetime, wrong tries allowed per code, wait between two codes to a phone. */
  smsCode: { ttlSec: number; maxAttempts: number; resendSec: number };
  pointsEarnPerYuan: number;
  pointsPerYuan: number;
  pointsMaxShareBp: number;
  flashSale: {
    /** How long a unit taken in the cache waits for its order before the reconciler gives it back. */
    leaseMs: number;
    /** How often the reconciler gives back units of expired attempts and reloads lost counters. */
    reconcileEveryMs: number;
  };
  analytics: {
    /** How often rollups, online samples, alerts and the console's live numbers run. */
    tickMs: number;
    /** Rollups read events this much behind now, so rows from transactions still committing are not skipped. */
    lagMs: number;
    /** Report days are local days in this zone. */
    timeZone: string;
    rawRetentionDays: number;
    /** Let alert webhooks reach loopback/private addresses (off: a tenant must not probe the host's network). */
    webhookAllowPrivate: boolean;
  };
  wechatPay: {
    mchId?: string | undefined;
    appId?: string | undefined;
    apiV3Key?: string | undefined;
    privateKeyPem?: string | undefined;
    certSerial?: string | undefined;
    platformPublicKeyPem?: string | undefined;
    apiBase: string;
  };
  alipay: {
    appId?: string | undefined;
    privateKeyPem?: string | undefined;
    alipayPublicKeyPem?: string | undefined;
    sellerId?: string | undefined;
    gateway: string;
  };
  /** The built-in test cashier (no real money moves): PAYMENTS_SANDBOX, else on only in the embedded demo. */
  paymentsSandbox: boolean;
  /** OPS_TOKEN: bearer token for /metrics and /health details (monitoring); platform admins pass too. */
  opsToken: string | undefined;
}

export interface WechatConfig {
  /**
   * WECHAT_SANDBOX: where WECHAT_APP_ID / WECHAT_APP_SECRET are not set, answer WeChat's calls locally
   * (login, phone, msgSecCheck, subscribe messages) so all of it runs without an account; default on outside production.
   */
  sandbox: boolean;
  /** stable: cgi-bin/stable_token (default, one token for all callers); classic: cgi-bin/token. */
  tokenMode: 'stable' | 'classic';
  /** Subscribe-message template ids (订阅消息), per deployment; null: that message is not sent. */
  templates: { liveStart: string | null; orderShipped: string | null };
  /** Template field names for each value, e.g. "thing1=title,time2=time,thing3=shop". */
  fields: { liveStart: string; orderShipped: string };
  /** The mini-program pages the messages open. */
  pages: { liveStart: string; orderShipped: string };
  /** miniprogram_state of subscribe/send: formal, trial or developer. */
  miniprogramState: 'formal' | 'trial' | 'developer';
  /** msgSecCheck for chat and nicknames: off, or for users signed in with WeChat (they have an openid). */
  msgSecCheck: 'off' | 'wechat';
}

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

class Reader {
  readonly problems: string[] = [];
  constructor(private readonly env: Env) {}

  string(name: string, fallback: string): string {
    const v = this.env[name];
    return v === undefined || v === '' ? fallback : v;
  }

  optional(name: string): string | undefined {
    const v = this.env[name];
    return v === undefined || v === '' ? undefined : v;
  }

  int(name: string, fallback: number, min: number, max: number): number {
    const raw = this.env[name];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!/^-?\d+$/.test(raw.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
      this.problems.push(`${name} must be an integer between ${min} and ${max} (got "${raw}")`);
      return fallback;
    }
    return n;
  }

  bool(name: string, fallback: boolean): boolean {
    const raw = this.env[name];
    if (raw === undefined || raw === '') return fallback;
    const v = raw.trim().toLowerCase();
    if (['1', 'true', 'yes', 'on'].includes(v)) return true;
    if (['0', 'false', 'no', 'off'].includes(v)) return false;
    this.problems.push(`${name} must be true or false (got "${raw}")`);
    return fallback;
  }

  oneOf<T extends string>(name: string, fallback: T, allowed: readonly T[]): T {
    const raw = this.env[name];
    if (raw === undefined || raw === '') return fallback;
    if (!(allowed as readonly string[]).includes(raw)) {
      this.problems.push(`${name} must be one of ${allowed.join(', ')} (got "${raw}")`);
      return fallback;
    }
    return raw as T;
  }

  url(name: string, protocols: string[]): string | undefined {
    const raw = this.optional(name);
    if (raw === undefined) return undefined;
    try {
      const u = new URL(raw);
      if (!protocols.includes(u.protocol)) {
        this.problems.push(`${name} must use ${protocols.join(' or ')} (got "${u.protocol}")`);
      }
    } catch {
      this.problems.push(`${name} is not a valid URL`);
    }
    return raw;
  }
}

export function loadConfig(env: Env = process.env): Config {
  const r = new Reader(env);
  const host = r.string('HOST', '127.0.0.1');
  const port = r.int('PORT', 3000, 0, 65535);
  const nodeEnv = r.oneOf('NODE_ENV', 'development', ['development', 'production', 'test'] as const);
  const jwtSecret = r.optional('JWT_SECRET');
  if (jwtSecret !== undefined && jwtSecret.length < 32) {
    r.problems.push('JWT_SECRET must be at least 32 characters');
  }
  const config: Config = {
    env: nodeEnv,
    host,
    port,
    rtmpPort: r.int('RTMP_PORT', 1935, 0, 65535),
    dataDir: path.resolve(r.string('DATA_DIR', './data')),
    databaseUrl: r.url('DATABASE_URL', ['postgres:', 'postgresql:']),
    dbPoolMax: r.int('DB_POOL_MAX', 10, 1, 500),
    redisUrl: r.url('REDIS_URL', ['redis:', 'rediss:']),
    redisPrefix: r.string('REDIS_PREFIX', 'livemall:'),
    logLevel: r.oneOf('LOG_LEVEL', nodeEnv === 'test' ? 'warn' : 'info', [
      'fatal',
      'error',
      'warn',
      'info',
      'debug',
      'trace',
      'silent',
    ] as const),
    logPretty: r.bool('LOG_PRETTY', Boolean(process.stdout.isTTY) && nodeEnv !== 'production'),
    publicUrl: (r.optional('PUBLIC_URL') ?? `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`).replace(
      /\/$/,
      '',
    ),
    jwtSecret,
    accessTokenTtlSec: r.int('ACCESS_TOKEN_TTL_SEC', 15 * 60, 10, 24 * 3600),
    refreshTokenTtlSec: r.int('REFRESH_TOKEN_TTL_SEC', 30 * 24 * 3600, 60, 365 * 24 * 3600),
    bodyLimitBytes: r.int('BODY_LIMIT_BYTES', 1024 * 1024, 1024, 100 * 1024 * 1024),
    wechatAppId: r.optional('WECHAT_APP_ID'),
    wechatAppSecret: r.optional('WECHAT_APP_SECRET'),
    wechatApiBase: r.url('WECHAT_API_BASE', ['http:', 'https:']) ?? 'https://api.weixin.qq.com',
    wechat: wechatConfig(r, nodeEnv),
    seedDemo: r.bool('SEED_DEMO', true),
    workers: r.bool('WORKERS', true),
    nodeId: r.string('NODE_ID', `node-${process.pid}`),
    ffmpegPath: r.string('FFMPEG_PATH', 'auto'),
    demoStream: r.bool('DEMO_STREAM', true),
    liveGraceMs: r.int('LIVE_GRACE_MS', 30_000, 0, 3_600_000),
    replayRetentionDays: r.int('REPLAY_RETENTION_DAYS', 30, 1, 3650),
    hlsSegmentSec: r.int('HLS_SEGMENT_SEC', 1, 1, 10),
    transcodeLadder: r
      .string('TRANSCODE_LADDER', '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => /^\d{3,4}p$/.test(s)),
    orderPaymentTimeoutSec: r.int('ORDER_PAYMENT_TIMEOUT_SEC', 15 * 60, 5, 7 * 24 * 3600),
    stockHoldLapseSec: r.int('STOCK_HOLD_LAPSE_SEC', 120, 2, 300),
    orderAutoConfirmDays: r.int('ORDER_AUTO_CONFIRM_DAYS', 10, 1, 60),
    afterSalesWindowDays: r.int('AFTER_SALES_WINDOW_DAYS', 7, 0, 60),
    quoteTtlSec: r.int('QUOTE_TTL_SEC', 10 * 60, 10, 24 * 3600),
    chatPer10s: r.int('CHAT_RATE_PER_10S', 5, 1, 1000),
    chatDisplayPerSec: r.int('CHAT_DISPLAY_PER_SEC', 30, 0, 10_000),
    trustProxy: trustProxy(r, 'TRUST_PROXY'),
    rateLimits: rateLimits(r, 'RATE_LIMITS'),
    login: {
      windowSec: r.int('LOGIN_WINDOW_SEC', 15 * 60, 10, 24 * 3600),
      accountCaptchaAfter: r.int('LOGIN_CAPTCHA_AFTER', 5, 1, 1000),
      clientCaptchaAfter: r.int('LOGIN_CLIENT_CAPTCHA_AFTER', 10, 1, 100_000),
      clientMaxFailures: r.int('LOGIN_CLIENT_MAX_FAILURES', 50, 1, 1_000_000),
    },
    smsCode: {
      ttlSec: r.int('SMS_CODE_TTL_SEC', 5 * 60, 30, 3600),
      maxAttempts: r.int('SMS_CODE_MAX_ATTEMPTS', 5, 1, 20),
      resendSec: r.int('SMS_CODE_RESEND_SEC', 60, 1, 3600),
    },
    pointsEarnPerYuan: r.int('POINTS_EARN_PER_YUAN', 1, 0, 100),
    pointsPerYuan: r.int('POINTS_PER_YUAN', 100, 1, 100_000),
    pointsMaxShareBp: r.int('POINTS_MAX_SHARE_BP', 5000, 0, 10_000),
    flashSale: {
      leaseMs: r.int('FLASH_LEASE_MS', 30_000, 200, 600_000),
      reconcileEveryMs: r.int('FLASH_RECONCILE_EVERY_MS', 5000, 100, 300_000),
    },
    analytics: {
      tickMs: r.int('ANALYTICS_TICK_MS', 5000, 1000, 86_400_000),
      lagMs: r.int('ANALYTICS_LAG_MS', 2000, 0, 60_000),
      timeZone: timeZone(r, 'ANALYTICS_TIMEZONE', 'Asia/Shanghai'),
      rawRetentionDays: r.int('ANALYTICS_RAW_RETENTION_DAYS', 90, 1, 3650),
      webhookAllowPrivate: r.bool('ALERT_WEBHOOK_ALLOW_PRIVATE', false),
    },
    wechatPay: {
      mchId: r.optional('WECHATPAY_MCH_ID'),
      appId: r.optional('WECHATPAY_APP_ID') ?? r.optional('WECHAT_APP_ID'),
      apiV3Key: r.optional('WECHATPAY_API_V3_KEY'),
      privateKeyPem: pemFrom(r.optional('WECHATPAY_PRIVATE_KEY')),
      certSerial: r.optional('WECHATPAY_CERT_SERIAL'),
      platformPublicKeyPem: pemFrom(r.optional('WECHATPAY_PLATFORM_PUBLIC_KEY')),
      apiBase: r.url('WECHATPAY_API_BASE', ['http:', 'https:']) ?? 'https://api.mch.weixin.qq.com',
    },
    alipay: {
      appId: r.optional('ALIPAY_APP_ID'),
      privateKeyPem: pemFrom(r.optional('ALIPAY_PRIVATE_KEY')),
      alipayPublicKeyPem: pemFrom(r.optional('ALIPAY_PUBLIC_KEY')),
      sellerId: r.optional('ALIPAY_SELLER_ID'),
      gateway: r.url('ALIPAY_GATEWAY', ['http:', 'https:']) ?? 'https://openapi.alipay.com/gateway.do',
    },
    paymentsSandbox: false, // decided below, once the real providers are read
    opsToken: r.optional('OPS_TOKEN'),
  };
  config.paymentsSandbox = paymentsSandbox(r, config);
  if (config.opsToken !== undefined && config.opsToken.length < 32) {
    r.problems.push('OPS_TOKEN must be at least 32 characters');
  }
  if (r.problems.length > 0) throw new ConfigError(r.problems);
  return config;
}

/**
 * The sandbox lets anyone "pay" with no money, so it is off unless PAYMENTS_SANDBOX=true, except in
 * the embedded demo (`npm start`: PGlite, no real provider, not production). Production with a real
 * provider cannot turn it on: shoppers could pay real orders with test money.
 */
function wechatConfig(r: Reader, env: Config['env']): WechatConfig {
  const real = Boolean(r.optional('WECHAT_APP_ID') && r.optional('WECHAT_APP_SECRET'));
  const sandbox = r.bool('WECHAT_SANDBOX', !real && env !== 'production');
  if (sandbox && real && env === 'production')
    r.problems.push('WECHAT_SANDBOX=true cannot be used in production with WECHAT_APP_SECRET set');
  const tmpl = (name: string, fallback: string) => r.optional(name) ?? (sandbox ? fallback : null);
  return {
    sandbox,
    tokenMode: r.oneOf('WECHAT_TOKEN_MODE', 'stable', ['stable', 'classic'] as const),
    templates: {
      liveStart: tmpl('WECHAT_TEMPLATE_LIVE_START', 'sandbox-live-start'),
      orderShipped: tmpl('WECHAT_TEMPLATE_ORDER_SHIPPED', 'sandbox-order-shipped'),
    },
    fields: {
      liveStart: r.string('WECHAT_TEMPLATE_LIVE_START_FIELDS', 'thing1=title,thing2=shop,time3=time'),
      orderShipped: r.string(
        'WECHAT_TEMPLATE_ORDER_SHIPPED_FIELDS',
        'character_string1=orderNo,thing2=carrier,time3=time',
      ),
    },
    pages: {
      liveStart: r.string('WECHAT_PAGE_LIVE_START', 'pages/room/index?roomId={roomId}'),
      orderShipped: r.string('WECHAT_PAGE_ORDER_SHIPPED', 'mall/pages/orders/index?orderId={orderId}'),
    },
    miniprogramState: r.oneOf('WECHAT_MINIPROGRAM_STATE', 'formal', ['formal', 'trial', 'developer'] as const),
    msgSecCheck: r.oneOf('WECHAT_MSG_SEC_CHECK', 'wechat', ['off', 'wechat'] as const),
  };
}

function paymentsSandbox(r: Reader, c: Pick<Config, 'env' | 'databaseUrl' | 'wechatPay' | 'alipay'>): boolean {
  const realProvider = Boolean(c.wechatPay.mchId || c.alipay.appId);
  if (r.optional('PAYMENTS_SANDBOX') === undefined) return c.env !== 'production' && !c.databaseUrl && !realProvider;
  const on = r.bool('PAYMENTS_SANDBOX', false);
  if (on && realProvider && c.env === 'production') {
    r.problems.push(
      'PAYMENTS_SANDBOX=true cannot be used in production with WeChat Pay or Alipay configured ' +
        '(test money would pay real orders)',
    );
  }
  return on;
}

/** TRUST_PROXY: unset/false (clients connect directly), true, a hop count, or proxy addresses/CIDRs. */
function trustProxy(r: Reader, name: string): boolean | number | string[] {
  const raw = r.string(name, 'false').trim();
  if (/^(false|0|no|off)$/i.test(raw)) return false;
  if (/^(true|yes|on)$/i.test(raw)) return true;
  if (/^\d+$/.test(raw)) return Number(raw);
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** RATE_LIMITS: "off" (every route limit off), or "bucket=max/windowSec,bucket=off", e.g. "auth.login=60/60". */
function rateLimits(r: Reader, name: string): Config['rateLimits'] {
  const raw = r.string(name, '').trim();
  if (/^off$/i.test(raw)) return { enabled: false, overrides: {} };
  const overrides: RateLimitOverrides = {};
  for (const part of raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = /^([a-z0-9._-]+)=(?:(off)|(\d+)\/(\d+))$/i.exec(part);
    if (!m || (!m[2] && (Number(m[3]) < 1 || Number(m[4]) < 1))) {
      r.problems.push(`${name} entries look like bucket=max/windowSec or bucket=off (got "${part}")`);
      continue;
    }
    overrides[m[1]!] = m[2] ? 'off' : { max: Number(m[3]), windowSec: Number(m[4]) };
  }
  return { enabled: true, overrides };
}

function timeZone(r: Reader, name: string, fallback: string): string {
  const zone = r.string(name, fallback);
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone;
  } catch {
    r.problems.push(`${name} must be an IANA time zone such as Asia/Shanghai (got "${zone}")`);
    return fallback;
  }
}

/** Keys may be given inline (PEM text, \n escaped) or as a path to a PEM file. */
function pemFrom(v: string | undefined): string | undefined {
  if (!v) return undefined;
  if (v.includes('-----BEGIN')) return v.replace(/\\n/g, '\n');
  try {
    return fs.readFileSync(v, 'utf8');
  } catch {
    return v;
  }
}

/** A config for tests and tools: defaults, then the given overrides, never process.env's PORT etc. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    ...loadConfig({ NODE_ENV: 'test', PORT: '0', RTMP_PORT: '0', LOG_LEVEL: process.env.LOG_LEVEL ?? 'error' }),
    ...overrides,
  };
}
