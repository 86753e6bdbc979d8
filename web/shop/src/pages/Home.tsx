import { Badge, Button, SearchBar, Tabs, Toast } from 'antd-mobile';
import { CouponOutline, FireFill, TagOutline, TeamOutline } from 'antd-mobile-icons';
import { useLabels } from '@livemall/sdk';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { $api, errorText, session } from '../api.ts';
import { Async } from '../components/Async.tsx';
import { ProductGrid } from '../components/ProductGrid.tsx';
import { track } from '../track.ts';

type Kind = 'live' | 'upcoming' | 'replays';
const TILES = [
  ['/flash', <FireFill key="i" />, 'home.flash'],
  ['/groups', <TeamOutline key="i" />, 'home.groups'],
  ['/bargains', <TagOutline key="i" />, 'home.bargains'],
  ['/coupons', <CouponOutline key="i" />, 'home.coupons'],
] as const;

export function Home() {
  const { t } = useTranslation();
  const labels = useLabels();
  const [kind, setKind] = useState<Kind>('live');
  const nav = useNavigate();
  const rooms = $api.useQuery('get', '/api/rooms', { params: { query: { kind } } });
  // Room cards shown count as exposures (the top of each room's funnel).
  useEffect(() => {
    for (const r of rooms.data ?? []) track('exposure', { roomId: r.id });
  }, [rooms.data]);
  const products = $api.useQuery('get', '/api/products', { params: { query: { sort: 'sales', pageSize: 20 } } });
  // The deals tiles show only the kinds running now (or about to): an empty 秒杀 page is no deal.
  const flash = $api.useQuery('get', '/api/flash-sales');
  const groups = $api.useQuery('get', '/api/group-buys');
  const bargains = $api.useQuery('get', '/api/bargains/campaigns');
  const running = {
    '/flash': (flash.data?.length ?? 0) > 0,
    '/groups': (groups.data?.length ?? 0) > 0,
    '/bargains': (bargains.data?.length ?? 0) > 0,
    '/coupons': true,
  };
  const remindOn = $api.useMutation('put', '/api/rooms/{roomId}/remind');
  const remind = async (roomId: number) => {
    if (!session.get()) return nav('/login');
    try {
      await remindOn.mutateAsync({ params: { path: { roomId } } });
    } catch (e) {
      Toast.show({ content: errorText(e) });
    }
  };
  return (
    <div className="page">
      <SearchBar placeholder={t('common.searchProducts')} onSearch={(q) => nav(`/mall?q=${encodeURIComponent(q)}`)} />
      <div className="tiles" data-testid="deal-tiles">
        {TILES.filter(([to]) => running[to]).map(([to, icon, label]) => (
          <Link key={to} to={to} className="tile" data-testid={`deal-tile-${to.slice(1)}`}>
            <span aria-hidden="true">{icon}</span>
            {t(label)}
          </Link>
        ))}
      </div>
      <Tabs activeKey={kind} onChange={(k) => setKind(k as Kind)}>
        <Tabs.Tab title={t('home.live')} key="live" />
        <Tabs.Tab title={t('home.upcoming')} key="upcoming" />
        <Tabs.Tab title={t('home.replays')} key="replays" />
      </Tabs>
      <Async query={rooms} empty={(r) => r.length === 0}>
        {(list) => (
          <div className="grid">
            {list.map((r) => (
              <Link key={r.id} to={`/room/${r.id}`} className="room-card" data-testid="room-card">
                <div className="cover" style={r.coverUrl ? { backgroundImage: `url(${r.coverUrl})` } : undefined}>
                  {r.status === 'live' && <Badge content={t('home.liveBadge')} className="live-badge" />}
                  <span className="viewers">
                    {r.status === 'live'
                      ? t('home.watching', { n: r.viewers.online })
                      : r.scheduledAt
                        ? labels.dateTime(r.scheduledAt)
                        : ''}
                  </span>
                </div>
                <div className="room-title">{r.title}</div>
                <div className="muted">{r.merchantName}</div>
                {kind === 'upcoming' && (
                  <Button
                    size="mini"
                    color="primary"
                    fill="outline"
                    onClick={(e) => {
                      e.preventDefault();
                      void remind(r.id);
                    }}
                  >
                    {t('home.remindMe')} · {r.reminders}
                  </Button>
                )}
              </Link>
            ))}
          </div>
        )}
      </Async>
      <h3 className="section">{t('home.forYou')}</h3>
      <Async query={products} empty={(p) => p.items.length === 0}>
        {(p) => <ProductGrid items={p.items} />}
      </Async>
    </div>
  );
}
