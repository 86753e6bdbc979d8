// Marketing pages: claim centre, flash sales, group-buy (deal and share-link group), bargain.
import { useLabels } from '@livemall/sdk';
import { Button, Card, List, ProgressBar, Tabs, Tag, Toast } from 'antd-mobile';
import { FireFill, StarFill, TagOutline } from 'antd-mobile-icons';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router-dom';
import { $api, queryClient, useSession, yuan } from '../api.ts';
import { Async } from '../components/Async.tsx';
import { useDealCheckout } from '../components/deals/DealCheckout.tsx';
import { GroupCard } from '../components/deals/GroupCard.tsx';
import { toastOnError, useSignedIn } from '../components/deals/toasts.ts';
import { ShareButton } from '../share/ShareButton.tsx';

export function Coupons() {
  const { t } = useTranslation();
  const labels = useLabels();
  const user = useSession();
  const signedIn = useSignedIn();
  const list = $api.useQuery('get', '/api/coupons');
  const mine = $api.useQuery('get', '/api/me/coupons', {}, { enabled: !!user });
  const claimM = $api.useMutation('post', '/api/coupons/{templateId}/claim');
  const claim = async (id: number) => {
    if (!signedIn()) return;
    await toastOnError(async () => {
      await claimM.mutateAsync({ params: { path: { templateId: id } } });
      Toast.show({ content: t('room.claimedToast') });
    });
  };
  return (
    <div className="page">
      <Tabs>
        <Tabs.Tab title={t('home.coupons')} key="centre">
          <Async query={list} empty={(l) => l.length === 0}>
            {(l) => (
              <List>
                {l.map((c) => (
                  <List.Item
                    key={c.id}
                    description={`${labels.server(c.description)} · ${t('deals.left', { n: c.remaining })}`}
                    extra={
                      <Button
                        size="small"
                        color="danger"
                        disabled={c.canClaim === false}
                        onClick={() => void claim(c.id)}
                      >
                        {c.canClaim === false ? t('deals.claimed') : t('deals.claim')}
                      </Button>
                    }
                  >
                    {c.title} {c.funding === 'platform' && <Tag color="primary">{t('coupons.platform')}</Tag>}
                  </List.Item>
                ))}
              </List>
            )}
          </Async>
        </Tabs.Tab>
        <Tabs.Tab title={t('deals.myCoupons')} key="mine">
          {user ? (
            <Async query={mine} empty={(l) => l.length === 0}>
              {(l) => (
                <List>
                  {l.map((c) => (
                    <List.Item
                      key={c.id}
                      description={`${labels.server(c.description)} · ${labels.date(c.validUntil)}`}
                    >
                      {c.title}
                    </List.Item>
                  ))}
                </List>
              )}
            </Async>
          ) : null}
        </Tabs.Tab>
      </Tabs>
    </div>
  );
}

export function FlashSales() {
  const { t } = useTranslation();
  const labels = useLabels();
  const signedIn = useSignedIn();
  const sessions = $api.useQuery('get', '/api/flash-sales');
  const token = $api.useMutation('post', '/api/flash-sales/items/{itemId}/token');
  const checkout = useDealCheckout(sessions.refetch);
  const grab = async (itemId: number, skuId: number) => {
    if (!signedIn()) return;
    await toastOnError(async () => {
      const tok = await token.mutateAsync({ params: { path: { itemId } }, body: {} });
      checkout.open(skuId, { flashSaleItemId: itemId, flashToken: tok.token });
    });
  };
  return (
    <div className="page">
      <Async query={sessions} empty={(s) => s.length === 0}>
        {(list) => (
          <>
            {list.map((s) => (
              <Card
                key={s.id}
                title={
                  <>
                    <FireFill /> {s.title}
                  </>
                }
                extra={
                  <Tag color={s.state === 'running' ? 'danger' : 'default'}>
                    {s.state === 'running'
                      ? t('deals.flash')
                      : s.state === 'upcoming'
                        ? t('deals.startsAt', { time: labels.time(s.startsAt) })
                        : labels.label('flashState', s.state)}
                  </Tag>
                }
              >
                {s.items.map((i) => (
                  <div key={i.id} className="bag-item">
                    {i.coverUrl && <img src={i.coverUrl} alt="" />}
                    <div className="grow">
                      <div className="clamp">{i.title}</div>
                      <span className="price">{yuan(i.flashPriceFen)}</span>{' '}
                      <s className="muted">{yuan(i.originalPriceFen)}</s>
                      <ProgressBar percent={Math.round(((i.stock - i.remaining) / i.stock) * 100)} />
                    </div>
                    <Button
                      size="small"
                      color="danger"
                      disabled={s.state !== 'running' || i.remaining <= 0}
                      onClick={() => void grab(i.id, i.skuId)}
                    >
                      {i.remaining <= 0 ? t('deals.allGone') : t('deals.grab')}
                    </Button>
                  </div>
                ))}
              </Card>
            ))}
          </>
        )}
      </Async>
      {checkout.sheet}
    </div>
  );
}

