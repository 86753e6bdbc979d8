// The support module's tickets part: its services and routes, wired in by ../index.ts.
import type { AppContext, Http } from '../../../platform/context.ts';

export function initTickets(_ctx: AppContext): void {}

export function ticketRoutes(_app: Http, _ctx: AppContext): void {}
