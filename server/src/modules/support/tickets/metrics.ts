// Service metrics per shop and per agent, by day (Asia/Shanghai), from our own facts
// (facts.ts) and tickets: first response time, resolution rate, bot resolution rate, the share of
// waiting conversations a human picked up within 30 s, satisfaction, SLA breaches.
import { sql } from 'kysely';
import type { Actor } from '../../../platform/auth/access.ts';
import type { AppContext } from '../../../platform/context.ts';
import { badRequest } from '../../../platform/errors.ts';
import './tables.ts';

const TZ = 'Asia/Shanghai';
const MAX_DAYS = 92;
const DAY_MS = 86_400_000;

interface Row {
  day: string;
  agent_id?: number | null;
  conversations: number;
  closed: number;
  bot_resolved: number;
  waited: number;
  picked_30s: number;
  answered: number;
  first_response_sec: number | null;
  rated: number;
  stars_avg: number | null;
  satisfied: number;
}

const ratio = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 10_000) / 10_000 : null);

function figures(r: Row) {
  return {
    conversations: Number(r.conversations),
    closed: Number(r.closed),
    resolutionRate: ratio(Number(r.closed), Number(r.conversations)),
    botResolved: Number(r.bot_resolved),
    botResolutionRate: ratio(Number(r.bot_resolved), Number(r.closed)),
    waitedForHuman: Number(r.waited),
    pickup30sRate: ratio(Number(r.picked_30s), Number(r.waited)),
    firstResponseAvgSeconds: r.first_response_sec === null ? null : Math.round(Number(r.first_response_sec)),
    rated: Number(r.rated),
    satisfactionAvg: r.stars_avg === null ? null : Math.round(Number(r.stars_avg) * 100) / 100,
    satisfiedRate: ratio(Number(r.satisfied), Number(r.rated)),
  };
}

export class SupportMetrics {
  constructor(private readonly ctx: AppContext) {}

  /** `from`/`to`: days (YYYY-MM-DD, Shanghai), inclusive; the last 7 days by default. */
  async forShop(actor: Actor, merchantId: number, range: { from?: string | undefined; to?: string | undefined }) {
    await this.ctx.services.merchants.requireRole(actor, merchantId);
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const to = range.to ?? today;
    const end = dayStart(to);
    const start = range.from ? dayStart(range.from) : end === null ? null : new Date(end.getTime() - 6 * DAY_MS);
    if (!start || !end || end < start) throw badRequest('METRICS_RANGE_INVALID', 'from must be a day on or before to');
    if (end.getTime() - start.getTime() >= MAX_DAYS * DAY_MS)
      throw badRequest('METRICS_RANGE_INVALID', `At most ${MAX_DAYS} days at once`);
    const from = range.from ?? new Date(start.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
    const until = new Date(end.getTime() + DAY_MS);

    const day = sql<string>`to_char(opened_at at time zone ${sql.lit(TZ)}, 'YYYY-MM-DD')`;
    const waitStart = sql`coalesce(queued_at, first_shopper_at, opened_at)`;
    const base = this.ctx.db
      .selectFrom('support_conversation_facts')
      .where('merchant_id', '=', merchantId)
      .where('opened_at', '>=', start)
      .where('opened_at', '<', until);
    const columns = [
      sql<number>`count(*)`.as('conversations'),
      sql<number>`count(closed_at)`.as('closed'),
      sql<number>`count(*) filter (where resolved_by = 'bot')`.as('bot_resolved'),
      sql<number>`count(queued_at)`.as('waited'),
      sql<number>`count(*) filter (where assigned_at is not null and queued_at is not null
        and assigned_at <= queued_at + interval '30 seconds')`.as('picked_30s'),
      sql<number>`count(first_agent_reply_at)`.as('answered'),
      sql<number | null>`avg(extract(epoch from (first_agent_reply_at - ${waitStart})))`.as('first_response_sec'),
      sql<number>`count(stars)`.as('rated'),
      sql<number | null>`avg(stars)`.as('stars_avg'),
      sql<number>`count(*) filter (where stars >= 4)`.as('satisfied'),
    ] as const;
    const [byDay, byAgent, totals, breaches] = await Promise.all([
      base
        .select([day.as('day'), ...columns])
        .groupBy(day)
        .orderBy(day)
        .execute(),
      base
        .where('agent_id', 'is not', null)
        .select([day.as('day'), 'agent_id', ...columns])
        .groupBy([day, 'agent_id'])
        .orderBy(day)
        .orderBy('agent_id')
        .execute(),
      base.select([sql<string>`''`.as('day'), ...columns]).executeTakeFirstOrThrow(),
      this.breaches(merchantId, start, until),
    ]);
    return {
      from,
      to,
      timeZone: TZ,
      totals: { ...figures(totals as Row), ...breaches.totals },
      days: (byDay as Row[]).map((r) => ({ day: r.day, ...figures(r), ...(breaches.byDay.get(r.day) ?? noTickets()) })),
      agents: (byAgent as Row[]).map((r) => ({
        day: r.day,
        agentId: Number(r.agent_id),
        ...figures(r),
        ...(breaches.byAgentDay.get(`${r.agent_id}:${r.day}`) ?? noTickets()),
      })),
    };
  }

  private async breaches(merchantId: number, start: Date, end: Date) {
    const day = sql<string>`to_char(created_at at time zone ${sql.lit(TZ)}, 'YYYY-MM-DD')`;
    const rows = await this.ctx.db
      .selectFrom('support_tickets')
      .select([
        day.as('day'),
        'assignee_id',
        sql<number>`count(*)`.as('opened'),
        sql<number>`count(resolved_at)`.as('resolved'),
        sql<number>`count(*) filter (where first_response_breached or resolution_breached)`.as('breached'),
      ])
      .where('merchant_id', '=', merchantId)
      .where('created_at', '>=', start)
      .where('created_at', '<', end)
      .groupBy([day, 'assignee_id'])
      .execute();
    const add = (m: Map<string, ReturnType<typeof noTickets>>, k: string, r: (typeof rows)[number]) => {
      const v = m.get(k) ?? noTickets();
      v.ticketsOpened += Number(r.opened);
      v.ticketsResolved += Number(r.resolved);
      v.slaBreaches += Number(r.breached);
      m.set(k, v);
    };
    const byDay = new Map<string, ReturnType<typeof noTickets>>();
    const byAgentDay = new Map<string, ReturnType<typeof noTickets>>();
    const all = new Map<string, ReturnType<typeof noTickets>>();
    for (const r of rows) {
      add(byDay, r.day, r);
      add(all, '', r);
      if (r.assignee_id) add(byAgentDay, `${r.assignee_id}:${r.day}`, r);
    }
    return { byDay, byAgentDay, totals: all.get('') ?? noTickets() };
  }
}

/** The start (Shanghai midnight) of a YYYY-MM-DD day that exists (2026-02-30 does not), else null. */
function dayStart(day: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return null;
  const d = new Date(`${day}T00:00:00+08:00`);
  if (Number.isNaN(d.getTime())) return null;
  return new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10) === day ? d : null;
}

const noTickets = () => ({ ticketsOpened: 0, ticketsResolved: 0, slaBreaches: 0 });
