import { Card, Col, Row, Statistic } from 'antd';
import { api, call, yuan } from '../api.ts';
import { Chart } from '../components/Chart.tsx';
import { Loadable } from '../components/Loadable.tsx';
import { useAsync } from '../components/useAsync.ts';
import { useMerchantId } from '../workspace.tsx';

export default function Dashboard() {
  const merchantId = useMerchantId();
  const data = useAsync(async () => {
    const [week, rooms, traffic] = await Promise.all([
      call(() => api.GET('/api/merchants/{merchantId}/orders/summary', { params: { path: { merchantId }, query: { days: 7 } } })),
      call(() => api.GET('/api/merchants/{merchantId}/rooms', { params: { path: { merchantId } } })),
      // Today's visitors (exact UV from analytics: rooms and mall together), for conversion.
      call(() => api.GET('/api/merchants/{merchantId}/analytics/report', { params: { path: { merchantId }, query: { by: 'time', grain: 'day', from: new Date().toISOString() } } })).catch(() => ({ rows: [] as Array<{ visitors: number | null }> })), // anchors may not read reports
    ]);
    return { week, rooms, traffic };
  }, [merchantId]);
  return (
    <Loadable state={data}>{({ week, rooms, traffic }) => {
      const today = new Date().toDateString();
      const todayRow = week.series.find((s) => new Date(s.at).toDateString() === today);
      const live = rooms.filter((r) => r.status === 'live');
      // Visitors: today's distinct visitors of the shop (analytics); conversion: paid orders per visitor.
      const visitors = traffic.rows.at(-1)?.visitors ?? 0;
      const conversion = visitors ? (((todayRow?.orders ?? 0) / visitors) * 100).toFixed(1) : '0.0';
      const days = Array.from({ length: 7 }, (_, i) => { const d = new Date(); d.setDate(d.getDate() - 6 + i); return d; });
      const by = (d: Date) => week.series.find((s) => new Date(s.at).toDateString() === d.toDateString());
      return (
        <>
          <Row gutter={16}>
            <Col span={6}><Card><Statistic title="今日 GMV" value={yuan(todayRow?.gmvFen ?? 0)} data-testid="today-gmv" /></Card></Col>
            <Col span={6}><Card><Statistic title="今日支付订单 Paid orders" value={todayRow?.orders ?? 0} /></Card></Col>
            <Col span={6}><Card><Statistic title="正在直播 Live now" value={live.length} /></Card></Col>
            <Col span={6}><Card><Statistic title="直播间观众 Watching" value={live.reduce((s, r) => s + r.viewers.online, 0)} /></Card></Col>
          </Row>
          <Row gutter={16} style={{ marginTop: 16 }}>
            <Col span={6}><Card><Statistic title="今日访客 Visitors" value={visitors} data-testid="today-visitors" /></Card></Col>
            <Col span={6}><Card><Statistic title="转化率 Conversion" value={`${conversion}%`} /></Card></Col>
            <Col span={6}><Card><Statistic title="直播场次 Shows" value={rooms.length} /></Card></Col>
            <Col span={6}><Card><Statistic title="近7日 GMV" value={yuan(week.gmvFen)} /></Card></Col>
          </Row>
          <Card title="近 7 日 Last 7 days" style={{ marginTop: 16 }}>
            <Chart option={{
              tooltip: { trigger: 'axis' }, legend: { data: ['GMV (¥)', '订单 Orders'] },
              xAxis: { type: 'category', data: days.map((d) => `${d.getMonth() + 1}/${d.getDate()}`) },
              yAxis: [{ type: 'value', name: '¥' }, { type: 'value', name: 'orders' }],
              series: [
                { name: 'GMV (¥)', type: 'bar', data: days.map((d) => (by(d)?.gmvFen ?? 0) / 100) },
                { name: '订单 Orders', type: 'line', yAxisIndex: 1, data: days.map((d) => by(d)?.orders ?? 0) },
              ],
            }} />
          </Card>
        </>
      );
    }}</Loadable>
  );
}
