// The shop's service workbench (/api/merchants/:merchantId/support/...): the queue and the chats,
// availability and capacity, pick and transfer, the customer's context, canned replies, internal
// notes and the quick actions. Tenancy: every service call checks the role and the shop's own ids.
import { Type } from 'typebox';
import { type Actor, OPERATORS } from '../../platform/auth/access.ts';
import type { AppContext, Http } from '../../platform/context.ts';
import { errorResponses, IdParam, MerchantParams, Strict } from '../../platform/http/schemas.ts';
import type { SupportAgents } from './agents.ts';
import type { ConversationService } from './conversations.ts';
import {
  AgentSendBody,
  Context,
  Conversation,
  History,
  HistoryQuery,
  MerchantConversationParams as Params,
  Note,
  NoteBody,
  ReadAnswer,
  ReadBody,
  Sent,
  Status,
  Unread,
  Update,
} from './schemas.ts';
import type { Workbench } from './workbench.ts';

const security = [{ bearer: [] }];
const tags = ['support'];
const access = OPERATORS;

export function workbenchRoutes(
  app: Http,
  _ctx: AppContext,
  s: { conversations: ConversationService; agents: SupportAgents; workbench: Workbench },
): void {
  const base = '/api/merchants/:merchantId/support';
  const conv = `${base}/conversations/:conversationId`;
  // The guard let only signed-in members through (config.access), so the actor is there.
  const actorOf = (req: { actor: Actor | undefined }) => req.actor!;
  const agentSide = (req: { actor: Actor | undefined; params: { merchantId: number } }) => ({
    as: 'agent' as const,
    actor: actorOf(req),
    merchantId: req.params.merchantId,
  });

  app.get(
    `${base}/conversations`,
    {
      config: { access },
      schema: {
        tags,
        summary:
          "The shop's conversations: status=waiting is the queue (high priority, then longest wait) with wait times",
        security,
        params: MerchantParams,
        querystring: Strict({
          status: Type.Optional(Type.Union([Status, Type.Literal('waiting')])),
          mine: Type.Optional(Type.Boolean()),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 100 })),
        }),
        response: { 200: Type.Array(Conversation), ...errorResponses },
      },
    },
    async (req) => s.agents.list(actorOf(req), req.params.merchantId, { ...req.query, limit: req.query.limit ?? 100 }),
  );
  app.get(
    `${base}/unread`,
    {
      config: { access },
      schema: {
        tags,
        summary: 'My unread messages as an agent (my assigned conversations)',
        security,
        params: MerchantParams,
        response: { 200: Unread, ...errorResponses },
      },
    },
    async (req) => s.agents.unread(actorOf(req), req.params.merchantId),
  );
  app.get(
    `${conv}/messages`,
    {
      config: { access },
      schema: {
        tags,
        summary: 'A conversation’s messages (internal notes are separate)',
        security,
        params: Params,
        querystring: HistoryQuery,
        response: { 200: History, ...errorResponses },
      },
    },
    async (req) =>
      s.conversations.messages(agentSide(req), req.params.conversationId, {
        ...req.query,
        limit: req.query.limit ?? 50,
      }),
  );
  app.post(
    `${conv}/messages`,
    {
      config: { access, rateLimit: { bucket: 'support.agent_send', max: 240, windowSec: 60, by: 'user' } },
      schema: {
        tags,
        summary:
          'Reply (text, image, product or order card, or a canned reply); CONVERSATION_NOT_YOURS unless you have it (or own the shop)',
        security,
        params: Params,
        body: AgentSendBody,
        response: { 200: Sent, ...errorResponses },
      },
    },
    async (req) => {
      const { cannedReplyId, ...rest } = req.body;
      const text =
        cannedReplyId === undefined
          ? rest.text
          : await s.workbench.renderCanned(
              actorOf(req),
              req.params.merchantId,
              req.params.conversationId,
              cannedReplyId,
            );
      return s.conversations.send(agentSide(req), req.params.conversationId, { ...rest, text });
    },
  );
  app.post(
    `${conv}/read`,
    {
      config: { access },
      schema: {
        tags,
        summary: 'Mark read up to a seq (the shopper sees 已读)',
        security,
        params: Params,
        body: ReadBody,
        response: { 200: ReadAnswer, ...errorResponses },
      },
    },
    async (req) => s.conversations.read(agentSide(req), req.params.conversationId, req.body.seq),
  );
  app.post(
    `${conv}/pick`,
    {
      config: { access },
      schema: {
        tags,
        summary: 'Take a waiting conversation (CONVERSATION_TAKEN, AGENT_AT_CAPACITY)',
        security,
        params: Params,
        response: { 200: Update, ...errorResponses },
      },
    },
    async (req) => s.agents.pick(actorOf(req), req.params.merchantId, req.params.conversationId),
  );
  app.post(
    `${conv}/transfer`,
    {
      config: { access },
      schema: {
        tags,
        summary:
          'Hand the conversation to a colleague who is not offline and has room (AGENT_AT_CAPACITY, AGENT_NOT_FOUND)',
        security,
        params: Params,
        body: Strict({ toUserId: IdParam, note: Type.Optional(Type.String({ maxLength: 200 })) }),
        response: { 200: Update, ...errorResponses },
      },
    },
    async (req) => s.agents.transfer(actorOf(req), req.params.merchantId, req.params.conversationId, req.body),
  );
  app.post(
    `${conv}/close`,
    {
      config: { access },
      schema: {
        tags,
        summary: 'Close the conversation (the shopper is asked for a rating)',
        security,
        params: Params,
        response: { 200: Update, ...errorResponses },
      },
    },
    async (req) => s.conversations.close(agentSide(req), req.params.conversationId),
  );
  app.get(
    `${conv}/context`,
    {
      config: { access },
      schema: {
        tags,
        summary:
          'The customer beside the chat: their orders and after-sales here, coupons, points, the room they came from',
        security,
        params: Params,
        response: { 200: Context, ...errorResponses },
      },
    },
    async (req) => s.workbench.context(actorOf(req), req.params.merchantId, req.params.conversationId),
  );
  app.get(
    `${conv}/notes`,
    {
      config: { access },
      schema: {
        tags,
        summary: 'Internal notes (never shown to the shopper)',
        security,
        params: Params,
        response: { 200: Type.Array(Note), ...errorResponses },
      },
    },
    async (req) => s.workbench.notes(actorOf(req), req.params.merchantId, req.params.conversationId),
  );
  app.post(
    `${conv}/notes`,
    {
      config: { access },
      schema: {
        tags,
        summary: 'Add an internal note',
        security,
        params: Params,
        body: NoteBody,
        response: { 200: Note, ...errorResponses },
      },
    },
    async (req) => s.workbench.addNote(actorOf(req), req.params.merchantId, req.params.conversationId, req.body.text),
  );
  app.post(
    `${conv}/actions/coupon`,
    {
      config: { access },
      schema: {
        tags,
        summary: 'Quick action: issue one of the shop’s coupon templates to this shopper as compensation',
        security,
        params: Params,
        body: Strict({ templateId: IdParam }),
        response: {
          200: Type.Object({ issued: Type.Boolean(), skippedCode: Type.Union([Type.String(), Type.Null()]) }),
          ...errorResponses,
        },
      },
    },
    async (req) =>
      s.workbench.compensate(actorOf(req), req.params.merchantId, req.params.conversationId, req.body.templateId),
  );
  app.post(
    `${conv}/actions/refund`,
    {
      config: { access },
      schema: {
        tags,
        summary: "Quick action: approve this shopper's pending after-sales request here, which starts the refund",
        security,
        params: Params,
        body: Strict({ aftersaleId: IdParam }),
        response: {
          200: Type.Object({ aftersaleId: Type.Integer(), status: Type.String(), amountFen: Type.Integer() }),
          ...errorResponses,
        },
      },
    },
    async (req) =>
      s.workbench.approveRefund(actorOf(req), req.params.merchantId, req.params.conversationId, req.body.aftersaleId),
  );
}
