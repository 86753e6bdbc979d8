// Marketing pages: claim centre, flash sales, group-buy (deal and share-link group), bargain.
import { Button, Card, List, ProgressBar, Tabs, Tag, Toast } from 'antd-mobile';
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { api, call, errorText, session, useSession, yuan } from '../api.ts';
import { Async, useAsync } from '../components/Async.tsx';
import { Checkout, type DealOptions } from '../components/Checkout.tsx';
import { t } from '../i18n.ts';
import { Popup } from 'antd-mobile';

function CheckoutPopup(props: { buy: { skuId: number; deal: DealOptions } | null; onClose(): void }) {
  return (
    <Popup visible={props.buy !== null} onMaskClick={props.onClose} bodyClassName="sheet" destroyOnClose>
      {props.buy && <Checkout items={[{ skuId: props.buy.skuId, quantity: 1 }]} deal={props.buy.deal} onClose={props.onClose} />}
    </Popup>
  );
}

export function Coupons() {
  const user = useSession();
  const list = useAsync(() => call(() => api.GET('/api/coupons')), [user?.userId]);
  const mine = useAsync(async () => (user ? call(() => api.GET('/api/me/coupons')) : []), [user?.userId]);
  const claim = async (id: number) => {
    if (!session.get()) return Toast.show({ content: t('登录') });
    try { await call(() => api.POST('/api/coupons/{templateId}/claim', { params: { path: { templateId: id } } })); list.reload(); mine.reload(); Toast.show({ content: t('领取成功') }); } catch (e) { Toast.show({ content: errorText(e) }); }
  };
  return (
    <div className="page">
      <Tabs>
        <Tabs.Tab title={t('领券中心')} key="centre">
          <Async state={list} empty={(l) => l.length === 0}>{(l) => (
            <List>{l.map((c) => (
              <List.Item key={c.id} description={`${c.description} · ${t('剩余')} ${c.remaining}`} extra={<Button size="small" color="danger" disabled={c.canClaim === false} onClick={() => void claim(c.id)}>{c.canClaim === false ? t('已领取') : t('领取')}</Button>}>
                {c.title} {c.funding === 'platform' && <Tag color="primary">平台</Tag>}
              </List.Item>
            ))}</List>
          )}</Async>
        </Tabs.Tab>
        <Tabs.Tab title={t('我的优惠券')} key="mine">
          <Async state={mine} empty={(l) => l.length === 0}>{(l) => (
            <List>{l.map((c) => <List.Item key={c.id} description={`${c.description} · ${new Date(c.validUntil).toLocaleDateString()}`}>{c.title}</List.Item>)}</List>
          )}</Async>
        </Tabs.Tab>
      </Tabs>
    </div>
  );
}

export function FlashSales() {
  const sessions = useAsync(() => call(() => api.GET('/api/flash-sales')), []);
  const [buy, setBuy] = useState<{ skuId: number; deal: DealOptions } | null>(null);
  const grab = async (itemId: number, skuId: number) => {
    if (!session.get()) return Toast.show({ content: t('登录') });
    try {
      const tok = await call(() => api.POST('/api/flash-sales/items/{itemId}/token', { params: { path: { itemId } }, body: {} }));
      setBuy({ skuId, deal: { flashSaleItemId: itemId, flashToken: tok.token } });
    } catch (e) { Toast.show({ content: errorText(e) }); }
  };
  return (
    <div className="page">
      <Async state={sessions} empty={(s) => s.length === 0}>{(list) => <>{list.map((s) => (
        <Card key={s.id} title={`⚡ ${s.title}`} extra={<Tag color={s.state === 'running' ? 'danger' : 'default'}>{s.state === 'running' ? t('秒杀') : s.state === 'upcoming' ? `${t('即将开抢')} ${new Date(s.startsAt).toLocaleTimeString()}` : t('已结束')}</Tag>}>
          {s.items.map((i) => (
            <div key={i.id} className="bag-item">
              {i.coverUrl && <img src={i.coverUrl} alt="" />}
              <div className="grow"><div className="clamp">{i.title}</div><span className="price">{yuan(i.flashPriceFen)}</span> <s className="muted">{yuan(i.originalPriceFen)}</s>
                <ProgressBar percent={Math.round(((i.stock - i.remaining) / i.stock) * 100)} /></div>
              <Button size="small" color="danger" disabled={s.state !== 'running' || i.remaining <= 0} onClick={() => void grab(i.id, i.skuId)}>{i.remaining <= 0 ? t('已抢光') : t('马上抢')}</Button>
            </div>
          ))}
        </Card>
      ))}</>}</Async>
      <CheckoutPopup buy={buy} onClose={() => { setBuy(null); sessions.reload(); }} />
    </div>
  );
}

export function GroupBuys() {
  const deals = useAsync(() => call(() => api.GET('/api/group-buys')), []);
  const [buy, setBuy] = useState<{ skuId: number; deal: DealOptions } | null>(null);
  const nav = useNavigate();
  return (
    <div className="page">
      <Async state={deals} empty={(d) => d.length === 0}>{(list) => <>{list.map((d) => (
        <Card key={d.id} title={`👥 ${d.title}`} extra={<span className="price">{yuan(d.groupPriceFen)}</span>}>
          <div className="muted">{d.groupSize}{t('人')}{t('拼团')}</div>
          {d.openGroups.map((g) => <List.Item key={g.id} onClick={() => nav(`/group/${g.id}`)} arrow extra={`${t('还差')} ${g.missing} ${t('人')}`}>{g.members[0]?.nickname ?? ''}</List.Item>)}
          <Button block color="danger" onClick={() => setBuy({ skuId: d.skuId, deal: { groupBuy: { dealId: d.id } } })}>{t('开团')}</Button>
        </Card>
      ))}</>}</Async>
      <CheckoutPopup buy={buy} onClose={() => { setBuy(null); deals.reload(); }} />
    </div>
  );
}

