// Every domain module, in initialisation order. Each area keeps its own list so the teams
// working on them never edit the same file. Services are looked up lazily at call time
// (ctx.services.x), so a module may call a module listed after it, just not during init().
import type { Module } from '../platform/context.ts';
import { identityModule } from './identity/index.ts';
import { commerceModules } from './commerce-modules.ts';
import { liveModules } from './live-modules.ts';
import { realtimeModules } from './realtime-modules.ts';
import { marketingModules } from './marketing-modules.ts';
import { analyticsModules } from './analytics-modules.ts';
import { operationsModules } from './operations-modules.ts';

export const modules: Module[] = [
  identityModule,
  ...commerceModules,
  ...liveModules,
  ...realtimeModules,
  ...marketingModules,
  ...analyticsModules,
  ...operationsModules,
];
