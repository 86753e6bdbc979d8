// 我的 → 推广中心: the shops I promote (or applied to), and the shops I follow that I could apply to.
import { List, Tag } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { $api, useSession } from '../../api.ts';
import { Async } from '../../components/Async.tsx';
import { LoginForm } from '../../components/LoginForm.tsx';
import { statusKey } from './status.ts';

export function PromoterShops() {
  const { t } = useTranslation();
  const nav = useNavigate();
  const user = useSession();
  const mine = $api.useQuery('get', '/api/me/distribution', {}, { enabled: !!user });
  const follows = $api.useQuery('get', '/api/me/follows', {}, { enabled: !!user });
  if (!user)
    return (
      <div className="page">
        <LoginForm />
      </div>
    );
  return (
    <div className="page" data-testid="promoter-shops">
      <List header={t('promoter.myShops')}>
        <Async query={mine}>
          {(list) =>
            list.length === 0 ? (
              <List.Item>{t('promoter.none')}</List.Item>
            ) : (
              list.map((p) => (
                <List.Item
                  key={p.id}
                  arrow
                  onClick={() => nav(`/distribution/${p.merchantId}`)}
                  extra={<Tag color={p.status === 'approved' ? 'success' : 'default'}>{t(statusKey(p.status))}</Tag>}
                >
                  {p.merchantName ?? `#${p.merchantId}`}
                </List.Item>
              ))
            )
          }
        </Async>
      </List>
      <List header={t('promoter.applyShops')}>
        <Async query={follows}>
          {(list) => {
            const known = new Set((mine.data ?? []).map((p) => p.merchantId));
            const open = list.filter((f) => !known.has(f.merchantId));
            return open.length === 0 ? (
              <List.Item>{t('invite.noShops')}</List.Item>
            ) : (
              open.map((f) => (
                <List.Item key={f.merchantId} arrow onClick={() => nav(`/distribution/${f.merchantId}`)}>
                  {f.name}
                </List.Item>
              ))
            );
          }}
        </Async>
      </List>
    </div>
  );
}
