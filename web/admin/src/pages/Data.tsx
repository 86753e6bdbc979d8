// Data (数据): reports from the analytics rollups (by day, room, product), alert rules and the
// alerts they raised, and A/B experiments with their significance.
import { App, Button, Card, Drawer, Form, Input, InputNumber, Popconfirm, Select, Space, Table, Tabs, Tag } from 'antd';
import { useState } from 'react';
import { api, call, errorText, yuan } from '../api.ts';
import { Chart } from '../components/Chart.tsx';
import { useAsync } from '../components/useAsync.ts';
import { useMerchantId } from '../workspace.tsx';

export default function Data() {
  return (
    <Card title="数据 Data">
      <Tabs items={[
        { key: 'reports', label: '报表 Reports', children: <Reports /> },
        { key: 'alerts', label: '预警 Alerts', children: <Alerts /> },
        { key: 'ab', label: 'A/B 实验', children: <Experiments /> },
      ]} />
    </Card>
  );
}

type By = 'time' | 'room' | 'product';

function Reports() {
  const merchantId = useMerchantId();
  const [by, setBy] = useState<By>('time');
  const [days, setDays] = useState(7);
  const report = useAsync(() => call(() => api.GET('/api/merchants/{merchantId}/analytics/report', {
    params: { path: { merchantId }, query: { by, grain: 'day', from: new Date(Date.now() - (days - 1) * 86_400_000).toISOString() } },
  })), [merchantId, by, days]);
  const rows = report.data?.rows ?? [];
  const label = (r: (typeof rows)[number]) => (by === 'time' ? new Date(r.key).toLocaleDateString() : r.label || `#${r.key}`);
  return (
    <>
      <Space style={{ marginBottom: 12 }}>
        <Select value={by} onChange={setBy} style={{ width: 160 }} data-testid="report-by" options={[{ value: 'time', label: '按天 By day' }, { value: 'room', label: '按直播间 By room' }, { value: 'product', label: '按商品 By product' }]} />
        <Select value={days} onChange={setDays} style={{ width: 120 }} options={[1, 7, 30].map((d) => ({ value: d, label: `近 ${d} 天` }))} />
      </Space>
      {by === 'time' && (
        <Chart height={220} testId="report-chart" option={{
          tooltip: { trigger: 'axis' }, legend: { data: ['访客 UV', '观看 Views', 'GMV (¥)'] }, xAxis: { type: 'category', data: rows.map(label) },
          yAxis: [{ type: 'value', minInterval: 1 }, { type: 'value', name: '¥' }],
          series: [
            { name: '访客 UV', type: 'bar', data: rows.map((r) => r.visitors ?? 0) },
            { name: '观看 Views', type: 'bar', data: rows.map((r) => r.enters) },
            { name: 'GMV (¥)', type: 'line', yAxisIndex: 1, data: rows.map((r) => r.gmvFen / 100) },
          ],
        }} />
      )}
      <Table size="small" rowKey="key" loading={report.loading} dataSource={rows} pagination={false} data-testid="report-table" columns={[
        { title: by === 'time' ? '日期' : by === 'room' ? '直播间' : '商品', render: (_, r) => label(r) },
        ...(by === 'product' ? [] : [{ title: '访客 UV', render: (_: unknown, r: (typeof rows)[number]) => r.visitors ?? '-' }]),
        { title: '浏览 PV', dataIndex: 'pageViews' }, { title: '点击', dataIndex: 'clicks' }, { title: '加购', dataIndex: 'carts' },
        { title: '评论', dataIndex: 'comments' }, { title: '关注', dataIndex: 'follows' }, { title: '下单', dataIndex: 'orders' }, { title: '支付', dataIndex: 'paidOrders' },
        { title: 'GMV', render: (_, r) => yuan(r.gmvFen) }, { title: '退款', render: (_, r) => yuan(r.refundFen) },
      ]} />
    </>
  );
}

const METRICS = { online_drop_pct: '在线人数一分钟跌幅 ≥ %', online_below: '在线人数低于', conversion_below: '转化率低于 %', gpm_below: 'GPM 低于 (分)' } as const;

