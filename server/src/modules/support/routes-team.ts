// The workbench's team routes: agents' availability and capacity, and the shop's canned replies.
import { Type } from 'typebox';
import { type Actor, OPERATORS } from '../../platform/auth/access.ts';
import type { Http } from '../../platform/context.ts';
import { errorResponses, IdParam, MerchantParams, Ok, Strict } from '../../platform/http/schemas.ts';
import type { SupportAgents } from './agents.ts';
import { Agent, AgentBody, CannedBody, CannedReply } from './schemas.ts';
import type { Workbench } from './workbench.ts';

const security = [{ bearer: [] }];
const tags = ['support'];
const access = OPERATORS;

export function teamRoutes(app: Http, s: { agents: SupportAgents; workbench: Workbench }): void {
  const base = '/api/merchants/:merchantId/support';
  // The guard let only signed-in members through (config.access), so the actor is there.
  const actorOf = (req: { actor: Actor | undefined }) => req.actor!;

  // ---- agents ----
  app.get(
    `${base}/agents`,
    {
      config: { access },
      schema: {
        tags,
        summary: "The shop's agents: availability, capacity, conversations they have",
        security,
        params: MerchantParams,
        response: { 200: Type.Array(Agent), ...errorResponses },
      },
    },
    async (req) => s.agents.agents(actorOf(req), req.params.merchantId),
  );
  app.put(
    `${base}/agents/me`,
    {
      config: { access },
      schema: {
        tags,
        summary:
          'My availability (online / busy / away / offline) and capacity; going online takes waiting conversations',
        security,
        params: MerchantParams,
        body: AgentBody,
        response: { 200: Agent, ...errorResponses },
      },
    },
    async (req) => s.agents.setAgent(actorOf(req), req.params.merchantId, 'me', req.body),
  );
  app.put(
    `${base}/agents/:userId`,
    {
      config: { access: { merchant: ['merchant_owner'] } },
      schema: {
        tags,
        summary: "The owner sets a colleague's availability or capacity (AGENT_NOT_FOUND)",
        security,
        params: Strict({ merchantId: IdParam, userId: IdParam }),
        body: AgentBody,
        response: { 200: Agent, ...errorResponses },
      },
    },
    async (req) => s.agents.setAgent(actorOf(req), req.params.merchantId, req.params.userId, req.body),
  );

  // ---- canned replies ----
  app.get(
    `${base}/canned-replies`,
    {
      config: { access },
      schema: {
        tags,
        summary: 'Canned replies (快捷回复)',
        security,
        params: MerchantParams,
        response: { 200: Type.Array(CannedReply), ...errorResponses },
      },
    },
    async (req) => s.workbench.cannedReplies(actorOf(req), req.params.merchantId),
  );
  app.post(
    `${base}/canned-replies`,
    {
      config: { access },
      schema: {
        tags,
        summary: 'Add a canned reply; {nickname} {orderNo} {shopName} {agentName} are filled when sent',
        security,
        params: MerchantParams,
        body: CannedBody,
        response: { 200: CannedReply, ...errorResponses },
      },
    },
    async (req) => s.workbench.saveCannedReply(actorOf(req), req.params.merchantId, null, req.body),
  );
  app.put(
    `${base}/canned-replies/:replyId`,
    {
      config: { access },
      schema: {
        tags,
        summary: 'Change a canned reply',
        security,
        params: Strict({ merchantId: IdParam, replyId: IdParam }),
        body: CannedBody,
        response: { 200: CannedReply, ...errorResponses },
      },
    },
    async (req) => s.workbench.saveCannedReply(actorOf(req), req.params.merchantId, req.params.replyId, req.body),
  );
  app.delete(
    `${base}/canned-replies/:replyId`,
    {
      config: { access },
      schema: {
        tags,
        summary: 'Delete a canned reply',
        security,
        params: Strict({ merchantId: IdParam, replyId: IdParam }),
        response: { 200: Ok, ...errorResponses },
      },
    },
    async (req) => s.workbench.deleteCannedReply(actorOf(req), req.params.merchantId, req.params.replyId),
  );
}
