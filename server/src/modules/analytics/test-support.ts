// Shared by the analytics tests.
export const PHONE_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.40';
/** No background ticks (tests tick with their own clock) and no rollup lag. */
export const ANALYTICS_TEST_CONFIG = {
  analytics: {
    tickMs: 3_600_000,
    lagMs: 0,
    timeZone: 'Asia/Shanghai',
    rawRetentionDays: 90,
    webhookAllowPrivate: true,
  },
};
