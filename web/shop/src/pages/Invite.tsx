// 我的 → 邀请好友: pick a shop I follow (or the one a link named), send the invitation link, and see
// the invitations I sent and received with their rewards (granted on the friend's first paid order).
import { Button, List, Selector, Tag } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { $api, useSession } from '../api.ts';
import { Async } from '../components/Async.tsx';
import { LoginForm } from '../components/LoginForm.tsx';
import { shareTarget } from '../share/share.ts';

type Invitation = {
  id: number;
  merchantId: number;
  inviterNickname: string;
  inviteeNickname: string;
  status: 'pending' | 'rewarded' | 'settled' | 'reversed';
  rewards: Array<{ userId: number; kind: 'coupon' | 'points'; points: number; status: string }>;
};

function Rows({ list, who, me }: { list: Invitation[]; who: 'invitee' | 'inviter'; me: number }) {
  const { t } = useTranslation();
  if (list.length === 0) return <List.Item>{t('invite.none')}</List.Item>;
  return (
    <>
      {list.map((i) => {
        const mine = i.rewards.filter((r) => r.userId === me);
        return (
          <List.Item
            key={i.id}
            extra={<Tag color={i.status === 'reversed' ? 'default' : 'success'}>{t(`invite.status.${i.status}`)}</Tag>}
            description={mine
              .map((r) =>
                r.kind === 'points' ? t('invite.reward.points', { n: r.points }) : t('invite.reward.coupon'),
              )
              .join(' · ')}
          >
            {who === 'invitee' ? i.inviteeNickname : i.inviterNickname}
          </List.Item>
        );
      })}
    </>
  );
}

export function Invite() {
  const { t } = useTranslation();
  const user = useSession();
  const [params] = useSearchParams();
  const follows = $api.useQuery('get', '/api/me/follows', {}, { enabled: !!user });
  const mine = $api.useQuery('get', '/api/me/invitations', {}, { enabled: !!user });
  const named = Number(params.get('merchantId')) || null;
  const [picked, setPicked] = useState<number | null>(named);
  if (!user)
    return (
      <div className="page">
        <LoginForm />
      </div>
    );
  return (
    <div className="page" data-testid="invite">
      <List header={t('invite.pickShop')}>
        <Async query={follows}>
          {(list) => {
            const shops = list.map((f) => ({ label: f.name, value: f.merchantId }));
            if (named && !shops.some((s) => s.value === named)) shops.unshift({ label: `#${named}`, value: named });
            const shop = picked ?? shops[0]?.value ?? null;
            const name = shops.find((s) => s.value === shop)?.label ?? '';
            return shops.length === 0 ? (
              <List.Item>{t('invite.noShops')}</List.Item>
            ) : (
              <List.Item>
                <Selector options={shops} value={shop ? [shop] : []} onChange={(v) => setPicked(v[0] ?? null)} />
                <div className="muted">{t('invite.rule')}</div>
                <Button
                  block
                  color="danger"
                  disabled={!shop}
                  onClick={() => {
                    if (shop)
                      void shareTarget({ targetKind: 'invite', targetId: shop }, `${t('invite.title')} · ${name}`);
                  }}
                  data-testid="invite-send"
                >
                  {t('invite.send')}
                </Button>
              </List.Item>
            );
          }}
        </Async>
      </List>
      <Async query={mine}>
        {(m) => (
          <>
            <List header={t('invite.sent')}>
              <Rows list={m.sent} who="invitee" me={user.userId} />
            </List>
            <List header={t('invite.received')}>
              <Rows list={m.received} who="inviter" me={user.userId} />
            </List>
          </>
        )}
      </Async>
    </div>
  );
}