export function GroupBuys() {
  const { t } = useTranslation();
  const deals = $api.useQuery('get', '/api/group-buys');
  const checkout = useDealCheckout(deals.refetch);
  const nav = useNavigate();
  return (
    <div className="page">
      <Async query={deals} empty={(d) => d.length === 0}>
        {(list) => (
          <>
            {list.map((d) => (
              <GroupCard key={d.id} title={d.title} groupPriceFen={d.groupPriceFen}>
                <div className="muted">{t('deals.groupOf', { n: d.groupSize })}</div>
                {d.openGroups.map((g) => (
                  <List.Item
                    key={g.id}
                    onClick={() => nav(`/group/${g.id}`)}
                    arrow
                    extra={t('deals.missing', { n: g.missing })}
                  >
                    {g.members[0]?.nickname ?? ''}
                  </List.Item>
                ))}
                <Button block color="danger" onClick={() => checkout.open(d.skuId, { groupBuy: { dealId: d.id } })}>
                  {t('deals.startGroup')}
                </Button>
              </GroupCard>
            ))}
          </>
        )}
      </Async>
      {checkout.sheet}
    </div>
  );
}

export function Group() {
  const { t } = useTranslation();
  const labels = useLabels();
  const groupId = Number(useParams().groupId);
  const group = $api.useQuery('get', '/api/group-buys/groups/{groupId}', { params: { path: { groupId } } });
  const checkout = useDealCheckout(group.refetch);
  const join = (dealId: number, id: number) =>
    toastOnError(async () => {
      const deal = await queryClient.fetchQuery(
        $api.queryOptions('get', '/api/group-buys/{dealId}', { params: { path: { dealId } } }),
      );
      checkout.open(deal.skuId, { groupBuy: { dealId, groupId: id } });
    });
  return (
    <Async query={group}>
      {(g) => (
        <div className="page">
          <GroupCard title={g.title} groupPriceFen={g.groupPriceFen}>
            <div data-testid="group-progress">
              {g.status === 'forming'
                ? `${t('deals.groupProgress', {
                    joined: g.members.length,
                    size: g.members.length + g.missing,
                    missing: g.missing,
                  })} · ${t('deals.endsAt', { time: labels.time(g.expiresAt) })}`
                : labels.label('groupStatus', g.status)}
            </div>
            <div>
              {g.members.map((m) => (
                <Tag key={m.userId} color={m.status === 'paid' ? 'success' : 'default'}>
                  {m.leader ? <StarFill aria-label={t('deals.leader')} /> : ''}
                  {m.nickname}
                </Tag>
              ))}
            </div>
            {g.status === 'forming' && (
              <Button block color="danger" onClick={() => void join(g.dealId, g.id)}>
                {t('deals.join')}
              </Button>
            )}
            {g.status === 'forming' && (
              <ShareButton className="block-gap" target={{ targetKind: 'group_buy', targetId: g.id }} title={g.title} />
            )}
          </GroupCard>
          {checkout.sheet}
        </div>
      )}
    </Async>
  );
}

