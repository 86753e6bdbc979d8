// Customer service (客服): conversations, the bot, tickets and their SLA timers, service metrics.
import type { Module } from '../../platform/context.ts';

export const supportModule: Module = {
  name: 'support',
};
