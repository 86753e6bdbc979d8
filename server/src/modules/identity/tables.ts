import type { Generated } from 'kysely';
import type { CreatedAt, Id, NullableTimestamp, Timestamp, UpdatedAt } from '../../platform/db/types.ts';
import type { MerchantRole } from '../../platform/auth/access.ts';

export interface UsersTable {
  id: Id;
  phone: string | null;
  password_hash: string | null;
  nickname: string;
  avatar_url: string | null;
  wechat_openid: string | null;
  wechat_unionid: string | null;
  is_platform_admin: Generated<boolean>;
  status: Generated<'active' | 'disabled'>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export type MerchantStatus = 'pending' | 'active' | 'suspended' | 'rejected';

export interface MerchantsTable {
  id: Id;
  name: string;
  description: Generated<string>;
  logo_url: string | null;
  status: Generated<MerchantStatus>;
  commission_rate_bp: Generated<number>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface MerchantMembersTable {
  merchant_id: number;
  user_id: number;
  role: MerchantRole;
  created_at: CreatedAt;
}

export interface AuthSessionsTable {
  id: string;
  user_id: number;
  created_at: CreatedAt;
  last_used_at: UpdatedAt;
  expires_at: Timestamp;
  revoked_at: NullableTimestamp;
  revoke_reason: string | null;
  user_agent: string | null;
  ip: string | null;
}

export interface RefreshTokensTable {
  token_hash: string;
  session_id: string;
  created_at: CreatedAt;
  expires_at: Timestamp;
  used_at: NullableTimestamp;
}

declare module '../../platform/db/types.ts' {
  interface Database {
    users: UsersTable;
    merchants: MerchantsTable;
    merchant_members: MerchantMembersTable;
    auth_sessions: AuthSessionsTable;
    refresh_tokens: RefreshTokensTable;
  }
}