export function Group() {
  const groupId = Number(useParams().groupId);
  const group = useAsync(() => call(() => api.GET('/api/group-buys/groups/{groupId}', { params: { path: { groupId } } })), [groupId]);
  const [buy, setBuy] = useState<{ skuId: number; deal: DealOptions } | null>(null);
  return (
    <Async state={group}>{(g) => (
      <div className="page">
        <Card title={`👥 ${g.title}`} extra={<span className="price">{yuan(g.groupPriceFen)}</span>}>
          <div>{g.status === 'succeeded' ? t('已成团') : g.status === 'failed' ? t('未成团') : `${t('还差')} ${g.missing} ${t('人')} · ${new Date(g.expiresAt).toLocaleTimeString()}`}</div>
          <div>{g.members.map((m) => <Tag key={m.userId} color={m.status === 'paid' ? 'success' : 'default'}>{m.leader ? '👑' : ''}{m.nickname}</Tag>)}</div>
          {g.status === 'forming' && <Button block color="danger" onClick={async () => {
            const deal = await call(() => api.GET('/api/group-buys/{dealId}', { params: { path: { dealId: g.dealId } } }));
            setBuy({ skuId: deal.skuId, deal: { groupBuy: { dealId: g.dealId, groupId: g.id } } });
          }}>{t('参团')}</Button>}
        </Card>
        <CheckoutPopup buy={buy} onClose={() => { setBuy(null); group.reload(); }} />
      </div>
    )}</Async>
  );
}

export function Bargains() {
  const campaigns = useAsync(() => call(() => api.GET('/api/bargains/campaigns')), []);
  const nav = useNavigate();
  const start = async (id: number) => {
    if (!session.get()) return Toast.show({ content: t('登录') });
    try { const b = await call(() => api.POST('/api/bargains/campaigns/{campaignId}/start', { params: { path: { campaignId: id } } })); nav(`/bargain/${b.id}`); } catch (e) { Toast.show({ content: errorText(e) }); }
  };
  return (
    <div className="page">
      <Async state={campaigns} empty={(c) => c.length === 0}>{(list) => (
        <List>{list.map((c) => <List.Item key={c.id} description={`${t('砍价')} → ${yuan(c.floorPriceFen)}`} extra={<Button size="small" color="danger" onClick={() => void start(c.id)}>{t('发起砍价')}</Button>}>{c.title}</List.Item>)}</List>
      )}</Async>
    </div>
  );
}

export function Bargain() {
  const bargainId = Number(useParams().bargainId);
  const user = useSession();
  const b = useAsync(() => call(() => api.GET('/api/bargains/{bargainId}', { params: { path: { bargainId } } })), [bargainId]);
  const [buy, setBuy] = useState<{ skuId: number; deal: DealOptions } | null>(null);
  const help = async () => {
    if (!session.get()) return Toast.show({ content: t('登录') });
    try { const r = await call(() => api.POST('/api/bargains/{bargainId}/help', { params: { path: { bargainId } } })); Toast.show({ content: `-${yuan(r.cutFen)}` }); b.reload(); } catch (e) { Toast.show({ content: errorText(e) }); }
  };
  return (
    <Async state={b}>{(x) => (
      <div className="page">
        <Card title={`🔪 ${x.title}`}>
          <div className="price big">{yuan(x.currentPriceFen)}</div>
          <ProgressBar percent={Math.round(((x.startPriceFen - x.currentPriceFen) / Math.max(1, x.startPriceFen - x.floorPriceFen)) * 100)} />
          <div className="muted">{x.helps}/{x.helpsNeeded} · {yuan(x.floorPriceFen)} · {new Date(x.expiresAt).toLocaleString()}</div>
          {x.cuts.map((c) => <div key={c.seq}>{c.nickname} -{yuan(c.cutFen)}</div>)}
          {user?.userId === x.userId
            ? <Button block color="danger" disabled={x.status === 'bought' || x.status === 'expired'} onClick={() => setBuy({ skuId: x.skuId, deal: { bargainId: x.id } })}>{t('立即购买')} {yuan(x.currentPriceFen)}</Button>
            : <Button block color="warning" disabled={x.status !== 'active'} onClick={() => void help()}>{t('帮砍一刀')}</Button>}
        </Card>
        <CheckoutPopup buy={buy} onClose={() => { setBuy(null); b.reload(); }} />
      </div>
    )}</Async>
  );
}

export function Points() {
  const p = useAsync(() => call(() => api.GET('/api/me/points')), []);
  return (
    <Async state={p}>{(x) => (
      <div className="page">
        <Card title={`${t('积分')} ${x.balance}`}><div className="muted">{x.policy.pointsPerYuan} = ¥1 · ≤ {x.policy.maxShareBp / 100}%</div></Card>
        <List>{x.entries.map((e) => <List.Item key={e.id} extra={e.delta > 0 ? `+${e.delta}` : e.delta} description={new Date(e.at).toLocaleString()}>{e.reason} {e.ref}</List.Item>)}</List>
      </div>
    )}</Async>
  );
}