function Alerts() {
  const merchantId = useMerchantId();
  const { message, modal } = App.useApp();
  const rules = useAsync(() => call(() => api.GET('/api/merchants/{merchantId}/alert-rules', { params: { path: { merchantId } } })), [merchantId]);
  const fired = useAsync(() => call(() => api.GET('/api/merchants/{merchantId}/alerts', { params: { path: { merchantId }, query: { limit: 50 } } })), [merchantId]);
  const [form] = Form.useForm();
  const create = async (v: { name: string; metric: keyof typeof METRICS; threshold: number; cooldownSec: number; minVisitors: number; webhookUrl?: string }) => {
    try {
      const rule = await call(() => api.POST('/api/merchants/{merchantId}/alert-rules', { params: { path: { merchantId } }, body: { ...v, webhookUrl: v.webhookUrl || null } }));
      form.resetFields(); rules.reload();
      if (rule.webhookSecret) modal.info({ title: 'Webhook 签名密钥 (只显示这一次)', content: <div><code>{rule.webhookSecret}</code><p>用它校验请求头 X-LiveMall-Signature：t=…,v1=HMAC-SHA256(密钥, "t.body")</p></div>, width: 560 });
    } catch (e) { void message.error(errorText(e)); }
  };
  const remove = async (ruleId: number) => {
    try { await call(() => api.DELETE('/api/merchants/{merchantId}/alert-rules/{ruleId}', { params: { path: { merchantId, ruleId } } })); rules.reload(); } catch (e) { void message.error(errorText(e)); }
  };
  const ack = async (alertId: number) => {
    try { await call(() => api.POST('/api/merchants/{merchantId}/alerts/{alertId}/ack', { params: { path: { merchantId, alertId } } })); fired.reload(); } catch (e) { void message.error(errorText(e)); }
  };
  return (
    <>
      <Form form={form} layout="inline" onFinish={(v) => void create(v)} initialValues={{ metric: 'online_drop_pct', threshold: 10, cooldownSec: 300, minVisitors: 20 }} style={{ marginBottom: 12, rowGap: 8 }}>
        <Form.Item name="name" rules={[{ required: true }]}><Input placeholder="名称 Name" /></Form.Item>
        <Form.Item name="metric"><Select style={{ width: 220 }} options={Object.entries(METRICS).map(([value, label]) => ({ value, label }))} /></Form.Item>
        <Form.Item name="threshold" rules={[{ required: true }]}><InputNumber min={0} placeholder="阈值" /></Form.Item>
        <Form.Item name="minVisitors" label="最少人数"><InputNumber min={0} /></Form.Item>
        <Form.Item name="cooldownSec" label="冷却(秒)"><InputNumber min={10} max={86400} /></Form.Item>
        <Form.Item name="webhookUrl"><Input placeholder="Webhook https://…" style={{ width: 240 }} /></Form.Item>
        <Button type="primary" htmlType="submit">添加规则</Button>
      </Form>
      <Table size="small" rowKey="id" dataSource={rules.data ?? []} pagination={false} columns={[
        { title: '规则', dataIndex: 'name' }, { title: '指标', render: (_, r) => `${METRICS[r.metric]} ${r.threshold}` },
        { title: '冷却', render: (_, r) => `${r.cooldownSec}s` }, { title: 'Webhook', render: (_, r) => r.webhookUrl ?? '-' },
        { title: '', render: (_, r) => <Popconfirm title="删除？" onConfirm={() => void remove(r.id)}><a>删除</a></Popconfirm> },
      ]} />
      <h4 style={{ marginTop: 16 }}>最近预警 Recent alerts</h4>
      <Table size="small" rowKey="id" dataSource={fired.data ?? []} columns={[
        { title: '时间', render: (_, a) => new Date(a.firedAt).toLocaleString() }, { title: '规则', dataIndex: 'ruleName' }, { title: '内容', dataIndex: 'message' },
        { title: '', render: (_, a) => (a.acknowledgedAt ? <Tag>已读</Tag> : <a onClick={() => void ack(a.id)}>标记已读</a>) },
      ]} />
    </>
  );
}

