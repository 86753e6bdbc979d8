// 推广中心 of one shop: apply (or accept the shop's invitation), then, once approved, my link and
// poster, earnings by state, customers, commissioned orders, the statement and withdrawals.
import { ApiFailure } from '@livemall/sdk';
import { Button, Card, Grid, Result, Tabs, Toast } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams, useSearchParams } from 'react-router-dom';
import { $api, errorText, useSession, yuan } from '../../api.ts';
import { Async } from '../../components/Async.tsx';
import { LoginForm } from '../../components/LoginForm.tsx';
import { PosterSheet } from '../../share/PosterSheet.tsx';
import { sendLink, shareTarget } from '../../share/share.ts';
import { Commissions, Customers, Ledger, Withdrawals } from './Lists.tsx';
import { statusKey } from './status.ts';

function Apply({ merchantId, shop, recruiter }: { merchantId: number; shop: string; recruiter: number | null }) {
  const { t } = useTranslation();
  const apply = $api.useMutation('post', '/api/me/distribution/merchants/{merchantId}/apply');
  const submit = async () => {
    try {
      await apply.mutateAsync({
        params: { path: { merchantId } },
        body: recruiter ? { recruiterUserId: recruiter } : {},
      });
      Toast.show({ content: t('promoter.applied') });
    } catch (e) {
      Toast.show({ content: errorText(e) });
    }
  };
  return (
    <>
      <Result
        status="info"
        title={t('promoter.joinTitle', { shop })}
        description={recruiter ? t('promoter.joinUnder', { id: recruiter }) : undefined}
      />
      <Button block color="danger" loading={apply.isPending} onClick={() => void submit()} data-testid="promoter-apply">
        {t('promoter.apply')}
      </Button>
    </>
  );
}

export function PromoterCentre() {
  const { t } = useTranslation();
  const merchantId = Number(useParams().merchantId);
  const [params] = useSearchParams();
  const recruiter = Number(params.get('recruiter')) || null;
  const user = useSession();
  const path = { params: { path: { merchantId } } };
  const shop = $api.useQuery('get', '/api/shops/{merchantId}', path);
  const centre = $api.useQuery('get', '/api/me/distribution/merchants/{merchantId}', path, {
    enabled: !!user,
    retry: false,
  });
  const accept = $api.useMutation('post', '/api/me/distribution/merchants/{merchantId}/accept');
  const [tab, setTab] = useState('orders');
  const [poster, setPoster] = useState(false);
  if (!user)
    return (
      <div className="page">
        <LoginForm />
      </div>
    );
  const shopName = shop.data?.name ?? '';
  if (centre.error instanceof ApiFailure && centre.error.error.code === 'PROMOTER_NOT_FOUND')
    return (
      <div className="page">
        <Apply merchantId={merchantId} shop={shopName} recruiter={recruiter} />
      </div>
    );
  return (
    <Async query={centre}>
      {(c) => {
        const p = c.promoter;
        if (p.status !== 'approved')
          return (
            <div className="page" data-testid="promoter-status">
              <Result
                status={p.status === 'pending' || p.status === 'invited' ? 'waiting' : 'warning'}
                title={t(statusKey(p.status))}
                description={shopName}
              />
              {p.status === 'invited' && (
                <Button
                  block
                  color="danger"
                  onClick={() => void accept.mutateAsync(path).catch((err) => Toast.show({ content: errorText(err) }))}
                >
                  {t('promoter.accept')}
                </Button>
              )}
            </div>
          );
        const e = c.earnings;
        const figures = [
          ['pending', e.pendingFen],
          ['settled', e.settledFen],
          ['reversed', e.reversedFen],
          ['balance', e.balanceFen],
          ['withdrawing', e.withdrawingFen],
          ['withdrawn', e.withdrawnFen],
        ] as const;
        const target = { targetKind: 'promoter' as const, targetId: c.link.targetId, merchantId };
        const recruitUrl = c.link.recruitPath
          ? `${location.origin}${import.meta.env.BASE_URL.replace(/\/$/, '')}${c.link.recruitPath}`
          : null;
        return (
          <div className="page" data-testid="promoter-centre">
            <Card title={`${t('promoter.centre')} · ${shopName}`}>
              <Grid columns={3} gap={8}>
                {figures.map(([k, fen]) => (
                  <Grid.Item key={k} className="figure" data-testid={`earnings-${k}`}>
                    <div className="price">{yuan(fen)}</div>
                    <div className="muted">{t(`promoter.earnings.${k}`)}</div>
                  </Grid.Item>
                ))}
              </Grid>
            </Card>
            <div className="row gap">
              <Button
                color="danger"
                size="small"
                onClick={() => void shareTarget(target, t('promoter.linkTitle', { shop: shopName }))}
                data-testid="promoter-link"
              >
                {t('promoter.myLink')}
              </Button>
              <Button size="small" onClick={() => setPoster(true)} data-testid="promoter-poster">
                {t('promoter.myPoster')}
              </Button>
              {recruitUrl && (
                <Button size="small" fill="outline" onClick={() => void sendLink(recruitUrl, t('promoter.recruit'))}>
                  {t('promoter.recruit')}
                </Button>
              )}
            </div>
            <PosterSheet
              visible={poster}
              onClose={() => setPoster(false)}
              of={{ kind: 'promoter', merchantId }}
              target={target}
            />
            <Tabs activeKey={tab} onChange={setTab}>
              <Tabs.Tab key="orders" title={t('promoter.orders')}>
                <Commissions merchantId={merchantId} />
              </Tabs.Tab>
              <Tabs.Tab key="customers" title={t('promoter.customers', { n: c.customers })}>
                <Customers merchantId={merchantId} />
              </Tabs.Tab>
              <Tabs.Tab key="ledger" title={t('promoter.ledger')}>
                <Ledger merchantId={merchantId} />
              </Tabs.Tab>
              <Tabs.Tab key="withdrawals" title={t('promoter.withdrawals')}>
                <Withdrawals merchantId={merchantId} balanceFen={e.balanceFen} />
              </Tabs.Tab>
            </Tabs>
          </div>
        );
      }}
    </Async>
  );
}
