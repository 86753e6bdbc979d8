// What operators and merchants see of reconciliation: runs, starting one, and the report. The
// platform sees every run; a shop sees its own runs and, from the platform's runs (the daily
// one included), only the discrepancies that concern it. Tenancy is checked here, for every id.
import { sql } from 'kysely';
import type { Actor } from '../../platform/auth/access.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Db } from '../../platform/db/types.ts';
import { transact } from '../../platform/db/transact.ts';
import { badRequest, forbidden, notFound } from '../../platform/errors.ts';
import { ReconciliationRunner } from './runner.ts';
import { RunStore } from './run-store.ts';
import type { CheckOutcome, RunStatus } from './tables.ts';
import './tables.ts';

export interface RangeInput {
  day?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

/** Check a range as given (a day, or from/to, or nothing: everything up to now) before any query. */
export function parseRange(input: RangeInput): { day: string } | { from: Date; to: Date } {
  if (input.day) {
    if (input.from || input.to) throw badRequest('RANGE_INVALID', 'Give a day, or from and to, not both');
    const d = new Date(`${input.day}T00:00:00Z`);
    const calendarDay = !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === input.day;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(input.day) || !calendarDay) {
      throw badRequest('RANGE_INVALID', `"${input.day}" is not a day (YYYY-MM-DD)`);
    }
    return { day: input.day };
  }
  const from = input.from ? new Date(input.from) : new Date(0);
  const to = input.to ? new Date(input.to) : new Date();
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()) || from >= to) {
    throw badRequest('RANGE_INVALID', '"from" must be before "to"');
  }
  return { from, to };
}
type RunRow = {
  id: number;
  merchant_id: number | null;
  range_from: Date;
  range_to: Date;
  trigger: string;
  status: RunStatus;
  checks: CheckOutcome[];
  discrepancy_count: number;
  error: string | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
};
/** Whose eyes: the platform (everything), or one shop (its books only). */
type Viewer = { merchantId: number | null };

const SHOP_ROLES = ['merchant_owner', 'merchant_staff'] as const;
const FINISHED: RunStatus[] = ['clean', 'discrepancies', 'failed'];

export class ReconciliationService {
  readonly runner: ReconciliationRunner;
  readonly store: RunStore;

  constructor(private readonly ctx: AppContext) {
    this.runner = new ReconciliationRunner(ctx);
    this.store = new RunStore(ctx, this.runner);
  }

  checks() {
    return this.runner.checks.map((c) => ({ name: c.name, description: c.description }));
  }

  /**
   * A local day in the report time zone, or [from, to), or (nothing given) everything up to now.
   * Pass the transaction when inside one (PGlite: the outer client would wait for it for ever).
   */
  async range(input: RangeInput, db: Db = this.ctx.db): Promise<{ from: Date; to: Date }> {
    const parsed = parseRange(input);
    if ('from' in parsed) return parsed;
    const tz = this.ctx.config.analytics.timeZone;
    const { rows } = await sql<{ from: Date; to: Date }>`
      select (${parsed.day}::date::timestamp at time zone ${tz}) as from,
             ((${parsed.day}::date + 1)::timestamp at time zone ${tz}) as to`.execute(db);
    return rows[0]!;
  }

  private async requireShop(actor: Actor, merchantId: number) {
    await this.ctx.services.merchants.requireRole(actor, merchantId, [...SHOP_ROLES]);
  }

  private requirePlatform(actor: Actor) {
    if (!actor.isPlatformAdmin) throw forbidden('Platform operators only');
  }

  async startForPlatform(actor: Actor, input: RangeInput & { merchantId?: number | undefined }) {
    this.requirePlatform(actor);
    if (input.merchantId !== undefined) {
      if (!(await this.ctx.services.directory.merchantExists(input.merchantId))) throw notFound('Merchant');
    }
    return this.start(actor, input.merchantId ?? null, input, { merchantId: null });
  }

  async startForShop(actor: Actor, merchantId: number, input: RangeInput) {
    await this.requireShop(actor, merchantId);
    return this.start(actor, merchantId, input, { merchantId });
  }

  private async start(actor: Actor, merchantId: number | null, input: RangeInput, viewer: Viewer) {
    const range = await this.range(input);
    const ask = (trx: Db) => this.store.request(trx, { merchantId, ...range }, 'manual', actor.userId);
    const { runId } = await transact(this.ctx.db, ask);
    return this.view(await this.load(runId), viewer);
  }

  async listForPlatform(actor: Actor, q: { merchantId?: number | undefined; page: number; pageSize: number }) {
    this.requirePlatform(actor);
    return this.page({ merchantId: q.merchantId, withPlatformRuns: false }, q, { merchantId: null });
  }

  async listForShop(actor: Actor, merchantId: number, q: { page: number; pageSize: number }) {
    await this.requireShop(actor, merchantId);
    return this.page({ merchantId, withPlatformRuns: true }, q, { merchantId });
  }

