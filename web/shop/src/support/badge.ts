// The tab bar's unread count: customer-service messages not yet read, plus the message centre's other
// unread notices (a service reply is in both lists; it is counted once, as a chat message).
import { $api, useSession } from '../api.ts';
import { supportSocket } from './socket.ts';

export function useUnreadBadge(): number {
  const user = useSession();
  const on = { enabled: !!user, refetchInterval: 30_000 };
  const chats = $api.useQuery('get', '/api/me/support/unread', {}, on);
  const notices = $api.useQuery('get', '/api/me/messages/unread', {}, on);
  // Open the socket once signed in, so a reply refreshes the badge at once (socket.ts invalidates).
  if (user) supportSocket();
  if (!user) return 0;
  const service = notices.data?.byKind.service ?? 0;
  return (chats.data?.total ?? 0) + Math.max(0, (notices.data?.total ?? 0) - service);
}
