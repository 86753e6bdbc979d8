import { App, Button, Card, DatePicker, Form, Input, Modal, Select, Space, Table, Tag, Typography, Upload } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { api, call, errorText, session } from '../api.ts';
import { useAsync } from '../components/useAsync.ts';
import { RoomInvites } from '../components/RoomInvites.tsx';
import { canBroadcast } from '../components/ShopStatus.tsx';
import { useMerchantId, useWorkspace } from '../workspace.tsx';

const ROOM_STATUS: Record<string, [string, string]> = { scheduled: ['预告 Scheduled', 'blue'], live: ['直播中 Live', 'red'], ended: ['已结束 Ended', 'default'] };

export default function Rooms() {
  const merchantId = useMerchantId();
  const { merchant } = useWorkspace();
  const canEdit = merchant?.role !== 'anchor';
  const onAir = canBroadcast(merchant?.status); // pending and suspended shops cannot go live (banner above says why)
  const [creating, setCreating] = useState(false);
  const [pushFor, setPushFor] = useState<number | null>(null);
  const [invitesFor, setInvitesFor] = useState<number | null>(null);
  const rooms = useAsync(() => call(() => api.GET('/api/merchants/{merchantId}/rooms', { params: { path: { merchantId } } })), [merchantId]);
  return (
    <Card title="直播 Live rooms" extra={canEdit && <Button type="primary" disabled={!onAir} onClick={() => setCreating(true)} data-testid="new-room">创建直播 New room</Button>}>
      <Table rowKey="id" loading={rooms.loading} dataSource={rooms.data ?? []} columns={[
        { title: '标题', render: (_, r) => <Link to={`/live/${r.id}`} data-testid="room-link">{r.title}</Link> },
        { title: '状态', render: (_, r) => <Tag color={ROOM_STATUS[r.status]?.[1]}>{ROOM_STATUS[r.status]?.[0]}</Tag> },
        { title: '开播时间', render: (_, r) => (r.scheduledAt ? new Date(r.scheduledAt).toLocaleString() : '-') },
        { title: '预约', dataIndex: 'reminders' },
        { title: '观看', render: (_, r) => `${r.viewers.online} / ${r.viewers.cumulative}` },
        { title: '', render: (_, r) => <Space>
          <Button size="small" onClick={() => setPushFor(r.id)}>推流设置 OBS</Button>
          {r.isPrivate && canEdit && <Button size="small" onClick={() => setInvitesFor(r.id)} data-testid="room-invites">邀请 Invites</Button>}
          <Link to={`/live/${r.id}`}>中控台 Console</Link>
        </Space> },
      ]} />
      <CreateRoom open={creating} onClose={() => setCreating(false)} onCreated={() => { setCreating(false); rooms.reload(); }} />
      <PushSettings roomId={pushFor} onClose={() => setPushFor(null)} />
      <RoomInvites merchantId={merchantId} roomId={invitesFor} onClose={() => setInvitesFor(null)} />
    </Card>
  );
}

function CreateRoom(props: { open: boolean; onClose(): void; onCreated(): void }) {
  const merchantId = useMerchantId();
  const { message } = App.useApp();
  const products = useAsync(() => call(() => api.GET('/api/merchants/{merchantId}/products', { params: { path: { merchantId }, query: { pageSize: 100 } } })), [merchantId]);
  const submit = async (v: { title: string; scheduledAt?: { toISOString(): string }; productIds?: number[]; visibility?: 'public' | 'private'; coverUrl?: string }) => {
    try {
      await call(() => api.POST('/api/merchants/{merchantId}/rooms', { params: { path: { merchantId } }, body: { title: v.title, productIds: v.productIds ?? [], visibility: v.visibility ?? 'public', scheduledAt: v.scheduledAt ? v.scheduledAt.toISOString() : null, ...(v.coverUrl ? { coverUrl: v.coverUrl } : {}) } }));
      props.onCreated();
    } catch (e) { void message.error(errorText(e)); }
  };
  return (
    <Modal open={props.open} title="创建直播 New room" onCancel={props.onClose} footer={null} destroyOnHidden>
      <Form layout="vertical" onFinish={submit}>
        <Form.Item name="title" label="标题 Title" rules={[{ required: true }]}><Input data-testid="room-title" /></Form.Item>
        <Form.Item name="scheduledAt" label="开播时间 Scheduled start (预告)"><DatePicker showTime /></Form.Item>
        <Form.Item name="coverUrl" label="封面 Cover" getValueFromEvent={(info: { file: { status?: string; response?: { url: string } } }) => info.file.response?.url}>
          <Upload accept="image/*" maxCount={1} listType="picture" action={`/api/merchants/${merchantId}/media`} headers={{ authorization: `Bearer ${session.get()?.accessToken ?? ''}` }}><Button>上传封面 Upload</Button></Upload>
        </Form.Item>
        <Form.Item name="productIds" label="商品袋 Product bag"><Select mode="multiple" data-testid="room-products" optionFilterProp="label" options={(products.data?.items ?? []).map((p) => ({ value: p.id, label: p.title }))} /></Form.Item>
        <Form.Item name="visibility" label="可见性" initialValue="public"><Select options={[{ value: 'public', label: '公开 Public' }, { value: 'private', label: '私密（邀请链接）Private' }]} /></Form.Item>
        <Button type="primary" htmlType="submit" data-testid="create-room">创建 Create</Button>
      </Form>
    </Modal>
  );
}

export function PushSettings(props: { roomId: number | null; onClose(): void }) {
  const merchantId = useMerchantId();
  const settings = useAsync(async () => (props.roomId ? call(() => api.GET('/api/merchants/{merchantId}/rooms/{roomId}/push', { params: { path: { merchantId, roomId: props.roomId! } } })) : null), [props.roomId]);
  const rotate = async () => { await call(() => api.POST('/api/merchants/{merchantId}/rooms/{roomId}/stream-key', { params: { path: { merchantId, roomId: props.roomId! } } })); settings.reload(); };
  const s = settings.data;
  return (
    <Modal open={props.roomId !== null} title="推流设置 OBS guide" onCancel={props.onClose} footer={<Button danger onClick={() => void rotate()}>重置推流码 Rotate key</Button>}>
      {s && (
        <>
          <Typography.Paragraph>服务器 Server: <Typography.Text copyable code>{s.server}</Typography.Text></Typography.Paragraph>
          <Typography.Paragraph>推流码 Stream key: <Typography.Text copyable code data-testid="stream-key">{s.streamKey}</Typography.Text></Typography.Paragraph>
          <Typography.Paragraph>完整地址 Push URL: <Typography.Text copyable code data-testid="push-url">{s.pushUrl}</Typography.Text></Typography.Paragraph>
          <Typography.Paragraph type="secondary">OBS → 设置 → 推流：服务选“自定义”，填入服务器与推流码。关键帧间隔 {s.obs.keyframeIntervalSec}s，视频码率 {s.obs.videoBitrateKbps} kbps，音频 {s.obs.audioBitrateKbps} kbps，{s.obs.resolution} @ {s.obs.fps}fps，{s.obs.encoder}，{s.obs.rateControl}。</Typography.Paragraph>
          <Typography.Paragraph type="secondary">{s.advice}</Typography.Paragraph>
        </>
      )}
    </Modal>
  );
}
