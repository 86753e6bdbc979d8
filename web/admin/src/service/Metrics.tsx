// 服务数据: the shop's service metrics by day (ECharts, as on the Data pages) and per agent: first
// response, resolution and bot resolution rates, 30 s pickup, satisfaction and SLA breaches.
import { Card, Col, Row, Select, Statistic, Table } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { $api } from '../api.ts';
import { Chart } from '../components/Chart.tsx';
import { useMerchantId } from '../workspace.tsx';

const pct = (r: number | null) => (r === null ? '—' : `${Math.round(r * 1000) / 10}%`);
/** A day in China time (the server's days are Asia/Shanghai). */
const day = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);

export function Metrics() {
  const { t } = useTranslation();
  const merchantId = useMerchantId();
  const [days, setDays] = useState(7);
  const now = Date.now();
  const query = { from: day(now - (days - 1) * 86_400_000), to: day(now) };
  const m = $api.useQuery('get', '/api/merchants/{merchantId}/support/metrics', {
    params: { path: { merchantId }, query },
  });
  const agents = $api.useQuery('get', '/api/merchants/{merchantId}/support/agents', {
    params: { path: { merchantId } },
  });
  const names = new Map((agents.data ?? []).map((a) => [a.userId, a.nickname]));
  const d = m.data;
  const rows = d?.days ?? [];
  const series = [
    [t('service.m.resolutionRate'), 'resolutionRate'],
    [t('service.m.botResolutionRate'), 'botResolutionRate'],
    [t('service.m.pickup30sRate'), 'pickup30sRate'],
    [t('service.m.satisfiedRate'), 'satisfiedRate'],
  ] as const;
  return (
    <Card
      size="small"
      extra={
        <Select
          value={days}
          onChange={setDays}
          options={[1, 7, 30].map((n) => ({ value: n, label: t('service.lastDays', { n }) }))}
        />
      }
    >
      <Row gutter={12}>
        {(
          [
            ['conversations', d?.totals.conversations],
            ['firstResponseAvgSeconds', d?.totals.firstResponseAvgSeconds ?? '—'],
            ['resolutionRate', pct(d?.totals.resolutionRate ?? null)],
            ['botResolutionRate', pct(d?.totals.botResolutionRate ?? null)],
            ['pickup30sRate', pct(d?.totals.pickup30sRate ?? null)],
            ['satisfactionAvg', d?.totals.satisfactionAvg?.toFixed(2) ?? '—'],
            ['slaBreaches', d?.totals.slaBreaches],
          ] as const
        ).map(([k, v]) => (
          <Col key={k} span={3}>
            <Statistic title={t(`service.m.${k}`)} value={v ?? 0} />
          </Col>
        ))}
      </Row>
      <Chart
        height={240}
        testId="service-metrics-chart"
        option={{
          tooltip: { trigger: 'axis' },
          legend: { data: [t('service.m.conversations'), ...series.map((s) => s[0])] },
          xAxis: { type: 'category', data: rows.map((r) => r.day) },
          yAxis: [
            { type: 'value', minInterval: 1 },
            { type: 'value', max: 100, name: '%' },
          ],
          series: [
            { name: t('service.m.conversations'), type: 'bar', data: rows.map((r) => r.conversations) },
            ...series.map(([name, key]) => ({
              name,
              type: 'line',
              yAxisIndex: 1,
              data: rows.map((r) => (r[key] === null ? null : Math.round(r[key] * 100))),
            })),
          ],
        }}
      />
      <Table
        rowKey={(r) => `${r.agentId}-${r.day}`}
        size="small"
        dataSource={d?.agents ?? []}
        columns={[
          { title: t('service.day'), dataIndex: 'day' },
          { title: t('service.agent'), render: (_, r) => names.get(r.agentId) ?? `#${r.agentId}` },
          { title: t('service.m.conversations'), dataIndex: 'conversations' },
          { title: t('service.m.firstResponseAvgSeconds'), render: (_, r) => r.firstResponseAvgSeconds ?? '—' },
          { title: t('service.m.resolutionRate'), render: (_, r) => pct(r.resolutionRate) },
          { title: t('service.m.pickup30sRate'), render: (_, r) => pct(r.pickup30sRate) },
          { title: t('service.m.satisfactionAvg'), render: (_, r) => r.satisfactionAvg?.toFixed(2) ?? '—' },
          { title: t('service.m.slaBreaches'), dataIndex: 'slaBreaches' },
        ]}
      />
    </Card>
  );
}
