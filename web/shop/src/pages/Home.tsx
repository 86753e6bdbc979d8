import { Badge, Button, SearchBar, Tabs, Toast } from 'antd-mobile';
import { useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { api, call, errorText, session } from '../api.ts';
import { Async, useAsync } from '../components/Async.tsx';
import { ProductGrid } from '../components/ProductGrid.tsx';
import { t } from '../i18n.ts';
import { track } from '../track.ts';

type Kind = 'live' | 'upcoming' | 'replays';

export function Home() {
  const [kind, setKind] = useState<Kind>('live');
  const nav = useNavigate();
  const rooms = useAsync(() => call(() => api.GET('/api/rooms', { params: { query: { kind } } })), [kind]);
  // Room cards shown count as exposures (the top of each room's funnel).
  useEffect(() => { for (const r of rooms.data ?? []) track('exposure', { roomId: r.id }); }, [rooms.data]);
  const products = useAsync(() => call(() => api.GET('/api/products', { params: { query: { sort: 'sales', pageSize: 20 } } })), []);
  const remind = async (roomId: number, on: boolean) => {
    if (!session.get()) return nav('/login');
    try { await call(() => (on ? api.PUT : api.DELETE)('/api/rooms/{roomId}/remind', { params: { path: { roomId } } })); rooms.reload(); } catch (e) { Toast.show({ content: errorText(e) }); }
  };
  return (
    <div className="page">
      <SearchBar placeholder={t('搜索商品')} onSearch={(q) => nav(`/mall?q=${encodeURIComponent(q)}`)} />
      <div className="tiles">
        {([['/flash', '⚡', '秒杀'], ['/groups', '👥', '拼团'], ['/bargains', '🔪', '砍价'], ['/coupons', '🎟', '领券中心']] as const).map(([to, icon, label]) => (
          <Link key={to} to={to} className="tile"><span>{icon}</span>{t(label)}</Link>
        ))}
      </div>
      <Tabs activeKey={kind} onChange={(k) => setKind(k as Kind)}>
        <Tabs.Tab title={t('直播')} key="live" />
        <Tabs.Tab title={t('预告')} key="upcoming" />
        <Tabs.Tab title={t('回放')} key="replays" />
      </Tabs>
      <Async state={rooms} empty={(r) => r.length === 0}>{(list) => (
        <div className="grid">
          {list.map((r) => (
            <Link key={r.id} to={`/room/${r.id}`} className="room-card" data-testid="room-card">
              <div className="cover" style={r.coverUrl ? { backgroundImage: `url(${r.coverUrl})` } : undefined}>
                {r.status === 'live' && <Badge content={t('直播中')} className="live-badge" />}
                <span className="viewers">{r.status === 'live' ? `${r.viewers.online} ${t('人在看')}` : r.scheduledAt ? new Date(r.scheduledAt).toLocaleString() : ''}</span>
              </div>
              <div className="room-title">{r.title}</div>
              <div className="muted">{r.merchantName}</div>
              {kind === 'upcoming' && <Button size="mini" color="primary" fill="outline" onClick={(e) => { e.preventDefault(); void remind(r.id, true); }}>{t('提醒我')} · {r.reminders}</Button>}
            </Link>
          ))}
        </div>
      )}</Async>
      <h3 className="section">{t('为你推荐')}</h3>
      <Async state={products} empty={(p) => p.items.length === 0}>{(p) => <ProductGrid items={p.items} />}</Async>
    </div>
  );
}
