// The support module's bot part (智能客服): the shop's FAQ, the bot's reply to each shopper message
// (ctx.services.supportBot, called by the conversations), and its routes; wired in by ../index.ts.
import type { AppContext, Http } from '../../../platform/context.ts';
import { BotService } from './bot-service.ts';
import { FaqService } from './faq-service.ts';
import { botRoutes as routes } from './routes.ts';

/** The demo shops' FAQ; for the support module's seed (../index.ts). */
export { seedBot } from './seed.ts';

declare module '../../../platform/context.ts' {
  interface Services {
    supportBot: BotService;
    supportFaqs: FaqService;
  }
}

export function initBot(ctx: AppContext): void {
  ctx.services.supportFaqs = new FaqService(ctx);
  ctx.services.supportBot = new BotService(ctx);
}

export function botRoutes(app: Http, ctx: AppContext): void {
  routes(app, ctx);
}
