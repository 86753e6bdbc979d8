import type { Generated } from 'kysely';
import type { CreatedAt, Id, NullableTimestamp, Timestamp, UpdatedAt } from '../../platform/db/types.ts';

export type ProviderName = 'sandbox' | 'wechat' | 'alipay';
export type PaymentStatus = 'pending' | 'succeeded' | 'failed' | 'closed';

export interface PaymentsTable {
  id: Id;
  payment_no: string;
  user_id: number;
  merchant_id: number | null;
  biz_type: string;
  biz_id: string;
  subject: string;
  amount_fen: number;
  provider: ProviderName | null;
  status: Generated<PaymentStatus>;
  provider_txn_id: string | null;
  refunded_fen: Generated<number>;
  expires_at: Timestamp;
  paid_at: NullableTimestamp;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}
export interface PaymentNotificationsTable {
  id: Id;
  provider: string;
  event_id: string;
  payment_no: string | null;
  outcome: string;
  detail: string | null;
  received_at: CreatedAt;
  deliveries: Generated<number>;
  last_received_at: CreatedAt;
}
export interface RefundsTable {
  id: Id;
  refund_no: string;
  payment_id: number;
  amount_fen: number;
  reason: string;
  idempotency_key: string;
  status: Generated<'pending' | 'succeeded' | 'failed'>;
  provider_refund_id: string | null;
  last_error: string | null;
  created_at: CreatedAt;
  succeeded_at: NullableTimestamp;
}

declare module '../../platform/db/types.ts' {
  interface Database {
    payments: PaymentsTable;
    payment_notifications: PaymentNotificationsTable;
    refunds: RefundsTable;
  }
}
