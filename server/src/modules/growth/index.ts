// Growth: share tokens, attribution (first and last touch), share analytics, invitations.
import type { Module } from '../../platform/context.ts';
import { GROWTH_EVENTS } from './events.ts';

export const growthModule: Module = {
  name: 'growth',
  events: GROWTH_EVENTS,
};
