// Growth: share tokens, attribution (first and last touch), share analytics, invitations.
import type { Module } from '../../platform/context.ts';

export const growthModule: Module = {
  name: 'growth',
};
