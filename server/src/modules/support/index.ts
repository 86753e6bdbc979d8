// Customer service (客服): conversations between shoppers and a shop's agents (this folder), the bot that
// answers first (bot/), and tickets with SLA timers plus the service metrics (tickets/).
// Conversations: routes-shopper.ts and routes-workbench.ts over HTTP, frames.ts on the room gateway's
// sockets (delivery.ts: per-user channel, in order and once per device), routing.ts and agents.ts for
// who answers, workbench.ts for what sits beside the chat.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Module } from '../../platform/context.ts';
import { SupportAgents } from './agents.ts';
import { botRoutes, initBot, seedBot } from './bot/index.ts';
import { registerBotTurn } from './bot-turn.ts';
import { ConversationService } from './conversations.ts';
import { SupportDelivery } from './delivery.ts';
import { SUPPORT_EVENTS } from './events.ts';
import { registerFrames } from './frames.ts';
import { shopperRoutes } from './routes-shopper.ts';
import { teamRoutes } from './routes-team.ts';
import { workbenchRoutes } from './routes-workbench.ts';
import { initTickets, TICKET_EVENTS, ticketRoutes } from './tickets/index.ts';
import { Workbench } from './workbench.ts';

declare module '../../platform/context.ts' {
  interface Services {
    supportConversations: ConversationService;
    supportAgents: SupportAgents;
    supportWorkbench: Workbench;
  }
}

export const supportModule: Module = {
  name: 'support',
  events: { ...SUPPORT_EVENTS, ...TICKET_EVENTS },
  migrationsDir: path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations'),
  init(ctx) {
    let conversations: ConversationService | undefined;
    const delivery = new SupportDelivery(ctx, (...args) => conversations!.readRange(...args));
    conversations = new ConversationService(ctx, delivery);
    ctx.services.supportConversations = conversations;
    ctx.services.supportAgents = new SupportAgents(ctx, conversations);
    ctx.services.supportWorkbench = new Workbench(ctx, conversations);
    registerFrames(ctx, conversations);
    registerBotTurn(ctx, delivery);
    initBot(ctx);
    initTickets(ctx);
  },
  async routes(app, ctx) {
    const s = ctx.services;
    await shopperRoutes(app, ctx, s.supportConversations);
    workbenchRoutes(app, ctx, {
      conversations: s.supportConversations,
      agents: s.supportAgents,
      workbench: s.supportWorkbench,
    });
    teamRoutes(app, { agents: s.supportAgents, workbench: s.supportWorkbench });
    botRoutes(app, ctx);
    ticketRoutes(app, ctx);
  },
  // The demo shops' FAQ, the one the bot's evaluation set is written against.
  seed: (ctx, progress) => seedBot(ctx, progress),
};
