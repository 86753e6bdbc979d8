// The go-live console (中控台): preview, live numbers and charts, the product bag with "explain
// now" pins and ordering, ending the show. Online/likes/comments come over the room WebSocket;
// orders and GMV per minute from the orders summary, refetched every 3 s.
import { Player } from '@livemall/player';
import { RoomSocket, useLabels, type Frame } from '@livemall/sdk';
import { App, Button, Card, Col, Popconfirm, Row, Space, Statistic, Table, Tag } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router-dom';
import { $api, errorText, session, yuan } from '../api.ts';
import { Chart } from '../components/Chart.tsx';
import { Loadable } from '../components/Loadable.tsx';
import { RoomAnalytics, type LiveMetrics } from '../components/RoomAnalytics.tsx';
import { useMerchantId } from '../workspace.tsx';
import { LiveTools, type ChatLine } from './LiveTools.tsx';
import { PushSettings, ROOM_COLOR } from './Rooms.tsx';

interface Point {
  t: number;
  online: number;
  likes: number;
  comments: number;
}

export default function LiveConsole() {
  const { t } = useTranslation();
  const labels = useLabels();
  const merchantId = useMerchantId();
  const roomId = Number(useParams().roomId);
  const { message, notification } = App.useApp();
  const [metrics, setMetrics] = useState<LiveMetrics | null>(null);
  const room = $api.useQuery('get', '/api/rooms/{roomId}', { params: { path: { roomId } } });
  const [online, setOnline] = useState<Point[]>([]);
  const [cumulative, setCumulative] = useState(0);
  const [likes, setLikes] = useState(0);
  const [comments, setComments] = useState(0);
  const [showPush, setShowPush] = useState(false);
  const [chat, setChat] = useState<ChatLine[]>([]);
  // Orders, GMV, GPM and the funnel all come from one source, the analytics push of each tick (a few
  // seconds), so the panel never shows a GMV that its funnel or GPM does not know about yet. Until the
  // first push, the same numbers from the room's analytics dashboard.
  const initial = $api.useQuery('get', '/api/merchants/{merchantId}/analytics/rooms/{roomId}', {
    params: { path: { merchantId, roomId } },
  });
  const live = metrics ?? initial.data ?? null;
  const sales = live
    ? { paidOrders: live.summary.paidOrders, gmvFen: live.summary.gmvFen, series: live.series }
    : { paidOrders: 0, gmvFen: 0, series: [] };
  const inRoom = { params: { path: { merchantId, roomId } } };
  const pinM = $api.useMutation('put', '/api/merchants/{merchantId}/rooms/{roomId}/pin');
  const reorder = $api.useMutation('patch', '/api/merchants/{merchantId}/rooms/{roomId}');
  const endM = $api.useMutation('post', '/api/merchants/{merchantId}/rooms/{roomId}/end');

  // biome-ignore lint/correctness/useExhaustiveDependencies: one socket per room and shop; texts and refetch are read live
  useEffect(() => {
    const s = new RoomSocket(roomId, () => session.get()?.accessToken ?? null);
    let lastLikes = 0;
    let lastComments = 0;
    let lastOnline = 0;
    let lastOrders = -1;
    const add = () =>
      setOnline((p) => [
        ...p.slice(-299),
        { t: Date.now(), online: lastOnline, likes: lastLikes, comments: lastComments },
      ]);
    const off = s.on((f: Frame) => {
      if (f.type === 'joined' || f.type === 'presence') {
        lastOnline = f.data.online;
        add();
        setCumulative(f.data.cumulative);
      }
      if (f.type === 'likes') {
        lastLikes = f.data.total;
        setLikes(f.data.total);
        add();
      }
      if (f.type === 'chat') {
        lastComments++;
        setComments((c) => c + 1);
        add();
        setChat((c) => [
          ...c.slice(-99),
          { id: f.data.id, seq: f.seq!, userId: f.data.userId, nickname: f.data.nickname, text: f.data.text },
        ]);
      }
      if (f.type === 'analytics.metrics') {
        setMetrics(f.data);
        // A sale moved the numbers: the bag's stock moved with it.
        if (f.data.summary.orders !== lastOrders) {
          if (lastOrders !== -1) void room.refetch();
          lastOrders = f.data.summary.orders;
        }
      }
      if (f.type === 'analytics.alert') {
        void notification.warning({ message: t('live.alert'), description: f.data.message, duration: 0 });
      }
      if (f.type === 'chat.deleted') setChat((c) => c.filter((m) => m.id !== f.data.id));
      if (['product.pinned', 'bag.updated', 'room.live', 'room.ended'].includes(f.type)) void room.refetch();
    });
    return () => {
      off();
      s.close();
    };
  }, [roomId, merchantId]);

  const pin = async (productId: number | null) => {
    try {
      await pinM.mutateAsync({ ...inRoom, body: { productId } });
    } catch (e) {
      void message.error(errorText(e));
    }
  };
  const move = async (ids: number[], from: number, to: number) => {
    const next = [...ids];
    const [x] = next.splice(from, 1);
    next.splice(to, 0, x!);
    try {
      await reorder.mutateAsync({ ...inRoom, body: { productIds: next } });
    } catch (e) {
      void message.error(errorText(e));
    }
  };
  const end = async () => {
    try {
      await endM.mutateAsync(inRoom);
      void message.success(t('live.endedToast'));
    } catch (e) {
      void message.error(errorText(e));
    }
  };

  const gpm = live?.summary.gpmFen ?? 0;
  // GPM over the show so far at each minute: GMV per 1,000 views, both summed up to that minute.
  const gpmSeries = (() => {
    let gmv = 0;
    let views = 0;
    return sales.series.map((s) => {
      gmv += s.gmvFen;
      views += s.views;
      return [new Date(s.at).getTime(), views ? (gmv / 100 / views) * 1000 : 0];
    });
  })();
  const series = {
    online: t('live.online'),
    likes: t('live.likes'),
    comments: t('live.comments'),
    orders: t('live.orders'),
    gmv: t('live.gmvSeries'),
    gpm: t('live.gpmSeries'),
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: the series names follow t, which is listed
  const chartOption = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { data: Object.values(series) },
      xAxis: { type: 'time', axisLabel: { hideOverlap: true } },
      yAxis: [
        { type: 'value', name: t('live.countAxis'), minInterval: 1 },
        { type: 'value', name: '¥' },
      ],
      series: [
        { name: series.online, type: 'line', showSymbol: false, data: online.map((p) => [p.t, p.online]) },
        { name: series.likes, type: 'line', showSymbol: false, data: online.map((p) => [p.t, p.likes]) },
        { name: series.comments, type: 'line', showSymbol: false, data: online.map((p) => [p.t, p.comments]) },
        {
          name: series.orders,
          type: 'bar',
          barMaxWidth: 12,
          data: sales.series.map((s) => [new Date(s.at).getTime(), s.paidOrders]),
        },
        {
          name: series.gmv,
          type: 'line',
          yAxisIndex: 1,
          data: sales.series.map((s) => [new Date(s.at).getTime(), s.gmvFen / 100]),
        },
        {
          name: series.gpm,
          type: 'line',
          yAxisIndex: 1,
          data: gpmSeries,
        },
      ],
    }),
    [online, live, t],
  );
  const stats = [
    ['online', t('live.online'), online.at(-1)?.online ?? 0],
    ['viewers', t('live.viewers'), cumulative],
    ['likes', t('live.likes'), likes],
    ['comments', t('live.comments'), comments],
    ['paidOrders', t('live.paidOrders'), sales.paidOrders],
    ['gmv', 'GMV', yuan(sales.gmvFen)],
    ['gpm', t('live.gpm'), yuan(gpm)],
  ] as const;

  return (
    <Loadable query={room}>
      {(r) => (
        <Row gutter={16}>
          <Col span={8}>
            <Card
              title={r.title}
              styles={{ body: { padding: 0 } }}
              extra={
                <Tag color={ROOM_COLOR[r.status]} data-testid="console-status" data-status={r.status}>
                  {labels.label('roomStatus', r.status)}
                </Tag>
              }
            >
              <div
                style={{ position: 'relative', aspectRatio: '9 / 16', background: '#000' }}
                data-testid="console-preview"
              >
                {r.status === 'live' ? (
                  <Player className="console-player" flv={r.play.flv} hls={r.play.hls} unmuteLabel={t('live.sound')} />
                ) : (
                  <div style={{ color: '#aaa', padding: 24 }}>
                    {r.status === 'ended' ? t('live.ended') : t('live.waiting')}
                  </div>
                )}
              </div>
              <Space style={{ padding: 12 }}>
                <Button onClick={() => setShowPush(true)} data-testid="open-push">
                  {t('rooms.pushSettings')}
                </Button>
                {r.status === 'live' && (
                  <Popconfirm title={t('live.endConfirm')} onConfirm={() => void end()}>
                    <Button danger data-testid="end-show">
                      {t('live.end')}
                    </Button>
                  </Popconfirm>
                )}
              </Space>
            </Card>
          </Col>
          <Col span={16}>
            <Row gutter={12}>
              {stats.map(([key, title, value]) => (
                <Col span={6} key={key} style={{ marginBottom: 12 }}>
                  <Card size="small">
                    <Statistic title={title} value={value} data-testid={`stat-${key}`} />
                  </Card>
                </Col>
              ))}
            </Row>
            <Card size="small" title={t('live.realtime')}>
              <Chart option={chartOption} height={240} testId="live-chart" />
            </Card>
            <RoomAnalytics merchantId={merchantId} roomId={roomId} live={metrics} />
            <Card size="small" title={t('rooms.bag')} style={{ marginTop: 12 }}>
              <Table
                size="small"
                rowKey="id"
                pagination={false}
                dataSource={r.products}
                columns={[
                  { title: '#', render: (_, _p, i) => i + 1 },
                  {
                    title: t('live.product'),
                    render: (_, p) => (
                      <Space>
                        {p.explaining && <Tag color="red">{t('live.explaining')}</Tag>}
                        {p.title}
                      </Space>
                    ),
                  },
                  { title: t('products.price'), render: (_, p) => yuan(p.minPriceFen) },
                  {
                    title: t('live.stock'),
                    render: (_, p) => <span data-testid={`bag-stock-${p.id}`}>{p.stock}</span>,
                  },
                  {
                    title: '',
                    render: (_, p, i) => (
                      <Space>
                        {p.explaining ? (
                          <Button size="small" onClick={() => void pin(null)}>
                            {t('live.stopExplaining')}
                          </Button>
                        ) : (
                          <Button
                            size="small"
                            type="primary"
                            onClick={() => void pin(p.id)}
                            data-testid={`pin-${p.id}`}
                          >
                            {t('live.explain')}
                          </Button>
                        )}
                        <Button
                          size="small"
                          disabled={i === 0}
                          onClick={() =>
                            void move(
                              r.products.map((x) => x.id),
                              i,
                              i - 1,
                            )
                          }
                        >
                          ↑
                        </Button>
                        <Button
                          size="small"
                          disabled={i === r.products.length - 1}
                          onClick={() =>
                            void move(
                              r.products.map((x) => x.id),
                              i,
                              i + 1,
                            )
                          }
                        >
                          ↓
                        </Button>
                      </Space>
                    ),
                  },
                ]}
              />
            </Card>
          </Col>
          <Col span={24} style={{ marginTop: 12 }}>
            <LiveTools merchantId={merchantId} roomId={roomId} live={r.status === 'live'} chat={chat} />
          </Col>
          <PushSettings roomId={showPush ? roomId : null} onClose={() => setShowPush(false)} />
        </Row>
      )}
    </Loadable>
  );
}
