// The agent's customer-service socket (one per signed-in console): messages of the conversations
// assigned to this agent, and queue changes while they wait, arrive here; pages refresh on them.
import { SupportSocket } from '@livemall/sdk';
import { queryClient, session } from '../api.ts';

let current: { token: string; socket: SupportSocket } | null = null;

const LISTS = [
  '/api/merchants/{merchantId}/support/conversations',
  '/api/merchants/{merchantId}/support/unread',
  '/api/merchants/{merchantId}/support/agents',
];

export function refreshLists(): void {
  for (const path of LISTS) void queryClient.invalidateQueries({ queryKey: ['get', path] });
}

export function agentSocket(): SupportSocket | null {
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
    if (e.type === 'support.message' || e.type === 'support.conversation') refreshLists();
  });
  current = { token, socket };
  return socket;
}
