// Runs and their discrepancies, stored: a run is asked for (queued, with its job in the same
// transaction), executed by whichever node claims the job (or in-process by the CLI), and its
// findings are written in one transaction at the end, so a report is never half-written.
import { sql } from 'kysely';
import type { AppContext } from '../../platform/context.ts';
import type { Db } from '../../platform/db/types.ts';
import { transact } from '../../platform/db/transact.ts';
import type { Discrepancy } from '../../platform/reconcile.ts';
import type { RunProgress, RunScope, ReconciliationRunner } from './runner.ts';
import type { RunStatus, RunTrigger } from './tables.ts';
import './tables.ts';

export const RUN_JOB = 'reconciliation.run';
/** At most this many discrepancies of one check are stored (the count is always the true one). */
export const MAX_STORED_PER_CHECK = 1000;

export class RunStore {
  constructor(
    private readonly ctx: AppContext,
    private readonly runner: ReconciliationRunner,
  ) {}

  /**
   * Ask for a run in the caller's transaction. The same scope and range already queued or running
   * is returned instead of a second one (a unique index decides, so two clicks at once make one run).
   */
  async request(
    db: Db,
    scope: RunScope,
    trigger: RunTrigger,
    requestedBy: number | null,
    opts: { schedule?: boolean } = {},
  ): Promise<{ runId: number; created: boolean }> {
    // The run we collided with may finish between our insert and our look: then try again.
    for (let attempt = 0; attempt < 5; attempt++) {
      const row = await db
        .insertInto('reconciliation_runs')
        .values({
          merchant_id: scope.merchantId,
          range_from: scope.from,
          range_to: scope.to,
          trigger,
          requested_by: requestedBy,
        })
        .onConflict((oc) => oc.doNothing())
        .returning('id')
        .executeTakeFirst();
      if (row) {
        if (opts.schedule !== false) {
          await this.ctx.jobs.schedule(db, {
            type: RUN_JOB,
            payload: { runId: row.id },
            uniqueKey: `reconciliation-run:${row.id}`,
            maxAttempts: 3,
          });
        }
        return { runId: row.id, created: true };
      }
      const active = await db
        .selectFrom('reconciliation_runs')
        .select('id')
        .where(sql<boolean>`coalesce(merchant_id, 0) = ${scope.merchantId ?? 0}`)
        .where('range_from', '=', scope.from)
        .where('range_to', '=', scope.to)
        .where('status', 'in', ['queued', 'running'])
        .executeTakeFirst();
      if (active) return { runId: active.id, created: false };
    }
    throw new Error('reconciliation run could not be created');
  }

  /** Run the checks of a queued run and store what they found. A finished run is left alone. */
  async execute(runId: number, progress?: RunProgress): Promise<RunStatus | null> {
    const run = await this.ctx.db
      .updateTable('reconciliation_runs')
      .set({ status: 'running', started_at: sql<Date>`now()` })
      .where('id', '=', runId)
      .where('status', 'in', ['queued', 'running'])
      .returning(['id', 'merchant_id', 'range_from', 'range_to'])
      .executeTakeFirst();
    if (!run) return null;
    const scope = { merchantId: run.merchant_id, from: run.range_from, to: run.range_to };
    const evaluation = await this.runner.evaluate(scope, progress);
    const status: RunStatus = evaluation.outcomes.some((o) => o.status === 'error')
      ? 'failed'
      : evaluation.discrepancies.length
        ? 'discrepancies'
        : 'clean';
    await transact(this.ctx.db, async (trx) => {
      // A crashed earlier attempt wrote nothing (this is the only write), but be exact anyway.
      await trx.deleteFrom('reconciliation_discrepancies').where('run_id', '=', runId).execute();
      const rows = storedRows(runId, evaluation.discrepancies);
      for (let i = 0; i < rows.length; i += 500) {
        await trx
          .insertInto('reconciliation_discrepancies')
          .values(rows.slice(i, i + 500))
          .execute();
      }
      await trx
        .updateTable('reconciliation_runs')
        .set({
          status,
          checks: JSON.stringify(evaluation.outcomes),
          discrepancy_count: evaluation.discrepancies.length,
          error:
            status === 'failed'
              ? evaluation.outcomes
                  .filter((o) => o.error)
                  .map((o) => `${o.name}: ${o.error}`)
                  .join('; ')
                  .slice(0, 2000)
              : null,
          finished_at: sql<Date>`now()`,
        })
        .where('id', '=', runId)
        .execute();
    });
    const found = evaluation.discrepancies.length;
    const level = status === 'clean' ? 'info' : 'warn';
    this.ctx.log[level]({ runId, status, discrepancies: found }, 'reconciliation run finished');
    return status;
  }

  /** The job gave up on a run (attempts exhausted): say so on the run rather than leave it "running". */
  async markFailed(runId: number, error: string): Promise<void> {
    await this.ctx.db
      .updateTable('reconciliation_runs')
      .set({ status: 'failed', error: error.slice(0, 2000), finished_at: sql<Date>`now()` })
      .where('id', '=', runId)
      .where('status', 'in', ['queued', 'running'])
      .execute();
  }

  /** Create and run at once in this process (the CLI, tests): no job, no waiting for a worker. */
  async runNow(
    scope: RunScope,
    trigger: RunTrigger,
    requestedBy: number | null,
    progress?: RunProgress,
  ): Promise<number> {
    const asked = (trx: Db) => this.request(trx, scope, trigger, requestedBy, { schedule: false });
    const { runId } = await transact(this.ctx.db, asked);
    await this.execute(runId, progress);
    return runId;
  }
}

function storedRows(runId: number, found: Discrepancy[]) {
  const perCheck = new Map<string, number>();
  const rows = [];
  for (const d of found) {
    const n = (perCheck.get(d.check) ?? 0) + 1;
    perCheck.set(d.check, n);
    if (n > MAX_STORED_PER_CHECK) continue;
    rows.push({
      run_id: runId,
      check_name: d.check,
      merchant_id: d.merchantId,
      subject: d.subject.slice(0, 500),
      message: d.message.slice(0, 1000),
      expected: String(d.expected).slice(0, 500),
      actual: String(d.actual).slice(0, 500),
      rows: JSON.stringify((d.rows ?? []).slice(0, 50)),
    });
  }
  return rows;
}
