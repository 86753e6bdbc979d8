// The support module's bot part: its services and routes, wired in by ../index.ts.
import type { AppContext, Http } from '../../../platform/context.ts';

export function initBot(_ctx: AppContext): void {}

export function botRoutes(_app: Http, _ctx: AppContext): void {}
