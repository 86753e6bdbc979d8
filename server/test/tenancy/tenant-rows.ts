// What the database says about tenancy, read from its own catalogue (columns and foreign keys), so
// a new table is covered without editing this file:
// - snapshot(): the rows another tenant owns (its shop's rows, its people's rows, and their
//   children), minus counters other shoppers move by design, to tell whether a request changed them;
// - crossRefs(): rows of one shop that point at another shop's room, product, SKU, warehouse, order,
//   coupon… (columns, and ids inside JSON such as coupon scopes or promotion terms);
// - markerCopies(): a tenant's private text copied into rows it does not own (an order carrying
//   someone else's address, a room titled with another shop's draft).
import { sql } from 'kysely';
import type { Db } from '../../src/platform/db/types.ts';

/** Columns that name the person a row belongs to (not staff who acted on it). */
const USER_COLUMNS = ['user_id', 'sender_id', 'reporter_id', 'helper_user_id', 'leader_user_id'];
/** Foreign keys that are not ownership: a row "of a user" or "in a category" belongs to no shop through them. */
const NOT_PARENTS = new Set(['users', 'merchants', 'categories', 'gifts', 'checkouts', 'auth_sessions']);
/** Cross-module references carry no foreign key (each module owns its tables): named by convention. */
const REFERENCE_BY_NAME: Record<string, string> = {
  room_id: 'live_rooms',
  product_id: 'products',
  pinned_product_id: 'products',
  sku_id: 'skus',
  warehouse_id: 'warehouses',
  order_id: 'orders',
  order_line_id: 'order_lines',
  payment_id: 'payments',
  'coupon_drops.coupon_id': 'coupon_templates',
};
/** Ids inside JSON documents (coupon scopes, promotion terms, lucky-bag prizes…). */
const JSON_REFERENCES: Array<{ path: string; table: string; only?: string }> = [
  { path: '$.**.productId', table: 'products' },
  { path: '$.**.productIds[*]', table: 'products' },
  { path: '$.**.skuId', table: 'skus' },
  { path: '$.**.skuIds[*]', table: 'skus' },
  { path: '$.**.roomId', table: 'live_rooms' },
  { path: '$.**.warehouseId', table: 'warehouses' },
  { path: '$.**.couponId', table: 'coupon_templates', only: 'prize' },
];
/**
 * Values other shoppers change by design (claiming a shop's coupon, buying its goods, helping a
 * friend's bargain, watching its room): the snapshot leaves them out, everything else must hold.
 */
export const SHARED_BY_DESIGN: Record<string, string> = {
  updated_at: 'touched by any write',
  claimed: 'coupons claimed by other shoppers',
  sold: 'flash units sold to other shoppers',
  reserved: "stock reserved by other shoppers' orders",
  sales: 'units sold',
  viewer_peak: 'viewers',
  'bargains.current_price_fen': 'friends cut the price',
  'bargains.helps': 'friends help',
  'bargains.status': "reached by friends' help",
  'stock_levels.low_stock_alerted': 'follows reservations',
  last_used_at: 'session use',
};
/** A shop's own records that may name any user: they change nothing of that user's. */
const SHOP_RECORDS_OF_ANYONE: Record<string, string> = {
  room_sanctions: 'a shop mutes or bans whoever misbehaves in its rooms',
  merchant_members: 'an owner adds a registered user to the team by phone',
};
/** Platform bookkeeping and aggregates the public beacon feeds: no tenant's own data. */
const SKIP_TABLES = new Set([
  'outbox_events',
  'jobs',
  'processed_events',
  'schema_migrations',
  'platform_settings',
  'auth_sessions',
  'refresh_tokens',
  'analytics_rollups',
  'analytics_rollup_state',
  'analytics_daily_visitors',
  'analytics_room_visitors',
  'analytics_online_samples',
  'analytics_devices',
]);

interface Table {
  name: string;
  columns: Array<{ name: string; type: string }>;
  fks: Array<{ column: string; ref: string }>;
}

export class TenantRows {
  private constructor(
    private readonly db: Db,
    private readonly tables: Map<string, Table>,
    private readonly jit: boolean,
  ) {}

