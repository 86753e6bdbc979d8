// Data (数据): reports from the analytics rollups (by day, room, product), alert rules and the
// alerts they raised (DataAlerts.tsx), and A/B experiments with their significance (Experiments.tsx).
import { useLabels } from '@livemall/sdk';
import { Card, Select, Space, Table, Tabs } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { $api, yuan } from '../api.ts';
import { Chart } from '../components/Chart.tsx';
import { tableState } from '../components/Loadable.tsx';
import { useMerchantId } from '../workspace.tsx';
import { Alerts } from './DataAlerts.tsx';
import { Experiments } from './Experiments.tsx';

export default function Data() {
  const { t } = useTranslation();
  return (
    <Card title={t('data.title')}>
      <Tabs
        items={[
          { key: 'reports', label: t('data.reports'), children: <Reports /> },
          { key: 'alerts', label: t('data.alerts'), children: <Alerts /> },
          { key: 'ab', label: t('data.experiments'), children: <Experiments /> },
        ]}
      />
    </Card>
  );
}

const BY = ['time', 'room', 'product'] as const;
type By = (typeof BY)[number];

function Reports() {
  const { t } = useTranslation();
  const labels = useLabels();
  const merchantId = useMerchantId();
  const [by, setBy] = useState<By>('time');
  const [days, setDays] = useState(7);
  // From the start of the first day, so the query's key stays the same all day.
  const from = new Date(new Date().setHours(0, 0, 0, 0) - (days - 1) * 86_400_000).toISOString();
  const report = $api.useQuery('get', '/api/merchants/{merchantId}/analytics/report', {
    params: { path: { merchantId }, query: { by, grain: 'day', from } },
  });
  const rows = report.data?.rows ?? [];
  const label = (r: (typeof rows)[number]) => (by === 'time' ? labels.date(r.key) : r.label || `#${r.key}`);
  const uv = t('data.uv');
  const views = t('data.views');
  const gmv = t('data.gmvSeries');
  return (
    <>
      <Space style={{ marginBottom: 12 }}>
        <Select
          value={by}
          onChange={setBy}
          style={{ width: 160 }}
          data-testid="report-by"
          options={BY.map((value) => ({ value, label: labels.label('reportBy', value) }))}
        />
        <Select
          value={days}
          onChange={setDays}
          style={{ width: 120 }}
          options={[1, 7, 30].map((d) => ({ value: d, label: t('data.lastDays', { n: d }) }))}
        />
      </Space>
      {by === 'time' && (
        <Chart
          height={220}
          testId="report-chart"
          option={{
            tooltip: { trigger: 'axis' },
            legend: { data: [uv, views, gmv] },
            xAxis: { type: 'category', data: rows.map(label) },
            yAxis: [
              { type: 'value', minInterval: 1 },
              { type: 'value', name: '¥' },
            ],
            series: [
              { name: uv, type: 'bar', data: rows.map((r) => r.visitors ?? 0) },
              { name: views, type: 'bar', data: rows.map((r) => r.enters) },
              { name: gmv, type: 'line', yAxisIndex: 1, data: rows.map((r) => r.gmvFen / 100) },
            ],
          }}
        />
      )}
      <Table
        size="small"
        rowKey="key"
        {...tableState(report, (d) => d.rows)}
        pagination={false}
        data-testid="report-table"
        columns={[
          {
            title: by === 'time' ? t('data.day') : by === 'room' ? t('data.room') : t('data.product'),
            render: (_, r) => label(r),
          },
          ...(by === 'product'
            ? []
            : [{ title: uv, render: (_: unknown, r: (typeof rows)[number]) => r.visitors ?? '-' }]),
          { title: t('data.pv'), dataIndex: 'pageViews' },
          { title: t('data.clicks'), dataIndex: 'clicks' },
          { title: t('data.carts'), dataIndex: 'carts' },
          { title: t('data.comments'), dataIndex: 'comments' },
          { title: t('data.follows'), dataIndex: 'follows' },
          { title: t('data.orders'), dataIndex: 'orders' },
          { title: t('data.paid'), dataIndex: 'paidOrders' },
          { title: 'GMV', render: (_, r) => yuan(r.gmvFen) },
          { title: t('data.refunds'), render: (_, r) => yuan(r.refundFen) },
        ]}
      />
    </>
  );
}
