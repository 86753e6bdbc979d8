// One customer-service socket per signed-in shopper, shared by the chat page and the tab bar badge:
// a new message refreshes the unread counts wherever they are shown.
import { sharedSupportSocket } from '@livemall/sdk';
import { queryClient, session } from '../api.ts';

export const UNREAD_KEYS = [
  ['get', '/api/me/support/unread'],
  ['get', '/api/me/messages/unread'],
  ['get', '/api/me/support/conversations'],
] as const;

export function refreshUnread(): void {
  for (const queryKey of UNREAD_KEYS) void queryClient.invalidateQueries({ queryKey: [...queryKey] });
}

/** The shopper's socket, opened on first use; null when signed out. A new sign-in opens a new one. */
export const supportSocket = sharedSupportSocket(() => session.get()?.accessToken ?? null, refreshUnread);
