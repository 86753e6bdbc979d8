// Who is calling, and what a route demands. The same checks are used by the HTTP guard and by
// services (tenancy is enforced in the service layer, routes only add an early, cheap check).
export type MerchantRole = 'merchant_owner' | 'merchant_staff' | 'anchor';
export type Role = 'platform_admin' | MerchantRole | 'customer';
export const MERCHANT_ROLES: MerchantRole[] = ['merchant_owner', 'merchant_staff', 'anchor'];

export interface Actor {
  userId: number;
  sessionId: string;
  isPlatformAdmin: boolean;
}

/**
 * - 'public': anyone; an actor is attached when a valid token is sent.
 * - 'user': any signed-in user (customers included).
 * - 'platform_admin': platform operators only.
 * - 'operator': monitoring (metrics, health details): the OPS_TOKEN bearer token, or a platform admin.
 * - { merchant: [...] }: a member of the merchant named by the `merchantId` path parameter with
 *   one of these roles (platform admins pass too, for support).
 */
export type Access =
  | 'public'
  | 'user'
  | 'platform_admin'
  | 'operator'
  | { merchant: readonly MerchantRole[]; param?: string };

/** Common merchant-route access levels. */
export const ANY_MEMBER: Access = { merchant: ['merchant_owner', 'merchant_staff', 'anchor'] };
export const OPERATORS: Access = { merchant: ['merchant_owner', 'merchant_staff'] };
export const OWNERS: Access = { merchant: ['merchant_owner'] };

export interface MembershipLookup {
  /** The caller's role in the merchant, or null when not a member (or the merchant does not exist). */
  merchantRole(userId: number, merchantId: number): Promise<MerchantRole | null>;
}
