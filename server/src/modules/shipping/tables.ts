import type { Generated } from 'kysely';
import type { CreatedAt, Id, Json, JsonWithDefault, NullableTimestamp, UpdatedAt } from '../../platform/db/types.ts';

export interface ShippingRule {
  regions: string[];
  firstUnits: number;
  firstFeeFen: number;
  extraUnits: number;
  extraFeeFen: number;
}

export interface AddressesTable {
  id: Id;
  user_id: number;
  name: string;
  phone: string;
  province: string;
  city: string;
  district: Generated<string>;
  /** GB/T 2260 district code (implies province and city); null on addresses from before codes. */
  district_code: string | null;
  detail: string;
  postal_code: string | null;
  is_default: Generated<boolean>;
  created_at: CreatedAt;
  deleted_at: NullableTimestamp;
}
export interface ShippingTemplatesTable {
  id: Id;
  merchant_id: number;
  name: string;
  charge_by: 'weight' | 'pieces';
  rules: Json<ShippingRule[]>;
  free_over_fen: number | null;
  excluded_regions: JsonWithDefault<string[]>;
  is_default: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}
export interface ShipmentsTable {
  id: Id;
  order_id: number;
  merchant_id: number;
  carrier: string;
  tracking_no: string;
  items: Json<Array<{ lineId: number; quantity: number }>>;
  shipped_at: CreatedAt;
}

declare module '../../platform/db/types.ts' {
  interface Database {
    addresses: AddressesTable;
    shipping_templates: ShippingTemplatesTable;
    shipments: ShipmentsTable;
  }
}
