// Promoters: applications to approve or reject, approved ones to suspend or reinstate; and the ranking
// of promoters by the commission they earned (after refunds) over the last days, as a chart and a table.
import { useLabels } from '@livemall/sdk';
import { App, Button, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { $api, errorText, yuan } from '../../api.ts';
import { Chart } from '../../components/Chart.tsx';
import { tableState } from '../../components/Loadable.tsx';
import { useMerchantId } from '../../workspace.tsx';
import { PROMOTER, promoterKey } from './status.ts';

type Action = 'approve' | 'reject' | 'suspend' | 'reinstate';
const ACTIONS: Record<string, Action[]> = {
  pending: ['approve', 'reject'],
  approved: ['suspend'],
  suspended: ['reinstate'],
  rejected: ['approve'],
};

export function Promoters() {
  const { t } = useTranslation();
  const labels = useLabels();
  const merchantId = useMerchantId();
  const { message } = App.useApp();
  const [status, setStatus] = useState<(typeof PROMOTER)[number] | undefined>(undefined);
  const list = $api.useQuery('get', '/api/merchants/{merchantId}/distribution/promoters', {
    params: { path: { merchantId }, query: { pageSize: 100, ...(status ? { status } : {}) } },
  });
  const decide = $api.useMutation('post', '/api/merchants/{merchantId}/distribution/promoters/{promoterId}/decision');
  const act = async (promoterId: number, action: Action) => {
    try {
      await decide.mutateAsync({ params: { path: { merchantId, promoterId } }, body: { action } });
    } catch (e) {
      void message.error(errorText(e));
    }
  };
  return (
    <>
      <Select
        allowClear
        value={status}
        onChange={setStatus}
        placeholder={t('common.status')}
        style={{ width: 160, marginBottom: 12 }}
        options={PROMOTER.map((s) => ({ value: s, label: t(promoterKey(s)) }))}
      />
      <Table
        size="small"
        rowKey="id"
        {...tableState(list, (d) => d.items)}
        data-testid="promoters"
        columns={[
          { title: t('distribution.user'), render: (_, p) => p.nickname ?? `#${p.userId}` },
          {
            title: t('distribution.recruiter'),
            render: (_, p) => (p.parentPromoterId ? `#${p.parentPromoterId}` : '-'),
          },
          { title: t('distribution.source'), dataIndex: 'source' },
          { title: t('common.note'), dataIndex: 'note' },
          { title: t('common.time'), render: (_, p) => labels.dateTime(p.createdAt) },
          {
            title: t('common.status'),
            render: (_, p) => (
              <Tag color={p.status === 'approved' ? 'green' : p.status === 'pending' ? 'orange' : 'default'}>
                {t(promoterKey(p.status))}
              </Tag>
            ),
          },
          {
            title: t('common.actions'),
            render: (_, p) => (
              <Space>
                {(ACTIONS[p.status] ?? []).map((a) => (
                  <Button
                    key={a}
                    size="small"
                    type={a === 'approve' ? 'primary' : 'default'}
                    danger={a === 'reject' || a === 'suspend'}
                    onClick={() => void act(p.id, a)}
                    data-testid={`promoter-${a}`}
                  >
                    {t(`distribution.${a}`)}
                  </Button>
                ))}
              </Space>
            ),
          },
        ]}
      />
    </>
  );
}

export function Ranking() {
  const { t } = useTranslation();
  const merchantId = useMerchantId();
  const [days, setDays] = useState(30);
  const ranking = $api.useQuery('get', '/api/merchants/{merchantId}/distribution/ranking', {
    params: { path: { merchantId }, query: { days, limit: 20 } },
  });
  const rows = ranking.data ?? [];
  return (
    <>
      <Select
        value={days}
        onChange={setDays}
        style={{ width: 120, marginBottom: 12 }}
        options={[7, 30, 90].map((d) => ({ value: d, label: t('distribution.days', { n: d }) }))}
      />
      <Chart
        height={220}
        testId="ranking-chart"
        option={{
          tooltip: { trigger: 'axis' },
          xAxis: { type: 'category', data: rows.map((r) => r.nickname) },
          yAxis: { type: 'value', name: '¥' },
          series: [
            { name: t('distribution.earned'), type: 'bar', data: rows.map((r) => r.earnedFen / 100) },
            { name: t('distribution.sales'), type: 'bar', data: rows.map((r) => r.salesFen / 100) },
          ],
        }}
      />
      <Table
        size="small"
        rowKey="promoterId"
        {...tableState(ranking, (d) => d)}
        pagination={false}
        columns={[
          { title: t('distribution.rank'), dataIndex: 'rank' },
          { title: t('distribution.promoter'), dataIndex: 'nickname' },
          { title: t('distribution.earned'), render: (_, r) => yuan(r.earnedFen) },
          { title: t('growth.orders'), dataIndex: 'orders' },
          { title: t('distribution.sales'), render: (_, r) => yuan(r.salesFen) },
        ]}
      />
    </>
  );
}