  /** On PostgreSQL the checks (big unions) run with JIT off: compiling them took seconds, running them milliseconds. */
  static async open(db: Db, kind: 'pglite' | 'postgres'): Promise<TenantRows> {
    const cols = await sql<{ t: string; c: string; type: string }>`
      select table_name as t, column_name as c, data_type as type from information_schema.columns
       where table_schema = current_schema() order by table_name, ordinal_position`.execute(db);
    const fks = await sql<{ t: string; c: string; r: string }>`
      select tc.table_name as t, kcu.column_name as c, ccu.table_name as r
        from information_schema.table_constraints tc
        join information_schema.key_column_usage kcu
          on kcu.constraint_name = tc.constraint_name and kcu.table_schema = tc.table_schema
        join information_schema.constraint_column_usage ccu
          on ccu.constraint_name = tc.constraint_name and ccu.table_schema = tc.table_schema
       where tc.constraint_type = 'FOREIGN KEY' and tc.table_schema = current_schema()
       order by tc.constraint_name`.execute(db);
    const tables = new Map<string, Table>();
    for (const r of cols.rows) {
      if (SKIP_TABLES.has(r.t)) continue;
      const t = tables.get(r.t) ?? { name: r.t, columns: [], fks: [] };
      t.columns.push({ name: r.c, type: r.type });
      tables.set(r.t, t);
    }
    for (const f of fks.rows) tables.get(f.t)?.fks.push({ column: f.c, ref: f.r });
    return new TenantRows(db, tables, kind === 'postgres');
  }

  private has(t: Table, column: string) {
    return t.columns.some((c) => c.name === column);
  }

  /** SQL for the shop a row belongs to: its merchant_id, or its parent's (through foreign keys). */
  private merchantOf(table: string, alias: string, depth = 0): { sql: string; parent?: string } | null {
    const t = this.tables.get(table);
    if (!t) return null;
    if (table === 'merchants') return { sql: `${alias}.id` };
    if (this.has(t, 'merchant_id')) return { sql: `${alias}.merchant_id` };
    if (depth > 3) return null;
    for (const fk of t.fks) {
      if (NOT_PARENTS.has(fk.ref)) continue;
      const inner = this.merchantOf(fk.ref, `${alias}p`, depth + 1);
      if (!inner) continue;
      const p = `${alias}p`;
      const sqlText = `(select ${inner.sql} from ${fk.ref} ${p} where ${p}.id = ${alias}.${fk.column})`;
      return { sql: sqlText, parent: fk.column };
    }
    return null;
  }

  /**
   * SQL true for the rows the tenant owns: its shop's rows that are not about other people, and
   * its people's rows in any shop (a coupon in shopper B's wallet is B's, whoever issued it).
   */
  private owned(table: string, alias: string, merchantId: number, userIds: number[]): string | null {
    const t = this.tables.get(table)!;
    const users = userIds.join(',');
    if (table === 'users') return `${alias}.id in (${users})`;
    const m = this.merchantOf(table, alias);
    const userCols = USER_COLUMNS.filter((c) => this.has(t, c));
    if (!m && userCols.length === 0) return null;
    const notAboutOthers = userCols.map((c) => `(${alias}.${c} is null or ${alias}.${c} in (${users}))`);
    // A row about someone else's order, coupon or bargain (a stock reservation for shopper A's order
    // at this shop, a line of it) is that person's business with the shop, not the tenant's own.
    for (const c of t.columns) {
      const ref = this.referenceOf(t, c.name);
      const target = ref ? this.tables.get(ref) : undefined;
      const targetUser = target && USER_COLUMNS.find((u) => this.has(target, u));
      if (!targetUser || c.type !== 'bigint') continue;
      const u = `${alias}u`;
      const col = `${alias}.${c.name}`;
      notAboutOthers.push(
        `(${col} is null or exists (select 1 from ${ref} ${u} where ${u}.id = ${col}` +
          ` and (${u}.${targetUser} is null or ${u}.${targetUser} in (${users}))))`,
      );
    }
    const itsPeople = userCols.map((c) => `${alias}.${c} in (${users})`).join(' or ');
    const ofItsPeople =
      userCols.length && !SHOP_RECORDS_OF_ANYONE[table] ? `((${itsPeople}) and ${notAboutOthers.join(' and ')})` : null;
    const ofItsShop = m ? `(${[`${m.sql} = ${merchantId}`, ...notAboutOthers].join(' and ')})` : null;
    return [ofItsShop, ofItsPeople].filter(Boolean).join(' or ');
  }

  /** The table a column points at: its foreign key, or the naming convention for cross-module ids. */
  private referenceOf(t: Table, column: string): string | undefined {
    if (column === 'id' || column === 'merchant_id' || USER_COLUMNS.includes(column)) return undefined;
    const ref =
      t.fks.find((f) => f.column === column)?.ref ??
      REFERENCE_BY_NAME[`${t.name}.${column}`] ??
      REFERENCE_BY_NAME[column];
    return ref && !NOT_PARENTS.has(ref) && this.tables.has(ref) ? ref : undefined;
  }

