// 工单: what chat could not settle (disputes, complaints), with their SLA timers — time left to the
// first response and to resolution, red once breached — and respond / resolve from the list.
import { App, Button, Card, Input, Select, Space, Table, Tag } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { $api, errorText } from '../api.ts';
import { useMerchantId } from '../workspace.tsx';
import { TicketDetail } from './TicketDetail.tsx';

const STATUSES = ['open', 'responded', 'resolved', 'closed'] as const;

function useNow(): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(id);
  }, []);
  return now;
}

/** "1:05:09" left, or "-0:03:10" past the deadline. */
function left(dueIso: string, now: number): string {
  const s = Math.round((Date.parse(dueIso) - now) / 1000);
  const a = Math.abs(s);
  const hms = `${Math.floor(a / 3600)}:${String(Math.floor((a % 3600) / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
  return s < 0 ? `-${hms}` : hms;
}

export function Tickets() {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const merchantId = useMerchantId();
  const now = useNow();
  const [status, setStatus] = useState<string | undefined>(undefined);
  const [breached, setBreached] = useState(false);
  const list = $api.useQuery(
    'get',
    '/api/merchants/{merchantId}/support/tickets',
    {
      params: {
        path: { merchantId },
        query: { ...(status ? { status: status as 'open' } : {}), ...(breached ? { breached: true } : {}) },
      },
    },
    { refetchInterval: 15_000 },
  );
  const respond = $api.useMutation('post', '/api/merchants/{merchantId}/support/tickets/{ticketId}/respond');
  const resolve = $api.useMutation('post', '/api/merchants/{merchantId}/support/tickets/{ticketId}/resolve');
  const act = (ticketId: number, what: 'respond' | 'resolve') => {
    let note = '';
    modal.confirm({
      title: what === 'respond' ? t('service.ticketRespond') : t('service.ticketResolve'),
      content: (
        <Input.TextArea maxLength={1000} placeholder={t('service.note')} onChange={(e) => (note = e.target.value)} />
      ),
      onOk: async () => {
        try {
          const params = { path: { merchantId, ticketId } };
          await (what === 'respond' ? respond : resolve).mutateAsync({ params, body: { note } });
        } catch (e) {
          void message.error(errorText(e));
        }
      },
    });
  };
  const timer = (due: string, done: string | null, hit: boolean) =>
    done ? (
      <Tag color={hit ? 'red' : 'green'}>{hit ? t('service.breached') : t('service.met')}</Tag>
    ) : (
      <Tag color={hit || Date.parse(due) < now ? 'red' : 'blue'} data-testid="sla-timer">
        {left(due, now)}
      </Tag>
    );
  return (
    <Card size="small">
      <Space style={{ marginBottom: 12 }}>
        <Select
          allowClear
          style={{ width: 160 }}
          placeholder={t('service.ticketStatus')}
          value={status}
          onChange={setStatus}
          options={STATUSES.map((s) => ({ value: s, label: t(`service.ticketStatuses.${s}`) }))}
        />
        <Button type={breached ? 'primary' : 'default'} onClick={() => setBreached((b) => !b)}>
          {t('service.onlyBreached')}
        </Button>
      </Space>
      <Table
        rowKey="id"
        size="small"
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        expandable={{
          expandedRowRender: (r) => (
            <TicketDetail
              merchantId={merchantId}
              ticketId={r.id}
              open={r.status === 'open' || r.status === 'responded'}
            />
          ),
        }}
        columns={[
          { title: '#', dataIndex: 'id' },
          {
            title: t('service.category'),
            render: (_, r) => t(`service.categories.${r.category}` as 'service.categories.other'),
          },
          {
            title: t('service.priority'),
            render: (_, r) => (
              <Tag color={r.priority === 'urgent' || r.priority === 'high' ? 'red' : 'default'}>
                {t(`service.priorities.${r.priority}` as 'service.priorities.normal')}
              </Tag>
            ),
          },
          { title: t('service.reason'), dataIndex: 'reason', ellipsis: true },
          {
            title: t('common.status'),
            render: (_, r) => t(`service.ticketStatuses.${r.status}` as 'service.ticketStatuses.open'),
          },
          {
            title: t('service.firstResponseSla'),
            render: (_, r) => timer(r.firstResponseDueAt, r.firstRespondedAt ?? r.resolvedAt, r.firstResponseBreached),
          },
          {
            title: t('service.resolutionSla'),
            render: (_, r) => timer(r.resolutionDueAt, r.resolvedAt, r.resolutionBreached),
          },
          { title: t('service.escalations'), dataIndex: 'escalations' },
          {
            title: t('common.actions'),
            render: (_, r) => (
              <Space>
                {r.status === 'open' && (
                  <Button size="small" onClick={() => act(r.id, 'respond')}>
                    {t('service.respond')}
                  </Button>
                )}
                {(r.status === 'open' || r.status === 'responded') && (
                  <Button size="small" type="primary" onClick={() => act(r.id, 'resolve')}>
                    {t('service.resolve')}
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
    </Card>
  );
}
