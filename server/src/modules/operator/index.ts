// The platform operator's console: views across every shop (the dashboard). Owns no tables: it reads
// through the shops' and orders' services. Onboarding, commission and suspension stay with identity.
import type { Module } from '../../platform/context.ts';
import { operatorRoutes } from './routes.ts';

export const operatorModule: Module = {
  name: 'operator',
  routes: operatorRoutes,
};
