// Reconciliation of inventory's books (platform/reconcile.ts): every stock level is what its
// ledger adds up to, the ledger's last row says so too, and what is reserved is exactly what open
// orders hold. A level changed behind the service's back (a hand-written UPDATE, a lost ledger
// row, a reservation that never settled) shows up here with the rows to look at.
import { sql } from 'kysely';
import type { AppContext } from '../../platform/context.ts';
import type { Discrepancy, ReconcileScope } from '../../platform/reconcile.ts';
import './tables.ts';

const CHECK = 'inventory.ledger';

interface Row {
  sku_id: number;
  warehouse_id: number;
  merchant_id: number;
  on_hand: number | null;
  reserved: number | null;
  ledger_on_hand: number;
  ledger_reserved: number;
  ledger_rows: number;
  last_on_hand_after: number | null;
  last_reserved_after: number | null;
  held: number;
}

export function registerInventoryChecks(ctx: AppContext): void {
  ctx.reconcile.register({
    name: CHECK,
    description: 'Per SKU and warehouse: on hand = Σ ledger, reserved = Σ ledger = Σ units open orders hold',
    run: (scope) => inventoryDiscrepancies(scope),
  });
}

export async function inventoryDiscrepancies(scope: ReconcileScope): Promise<Discrepancy[]> {
  const shop = (alias: string) =>
    scope.merchantId === undefined ? sql`true` : sql`${sql.ref(`${alias}.merchant_id`)} = ${scope.merchantId}`;
  // Full joins: a ledger or a reservation without a stock row is as wrong as the other way round.
  const { rows } = await sql<Row>`
    with levels as (select sku_id, warehouse_id, merchant_id, on_hand, reserved from stock_levels s where ${shop('s')}),
    ledger as (
      select sku_id, warehouse_id, max(merchant_id) as merchant_id, sum(delta_on_hand)::int as on_hand,
             sum(delta_reserved)::int as reserved, count(*)::int as n, max(id) as last_id
        from stock_ledger g where ${shop('g')} group by sku_id, warehouse_id),
    held as (
      select sku_id, warehouse_id, max(merchant_id) as merchant_id, sum(quantity)::int as reserved
        from stock_reservations r where status = 'reserved' and ${shop('r')} group by sku_id, warehouse_id)
    select j.*, last.on_hand_after as last_on_hand_after, last.reserved_after as last_reserved_after
      from (select sku_id, warehouse_id, coalesce(l.merchant_id, g.merchant_id, h.merchant_id)::int as merchant_id,
                   l.on_hand, l.reserved,
                   coalesce(g.on_hand, 0) as ledger_on_hand, coalesce(g.reserved, 0) as ledger_reserved,
                   coalesce(g.n, 0) as ledger_rows, g.last_id, coalesce(h.reserved, 0) as held
              from levels l
              full join ledger g using (sku_id, warehouse_id)
              full join held h using (sku_id, warehouse_id)) j
      left join stock_ledger last on last.id = j.last_id
     where j.on_hand is null or j.on_hand <> j.ledger_on_hand or j.reserved <> j.ledger_reserved or j.reserved <> j.held
        or last.on_hand_after <> j.on_hand or last.reserved_after <> j.reserved
     order by j.sku_id, j.warehouse_id`.execute(scope.db);
  return rows.flatMap((r) => describe(r));
}

function describe(r: Row): Discrepancy[] {
  const subject = `sku:${r.sku_id} warehouse:${r.warehouse_id}`;
  const facts = [
    {
      skuId: r.sku_id,
      warehouseId: r.warehouse_id,
      onHand: r.on_hand,
      reserved: r.reserved,
      ledgerOnHand: r.ledger_on_hand,
      ledgerReserved: r.ledger_reserved,
      ledgerRows: r.ledger_rows,
      heldByOpenOrders: r.held,
    },
  ];
  const found = (message: string, expected: number | string, actual: number | string): Discrepancy => ({
    check: CHECK,
    merchantId: r.merchant_id,
    subject,
    message,
    expected,
    actual,
    rows: facts,
  });
  if (r.on_hand === null || r.reserved === null) {
    return [found('Ledger rows or reservations for a SKU and warehouse with no stock level', 'a stock level', 'none')];
  }
  const out: Discrepancy[] = [];
  const check = (ok: boolean, message: string, expected: number | string, actual: number | string) => {
    if (!ok) out.push(found(message, expected, actual));
  };
  check(r.on_hand === r.ledger_on_hand, 'On hand differs from the sum of its ledger', r.ledger_on_hand, r.on_hand);
  check(r.reserved === r.ledger_reserved, 'Reserved differs from the sum of its ledger', r.ledger_reserved, r.reserved);
  check(r.reserved === r.held, 'Reserved differs from the units open orders hold', r.held, r.reserved);
  const last = `${r.last_on_hand_after}/${r.last_reserved_after}`;
  check(
    r.last_on_hand_after === null || last === `${r.on_hand}/${r.reserved}`,
    'The last ledger row does not end at the current level',
    `${r.on_hand}/${r.reserved}`,
    last,
  );
  return out;
}
