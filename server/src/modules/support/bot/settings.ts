// The bot's defaults, shared by the service, the routes and the bench.
/** Confidence (share of the question a FAQ covers) below which the bot hands over (bench/support-bot.ts sweeps it). */
export const DEFAULT_THRESHOLD = 0.35;
