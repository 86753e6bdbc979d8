// Shop governance as data: which status changes a platform operator may make, and what each
// status lets a shop do. Pure functions, so the rules are tested on their own and read in one place.
import { AppError } from '../../platform/errors.ts';
import type { MerchantStatus } from './tables.ts';

export const MERCHANT_STATUSES: readonly MerchantStatus[] = ['pending', 'active', 'suspended', 'rejected'];

/** pending → approve (active) or reject; active ⇄ suspended (suspend, reinstate); rejected → approve on appeal. */
const TRANSITIONS: Readonly<Record<MerchantStatus, readonly MerchantStatus[]>> = {
  pending: ['active', 'rejected'],
  active: ['suspended'],
  suspended: ['active'],
  rejected: ['active'],
};

export function allowedTransitions(from: MerchantStatus): readonly MerchantStatus[] {
  return TRANSITIONS[from];
}

export function canTransition(from: MerchantStatus, to: MerchantStatus): boolean {
  return from === to || TRANSITIONS[from].includes(to);
}

/** Shoppers see a shop's products and rooms only while it is active. */
export const isPubliclyVisible = (status: MerchantStatus): boolean => status === 'active';

/**
 * What a shop in `status` may start: 'build' (products, drafts) or 'broadcast' (rooms, streams,
 * invites). A pending shop may prepare its catalogue but not go live; suspended and rejected shops
 * may start nothing new. Returns the refusal, or null when allowed.
 */
export function operatingRefusal(status: MerchantStatus, what: 'build' | 'broadcast'): AppError | null {
  switch (status) {
    case 'active':
      return null;
    case 'pending':
      if (what === 'build') return null;
      return new AppError(403, 'MERCHANT_PENDING_APPROVAL', 'Your shop is waiting for approval before it can go live');
    case 'suspended':
      return new AppError(403, 'MERCHANT_SUSPENDED', 'Your shop is suspended by the platform');
    case 'rejected':
      return new AppError(403, 'MERCHANT_REJECTED', 'Your shop application was rejected');
  }
}
