// The go-live console (中控台): preview, live numbers and charts, the product bag with "explain
// now" pins and ordering, ending the show. Online/likes/comments come over the room WebSocket;
// orders and GMV per minute from the orders summary.
import { Player } from '@livemall/player';
import { RoomSocket, type Frame } from '@livemall/sdk';
import { App, Button, Card, Col, Form, Input, InputNumber, List, Popconfirm, Row, Select, Space, Statistic, Table, Tag } from 'antd';
import { RoomAnalytics, type LiveMetrics } from '../components/RoomAnalytics.tsx';
import { useEffect, useMemo, useState } from 'react';
import { useParams } from 'react-router-dom';
import { api, call, errorText, session, yuan } from '../api.ts';
import { Chart } from '../components/Chart.tsx';
import { Loadable } from '../components/Loadable.tsx';
import { useAsync } from '../components/useAsync.ts';
import { useMerchantId } from '../workspace.tsx';
import { PushSettings } from './Rooms.tsx';
import { Words } from './Platform.tsx';

interface Point { t: number; online: number; likes: number; comments: number }
interface ChatLine { id: number; seq: number; userId: number; nickname: string; text: string }

export default function LiveConsole() {
  const merchantId = useMerchantId();
  const roomId = Number(useParams().roomId);
  const { message, notification } = App.useApp();
  const [metrics, setMetrics] = useState<LiveMetrics | null>(null);
  const room = useAsync(() => call(() => api.GET('/api/rooms/{roomId}', { params: { path: { roomId } } })), [roomId]);
  const [online, setOnline] = useState<Point[]>([]);
  const [cumulative, setCumulative] = useState(0);
  const [likes, setLikes] = useState(0);
  const [comments, setComments] = useState(0);
  const [sales, setSales] = useState<{ paidOrders: number; gmvFen: number; series: Array<{ at: string | Date; orders: number; gmvFen: number }> }>({ paidOrders: 0, gmvFen: 0, series: [] });
  const [showPush, setShowPush] = useState(false);
  const [chat, setChat] = useState<ChatLine[]>([]);
  const coupons = useAsync(() => call(() => api.GET('/api/merchants/{merchantId}/coupons', { params: { path: { merchantId } } })), [merchantId]);

  useEffect(() => {
    const s = new RoomSocket(roomId, () => session.get()?.accessToken ?? null);
    let lastLikes = 0;
    let lastComments = 0;
    let lastOnline = 0;
    const add = () => setOnline((p) => [...p.slice(-299), { t: Date.now(), online: lastOnline, likes: lastLikes, comments: lastComments }]);
    const off = s.on((f: Frame) => {
      if (f.type === 'joined' || f.type === 'presence') { lastOnline = f.data.online; add(); setCumulative(f.data.cumulative); }
      if (f.type === 'likes') { lastLikes = f.data.total; setLikes(f.data.total); add(); }
      if (f.type === 'chat') { lastComments++; setComments((c) => c + 1); add(); setChat((c) => [...c.slice(-99), { id: f.data.id, seq: f.seq!, userId: f.data.userId, nickname: f.data.nickname, text: f.data.text }]); }
      if (f.type === 'analytics.metrics') setMetrics(f.data as LiveMetrics);
      if (f.type === 'analytics.alert') void notification.warning({ message: '直播预警 Alert', description: String(f.data.message), duration: 0 });
      if (f.type === 'chat.deleted') setChat((c) => c.filter((m) => m.id !== f.data.id));
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
  const moderate = async (what: 'delete' | 'mute', m: ChatLine) => {
    try {
      if (what === 'delete') await call(() => api.DELETE('/api/merchants/{merchantId}/rooms/{roomId}/chat/{messageId}', { params: { path: { merchantId, roomId, messageId: m.id } } }));
      else { await call(() => api.POST('/api/merchants/{merchantId}/rooms/{roomId}/sanctions', { params: { path: { merchantId, roomId } }, body: { userId: m.userId, kind: 'mute', minutes: 10 } })); void message.success(`${m.nickname} 禁言10分钟`); }
    } catch (e) { void message.error(errorText(e)); }
  };
  const slowMode = async (seconds: number) => {
    try { await call(() => api.PUT('/api/merchants/{merchantId}/rooms/{roomId}/slow-mode', { params: { path: { merchantId, roomId } }, body: { seconds } })); void message.success(seconds ? `慢速模式 ${seconds}s` : '已关闭慢速模式'); } catch (e) { void message.error(errorText(e)); }
  };
  const dropCoupon = async (v: { templateId: number; quantity: number; minutes: number }) => {
    try { await call(() => api.POST('/api/merchants/{merchantId}/rooms/{roomId}/coupon-drops', { params: { path: { merchantId, roomId } }, body: v })); void message.success('已发券 Coupons dropped'); } catch (e) { void message.error(errorText(e)); }
  };
  const startBag = async (v: { title: string; prize: string; winners: number; keyword: string; minutes: number }) => {
    try {
      await call(() => api.POST('/api/merchants/{merchantId}/rooms/{roomId}/lucky-bags', { params: { path: { merchantId, roomId } }, body: { title: v.title, prize: { kind: 'other', description: v.prize }, winners: v.winners, condition: v.keyword ? { kind: 'comment', keyword: v.keyword } : { kind: 'follow' }, minutes: v.minutes } }));
      void message.success('福袋已开始 Lucky bag started');
    } catch (e) { void message.error(errorText(e)); }
  };
  const end = async () => { try { await call(() => api.POST('/api/merchants/{merchantId}/rooms/{roomId}/end', { params: { path: { merchantId, roomId } } })); room.reload(); } catch (e) { void message.error(errorText(e)); } };

  // GPM from analytics (GMV per 1,000 room entries) once it arrives; until then from presence.
  const gpm = metrics?.summary.gpmFen ?? (cumulative ? Math.round((sales.gmvFen / cumulative) * 1000) : 0);
  const chartOption = useMemo(() => ({
    tooltip: { trigger: 'axis' }, legend: { data: ['在线 Online', '点赞 Likes', '评论 Comments', '订单 Orders', 'GMV (¥)', 'GPM (¥)'] },
    xAxis: { type: 'time', axisLabel: { hideOverlap: true } }, yAxis: [{ type: 'value', name: 'online / orders', minInterval: 1 }, { type: 'value', name: '¥' }],
    series: [
      { name: '在线 Online', type: 'line', showSymbol: false, data: online.map((p) => [p.t, p.online]) },
      { name: '点赞 Likes', type: 'line', showSymbol: false, data: online.map((p) => [p.t, p.likes]) },
      { name: '评论 Comments', type: 'line', showSymbol: false, data: online.map((p) => [p.t, p.comments]) },
      { name: '订单 Orders', type: 'bar', barMaxWidth: 12, data: sales.series.map((s) => [new Date(s.at).getTime(), s.orders]) },
      { name: 'GMV (¥)', type: 'line', yAxisIndex: 1, data: sales.series.map((s) => [new Date(s.at).getTime(), s.gmvFen / 100]) },
      { name: 'GPM (¥)', type: 'line', yAxisIndex: 1, data: cumulative ? sales.series.map((s) => [new Date(s.at).getTime(), (s.gmvFen / 100 / cumulative) * 1000]) : [] },
    ],
  }), [online, sales, cumulative]);

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
          <RoomAnalytics merchantId={merchantId} roomId={roomId} live={metrics} />
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
        <Col span={24} style={{ marginTop: 12 }}>
          <Row gutter={12}>
            <Col span={14}>
              <Card size="small" title="弹幕管理 Chat" extra={<Space>慢速模式<Select size="small" defaultValue={0} style={{ width: 100 }} onChange={(v: number) => void slowMode(v)} options={[0, 5, 10, 30, 60].map((v) => ({ value: v, label: v ? `${v}s` : '关闭' }))} /></Space>}>
                <List size="small" dataSource={[...chat].reverse().slice(0, 30)} locale={{ emptyText: '暂无弹幕' }} data-testid="console-chat" renderItem={(m) => (
                  <List.Item actions={[<a key="d" onClick={() => void moderate('delete', m)}>删除</a>, <a key="m" onClick={() => void moderate('mute', m)}>禁言</a>]}>
                    <b>{m.nickname}</b>：{m.text}
                  </List.Item>
                )} />
              </Card>
            </Col>
            <Col span={10}>
              <Card size="small" title="直播间发券 Drop coupons">
                <Form layout="vertical" onFinish={dropCoupon} initialValues={{ quantity: 100, minutes: 10 }}>
                  <Form.Item name="templateId" label="优惠券" rules={[{ required: true }]}>
                    <Select data-testid="drop-coupon" options={(coupons.data ?? []).filter((c) => c.status === 'active' && c.channels.includes('room_drop')).map((c) => ({ value: c.id, label: `${c.title}（${c.description}）` }))} />
                  </Form.Item>
                  <Space>
                    <Form.Item name="quantity" label="数量"><InputNumber min={1} max={100000} /></Form.Item>
                    <Form.Item name="minutes" label="有效分钟"><InputNumber min={1} max={1440} /></Form.Item>
                  </Space>
                  <Button type="primary" htmlType="submit" data-testid="drop-submit">发券 Drop</Button>
                </Form>
              </Card>
              <Card size="small" title="敏感词 Word list" style={{ marginTop: 12 }}><Words merchantId={merchantId} /></Card>
              <Card size="small" title="福袋 Lucky bag" style={{ marginTop: 12 }}>
                <Form layout="vertical" onFinish={startBag} initialValues={{ title: '直播间福袋', winners: 3, minutes: 5, keyword: '来个福袋' }}>
                  <Form.Item name="title" label="名称" rules={[{ required: true }]}><Input /></Form.Item>
                  <Form.Item name="prize" label="奖品" rules={[{ required: true }]}><Input placeholder="如：芒果一箱" /></Form.Item>
                  <Space>
                    <Form.Item name="winners" label="中奖人数"><InputNumber min={1} max={1000} /></Form.Item>
                    <Form.Item name="minutes" label="倒计时(分钟)"><InputNumber min={1} max={120} /></Form.Item>
                  </Space>
                  <Form.Item name="keyword" label="参与口令（留空为关注参与）"><Input /></Form.Item>
                  <Button type="primary" htmlType="submit" disabled={r.status !== 'live'}>开始福袋 Start</Button>
                </Form>
              </Card>
            </Col>
          </Row>
        </Col>
        <PushSettings roomId={showPush ? roomId : null} onClose={() => setShowPush(false)} />
      </Row>
    )}</Loadable>
  );
}
