import { App, Button, Card, Form, Input, InputNumber, Select, Space, Table, Tabs, Tag } from 'antd';
import { api, call, errorText, yuan } from '../api.ts';
import { OPERATOR_ACTIONS, STATUS_TAG, type ShopStatus } from '../components/ShopStatus.tsx';
import { useAsync } from '../components/useAsync.ts';

export default function Platform() {
  return <Tabs items={[
    { key: 'dashboard', label: '平台看板 Dashboard', children: <PlatformDashboard /> },
    { key: 'merchants', label: '商家 Merchants', children: <Merchants /> },
    { key: 'words', label: '敏感词 Word list', children: <Words /> },
    { key: 'reports', label: '举报审核 Reports', children: <Reports /> },
  ]} />;
}

function Reports() {
  const reports = useAsync(() => call(() => api.GET('/api/platform/chat-reports')), []);
  return (
    <Card title="被举报的弹幕 Reported messages (all shops)">
      <Table rowKey="id" loading={reports.loading} dataSource={reports.data ?? []} columns={[
        { title: '直播间', dataIndex: 'roomId' }, { title: '内容', dataIndex: 'text' }, { title: '原因', dataIndex: 'reason' },
        { title: '状态', render: (_, r) => <Tag>{r.status}</Tag> }, { title: '时间', render: (_, r) => new Date(r.createdAt).toLocaleString() },
      ]} />
    </Card>
  );
}

function PlatformDashboard() {
  const dash = useAsync(() => call(() => api.GET('/api/platform/dashboard')), []);
  const rows = dash.data ?? [];
  return (
    <Card title={`今日 GMV ${yuan(rows.reduce((s, r) => s + r.todayGmvFen, 0))} · 7 日 GMV ${yuan(rows.reduce((s, r) => s + r.weekGmvFen, 0))}`}>
      <Table rowKey="merchantId" loading={dash.loading} dataSource={rows} columns={[
        { title: '商家', dataIndex: 'name' }, { title: '今日订单', dataIndex: 'todayOrders' }, { title: '今日 GMV', render: (_, r) => yuan(r.todayGmvFen) },
        { title: '7 日订单', dataIndex: 'weekOrders' }, { title: '7 日 GMV', render: (_, r) => yuan(r.weekGmvFen) },
      ]} />
    </Card>
  );
}

export function Words(props: { merchantId?: number }) {
  const { message } = App.useApp();
  const mid = props.merchantId;
  const words = useAsync(() => (mid ? call(() => api.GET('/api/merchants/{merchantId}/sensitive-words', { params: { path: { merchantId: mid } } })) : call(() => api.GET('/api/platform/sensitive-words'))), [mid]);
  const add = async (v: { word: string; action: 'mask' | 'block' | 'review' }) => {
    try { await call(() => (mid ? api.POST('/api/merchants/{merchantId}/sensitive-words', { params: { path: { merchantId: mid } }, body: { words: [v] } }) : api.POST('/api/platform/sensitive-words', { body: { words: [v] } }))); words.reload(); } catch (e) { void message.error(errorText(e)); }
  };
  const remove = async (id: number) => { try { await call(() => (mid ? api.DELETE('/api/merchants/{merchantId}/sensitive-words/{wordId}', { params: { path: { merchantId: mid, wordId: id } } }) : api.DELETE('/api/platform/sensitive-words/{wordId}', { params: { path: { wordId: id } } }))); words.reload(); } catch (e) { void message.error(errorText(e)); } };
  return (
    <Card title={mid ? '店铺敏感词 Shop word list' : '平台敏感词 Platform word list (all rooms)'}>
      <Form layout="inline" onFinish={add} initialValues={{ action: 'mask' }} style={{ marginBottom: 12 }}>
        <Form.Item name="word" rules={[{ required: true }]}><Input placeholder="词语" /></Form.Item>
        <Form.Item name="action"><Select style={{ width: 140 }} options={[{ value: 'mask', label: '打码 mask' }, { value: 'block', label: '拦截 block' }, { value: 'review', label: '人工审核 review' }]} /></Form.Item>
        <Button type="primary" htmlType="submit">添加</Button>
      </Form>
      <Table rowKey="id" loading={words.loading} dataSource={words.data ?? []} columns={[{ title: '词语', dataIndex: 'word' }, { title: '处理', dataIndex: 'action' }, { title: '', render: (_, w) => <a onClick={() => void remove(w.id)}>删除</a> }]} />
    </Card>
  );
}

function Merchants() {
  const { message } = App.useApp();
  const merchants = useAsync(() => call(() => api.GET('/api/platform/merchants', { params: { query: {} } })), []);
  const onboard = async (v: { name: string; ownerPhone: string }) => {
    try { await call(() => api.POST('/api/platform/merchants', { body: v })); merchants.reload(); } catch (e) { void message.error(errorText(e)); }
  };
  const update = async (merchantId: number, body: { status?: ShopStatus; commissionRateBp?: number }) => {
    try { await call(() => api.PATCH('/api/platform/merchants/{merchantId}', { params: { path: { merchantId } }, body: body as never })); merchants.reload(); } catch (e) { void message.error(errorText(e)); }
  };
  const rows = (Array.isArray(merchants.data) ? merchants.data : (merchants.data as { items?: unknown[] } | undefined)?.items ?? []) as Array<{ id: number; name: string; status: string; commissionRateBp: number }>;
  return (
    <Card title="商家 Merchants">
      <Form layout="inline" onFinish={onboard} style={{ marginBottom: 12 }}>
        <Form.Item name="name" rules={[{ required: true }]}><Input placeholder="商家名称 Name" /></Form.Item>
        <Form.Item name="ownerPhone" rules={[{ required: true }]}><Input placeholder="店主手机号 Owner phone" /></Form.Item>
        <Button type="primary" htmlType="submit">入驻 Onboard</Button>
      </Form>
      <Table rowKey="id" loading={merchants.loading} dataSource={rows} columns={[
        { title: 'ID', dataIndex: 'id' }, { title: '名称', dataIndex: 'name' },
        { title: '状态', render: (_, m) => <Tag color={STATUS_TAG[m.status as ShopStatus]?.[1]}>{STATUS_TAG[m.status as ShopStatus]?.[0] ?? m.status}</Tag> },
        // Only the changes governance allows for this status (approve, reject, suspend, reinstate).
        { title: '操作 Actions', render: (_, m) => <Space>{(OPERATOR_ACTIONS[m.status as ShopStatus] ?? []).map((a) => (
          <Button key={a.to} size="small" danger={a.danger} data-testid={`merchant-${a.to}`} onClick={() => void update(m.id, { status: a.to })}>{a.label}</Button>
        ))}</Space> },
        { title: '佣金 Commission', render: (_, m) => <Space><InputNumber size="small" min={0} max={100} step={0.5} defaultValue={m.commissionRateBp / 100} onBlur={(e) => void update(m.id, { commissionRateBp: Math.round(Number(e.target.value) * 100) })} />%</Space> },
      ]} />
    </Card>
  );
}
