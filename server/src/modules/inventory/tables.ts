import type { Generated } from 'kysely';
import type { CreatedAt, Id, UpdatedAt } from '../../platform/db/types.ts';

export type LedgerReason = 'initial' | 'adjust' | 'import' | 'reserve' | 'commit' | 'release' | 'return';

export interface WarehousesTable {
  id: Id;
  merchant_id: number;
  name: string;
  region: Generated<string>;
  is_default: Generated<boolean>;
  created_at: CreatedAt;
}

export interface StockLevelsTable {
  sku_id: number;
  warehouse_id: number;
  merchant_id: number;
  on_hand: Generated<number>;
  reserved: Generated<number>;
  low_stock_threshold: Generated<number>;
  low_stock_alerted: Generated<boolean>;
  updated_at: UpdatedAt;
}

export interface StockReservationsTable {
  order_id: number;
  sku_id: number;
  warehouse_id: number;
  merchant_id: number;
  quantity: number;
  returned_quantity: Generated<number>;
  status: 'reserved' | 'committed' | 'released';
  /** False for a hold its order's transaction has not confirmed yet (order-stock.ts, hold). */
  confirmed: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface StockLedgerTable {
  id: Id;
  merchant_id: number;
  sku_id: number;
  warehouse_id: number;
  delta_on_hand: number;
  delta_reserved: number;
  on_hand_after: number;
  reserved_after: number;
  reason: LedgerReason;
  order_id: number | null;
  refund_id: number | null;
  note: string | null;
  actor_user_id: number | null;
  created_at: CreatedAt;
}

declare module '../../platform/db/types.ts' {
  interface Database {
    warehouses: WarehousesTable;
    stock_levels: StockLevelsTable;
    stock_reservations: StockReservationsTable;
    stock_ledger: StockLedgerTable;
  }
}