const GOALS = ['add_to_cart', 'product_click', 'checkout_start', 'order', 'order_paid', 'room_enter', 'follow', 'comment', 'share'] as const;

function Experiments() {
  const merchantId = useMerchantId();
  const { message } = App.useApp();
  const list = useAsync(() => call(() => api.GET('/api/merchants/{merchantId}/experiments', { params: { path: { merchantId } } })), [merchantId]);
  const [open, setOpen] = useState<number | null>(null);
  const results = useAsync(async () => (open === null ? null : call(() => api.GET('/api/merchants/{merchantId}/experiments/{experimentId}/results', { params: { path: { merchantId, experimentId: open } } }))), [merchantId, open]);
  const create = async (v: { key: string; name: string; variants: string; goal: (typeof GOALS)[number] }) => {
    const variants = v.variants.split(',').map((s) => s.trim()).filter(Boolean).map((key) => ({ key, weight: 1 }));
    try { await call(() => api.POST('/api/merchants/{merchantId}/experiments', { params: { path: { merchantId } }, body: { key: v.key, name: v.name, variants, goal: v.goal } })); list.reload(); } catch (e) { void message.error(errorText(e)); }
  };
  const setStatus = async (experimentId: number, status: 'running' | 'stopped') => {
    try { await call(() => api.PUT('/api/merchants/{merchantId}/experiments/{experimentId}/status', { params: { path: { merchantId, experimentId } }, body: { status } })); list.reload(); } catch (e) { void message.error(errorText(e)); }
  };
  return (
    <>
      <Form layout="inline" onFinish={(v) => void create(v)} initialValues={{ variants: 'control,new', goal: 'add_to_cart' }} style={{ marginBottom: 12 }}>
        <Form.Item name="key" rules={[{ required: true, pattern: /^[A-Za-z0-9_.-]+$/ }]}><Input placeholder="key (e.g. room-cover)" /></Form.Item>
        <Form.Item name="name" rules={[{ required: true }]}><Input placeholder="名称 Name" /></Form.Item>
        <Form.Item name="variants" label="版本"><Input style={{ width: 160 }} /></Form.Item>
        <Form.Item name="goal" label="目标"><Select style={{ width: 150 }} options={GOALS.map((g) => ({ value: g, label: g }))} /></Form.Item>
        <Button type="primary" htmlType="submit">新建实验</Button>
      </Form>
      <Table size="small" rowKey="id" dataSource={list.data ?? []} pagination={false} columns={[
        { title: 'Key', dataIndex: 'key' }, { title: '名称', dataIndex: 'name' }, { title: '版本', render: (_, x) => x.variants.map((v) => v.key).join(' / ') },
        { title: '目标', dataIndex: 'goal' }, { title: '状态', render: (_, x) => <Tag color={x.status === 'running' ? 'green' : 'default'}>{x.status}</Tag> },
        { title: '', render: (_, x) => (
          <Space>
            <a onClick={() => setOpen(x.id)}>结果</a>
            <a onClick={() => void setStatus(x.id, x.status === 'running' ? 'stopped' : 'running')}>{x.status === 'running' ? '停止' : '重启'}</a>
          </Space>
        ) },
      ]} />
      <Drawer open={open !== null} onClose={() => setOpen(null)} width={640} title={results.data?.experiment.name}>
        <Table size="small" rowKey="variant" loading={results.loading} dataSource={results.data?.variants ?? []} pagination={false} columns={[
          { title: '版本', dataIndex: 'variant' }, { title: '曝光', dataIndex: 'exposures' }, { title: '转化', dataIndex: 'conversions' },
          { title: '转化率', render: (_, v) => `${(v.conversionRate * 100).toFixed(2)}%` },
          { title: '提升', render: (_, v) => (v.liftVsControl === null ? '对照组' : `${(v.liftVsControl * 100).toFixed(1)}%`) },
          { title: 'p 值', render: (_, v) => (v.pValue === null ? '-' : v.pValue.toFixed(4)) },
          { title: '显著', render: (_, v) => (v.significant === null ? '-' : v.significant ? <Tag color="green">显著 (95%)</Tag> : <Tag>不显著</Tag>) },
        ]} />
      </Drawer>
    </>
  );
}