  /** Runs of one shop (and the platform's, which cover it), or every run. Newest first. */
  private async page(
    filter: { merchantId?: number | undefined; withPlatformRuns: boolean },
    q: { page: number; pageSize: number },
    viewer: Viewer,
  ) {
    const query = this.ctx.db
      .selectFrom('reconciliation_runs')
      .$if(filter.merchantId !== undefined, (qb) =>
        qb.where((eb) =>
          eb.or([
            eb('merchant_id', '=', filter.merchantId!),
            ...(filter.withPlatformRuns ? [eb('merchant_id', 'is', null)] : []),
          ]),
        ),
      );
    const [rows, total] = await Promise.all([
      query
        .selectAll()
        .orderBy('id', 'desc')
        .limit(q.pageSize)
        .offset((q.page - 1) * q.pageSize)
        .execute(),
      query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    const views = await Promise.all(rows.map((r) => this.view(r as RunRow, viewer)));
    return { items: views.map((v) => v.run), total: Number(total.n), page: q.page, pageSize: q.pageSize };
  }

  async reportForPlatform(actor: Actor, runId: number) {
    this.requirePlatform(actor);
    return this.build(await this.load(runId), { merchantId: null });
  }

  async reportForShop(actor: Actor, merchantId: number, runId: number) {
    await this.requireShop(actor, merchantId);
    const run = await this.load(runId);
    // Another shop's run does not exist as far as this shop can tell.
    if (run.merchant_id !== null && run.merchant_id !== merchantId) {
      throw notFound('Reconciliation run', 'RUN_NOT_FOUND');
    }
    return this.build(run, { merchantId });
  }

  private async load(runId: number): Promise<RunRow> {
    const run = await this.ctx.db
      .selectFrom('reconciliation_runs')
      .selectAll()
      .where('id', '=', runId)
      .executeTakeFirst();
    if (!run) throw notFound('Reconciliation run', 'RUN_NOT_FOUND');
    return run as RunRow;
  }

  /** The run as the viewer may see it: a shop looking at a platform run sees its own counts. */
  private async view(run: RunRow, viewer: Viewer) {
    let checks = run.checks;
    let count = run.discrepancy_count;
    const narrowed = viewer.merchantId !== null && run.merchant_id === null;
    if (narrowed && FINISHED.includes(run.status)) {
      const counts = await this.ctx.db
        .selectFrom('reconciliation_discrepancies')
        .select(['check_name', sql<number>`count(*)`.as('n')])
        .where('run_id', '=', run.id)
        .where('merchant_id', '=', viewer.merchantId)
        .groupBy('check_name')
        .execute();
      const byCheck = new Map(counts.map((c) => [c.check_name, Number(c.n)]));
      // A shop is not told why another part of the platform's books could not be checked.
      checks = run.checks.map((c) => ({
        ...c,
        count: byCheck.get(c.name) ?? 0,
        status: c.status === 'error' ? 'error' : byCheck.get(c.name) ? 'discrepancies' : 'clean',
        ...(c.error ? { error: 'could not finish' } : {}),
      }));
      count = [...byCheck.values()].reduce((s, n) => s + n, 0);
    }
    const status: RunStatus = !FINISHED.includes(run.status)
      ? run.status
      : checks.some((c) => c.status === 'error')
        ? 'failed'
        : count > 0
          ? 'discrepancies'
          : 'clean';
    const clean = status === 'clean';
    const summary = !FINISHED.includes(status)
      ? `Run ${status}…`
      : clean
        ? `All clean: ${checks.length} checks found nothing wrong`
        : status === 'failed'
          ? `${checks.filter((c) => c.status === 'error').length} check(s) could not finish; ` +
            `${count} discrepancies found`
          : `${count} discrepancies in ${checks.filter((c) => c.count > 0).length} check(s)`;
    return {
      run: {
        id: run.id,
        scope: run.merchant_id === null ? ('platform' as const) : ('shop' as const),
        merchantId: run.merchant_id,
        from: run.range_from,
        to: run.range_to,
        trigger: run.trigger,
        status,
        clean,
        summary,
        discrepancyCount: count,
        error: narrowed ? null : run.error,
        createdAt: run.created_at,
        startedAt: run.started_at,
        finishedAt: run.finished_at,
      },
      checks,
    };
  }

  /** A run's full report, for in-process callers (the CLI, tests) that already have the right. */
  async report(runId: number) {
    return this.build(await this.load(runId), { merchantId: null });
  }

  private async build(run: RunRow, viewer: Viewer) {
    const { run: view, checks } = await this.view(run, viewer);
    let q = this.ctx.db.selectFrom('reconciliation_discrepancies').selectAll().where('run_id', '=', run.id);
    if (viewer.merchantId !== null) q = q.where('merchant_id', '=', viewer.merchantId);
    const rows = await q.orderBy('id').execute();
    return {
      run: view,
      checks,
      discrepancies: rows.map((d) => ({
        id: d.id,
        check: d.check_name,
        merchantId: d.merchant_id,
        subject: d.subject,
        message: d.message,
        expected: d.expected,
        actual: d.actual,
        rows: d.rows,
      })),
    };
  }
}
