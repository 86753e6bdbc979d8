// One customer-service socket per signed-in shopper, shared by the chat page and the tab bar badge:
// a new message refreshes the unread counts wherever they are shown.
import { SupportSocket } from '@livemall/sdk';
import { queryClient, session } from '../api.ts';

let current: { token: string; socket: SupportSocket } | null = null;

export const UNREAD_KEYS = [
  ['get', '/api/me/support/unread'],
  ['get', '/api/me/messages/unread'],
  ['get', '/api/me/support/conversations'],
] as const;

export function refreshUnread(): void {
  for (const queryKey of UNREAD_KEYS) void queryClient.invalidateQueries({ queryKey: [...queryKey] });
}

/** The shopper's socket, opened on first use; null when signed out. A new sign-in opens a new one. */
export function supportSocket(): SupportSocket | null {
  const token = session.get()?.accessToken ?? null;
  if (!token) {
    current?.socket.close();
    current = null;
    return null;
  }
  if (current?.token === token) return current.socket;
  current?.socket.close();
  const socket = new SupportSocket(() => session.get()?.accessToken ?? null);
  socket.on((e) => {
    if (e.type === 'support.message' || e.type === 'support.conversation') refreshUnread();
  });
  current = { token, socket };
  return socket;
}
