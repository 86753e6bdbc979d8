// The support module's tickets part: tickets with SLA timers, compensation, and the service
// metrics kept from the conversation events; wired in by ../index.ts.
import type { AppContext, Http } from '../../../platform/context.ts';
import { CompensationService } from './compensation-service.ts';
import { subscribeFacts } from './facts.ts';
import { SupportMetrics } from './metrics.ts';
import { ticketRoutes as routes } from './routes.ts';
import { registerSla } from './sla.ts';
import { TicketActions } from './ticket-actions.ts';
import { TicketService } from './ticket-service.ts';

export { TICKET_EVENTS } from './events.ts';

declare module '../../../platform/context.ts' {
  interface Services {
    supportTickets: TicketService;
    supportTicketActions: TicketActions;
    supportCompensations: CompensationService;
    supportMetrics: SupportMetrics;
  }
}

export function initTickets(ctx: AppContext): void {
  ctx.services.supportTickets = new TicketService(ctx);
  ctx.services.supportTicketActions = new TicketActions(ctx);
  ctx.services.supportCompensations = new CompensationService(ctx);
  ctx.services.supportCompensations.register();
  ctx.services.supportMetrics = new SupportMetrics(ctx);
  registerSla(ctx);
  subscribeFacts(ctx);
}

export function ticketRoutes(app: Http, ctx: AppContext): void {
  routes(app, ctx);
}
