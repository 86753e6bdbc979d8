// Durable delayed jobs stored in the database: they survive restarts and run on whichever node
// claims them first (lease-based, so a crashed node's job is picked up after the lease expires).
import { sql } from 'kysely';
import type { Logger } from 'pino';
import { inTransaction } from '../db/transact.ts';
import type { Db } from '../db/types.ts';
import '../db/platform-tables.ts';
import { Poller } from './poller.ts';

export interface Job<P = Record<string, unknown>> {
  id: number;
  type: string;
  payload: P;
  attempts: number;
  runAt: Date;
}

export interface JobHandler<P = Record<string, unknown>> {
  type: string;
  /** true (default): run() and the "done" mark commit together. false: for network calls; be idempotent. */
  transactional?: boolean;
  run(job: Job<P>, db: Db): Promise<void>;
}

export interface ScheduleJob<P> {
  type: string;
  payload: P;
  runAt?: Date;
  delayMs?: number;
  /** At most one pending job per key: scheduling again is a no-op. */
  uniqueKey?: string;
  maxAttempts?: number;
}

export interface RecurringJob {
  type: string;
  everyMs: number;
  run(job: Job, db: Db): Promise<void>;
}

export class JobQueue {
  private readonly handlers = new Map<string, JobHandler>();
  private readonly recurringJobs: RecurringJob[] = [];
  private readonly poller: Poller;
  onFinished?: (job: Job, status: 'done' | 'failed' | 'retry', err?: unknown) => void;

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
    private readonly opts: { nodeId: string; pollMs?: number; leaseMs?: number; batchSize?: number },
  ) {
    this.poller = new Poller('jobs', opts.pollMs ?? 500, () => this.runDue().then((n) => n > 0), log);
  }

  register<P = Record<string, unknown>>(handler: JobHandler<P>): void {
    if (this.handlers.has(handler.type)) throw new Error(`Duplicate job handler ${handler.type}`);
    this.handlers.set(handler.type, handler as unknown as JobHandler);
  }

  /**
   * A job that runs every `everyMs` on exactly one node: each run is a row keyed by its time slot
   * (unique_key), and each run schedules the next slot in the same transaction.
   */
  recurring(job: RecurringJob): void {
    this.recurringJobs.push(job);
    this.register({
      type: job.type,
      run: async (j, db) => {
        await job.run(j, db);
        await this.scheduleSlot(db, job, Date.now() + job.everyMs);
      },
    });
  }

  private async scheduleSlot(db: Db, job: RecurringJob, at: number): Promise<void> {
    const slot = Math.floor(at / job.everyMs) * job.everyMs;
    await this.schedule(db, {
      type: job.type,
      payload: {},
      runAt: new Date(slot),
      uniqueKey: `recurring:${job.type}:${slot}`,
    });
  }

  /** Schedule in the caller's transaction (pass it) so the job exists iff the change commits. */
  async schedule<P>(db: Db, job: ScheduleJob<P>): Promise<number | null> {
    const runAt = job.runAt ?? new Date(Date.now() + (job.delayMs ?? 0));
    const row = await db
      .insertInto('jobs')
      .values({
        type: job.type,
        payload: JSON.stringify(job.payload),
        unique_key: job.uniqueKey ?? null,
        run_at: runAt,
        ...(job.maxAttempts ? { max_attempts: job.maxAttempts } : {}),
      })
      .onConflict((oc) => oc.column('unique_key').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (runAt.getTime() <= Date.now() + 50) setTimeout(() => this.poller.wake(), 5).unref?.();
    return row?.id ?? null;
  }

  async cancel(db: Db, uniqueKey: string): Promise<boolean> {
    const res = await db
      .updateTable('jobs')
      .set({ status: 'cancelled', finished_at: sql<Date>`now()` })
      .where('unique_key', '=', uniqueKey)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return Number(res.numUpdatedRows) > 0;
  }

  start(): void {
    // Make sure each recurring job has its next slot booked (a no-op when another node did it).
    void Promise.all(this.recurringJobs.map((j) => this.scheduleSlot(this.db, j, Date.now() + j.everyMs)))
      .catch((err: unknown) => this.log.error({ err }, 'could not book recurring jobs'))
      .finally(() => this.poller.start());
  }
  stop(): Promise<void> {
    return this.poller.stop();
  }
  wake(): void {
    this.poller.wake();
  }

  async runDue(): Promise<number> {
    const leaseMs = this.opts.leaseMs ?? 60_000;
    const { rows } = await sql<{
      id: number;
      type: string;
      payload: unknown;
      attempts: number;
      max_attempts: number;
      run_at: Date;
    }>`
      update jobs set locked_by = ${this.opts.nodeId}, locked_until = now() + ${`${leaseMs} milliseconds`}::interval,
                      attempts = attempts + 1
       where id in (
         select id from jobs
          where status = 'pending' and run_at <= now() and (locked_until is null or locked_until < now())
          order by run_at, id
          limit ${this.opts.batchSize ?? 20}
          for update skip locked)
      returning id, type, payload, attempts, max_attempts, run_at`.execute(this.db);
    for (const r of rows) {
      const job: Job = {
        id: r.id,
        type: r.type,
        attempts: r.attempts,
        runAt: r.run_at,
        payload: (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload) as Record<string, unknown>,
      };
      await this.execute(job, r.max_attempts);
    }
    return rows.length;
  }

  private async execute(job: Job, maxAttempts: number): Promise<void> {
    const handler = this.handlers.get(job.type);
    const markDone = (db: Db) =>
      db
        .updateTable('jobs')
        .set({ status: 'done', finished_at: sql<Date>`now()`, locked_by: null, locked_until: null, last_error: null })
        .where('id', '=', job.id)
        .execute();
    try {
      if (!handler) throw new Error(`No handler registered for job type ${job.type}`);
      if (handler.transactional === false) {
        await handler.run(job, this.db);
        await markDone(this.db);
      } else {
        await inTransaction(this.db, async (trx) => {
          await handler.run(job, trx);
          await markDone(trx);
        });
      }
      this.onFinished?.(job, 'done');
    } catch (err) {
      const failed = job.attempts >= maxAttempts;
      const backoffMs = Math.min(300_000, 1000 * 2 ** Math.min(job.attempts, 10));
      this.log.warn(
        { err, jobId: job.id, type: job.type, attempts: job.attempts },
        failed ? 'job failed for good' : 'job failed; will retry',
      );
      await this.db
        .updateTable('jobs')
        .set({
          status: failed ? 'failed' : 'pending',
          last_error: (err instanceof Error ? err.message : String(err)).slice(0, 2000),
          run_at: sql<Date>`now() + ${`${backoffMs} milliseconds`}::interval`,
          locked_by: null,
          locked_until: null,
          ...(failed ? { finished_at: sql<Date>`now()` } : {}),
        })
        .where('id', '=', job.id)
        .execute();
      this.onFinished?.(job, failed ? 'failed' : 'retry', err);
    }
  }
}
