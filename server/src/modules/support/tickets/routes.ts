// The tickets part's HTTP routes: tickets and their SLA settings, compensation, service metrics.
import { Type } from 'typebox';
import { ANY_MEMBER, OPERATORS, OWNERS } from '../../../platform/auth/access.ts';
import type { AppContext, Http } from '../../../platform/context.ts';
import { DateTime, errorResponses, MerchantParams, Page } from '../../../platform/http/schemas.ts';
import {
  CompensationBody,
  CompensationParams,
  CompensationT,
  MetricsQuery,
  MetricsT,
  NoteBody,
  OpenTicketBody,
  SlaSettingsT,
  TicketParams,
  TicketQuery,
  TicketT,
  UpdateTicketBody,
} from './schemas.ts';

const security = [{ bearer: [] }];
const tags = ['support'];
const base = '/api/merchants/:merchantId/support';

export function ticketRoutes(app: Http, ctx: AppContext): void {
  const tickets = ctx.services.supportTickets;
  const actions = ctx.services.supportTicketActions;
  const comp = ctx.services.supportCompensations;
  app.addSchema(TicketT);
  app.addSchema(CompensationT);
  const ticket = Type.Ref('SupportTicket');
  const compensation = Type.Ref('SupportCompensation');
  const TicketDetailT = Type.Intersect([
    ticket,
    Type.Object({
      log: Type.Array(
        Type.Object({
          kind: Type.String(),
          actorId: Type.Union([Type.Integer(), Type.Null()]),
          note: Type.String(),
          at: DateTime,
        }),
      ),
      compensations: Type.Array(compensation),
    }),
  ]);

  app.get(
    `${base}/tickets`,
    {
      config: { access: OPERATORS },
      schema: {
        tags,
        security,
        summary: "The shop's tickets (工单), newest first",
        params: MerchantParams,
        querystring: TicketQuery,
        response: { 200: Page(ticket), ...errorResponses },
      },
    },
    async (req) =>
      tickets.list(req.actor!, req.params.merchantId, {
        ...req.query,
        page: req.query.page ?? 1,
        pageSize: req.query.pageSize ?? 20,
      }),
  );
  app.post(
    `${base}/tickets`,
    {
      config: { access: OPERATORS },
      schema: {
        tags,
        security,
        summary: 'Open a ticket for one of our conversations, or for a customer (NOT_A_CUSTOMER, TICKET_ALREADY_OPEN)',
        params: MerchantParams,
        body: OpenTicketBody,
        response: { 201: ticket, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await tickets.open(req.actor!, req.params.merchantId, req.body)),
  );
  app.get(
    `${base}/tickets/:ticketId`,
    {
      config: { access: OPERATORS },
      schema: {
        tags,
        security,
        summary: 'A ticket with its history and compensations',
        params: TicketParams,
        response: { 200: TicketDetailT, ...errorResponses },
      },
    },
    async (req) => tickets.get(req.actor!, req.params.merchantId, req.params.ticketId),
  );
  app.patch(
    `${base}/tickets/:ticketId`,
    {
      config: { access: OPERATORS },
      schema: {
        tags,
        security,
        summary: 'Change priority or assignee (ASSIGNEE_NOT_STAFF, TICKET_CLOSED)',
        params: TicketParams,
        body: UpdateTicketBody,
        response: { 200: ticket, ...errorResponses },
      },
    },
    async (req) => actions.update(req.actor!, req.params.merchantId, req.params.ticketId, req.body),
  );
  for (const [path, summary, run] of [
    ['respond', 'First response to the shopper (stops the first-response SLA timer)', actions.respond.bind(actions)],
    ['resolve', 'Resolve the ticket (stops both SLA timers)', actions.resolve.bind(actions)],
  ] as const) {
    app.post(
      `${base}/tickets/:ticketId/${path}`,
      {
        config: { access: OPERATORS },
        schema: {
          tags,
          security,
          summary,
          params: TicketParams,
          body: NoteBody,
          response: { 200: ticket, ...errorResponses },
        },
      },
      async (req) => run(req.actor!, req.params.merchantId, req.params.ticketId, req.body.note),
    );
  }
  app.post(
    `${base}/tickets/:ticketId/compensations`,
    {
      config: { access: OPERATORS },
      schema: {
        tags,
        security,
        summary: 'Propose a compensation (先行赔付) for the ticket’s shopper; the owner approves',
        params: TicketParams,
        body: CompensationBody,
        response: { 201: compensation, ...errorResponses },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await comp.propose(req.actor!, req.params.merchantId, req.params.ticketId, req.body)),
  );
  app.post(
    `${base}/compensations/:compensationId/approve`,
    {
      config: { access: OWNERS },
      schema: {
        tags,
        security,
        summary: 'Approve and pay a compensation as a coupon of the amount (once; COMPENSATION_REJECTED)',
        params: CompensationParams,
        response: { 200: compensation, ...errorResponses },
      },
    },
    async (req) => comp.approve(req.actor!, req.params.merchantId, req.params.compensationId),
  );
  app.post(
    `${base}/compensations/:compensationId/reject`,
    {
      config: { access: OWNERS },
      schema: {
        tags,
        security,
        summary: 'Reject a proposed compensation (COMPENSATION_DECIDED)',
        params: CompensationParams,
        response: { 200: compensation, ...errorResponses },
      },
    },
    async (req) => comp.reject(req.actor!, req.params.merchantId, req.params.compensationId),
  );
  app.get(
    `${base}/sla-settings`,
    {
      config: { access: ANY_MEMBER },
      schema: {
        tags,
        security,
        summary: 'SLA deadlines for new tickets, in minutes',
        params: MerchantParams,
        response: { 200: SlaSettingsT, ...errorResponses },
      },
    },
    async (req) => actions.settings(req.actor!, req.params.merchantId),
  );
  app.put(
    `${base}/sla-settings`,
    {
      config: { access: OWNERS },
      schema: {
        tags,
        security,
        summary: 'Set the SLA deadlines for new tickets',
        params: MerchantParams,
        body: SlaSettingsT,
        response: { 200: SlaSettingsT, ...errorResponses },
      },
    },
    async (req) => actions.saveSettings(req.actor!, req.params.merchantId, req.body),
  );
  app.get(
    `${base}/metrics`,
    {
      config: { access: OPERATORS },
      schema: {
        tags,
        security,
        summary:
          'Service metrics by day and agent: first response, resolution, bot resolution, 30 s pickup, ' +
          'satisfaction, SLA breaches (METRICS_RANGE_INVALID)',
        params: MerchantParams,
        querystring: MetricsQuery,
        response: { 200: MetricsT, ...errorResponses },
      },
    },
    async (req) => ctx.services.supportMetrics.forShop(req.actor!, req.params.merchantId, req.query),
  );
}
