// Who a visitor is: a signed-in user ('u:<id>'), or before that the shop's visitor key, the device
// id its analytics beacons already carry ('d:<key>'). Linking at sign-in moves 'd:' history to 'u:'.
import type { Actor } from '../../platform/auth/access.ts';
import { badRequest } from '../../platform/errors.ts';

export interface Visitor {
  key: string;
  userId: number | null;
}

/** What a visitor key may look like (the shop's `d…` device id and the mini-program's are within this). */
export const VISITOR_KEY_PATTERN = '^[A-Za-z0-9_-]{8,64}$';

export const userVisitor = (userId: number): Visitor => ({ key: `u:${userId}`, userId });
export const deviceVisitor = (visitorKey: string): Visitor => ({ key: `d:${visitorKey}`, userId: null });

export function visitorOf(actor: Actor | null, visitorKey: string | undefined): Visitor {
  if (actor) return userVisitor(actor.userId);
  if (!visitorKey) throw badRequest('VISITOR_KEY_REQUIRED', 'Send the visitor key when not signed in');
  return deviceVisitor(visitorKey);
}
