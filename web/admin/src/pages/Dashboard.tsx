import { Card, Col, Row, Statistic } from 'antd';
import { useTranslation } from 'react-i18next';
import { $api, yuan } from '../api.ts';
import { Chart } from '../components/Chart.tsx';
import { Loadable } from '../components/Loadable.tsx';
import { useMerchantId } from '../workspace.tsx';

export default function Dashboard() {
  const { t } = useTranslation();
  const merchantId = useMerchantId();
  const path = { merchantId };
  const week = $api.useQuery('get', '/api/merchants/{merchantId}/orders/summary', {
    params: { path, query: { days: 7 } },
  });
  const rooms = $api.useQuery('get', '/api/merchants/{merchantId}/rooms', { params: { path } });
  // Today's visitors (exact UV from analytics: rooms and mall together), for conversion. Anchors
  // may not read reports: then there are no visitors to show, not an error. "Today" is the shop's
  // calendar day as the server counts it (its time zone), never the browser's.
  const since = week.data ? new Date(week.data.todayStart).toISOString() : '';
  const traffic = $api.useQuery(
    'get',
    '/api/merchants/{merchantId}/analytics/report',
    { params: { path, query: { by: 'time', grain: 'day', from: since } } },
    { retry: false, enabled: since !== '' },
  );
  const visitors = traffic.data?.rows.at(-1)?.visitors ?? 0;
  return (
    <Loadable query={week}>
      {(w) => (
        <Loadable query={rooms}>
          {(list) => {
            const todayRow = w.series.find((s) => s.day === w.today);
            const live = list.filter((r) => r.status === 'live');
            // Conversion: paid orders per distinct visitor of the shop today.
            const conversion = visitors ? (((todayRow?.orders ?? 0) / visitors) * 100).toFixed(1) : '0.0';
            // The shop's last seven calendar days, ending today there (YYYY-MM-DD).
            const days = Array.from({ length: 7 }, (_, i) => {
              const d = new Date(`${w.today}T00:00:00Z`);
              d.setUTCDate(d.getUTCDate() - 6 + i);
              return d.toISOString().slice(0, 10);
            });
            const by = (day: string) => w.series.find((s) => s.day === day);
            const cell = (title: string, value: string | number, testId?: string) => (
              <Col span={6}>
                <Card>
                  <Statistic title={title} value={value} data-testid={testId} />
                </Card>
              </Col>
            );
            const gmvSeries = t('dashboard.gmvSeries');
            const ordersSeries = t('dashboard.ordersSeries');
            return (
              <>
                <Row gutter={16}>
                  {cell(t('dashboard.todayGmv'), yuan(todayRow?.gmvFen ?? 0), 'today-gmv')}
                  {cell(t('dashboard.paidOrders'), todayRow?.orders ?? 0, 'today-orders')}
                  {cell(t('dashboard.liveNow'), live.length)}
                  {cell(
                    t('dashboard.watching'),
                    live.reduce((s, r) => s + r.viewers.online, 0),
                  )}
                </Row>
                <Row gutter={16} style={{ marginTop: 16 }}>
                  {cell(t('dashboard.visitors'), visitors, 'today-visitors')}
                  {cell(t('dashboard.conversion'), `${conversion}%`)}
                  {cell(t('dashboard.shows'), list.length)}
                  {cell(t('dashboard.weekGmv'), yuan(w.gmvFen))}
                </Row>
                <Card title={t('dashboard.lastWeek')} style={{ marginTop: 16 }}>
                  <Chart
                    option={{
                      tooltip: { trigger: 'axis' },
                      legend: { data: [gmvSeries, ordersSeries] },
                      xAxis: {
                        type: 'category',
                        data: days.map((d) => `${Number(d.slice(5, 7))}/${Number(d.slice(8))}`),
                      },
                      yAxis: [
                        { type: 'value', name: '¥' },
                        { type: 'value', name: ordersSeries },
                      ],
                      series: [
                        { name: gmvSeries, type: 'bar', data: days.map((d) => (by(d)?.gmvFen ?? 0) / 100) },
                        { name: ordersSeries, type: 'line', yAxisIndex: 1, data: days.map((d) => by(d)?.orders ?? 0) },
                      ],
                    }}
                  />
                </Card>
              </>
            );
          }}
        </Loadable>
      )}
    </Loadable>
  );
}