export function Bargains() {
  const { t } = useTranslation();
  const signedIn = useSignedIn();
  const campaigns = $api.useQuery('get', '/api/bargains/campaigns');
  const startM = $api.useMutation('post', '/api/bargains/campaigns/{campaignId}/start');
  const nav = useNavigate();
  const start = async (id: number) => {
    if (!signedIn()) return;
    await toastOnError(async () => {
      void nav(`/bargain/${(await startM.mutateAsync({ params: { path: { campaignId: id } } })).id}`);
    });
  };
  return (
    <div className="page">
      <Async query={campaigns} empty={(c) => c.length === 0}>
        {(list) => (
          <List>
            {list.map((c) => (
              <List.Item
                key={c.id}
                description={t('deals.bargainTo', { price: yuan(c.floorPriceFen) })}
                extra={
                  <Button size="small" color="danger" onClick={() => void start(c.id)}>
                    {t('deals.startBargain')}
                  </Button>
                }
              >
                {c.title}
              </List.Item>
            ))}
          </List>
        )}
      </Async>
    </div>
  );
}

export function Bargain() {
  const { t } = useTranslation();
  const labels = useLabels();
  const signedIn = useSignedIn();
  const bargainId = Number(useParams().bargainId);
  const user = useSession();
  const path = { params: { path: { bargainId } } };
  const b = $api.useQuery('get', '/api/bargains/{bargainId}', path);
  const helpM = $api.useMutation('post', '/api/bargains/{bargainId}/help');
  const checkout = useDealCheckout(b.refetch);
  const help = async () => {
    if (!signedIn()) return;
    await toastOnError(async () => {
      Toast.show({ content: `-${yuan((await helpM.mutateAsync(path)).cutFen)}` });
    });
  };
  return (
    <Async query={b}>
      {(x) => (
        <div className="page">
          <Card
            title={
              <>
                <TagOutline /> {x.title}
              </>
            }
          >
            <div className="price big">{yuan(x.currentPriceFen)}</div>
            <ProgressBar
              percent={Math.round(
                ((x.startPriceFen - x.currentPriceFen) / Math.max(1, x.startPriceFen - x.floorPriceFen)) * 100,
              )}
            />
            <div className="muted" data-testid="bargain-progress">
              {t('deals.bargainProgress', {
                cut: yuan(x.startPriceFen - x.currentPriceFen),
                left: yuan(x.currentPriceFen - x.floorPriceFen),
                helps: x.helps,
                needed: x.helpsNeeded,
              })}{' '}
              · {t('deals.endsAt', { time: labels.dateTime(x.expiresAt) })}
            </div>
            {x.cuts.map((c) => (
              <div key={c.seq}>
                {c.nickname} -{yuan(c.cutFen)}
              </div>
            ))}
            {user?.userId === x.userId ? (
              <Button
                block
                color="danger"
                disabled={x.status === 'bought' || x.status === 'expired'}
                onClick={() => checkout.open(x.skuId, { bargainId: x.id })}
              >
                {t('deals.buyAt', { price: yuan(x.currentPriceFen) })}
              </Button>
            ) : (
              <Button block color="warning" disabled={x.status !== 'active'} onClick={() => void help()}>
                {t('deals.helpCut')}
              </Button>
            )}
            {x.status === 'active' && (
              <ShareButton className="block-gap" target={{ targetKind: 'bargain', targetId: x.id }} title={x.title} />
            )}
          </Card>
          {checkout.sheet}
        </div>
      )}
    </Async>
  );
}

export function Points() {
  const { t } = useTranslation();
  const labels = useLabels();
  const p = $api.useQuery('get', '/api/me/points');
  return (
    <Async query={p}>
      {(x) => (
        <div className="page">
          <Card title={t('deals.pointsBalance', { n: x.balance })}>
            <div className="muted">
              {t('deals.pointsPolicy', { points: x.policy.pointsPerYuan, pct: x.policy.maxShareBp / 100 })}
            </div>
          </Card>
          <List>
            {x.entries.map((e) => (
              <List.Item key={e.id} extra={e.delta > 0 ? `+${e.delta}` : e.delta} description={labels.dateTime(e.at)}>
                {labels.label('pointsReason', e.reason)} {e.ref}
              </List.Item>
            ))}
          </List>
        </div>
      )}
    </Async>
  );
}
