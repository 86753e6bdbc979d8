// 客服工作台: my availability, the queue of waiting conversations with how long each has waited, my
// conversations with their unread counts, and the selected chat with the customer beside it.
import { App, Badge, Card, Col, List, Row, Segmented, Space, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { $api, errorText } from '../api.ts';
import { useMerchantId, useWorkspace } from '../workspace.tsx';
import { ChatPanel, type ConversationRow } from './ChatPanel.tsx';
import { ContextPanel } from './ContextPanel.tsx';
import { agentSocket, refreshLists } from './socket.ts';

const STATUSES = ['online', 'busy', 'away', 'offline'] as const;

/** Seconds since `iso`, ticking every second while shown. */
function useNow(): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(id);
  }, []);
  return now;
}

const mmss = (s: number) => `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;

export function Workbench() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const merchantId = useMerchantId();
  const me = useWorkspace().me.user.id;
  const now = useNow();
  const m = { params: { path: { merchantId } } };
  const live = { refetchInterval: 5000 };
  const queue = $api.useQuery(
    'get',
    '/api/merchants/{merchantId}/support/conversations',
    { params: { path: { merchantId }, query: { status: 'waiting' } } },
    live,
  );
  const mine = $api.useQuery(
    'get',
    '/api/merchants/{merchantId}/support/conversations',
    { params: { path: { merchantId }, query: { mine: true } } },
    live,
  );
  const agents = $api.useQuery('get', '/api/merchants/{merchantId}/support/agents', m);
  const setStatus = $api.useMutation('put', '/api/merchants/{merchantId}/support/agents/me');
  const [selected, setSelected] = useState<number | null>(null);
  useEffect(() => {
    agentSocket(); // frames for my conversations and the queue refresh these lists at once
  }, []);
  const myStatus = agents.data?.find((a) => a.userId === me)?.status ?? 'offline';
  const all = [...(mine.data ?? []), ...(queue.data ?? [])];
  const conv = all.find((c) => c.id === selected) as ConversationRow | undefined;
  const row = (c: (typeof all)[number], waiting: boolean) => (
    <List.Item
      key={c.id}
      onClick={() => setSelected(c.id)}
      className={c.id === selected ? 'svc-selected' : ''}
      style={{ cursor: 'pointer' }}
      data-testid={waiting ? 'queue-row' : 'mine-row'}
      extra={
        waiting ? (
          <Tag color={(c.waitSeconds ?? 0) > 30 ? 'red' : 'blue'}>
            {mmss(c.queuedAt ? Math.max(0, Math.round((now - Date.parse(c.queuedAt)) / 1000)) : (c.waitSeconds ?? 0))}
          </Tag>
        ) : (
          <Badge count={c.unread} />
        )
      }
    >
      <List.Item.Meta
        title={
          <Space>
            {c.nickname}
            {c.priority === 'high' && <Tag color="red">{t('service.urgent')}</Tag>}
          </Space>
        }
        description={<Typography.Text ellipsis>{c.lastPreview}</Typography.Text>}
      />
    </List.Item>
  );
  return (
    <Row gutter={12}>
      <Col span={6}>
        <Card size="small" title={t('service.availability')}>
          <Segmented
            block
            value={myStatus}
            data-testid="agent-availability"
            options={STATUSES.map((s) => ({ value: s, label: t(`service.agentStatus.${s}`) }))}
            onChange={async (status) => {
              try {
                await setStatus.mutateAsync({ ...m, body: { status: status as (typeof STATUSES)[number] } });
                refreshLists();
              } catch (e) {
                void message.error(errorText(e));
              }
            }}
          />
        </Card>
        <Card size="small" title={`${t('service.queue')} (${queue.data?.length ?? 0})`} style={{ marginTop: 12 }}>
          <List size="small" dataSource={queue.data ?? []} renderItem={(c) => row(c, true)} />
        </Card>
        <Card size="small" title={t('service.mine')} style={{ marginTop: 12 }}>
          <List size="small" dataSource={mine.data ?? []} renderItem={(c) => row(c, false)} />
        </Card>
      </Col>
      <Col span={11}>
        {conv ? (
          <ChatPanel merchantId={merchantId} conv={conv} me={me} onChanged={refreshLists} />
        ) : (
          <Card>{t('service.chooseConversation')}</Card>
        )}
      </Col>
      <Col span={7}>{conv && <ContextPanel merchantId={merchantId} conversationId={conv.id} />}</Col>
    </Row>
  );
}
