import type { UpdatedAt } from '../../platform/db/types.ts';

export interface MemberRfmSettingsTable {
  merchant_id: number;
  active_days: number;
  lapsed_days: number;
  loyal_orders: number;
  big_spend_fen: number;
  updated_at: UpdatedAt;
}

declare module '../../platform/db/types.ts' {
  interface Database {
    member_rfm_settings: MemberRfmSettingsTable;
  }
}
