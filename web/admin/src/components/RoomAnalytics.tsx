// The go-live console's data panel: viewers, watch time, interaction, conversion, GPM and the
// funnel. Loaded once from the analytics API, then kept current by the `analytics.metrics`
// frames the server pushes to the shop's staff in the room.
import { Card, Col, Progress, Row, Statistic, Tooltip } from 'antd';
import { useEffect, useState } from 'react';
import { api, call, yuan } from '../api.ts';

type Dashboard = Awaited<ReturnType<typeof load>>;
export type LiveMetrics = Pick<Dashboard, 'summary' | 'funnel'> & { online: number };
const load = (merchantId: number, roomId: number) => call(() => api.GET('/api/merchants/{merchantId}/analytics/rooms/{roomId}', { params: { path: { merchantId, roomId } } }));

const STAGES: Record<string, string> = { exposure: '曝光 Exposure', enter: '进入 Enter', stayed_1min: '停留≥1分钟 Stayed', product_click: '商品点击 Click', order: '下单 Order', paid: '成交 Paid' };
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

export function RoomAnalytics(props: { merchantId: number; roomId: number; live: LiveMetrics | null }) {
  const [data, setData] = useState<Pick<Dashboard, 'summary' | 'funnel'> | null>(null);
  useEffect(() => { void load(props.merchantId, props.roomId).then(setData).catch(() => undefined); }, [props.merchantId, props.roomId]);
  const m = props.live ?? data;
  if (!m) return null;
  const s = m.summary;
  const top = Math.max(1, ...m.funnel.map((f) => f.visitors));
  return (
    <Card size="small" title="直播数据 Analytics" style={{ marginTop: 12 }} data-testid="room-analytics">
      <Row gutter={12}>
        {([['观看人数 Viewers', s.viewers], ['观看次数 Views', s.views], ['人均观看 Avg watch', `${s.avgWatchSeconds}s`], ['在线峰值 Peak', s.peakOnline],
          ['新增粉丝 Followers', s.newFollowers], ['互动率 Interaction', pct(s.interactionRate)], ['转化率 Conversion', pct(s.conversionRate)], ['GPM', yuan(s.gpmFen)]] as const).map(([title, value]) => (
          <Col span={6} key={title} style={{ marginBottom: 8 }}><Statistic title={title} value={value} /></Col>
        ))}
      </Row>
      <div data-testid="funnel">
        {m.funnel.map((f) => (
          <Row key={f.stage} align="middle" gutter={8}>
            <Col span={6}>{STAGES[f.stage] ?? f.stage}</Col>
            <Col span={14}><Progress percent={Math.round((f.visitors / top) * 100)} showInfo={false} /></Col>
            <Col span={4}><Tooltip title={f.rateFromPrevious === null ? '' : `上一步转化 ${pct(f.rateFromPrevious)}`}><span data-testid={`funnel-${f.stage}`}>{f.visitors}</span></Tooltip></Col>
          </Row>
        ))}
      </div>
    </Card>
  );
}
