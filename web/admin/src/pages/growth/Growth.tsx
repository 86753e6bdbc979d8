// Growth (增长): share analytics per share, sharer, room or product with a chart (Stats), the spread
// tree with the fission coefficient K by level (Spread.tsx), and the invitation reward (Invites.tsx).
import { Card, Select, Space, Statistic, Table, Tabs } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { $api, yuan } from '../../api.ts';
import { Chart } from '../../components/Chart.tsx';
import { tableState } from '../../components/Loadable.tsx';
import { useMerchantId } from '../../workspace.tsx';
import { Invites } from './Invites.tsx';
import { Spread } from './Spread.tsx';

export default function Growth() {
  const { t } = useTranslation();
  return (
    <Card title={t('growth.title')}>
      <Tabs
        items={[
          { key: 'stats', label: t('growth.stats'), children: <Stats /> },
          { key: 'spread', label: t('growth.spread'), children: <Spread /> },
          { key: 'invites', label: t('growth.invites'), children: <Invites /> },
        ]}
      />
    </Card>
  );
}

const BY = ['share', 'sharer', 'room', 'product'] as const;
type By = (typeof BY)[number];

/** From the start of the first of `days` days, so the query's key stays the same all day. */
export const since = (days: number) =>
  new Date(new Date().setHours(0, 0, 0, 0) - (days - 1) * 86_400_000).toISOString();

export function DaysSelect(props: { value: number; onChange(v: number): void }) {
  const { t } = useTranslation();
  return (
    <Select
      value={props.value}
      onChange={props.onChange}
      style={{ width: 120 }}
      options={[1, 7, 30, 90].map((d) => ({ value: d, label: t('growth.lastDays', { n: d }) }))}
    />
  );
}

function Stats() {
  const { t } = useTranslation();
  const merchantId = useMerchantId();
  const [by, setBy] = useState<By>('share');
  const [days, setDays] = useState(30);
  const report = $api.useQuery('get', '/api/merchants/{merchantId}/growth/shares', {
    params: { path: { merchantId }, query: { by, from: since(days) } },
  });
  const rows = report.data?.rows ?? [];
  const totals = report.data?.totals;
  const label = (r: (typeof rows)[number]) =>
    r.label || (by === 'share' && r.token ? `${r.token} (#${r.id})` : r.id ? `#${r.id}` : t('growth.anonymous'));
  const top = rows.slice(0, 15);
  const [shares, visits, orders] = [t('growth.shares'), t('growth.visits'), t('growth.orders')];
  return (
    <>
      <Space style={{ marginBottom: 12 }} wrap>
        <Select
          value={by}
          onChange={setBy}
          style={{ width: 140 }}
          data-testid="growth-by"
          options={BY.map((value) => ({ value, label: t(`growth.by.${value}`) }))}
        />
        <DaysSelect value={days} onChange={setDays} />
      </Space>
      {totals && (
        <Space size="large" style={{ marginBottom: 12 }} wrap data-testid="growth-totals">
          <Statistic title={shares} value={totals.shares} />
          <Statistic title={t('growth.visitors')} value={totals.visitors} />
          <Statistic title={t('growth.newVisitors')} value={totals.newVisitors} />
          <Statistic title={orders} value={totals.orders} />
          <Statistic title={t('growth.gmv')} value={yuan(totals.gmvFen)} />
        </Space>
      )}
      <Chart
        height={240}
        testId="growth-chart"
        option={{
          tooltip: { trigger: 'axis' },
          legend: { data: [shares, visits, orders] },
          xAxis: {
            type: 'category',
            data: top.map(label),
            axisLabel: { interval: 0, rotate: top.length > 6 ? 30 : 0 },
          },
          yAxis: { type: 'value', minInterval: 1 },
          series: [
            { name: shares, type: 'bar', data: top.map((r) => r.shares) },
            { name: visits, type: 'bar', data: top.map((r) => r.visits) },
            { name: orders, type: 'bar', data: top.map((r) => r.orders) },
          ],
        }}
      />
      <Table
        size="small"
        rowKey="key"
        {...tableState(report, (d) => d.rows)}
        pagination={{ pageSize: 20 }}
        data-testid="growth-table"
        columns={[
          { title: t('growth.key'), render: (_, r) => label(r) },
          { title: shares, dataIndex: 'shares' },
          { title: t('growth.visitors'), dataIndex: 'visitors' },
          { title: visits, dataIndex: 'visits' },
          { title: t('growth.newVisitors'), dataIndex: 'newVisitors' },
          { title: t('growth.signups'), dataIndex: 'signups' },
          { title: t('growth.roomEntries'), dataIndex: 'roomEntries' },
          { title: orders, dataIndex: 'orders' },
          { title: t('growth.gmv'), render: (_, r) => yuan(r.gmvFen) },
        ]}
      />
    </>
  );
}