  private compared(t: Table): string[] {
    return t.columns.map((c) => c.name).filter((c) => !SHARED_BY_DESIGN[c] && !SHARED_BY_DESIGN[`${t.name}.${c}`]);
  }

  /** The tenant's rows, table by table, as text (shared-by-design counters left out). */
  async snapshot(merchantId: number, userIds: number[]): Promise<Map<string, string[]>> {
    const parts: string[] = [];
    for (const t of this.tables.values()) {
      const where = this.owned(t.name, 'x', merchantId, userIds);
      if (!where) continue;
      const row = `(row(${this.compared(t)
        .map((c) => `x.${c}`)
        .join(', ')}))::text`;
      const rows = `select json_agg(r order by r) from (select ${row} as r from ${t.name} x where ${where}) s`;
      parts.push(`select '${t.name}' as t, coalesce((${rows}), '[]'::json) as rows`);
    }
    const res = await this.query<{ t: string; rows: string[] | string }>(parts);
    return new Map(res.map((r) => [r.t, typeof r.rows === 'string' ? (JSON.parse(r.rows) as string[]) : r.rows]));
  }

  /** Rows whose shop differs from the shop of a room, product, SKU… they point at. */
  async crossRefs(): Promise<string[]> {
    return (await this.query<{ v: string }>(this.crossRefParts())).map((r) => r.v).sort();
  }

  crossRefParts(): string[] {
    const parts: string[] = [];
    for (const t of this.tables.values()) {
      const owner = this.merchantOf(t.name, 'x');
      if (!owner) continue;
      const id = this.has(t, 'id') ? 'x.id::text' : 'x.ctid::text';
      for (const c of t.columns) {
        if (c.name === owner.parent || c.name === 'merchant_id') continue;
        const ref = this.referenceOf(t, c.name);
        const target = ref ? this.merchantOf(ref, 'r') : null;
        if (target && c.type === 'bigint') {
          const shops = `' (shop ' || ${owner.sql} || ' -> ' || ${target.sql} || ')'`;
          parts.push(`select '${t.name}#' || ${id} || '.${c.name} -> ${ref}#' || r.id || ${shops} as v
            from ${t.name} x join ${ref} r on r.id = x.${c.name} where ${owner.sql} <> ${target.sql}`);
        }
        if (c.type !== 'jsonb') continue;
        for (const j of JSON_REFERENCES) {
          if (j.only && j.only !== c.name) continue;
          const tm = this.merchantOf(j.table, 'r')!;
          const shops = `' (shop ' || ${owner.sql} || ' -> ' || ${tm.sql} || ')'`;
          parts.push(`select '${t.name}#' || ${id} || '.${c.name} ${j.path} -> ${j.table}#' || r.id || ${shops} as v
            from ${t.name} x cross join lateral jsonb_path_query(x.${c.name}, 'lax ${j.path}') j
            join ${j.table} r on r.id::text = (j #>> '{}')
           where jsonb_typeof(j) in ('number', 'string') and (j #>> '{}') ~ '^[0-9]{1,18}$'
             and ${owner.sql} <> ${tm.sql}`);
        }
      }
    }
    return parts;
  }

  /** Rows outside the tenant that contain one of its private markers. */
  async markerCopies(marker: string, merchantId: number, userIds: number[]): Promise<string[]> {
    const parts: string[] = [];
    for (const t of this.tables.values()) {
      const where = this.owned(t.name, 'x', merchantId, userIds);
      if (!where) continue;
      const id = this.has(t, 'id') ? 'x.id::text' : 'x.ctid::text';
      parts.push(`select '${t.name}#' || ${id} as v from ${t.name} x
        where not coalesce(${where}, false) and x::text like '%${marker}%'`);
    }
    return (await this.query<{ v: string }>(parts)).map((r) => r.v).sort();
  }

  private async query<R>(parts: string[]): Promise<R[]> {
    const text = sql.raw<R>(parts.join('\nunion all\n'));
    if (!this.jit) return (await text.execute(this.db)).rows;
    return this.db.transaction().execute(async (trx) => {
      await sql`set local jit = off`.execute(trx);
      return (await text.execute(trx)).rows;
    });
  }
}

/** What changed between two snapshots, as "table: -row" / "table: +row" lines. */
export function snapshotDiff(before: Map<string, string[]>, after: Map<string, string[]>): string[] {
  const out: string[] = [];
  for (const [t, rows] of after) {
    const old = new Set(before.get(t) ?? []);
    const now = new Set(rows);
    for (const r of old) if (!now.has(r)) out.push(`${t}: -${r}`);
    for (const r of now) if (!old.has(r)) out.push(`${t}: +${r}`);
  }
  return out;
}
