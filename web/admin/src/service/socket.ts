// The agent's customer-service socket (one per signed-in console): messages of the conversations
// assigned to this agent, and queue changes while they wait, arrive here; pages refresh on them.
import { sharedSupportSocket } from '@livemall/sdk';
import { queryClient, session } from '../api.ts';

const LISTS = [
  '/api/merchants/{merchantId}/support/conversations',
  '/api/merchants/{merchantId}/support/unread',
  '/api/merchants/{merchantId}/support/agents',
];

export function refreshLists(): void {
  for (const path of LISTS) void queryClient.invalidateQueries({ queryKey: ['get', path] });
}

/** The agent's socket, opened on first use; null when signed out. A new sign-in opens a new one. */
export const agentSocket = sharedSupportSocket(() => session.get()?.accessToken ?? null, refreshLists);
