// 消息中心: customer-service conversations, order and after-sales notices, live reminders and the
// marketing messages the shopper agreed to; the switches for each kind at the bottom.
import { Badge, Button, List, Switch, Tabs, Toast } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { $api, errorText, useSession } from '../api.ts';
import { Async } from '../components/Async.tsx';
import { LoginForm } from '../components/LoginForm.tsx';
import { refreshUnread } from '../support/socket.ts';

const KINDS = ['service', 'order', 'aftersale', 'live', 'marketing'] as const;
type Kind = (typeof KINDS)[number];
type Notice = { id: number; kind: Kind; topic: string; ref: string; params: Record<string, unknown>; read: boolean };

/** Where a notice leads: its ref ('order:12', 'room:7', 'conversation:5'…) as a shop route. */
function target(ref: string, params: Record<string, unknown>): string | null {
  const [what, id] = ref.split(':');
  if (what === 'order') return `/orders/${id}`;
  if (what === 'aftersale') return params.orderId ? `/orders/${String(params.orderId)}` : '/orders';
  if (what === 'room') return `/room/${id}`;
  if (what === 'conversation') return `/support/${id}`;
  if (what === 'product') return `/product/${id}`;
  return null;
}

export function Messages() {
  const user = useSession();
  if (!user)
    return (
      <div className="page">
        <LoginForm />
      </div>
    );
  return <Centre />;
}

function Centre() {
  const { t } = useTranslation();
  const nav = useNavigate();
  const [kind, setKind] = useState<Kind | 'all'>('all');
  const query = kind === 'all' ? {} : { kind };
  const notices = $api.useQuery('get', '/api/me/messages', { params: { query } });
  const unread = $api.useQuery('get', '/api/me/messages/unread');
  const conversations = $api.useQuery('get', '/api/me/support/conversations');
  const read = $api.useMutation('post', '/api/me/messages/read');
  const markRead = async (body: { ids?: number[]; all?: true }) => {
    try {
      await read.mutateAsync({ body });
      void notices.refetch();
      refreshUnread();
    } catch (e) {
      Toast.show({ content: errorText(e) });
    }
  };
  const open = (n: Notice) => {
    if (!n.read) void markRead({ ids: [n.id] });
    const to = target(n.ref, n.params);
    if (to) void nav(to);
  };
  const byKind = unread.data?.byKind as Record<Kind, number> | undefined;
  return (
    <div className="page" data-testid="messages-page">
      <Tabs activeKey={kind} onChange={(k) => setKind(k as Kind | 'all')}>
        {(['all', ...KINDS] as const).map((k) => (
          <Tabs.Tab
            key={k}
            title={
              <Badge content={k !== 'all' && byKind?.[k] ? byKind[k] : null}>
                <span>{t(`messages.kind.${k}`)}</span>
              </Badge>
            }
          />
        ))}
      </Tabs>
      {(kind === 'all' || kind === 'service') && (conversations.data?.length ?? 0) > 0 && (
        <List header={t('messages.conversations')}>
          {conversations.data!.map((c) => (
            <List.Item
              key={c.id}
              onClick={() => nav(`/support/${c.id}`)}
              description={c.lastPreview}
              extra={c.unread > 0 ? <Badge content={c.unread} data-testid="conversation-unread" /> : null}
              data-testid="conversation-row"
              arrow
            >
              {c.shopName}
            </List.Item>
          ))}
        </List>
      )}
      <List
        header={
          <div className="row space-between">
            <span>{t('messages.notices')}</span>
            <Button
              size="mini"
              fill="none"
              onClick={() => void markRead({ all: true })}
              data-testid="messages-read-all"
            >
              {t('messages.readAll')}
            </Button>
          </div>
        }
      >
        <Async query={notices} empty={(p) => p.items.length === 0}>
          {(page) => (
            <>
              {(page.items as Notice[]).map((n) => (
                <List.Item
                  key={n.id}
                  onClick={() => open(n)}
                  data-testid="notice-row"
                  data-topic={n.topic}
                  prefix={n.read ? null : <Badge content={Badge.dot} />}
                  description={t(`messages.kind.${n.kind}`)}
                >
                  {t(`messages.topic.${n.topic}` as 'messages.topic.order.paid', {
                    ...n.params,
                    amount: typeof n.params.amountFen === 'number' ? (n.params.amountFen / 100).toFixed(2) : '',
                    defaultValue: t('messages.topic.other'),
                  })}
                </List.Item>
              ))}
            </>
          )}
        </Async>
      </List>
      <Preferences />
    </div>
  );
}

function Preferences() {
  const { t } = useTranslation();
  const prefs = $api.useQuery('get', '/api/me/message-preferences');
  const patch = $api.useMutation('patch', '/api/me/message-preferences/{kind}');
  const set = async (kind: Kind, body: { enabled?: boolean; sms?: boolean }) => {
    try {
      await patch.mutateAsync({ params: { path: { kind } }, body });
      void prefs.refetch();
    } catch (e) {
      Toast.show({ content: errorText(e) });
    }
  };
  return (
    <List header={t('messages.preferences')}>
      <Async query={prefs}>
        {(list) => (
          <>
            {list.map((p) => (
              <List.Item
                key={p.kind}
                description={p.kind === 'marketing' ? t('messages.marketingHint') : null}
                extra={
                  <div className="row">
                    <span className="muted">{t('messages.sms')}</span>
                    <Switch checked={p.sms} disabled={!p.enabled} onChange={(sms) => void set(p.kind, { sms })} />
                    <Switch
                      checked={p.enabled}
                      onChange={(enabled) => void set(p.kind, { enabled })}
                      data-testid={`pref-${p.kind}`}
                    />
                  </div>
                }
              >
                {t(`messages.kind.${p.kind}`)}
              </List.Item>
            ))}
          </>
        )}
      </Async>
    </List>
  );
}
