// The platform's own books: the outbox (every domain event delivered) and the job queue (every
// job done). These look at the state now, whatever the run's range: a dead event from last week
// is still a reaction that never happened. In a shop's run, only what concerns that shop is shown
// (the event's or job's merchantId, or the shop of the order, payment or after-sales it is about).
//
// Read-only access to orders / payments / aftersales / refunds tables, only to say which shop an
// event or job concerns: the foundation issue will give modules typed DB views for this.
import { sql } from 'kysely';
import type { Discrepancy, ReconcileCheck, ReconcileScope } from '../../../platform/reconcile.ts';

/** An event still retrying after this many deliveries is reported before it dies (25 attempts). */
export const FAILING_EVENT_ATTEMPTS = 5;
/** Due this long ago and never taken: no worker is running them. */
const OVERDUE = '1 hour';

/** A numeric id in a JSON payload (events and jobs carry orderId, merchantId…), or null. */
const idIn = (alias: string, key: string) => {
  const field = sql`(${sql.ref(`${alias}.payload`)}->>${key})`;
  return sql<number | null>`case when ${field} ~ '^[0-9]{1,15}$' then ${field}::bigint end`;
};
/** Only the shop's rows in a shop's run. */
const inShop = (scope: ReconcileScope) =>
  scope.merchantId === undefined ? sql`true` : sql`x.merchant_id = ${scope.merchantId}`;

export const outboxCheck: ReconcileCheck = {
  name: 'platform.outbox',
  description: 'No outbox event dead or failing again and again; none left undelivered for an hour',
  async run(scope: ReconcileScope): Promise<Discrepancy[]> {
    const { rows } = await sql<{
      id: number;
      type: string;
      aggregate_type: string;
      aggregate_id: string;
      attempts: number;
      last_error: string | null;
      created_at: Date;
      dead_at: Date | null;
      overdue: boolean;
      merchant_id: number | null;
    }>`
      select * from (
      select e.id, e.type, e.aggregate_type, e.aggregate_id, e.attempts, e.last_error, e.created_at, e.dead_at,
             (e.dead_at is null and e.available_at < now() - ${OVERDUE}::interval) as overdue,
             coalesce(${idIn('e', 'merchantId')}, o.merchant_id, p.merchant_id, a.merchant_id) as merchant_id
        from outbox_events e
        left join orders o on e.aggregate_type = 'order' and o.id::text = e.aggregate_id
        left join payments p on e.aggregate_type = 'payment' and p.id::text = e.aggregate_id
        left join aftersales a on e.aggregate_type = 'aftersale' and a.id::text = e.aggregate_id
       where e.dispatched_at is null
         and (e.dead_at is not null or e.attempts >= ${FAILING_EVENT_ATTEMPTS}
              or e.available_at < now() - ${OVERDUE}::interval)
      ) x where ${inShop(scope)}
       order by x.id
       limit 5000`.execute(scope.db);
    return rows.map((r) => ({
      check: 'platform.outbox',
      merchantId: r.merchant_id,
      subject: `event:${r.id}`,
      message: r.dead_at
        ? `Event ${r.type} is dead after ${r.attempts} attempts: its reaction never happened`
        : r.attempts >= FAILING_EVENT_ATTEMPTS
          ? `Event ${r.type} keeps failing (${r.attempts} attempts)`
          : `Event ${r.type} has waited over an hour: no worker delivers events`,
      expected: 'delivered',
      actual: r.dead_at ? 'dead' : r.attempts >= FAILING_EVENT_ATTEMPTS ? 'failing' : 'overdue',
      rows: [
        {
          eventId: r.id,
          type: r.type,
          aggregate: `${r.aggregate_type}:${r.aggregate_id}`,
          attempts: r.attempts,
          lastError: r.last_error?.slice(0, 300) ?? null,
          createdAt: r.created_at,
          deadAt: r.dead_at,
        },
      ],
    }));
  },
};

export const jobsCheck: ReconcileCheck = {
  name: 'platform.jobs',
  description: 'No job failed for good; none left waiting an hour past its time',
  async run(scope: ReconcileScope): Promise<Discrepancy[]> {
    const { rows } = await sql<{
      id: number;
      type: string;
      status: string;
      attempts: number;
      max_attempts: number;
      last_error: string | null;
      run_at: Date;
      finished_at: Date | null;
      merchant_id: number | null;
    }>`
      select * from (
      select j.id, j.type, j.status, j.attempts, j.max_attempts, j.last_error, j.run_at, j.finished_at,
             coalesce(${idIn('j', 'merchantId')}, o.merchant_id, a.merchant_id, p.merchant_id) as merchant_id
        from jobs j
        left join orders o on o.id = ${idIn('j', 'orderId')}
        left join aftersales a on a.id = ${idIn('j', 'aftersaleId')}
        left join refunds r on r.id = ${idIn('j', 'refundId')}
        left join payments p on p.id = r.payment_id
       where j.status = 'failed'
          or (j.status = 'pending' and j.run_at < now() - ${OVERDUE}::interval
              and (j.locked_until is null or j.locked_until < now()))
      ) x where ${inShop(scope)}
       order by x.id
       limit 5000`.execute(scope.db);
    return rows.map((r) => ({
      check: 'platform.jobs',
      merchantId: r.merchant_id,
      subject: `job:${r.id}`,
      message:
        r.status === 'failed'
          ? `Job ${r.type} failed for good after ${r.attempts} of ${r.max_attempts} attempts`
          : `Job ${r.type} was due at ${r.run_at.toISOString()} and has not run: no worker takes jobs`,
      expected: 'done',
      actual: r.status === 'failed' ? 'failed' : 'overdue',
      rows: [
        {
          jobId: r.id,
          type: r.type,
          status: r.status,
          attempts: r.attempts,
          maxAttempts: r.max_attempts,
          lastError: r.last_error?.slice(0, 300) ?? null,
          runAt: r.run_at,
          finishedAt: r.finished_at,
        },
      ],
    }));
  },
};
