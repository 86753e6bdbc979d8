// The go-live console's data panel: viewers, watch time, interaction, conversion, GPM and the
// funnel. Loaded once from the analytics API, then kept current by the `analytics.metrics`
// frames the server pushes to the shop's staff in the room.
import { useLabels, type paths } from '@livemall/sdk';
import { Card, Col, Progress, Row, Statistic, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import { $api, yuan } from '../api.ts';

type Dashboard =
  paths['/api/merchants/{merchantId}/analytics/rooms/{roomId}']['get']['responses'][200]['content']['application/json'];
export type LiveMetrics = Pick<Dashboard, 'summary' | 'funnel' | 'series'> & { online: number };
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

export function RoomAnalytics(props: { merchantId: number; roomId: number; live: LiveMetrics | null }) {
  const { t } = useTranslation();
  const labels = useLabels();
  // Pushed numbers replace the loaded ones, so the loaded answer is not refetched on focus.
  const loaded = $api.useQuery(
    'get',
    '/api/merchants/{merchantId}/analytics/rooms/{roomId}',
    { params: { path: { merchantId: props.merchantId, roomId: props.roomId } } },
    { enabled: props.live === null, refetchOnWindowFocus: false, retry: false },
  );
  const m = props.live ?? loaded.data;
  if (!m) return null;
  const s = m.summary;
  const top = Math.max(1, ...m.funnel.map((f) => f.visitors));
  const stats = [
    [t('analytics.viewers'), s.viewers],
    [t('analytics.views'), s.views],
    [t('analytics.avgWatch'), `${s.avgWatchSeconds}s`],
    [t('analytics.peak'), s.peakOnline],
    [t('analytics.followers'), s.newFollowers],
    [t('analytics.interaction'), pct(s.interactionRate)],
    [t('analytics.conversion'), pct(s.conversionRate)],
    ['GPM', yuan(s.gpmFen)],
  ] as const;
  return (
    <Card size="small" title={t('analytics.title')} style={{ marginTop: 12 }} data-testid="room-analytics">
      <Row gutter={12}>
        {stats.map(([title, value]) => (
          <Col span={6} key={title} style={{ marginBottom: 8 }}>
            <Statistic title={title} value={value} />
          </Col>
        ))}
      </Row>
      <div data-testid="funnel">
        {m.funnel.map((f) => (
          <Row key={f.stage} align="middle" gutter={8}>
            <Col span={6}>{labels.label('funnelStage', f.stage)}</Col>
            <Col span={14}>
              <Progress percent={Math.round((f.visitors / top) * 100)} showInfo={false} />
            </Col>
            <Col span={4}>
              <Tooltip
                title={f.rateFromPrevious === null ? '' : t('analytics.fromPrevious', { pct: pct(f.rateFromPrevious) })}
              >
                <span data-testid={`funnel-${f.stage}`}>{f.visitors}</span>
              </Tooltip>
            </Col>
          </Row>
        ))}
      </div>
    </Card>
  );
}
