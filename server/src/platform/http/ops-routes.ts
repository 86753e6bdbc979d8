import { DateTime } from './schemas.ts';
// Operator views of the outbox and the job queue: see what is stuck or dead, and retry it.
import { sql } from 'kysely';
import { Type } from 'typebox';
import type { AppContext, Http } from '../context.ts';
import { notFound } from '../errors.ts';
import { errorResponses, IdParam, Ok, Page, Pagination, Strict } from './schemas.ts';

const OutboxEvent = Type.Object({
  id: Type.Integer(),
  type: Type.String(),
  aggregateType: Type.String(),
  aggregateId: Type.String(),
  payload: Type.Unknown(),
  createdAt: DateTime,
  attempts: Type.Integer(),
  lastError: Type.Union([Type.String(), Type.Null()]),
  state: Type.String(),
});
const JobRow = Type.Object({
  id: Type.Integer(),
  type: Type.String(),
  payload: Type.Unknown(),
  status: Type.String(),
  attempts: Type.Integer(),
  runAt: DateTime,
  lastError: Type.Union([Type.String(), Type.Null()]),
});

export function opsRoutes(app: Http, ctx: AppContext): void {
  const tags = ['platform'];
  const security = [{ bearer: [] }];

  app.get(
    '/api/platform/outbox',
    {
      config: { access: 'platform_admin' },
      schema: {
        tags,
        security,
        summary: 'Domain events by delivery state (pending, dead, dispatched)',
        querystring: Type.Object(
          {
            ...Pagination.properties,
            state: Type.Optional(
              Type.Union([Type.Literal('pending'), Type.Literal('dead'), Type.Literal('dispatched')]),
            ),
            type: Type.Optional(Type.String({ maxLength: 100 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Page(OutboxEvent), ...errorResponses },
      },
    },
    async (req) => {
      const page = req.query.page ?? 1;
      const pageSize = req.query.pageSize ?? 20;
      const state = req.query.state ?? 'pending';
      let q = ctx.db.selectFrom('outbox_events');
      if (state === 'dead') q = q.where('dead_at', 'is not', null);
      else if (state === 'dispatched') q = q.where('dispatched_at', 'is not', null);
      else q = q.where('dispatched_at', 'is', null).where('dead_at', 'is', null);
      if (req.query.type) q = q.where('type', '=', req.query.type);
      const [rows, total] = await Promise.all([
        q
          .selectAll()
          .orderBy('id', 'desc')
          .limit(pageSize)
          .offset((page - 1) * pageSize)
          .execute(),
        q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      ]);
      return {
        items: rows.map((r) => ({
          id: r.id,
          type: r.type,
          aggregateType: r.aggregate_type,
          aggregateId: r.aggregate_id,
          payload: r.payload,
          createdAt: r.created_at,
          attempts: r.attempts,
          lastError: r.last_error,
          state,
        })),
        total: total.n,
        page,
        pageSize,
      };
    },
  );

  app.post(
    '/api/platform/outbox/:id/retry',
    {
      config: { access: 'platform_admin' },
      schema: {
        tags,
        security,
        summary: 'Deliver a dead or delayed event again now',
        params: Strict({ id: IdParam }),
        response: { 200: Ok, ...errorResponses },
      },
    },
    async (req) => {
      const res = await ctx.db
        .updateTable('outbox_events')
        .set({ dead_at: null, available_at: sql<Date>`now()`, locked_until: null, locked_by: null })
        .where('id', '=', req.params.id)
        .where('dispatched_at', 'is', null)
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) === 0) throw notFound('Undelivered event');
      ctx.events.wake();
      return { ok: true as const };
    },
  );

  app.get(
    '/api/platform/jobs',
    {
      config: { access: 'platform_admin' },
      schema: {
        tags,
        security,
        summary: 'Delayed jobs by status',
        querystring: Type.Object(
          {
            ...Pagination.properties,
            status: Type.Optional(
              Type.Union([
                Type.Literal('pending'),
                Type.Literal('failed'),
                Type.Literal('done'),
                Type.Literal('cancelled'),
              ]),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: Page(JobRow), ...errorResponses },
      },
    },
    async (req) => {
      const page = req.query.page ?? 1;
      const pageSize = req.query.pageSize ?? 20;
      const q = ctx.db.selectFrom('jobs').where('status', '=', req.query.status ?? 'failed');
      const [rows, total] = await Promise.all([
        q
          .selectAll()
          .orderBy('id', 'desc')
          .limit(pageSize)
          .offset((page - 1) * pageSize)
          .execute(),
        q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      ]);
      return {
        items: rows.map((r) => ({
          id: r.id,
          type: r.type,
          payload: r.payload,
          status: r.status,
          attempts: r.attempts,
          runAt: r.run_at,
          lastError: r.last_error,
        })),
        total: total.n,
        page,
        pageSize,
      };
    },
  );

  app.post(
    '/api/platform/jobs/:id/retry',
    {
      config: { access: 'platform_admin' },
      schema: {
        tags,
        security,
        summary: 'Run a failed job again now',
        params: Strict({ id: IdParam }),
        response: { 200: Ok, ...errorResponses },
      },
    },
    async (req) => {
      const res = await ctx.db
        .updateTable('jobs')
        .set({
          status: 'pending',
          run_at: sql<Date>`now()`,
          attempts: 0,
          finished_at: null,
          locked_until: null,
          locked_by: null,
        })
        .where('id', '=', req.params.id)
        .where('status', '=', 'failed')
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) === 0) throw notFound('Failed job');
      ctx.jobs.wake();
      return { ok: true as const };
    },
  );
}
