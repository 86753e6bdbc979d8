import type { Generated } from 'kysely';
import type {
  CreatedAt,
  Id,
  Json,
  JsonWithDefault,
  NullableTimestamp,
  Timestamp,
  UpdatedAt,
} from '../../platform/db/types.ts';

export type OrderStatus = 'pending_payment' | 'paid' | 'shipped' | 'delivered' | 'completed' | 'cancelled' | 'refunded';
export interface AddressSnapshot {
  name: string;
  phone: string;
  province: string;
  city: string;
  district: string;
  /** GB/T 2260 district code when the address had one (orders from before codes have none). */
  districtCode?: string | null;
  detail: string;
  postalCode: string | null;
}
export interface LineAdjustment {
  step: string;
  stage: string;
  reason: string;
  amountFen: number;
  ref?: string;
}

export interface CheckoutsTable {
  id: Id;
  checkout_no: string;
  user_id: number;
  idempotency_key: string;
  request_hash: string;
  payment_id: number | null;
  created_at: CreatedAt;
}
export interface OrdersTable {
  id: Id;
  order_no: string;
  checkout_id: number;
  user_id: number;
  merchant_id: number;
  room_id: number | null;
  status: OrderStatus;
  goods_fen: number;
  discount_fen: number;
  shipping_fen: number;
  total_fen: number;
  refunded_fen: Generated<number>;
  points_used: Generated<number>;
  charges: JsonWithDefault<Array<{ step: string; reason: string; amountFen: number }>>;
  address: Json<AddressSnapshot> | null;
  buyer_note: Generated<string>;
  payment_id: number | null;
  pay_deadline: Timestamp;
  cancel_reason: string | null;
  /** Being refunded (started, money not yet back), and the refund that carries the shipping fee. */
  refunding_fen: Generated<number>;
  shipping_refund_id: number | null;
  created_at: CreatedAt;
  paid_at: NullableTimestamp;
  shipped_at: NullableTimestamp;
  delivered_at: NullableTimestamp;
  completed_at: NullableTimestamp;
  cancelled_at: NullableTimestamp;
  updated_at: UpdatedAt;
}
export interface OrderLinesTable {
  id: Id;
  order_id: number;
  sku_id: number;
  product_id: number;
  product_title: string;
  sku_name: string;
  image_url: string | null;
  quantity: number;
  list_unit_price_fen: number;
  unit_price_fen: number;
  goods_fen: number;
  discount_fen: number;
  payable_fen: number;
  refunded_fen: Generated<number>;
  refunded_quantity: Generated<number>;
  shipped_quantity: Generated<number>;
  adjustments: Json<LineAdjustment[]>;
  refunding_quantity: Generated<number>;
  refunding_fen: Generated<number>;
}
/** The refund ledger of an order (migrations/0325_order_refunds.sql). */
export interface OrderRefundsTable {
  id: Id;
  order_id: number;
  ref: string;
  status: 'refunding' | 'refunded';
  amount_fen: number;
  shipping_fen: Generated<number>;
  created_at: CreatedAt;
  refunded_at: NullableTimestamp;
}
export interface OrderRefundLinesTable {
  order_refund_id: number;
  order_line_id: number;
  quantity: number;
  unshipped_quantity: number;
  amount_fen: number;
}
export interface OrderStatusHistoryTable {
  id: Id;
  order_id: number;
  from_status: string | null;
  to_status: string;
  actor_user_id: number | null;
  note: string | null;
  created_at: CreatedAt;
}

declare module '../../platform/db/types.ts' {
  interface Database {
    checkouts: CheckoutsTable;
    orders: OrdersTable;
    order_lines: OrderLinesTable;
    order_status_history: OrderStatusHistoryTable;
    order_refunds: OrderRefundsTable;
    order_refund_lines: OrderRefundLinesTable;
  }
}
