// The go-live console (中控台): preview, live numbers and charts, the product bag with "explain
// now" pins and ordering, ending the show. Online/likes/comments come over the room WebSocket;
// orders and GMV per minute from the orders summary.
import { Player } from '@livemall/player';
import { RoomSocket, type Frame } from '@livemall/sdk';
import { App, Button, Card, Col, Popconfirm, Row, Space, Statistic, Table, Tag } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useParams } from 'react-router-dom';
import { api, call, errorText, session, yuan } from '../api.ts';
import { Chart } from '../components/Chart.tsx';
import { Loadable } from '../components/Loadable.tsx';
import { useAsync } from '../components/useAsync.ts';
import { useMerchantId } from '../workspace.tsx';
import { PushSettings } from './Rooms.tsx';

interface Point { t: number; online: number }

export default function LiveConsole() {
  const merchantId = useMerchantId();
  const roomId = Number(useParams().roomId);
  const { message } = App.useApp();
  const room = useAsync(() => call(() => api.GET('/api/rooms/{roomId}', { params: { path: { roomId } } })), [roomId]);
  const [online, setOnline] = useState<Point[]>([]);
  const [cumulative, setCumulative] = useState(0);
  const [likes, setLikes] = useState(0);
  const [comments, setComments] = useState(0);
  const [sales, setSales] = useState<{ paidOrders: number; gmvFen: number; series: Array<{ at: string | Date; orders: number; gmvFen: number }> }>({ paidOrders: 0, gmvFen: 0, series: [] });
  const [showPush, setShowPush] = useState(false);

  useEffect(() => {
    const s = new RoomSocket(roomId, () => session.get()?.accessToken ?? null);
    const add = (n: number) => setOnline((p) => [...p.slice(-299), { t: Date.now(), online: n }]);
    const off = s.on((f: Frame) => {
      if (f.type === 'joined' || f.type === 'presence') { add(f.data.online); setCumulative(f.data.cumulative); }
      if (f.type === 'likes') setLikes(f.data.total);
      if (f.type === 'chat') setComments((c) => c + 1);
      if (f.type === 'product.pinned' || f.type === 'bag.updated' || f.type === 'room.live' || f.type === 'room.ended') room.reload();
    });
    const poll = async () => setSales(await call(() => api.GET('/api/merchants/{merchantId}/orders/summary', { params: { path: { merchantId }, query: { roomId, minutes: 120 } } })));
    void poll();
    const timer = setInterval(() => void poll().catch(() => undefined), 3000);
    return () => { off(); s.close(); clearInterval(timer); };
  }, [roomId, merchantId]);

  const pin = async (productId: number | null) => {
    try { await call(() => api.PUT('/api/merchants/{merchantId}/rooms/{roomId}/pin', { params: { path: { merchantId, roomId } }, body: { productId } })); room.reload(); } catch (e) { void message.error(errorText(e)); }
  };
  const move = async (ids: number[], from: number, to: number) => {
    const next = [...ids];
    const [x] = next.splice(from, 1);
    next.splice(to, 0, x!);
    try { await call(() => api.PATCH('/api/merchants/{merchantId}/rooms/{roomId}', { params: { path: { merchantId, roomId } }, body: { productIds: next } })); room.reload(); } catch (e) { void message.error(errorText(e)); }
  };
  const end = async () => { try { await call(() => api.POST('/api/merchants/{merchantId}/rooms/{roomId}/end', { params: { path: { merchantId, roomId } } })); room.reload(); } catch (e) { void message.error(errorText(e)); } };

  const gpm = cumulative ? Math.round((sales.gmvFen / cumulative) * 1000) : 0;
  const chartOption = useMemo(() => ({
    tooltip: { trigger: 'axis' }, legend: { data: ['在线 Online', '订单 Orders', 'GMV (¥)'] },
    xAxis: { type: 'time', axisLabel: { hideOverlap: true } }, yAxis: [{ type: 'value', name: 'online / orders', minInterval: 1 }, { type: 'value', name: '¥' }],
    series: [
      { name: '在线 Online', type: 'line', showSymbol: false, data: online.map((p) => [p.t, p.online]) },
      { name: '订单 Orders', type: 'bar', barMaxWidth: 12, data: sales.series.map((s) => [new Date(s.at).getTime(), s.orders]) },
      { name: 'GMV (¥)', type: 'line', yAxisIndex: 1, data: sales.series.map((s) => [new Date(s.at).getTime(), s.gmvFen / 100]) },
    ],
  }), [online, sales]);

  return (
    <Loadable state={room}>{(r) => (
      <Row gutter={16}>
        <Col span={8}>
          <Card title={r.title} extra={<Tag color={r.status === 'live' ? 'red' : 'default'} data-testid="console-status">{r.status}</Tag>} styles={{ body: { padding: 0 } }}>
            <div style={{ position: 'relative', aspectRatio: '9 / 16', background: '#000' }} data-testid="console-preview">
              {r.status === 'live' ? <Player className="console-player" flv={r.play.flv} hls={r.play.hls} unmuteLabel="声音" /> : <div style={{ color: '#aaa', padding: 24 }}>{r.status === 'ended' ? '直播已结束 Ended' : '等待推流 Waiting for the stream…'}</div>}
            </div>
            <Space style={{ padding: 12 }}>
              <Button onClick={() => setShowPush(true)}>推流设置 OBS</Button>
              {r.status === 'live' && <Popconfirm title="确认下播？End the show?" onConfirm={() => void end()}><Button danger data-testid="end-show">下播 End</Button></Popconfirm>}
            </Space>
          </Card>
        </Col>
        <Col span={16}>
          <Row gutter={12}>
            {[['在线 Online', online.at(-1)?.online ?? 0], ['累计观看 Viewers', cumulative], ['点赞 Likes', likes], ['评论 Comments', comments],
              ['支付订单 Orders', sales.paidOrders], ['GMV', yuan(sales.gmvFen)], ['GPM (¥/千次观看)', yuan(gpm)]].map(([title, value]) => (
              <Col span={6} key={String(title)} style={{ marginBottom: 12 }}><Card size="small"><Statistic title={title} value={value} data-testid={`stat-${String(title).split(' ')[0]}`} /></Card></Col>
            ))}
          </Row>
          <Card size="small" title="实时 Live"><Chart option={chartOption} height={240} testId="live-chart" /></Card>
          <Card size="small" title="商品袋 Product bag" style={{ marginTop: 12 }}>
            <Table size="small" rowKey="id" pagination={false} dataSource={r.products} columns={[
              { title: '#', render: (_, _p, i) => i + 1 },
              { title: '商品', render: (_, p) => <Space>{p.explaining && <Tag color="red">讲解中</Tag>}{p.title}</Space> },
              { title: '价格', render: (_, p) => yuan(p.minPriceFen) }, { title: '库存', dataIndex: 'stock' },
              { title: '', render: (_, p, i) => (
                <Space>
                  {p.explaining ? <Button size="small" onClick={() => void pin(null)}>取消讲解</Button> : <Button size="small" type="primary" onClick={() => void pin(p.id)} data-testid={`pin-${p.id}`}>讲解 Explain</Button>}
                  <Button size="small" disabled={i === 0} onClick={() => void move(r.products.map((x) => x.id), i, i - 1)}>↑</Button>
                  <Button size="small" disabled={i === r.products.length - 1} onClick={() => void move(r.products.map((x) => x.id), i, i + 1)}>↓</Button>
                </Space>
              ) },
            ]} />
          </Card>
        </Col>
        <PushSettings roomId={showPush ? roomId : null} onClose={() => setShowPush(false)} />
      </Row>
    )}</Loadable>
  );
}
