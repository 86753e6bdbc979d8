// Counts on the tab bar: items in the cart, orders waiting on the shopper (to pay, to receive) and unread
// messages. Mutations elsewhere invalidate these same queries, so the badges follow without a reload.
import { $api, useSession } from '../api.ts';
import { useUnreadBadge } from './badge.ts';

export type TabBadges = Partial<Record<'/cart' | '/orders' | '/messages', number>>;

export function useTabBadges(): TabBadges {
  const user = useSession();
  const on = { enabled: !!user, refetchInterval: 60_000 };
  const messages = useUnreadBadge();
  const cart = $api.useQuery('get', '/api/cart', {}, on);
  const one = (status: 'pending_payment' | 'shipped') => ({ params: { query: { status, pageSize: 1 } } });
  const toPay = $api.useQuery('get', '/api/orders', one('pending_payment'), on);
  const toReceive = $api.useQuery('get', '/api/orders', one('shipped'), on);
  if (!user) return {};
  const inCart = (cart.data?.groups ?? []).reduce((n, g) => n + g.lines.reduce((m, l) => m + l.quantity, 0), 0);
  const waiting = (toPay.data?.total ?? 0) + (toReceive.data?.total ?? 0);
  return { '/cart': inCart, '/orders': waiting, '/messages': messages };
}
