// Marketing: coupons, promotions (满减/满折, limited-time, new-user), flash sales, group-buy and
// bargain — create coupons and promotions here, and see every tool's results.
import { App, Button, Card, DatePicker, Form, Input, InputNumber, Select, Space, Table, Tabs, Tag } from 'antd';
import { api, call, errorText, yuan } from '../api.ts';
import { useAsync } from '../components/useAsync.ts';
import { useMerchantId } from '../workspace.tsx';
import { SkuPicker } from '../components/SkuPicker.tsx';

export default function Marketing() {
  const merchantId = useMerchantId();
  const { message } = App.useApp();
  const path = { params: { path: { merchantId } } };
  const coupons = useAsync(() => call(() => api.GET('/api/merchants/{merchantId}/coupons', path)), [merchantId]);
  const promos = useAsync(() => call(() => api.GET('/api/merchants/{merchantId}/promotions', path)), [merchantId]);
  const flash = useAsync(() => call(() => api.GET('/api/merchants/{merchantId}/flash-sales', path)), [merchantId]);
  const groups = useAsync(() => call(() => api.GET('/api/merchants/{merchantId}/group-buys', path)), [merchantId]);
  const bargains = useAsync(() => call(() => api.GET('/api/merchants/{merchantId}/bargains', path)), [merchantId]);

  const createCoupon = async (v: { title: string; kind: 'fixed' | 'percent' | 'threshold' | 'free_shipping'; amount?: number; threshold?: number; percentOff?: number; totalQuantity: number; perUserLimit: number; validDays: number; channels: Array<'claim_centre' | 'room_drop'> }) => {
    try {
      await call(() => api.POST('/api/merchants/{merchantId}/coupons', { ...path, body: {
        title: v.title, kind: v.kind, totalQuantity: v.totalQuantity, perUserLimit: v.perUserLimit, validDays: v.validDays, channels: v.channels,
        ...(v.amount ? { amountFen: Math.round(v.amount * 100) } : {}), ...(v.threshold ? { thresholdFen: Math.round(v.threshold * 100) } : {}), ...(v.percentOff ? { percentOffBp: Math.round(v.percentOff * 100) } : {}),
      } }));
      coupons.reload();
      void message.success('已创建');
    } catch (e) { void message.error(errorText(e)); }
  };
  const createPromo = async (v: { title: string; threshold: number; off: number; range: [{ toISOString(): string }, { toISOString(): string }] }) => {
    try {
      await call(() => api.POST('/api/merchants/{merchantId}/promotions', { ...path, body: { kind: 'full_reduction', title: v.title, terms: { tiers: [{ thresholdFen: Math.round(v.threshold * 100), amountOffFen: Math.round(v.off * 100) }] }, startsAt: v.range[0].toISOString(), endsAt: v.range[1].toISOString() } }));
      promos.reload();
      void message.success('已创建');
    } catch (e) { void message.error(errorText(e)); }
  };
  type Range = [{ toISOString(): string }, { toISOString(): string }];
  const created = (what: string) => { void message.success(`${what}已创建`); flash.reload(); groups.reload(); bargains.reload(); promos.reload(); };
  const createDiscount = async (v: { title: string; skuId: number; price: number; range: Range; kind: 'limited_discount' | 'new_user_price' }) => {
    try { await call(() => api.POST('/api/merchants/{merchantId}/promotions', { ...path, body: { kind: v.kind, title: v.title, terms: { items: [{ skuId: v.skuId, priceFen: Math.round(v.price * 100) }] }, startsAt: v.range[0].toISOString(), endsAt: v.range[1].toISOString() } })); created('折扣'); } catch (e) { void message.error(errorText(e)); }
  };
  const createFlash = async (v: { title: string; skuId: number; price: number; stock: number; limit: number; range: Range }) => {
    try { await call(() => api.POST('/api/merchants/{merchantId}/flash-sales', { ...path, body: { title: v.title, startsAt: v.range[0].toISOString(), endsAt: v.range[1].toISOString(), items: [{ skuId: v.skuId, flashPriceFen: Math.round(v.price * 100), stock: v.stock, perUserLimit: v.limit }] } })); created('秒杀场次'); } catch (e) { void message.error(errorText(e)); }
  };
  const createGroup = async (v: { title: string; skuId: number; price: number; size: number; minutes: number; autoFill?: boolean; range: Range }) => {
    try { await call(() => api.POST('/api/merchants/{merchantId}/group-buys', { ...path, body: { title: v.title, skuId: v.skuId, groupPriceFen: Math.round(v.price * 100), groupSize: v.size, expireMinutes: v.minutes, autoFill: !!v.autoFill, startsAt: v.range[0].toISOString(), endsAt: v.range[1].toISOString() } })); created('拼团'); } catch (e) { void message.error(errorText(e)); }
  };
  const createBargain = async (v: { title: string; skuId: number; floor: number; helps: number; hours: number; range: Range }) => {
    try { await call(() => api.POST('/api/merchants/{merchantId}/bargains', { ...path, body: { title: v.title, skuId: v.skuId, floorPriceFen: Math.round(v.floor * 100), helpsNeeded: v.helps, expireHours: v.hours, startsAt: v.range[0].toISOString(), endsAt: v.range[1].toISOString() } })); created('砍价'); } catch (e) { void message.error(errorText(e)); }
  };
  const common = (
    <>
      <Form.Item name="title" rules={[{ required: true }]}><Input placeholder="名称" /></Form.Item>
      <Form.Item name="skuId" rules={[{ required: true }]}><SkuPicker /></Form.Item>
      <Form.Item name="range" rules={[{ required: true }]}><DatePicker.RangePicker showTime /></Form.Item>
    </>
  );
  const setStatus = async (kind: 'coupons' | 'promotions', id: number, status: 'active' | 'paused' | 'ended') => {
    try {
      if (kind === 'coupons') await call(() => api.POST('/api/merchants/{merchantId}/coupons/{templateId}/status', { params: { path: { merchantId, templateId: id } }, body: { status } }));
      else await call(() => api.POST('/api/merchants/{merchantId}/promotions/{promotionId}/status', { params: { path: { merchantId, promotionId: id } }, body: { status } }));
      coupons.reload(); promos.reload();
    } catch (e) { void message.error(errorText(e)); }
  };

  return (
    <Card title="营销 Marketing">
      <Tabs items={[
        { key: 'coupons', label: '优惠券 Coupons', children: (
          <>
            <Form layout="inline" onFinish={createCoupon} initialValues={{ kind: 'threshold', totalQuantity: 1000, perUserLimit: 1, validDays: 7, channels: ['claim_centre', 'room_drop'] }} style={{ marginBottom: 12, rowGap: 8 }}>
              <Form.Item name="title" rules={[{ required: true }]}><Input placeholder="名称" /></Form.Item>
              <Form.Item name="kind"><Select style={{ width: 120 }} options={[{ value: 'threshold', label: '满减券' }, { value: 'fixed', label: '立减券' }, { value: 'percent', label: '折扣券' }, { value: 'free_shipping', label: '包邮券' }]} /></Form.Item>
              <Form.Item name="threshold"><InputNumber placeholder="满(元)" min={0} /></Form.Item>
              <Form.Item name="amount"><InputNumber placeholder="减(元)" min={0} /></Form.Item>
              <Form.Item name="percentOff"><InputNumber placeholder="折扣% off" min={1} max={99} /></Form.Item>
              <Form.Item name="totalQuantity" label="总量"><InputNumber min={1} /></Form.Item>
              <Form.Item name="perUserLimit" label="每人"><InputNumber min={1} /></Form.Item>
              <Form.Item name="validDays" label="领取后天数"><InputNumber min={1} /></Form.Item>
              <Form.Item name="channels"><Select mode="multiple" style={{ width: 220 }} options={[{ value: 'claim_centre', label: '领券中心' }, { value: 'room_drop', label: '直播间发券' }, { value: 'new_user', label: '新人礼' }, { value: 'staff_issue', label: '定向发放' }]} /></Form.Item>
              <Button type="primary" htmlType="submit">创建</Button>
            </Form>
            <Table rowKey="id" loading={coupons.loading} dataSource={coupons.data ?? []} columns={[
              { title: '名称', dataIndex: 'title' }, { title: '规则', dataIndex: 'description' },
              { title: '领取/总量', render: (_, c) => `${c.claimed}/${c.totalQuantity}` }, { title: '已使用', dataIndex: 'used' },
              { title: '渠道', render: (_, c) => c.channels.map((x) => <Tag key={x}>{x}</Tag>) },
              { title: '状态', render: (_, c) => <Select size="small" value={c.status} style={{ width: 100 }} onChange={(s) => void setStatus('coupons', c.id, s as never)} options={['active', 'paused', 'ended'].map((s) => ({ value: s, label: s }))} /> },
            ]} />
          </>
        ) },
        { key: 'promotions', label: '满减/折扣 Promotions', children: (
          <>
            <Form layout="inline" onFinish={createPromo} style={{ marginBottom: 12 }}>
              <Form.Item name="title" rules={[{ required: true }]}><Input placeholder="名称，如 满199减30" /></Form.Item>
              <Form.Item name="threshold" rules={[{ required: true }]}><InputNumber placeholder="满(元)" min={1} /></Form.Item>
              <Form.Item name="off" rules={[{ required: true }]}><InputNumber placeholder="减(元)" min={1} /></Form.Item>
              <Form.Item name="range" rules={[{ required: true }]}><DatePicker.RangePicker showTime /></Form.Item>
              <Button type="primary" htmlType="submit">创建满减</Button>
            </Form>
            <Form layout="inline" onFinish={createDiscount} initialValues={{ kind: 'limited_discount' }} style={{ marginBottom: 12, rowGap: 8 }}>
              <Form.Item name="kind"><Select style={{ width: 130 }} options={[{ value: 'limited_discount', label: '限时折扣' }, { value: 'new_user_price', label: '新人价' }]} /></Form.Item>
              {common}
              <Form.Item name="price" rules={[{ required: true }]}><InputNumber placeholder="活动价(元)" min={0} /></Form.Item>
              <Button type="primary" htmlType="submit">创建折扣</Button>
            </Form>
            <Table rowKey="id" loading={promos.loading} dataSource={promos.data ?? []} columns={[
              { title: '名称', dataIndex: 'title' }, { title: '类型', dataIndex: 'kind' },
              { title: '时间', render: (_, p) => `${new Date(p.startsAt).toLocaleString()} – ${new Date(p.endsAt).toLocaleString()}` },
              { title: '支付订单', dataIndex: 'paidOrders' }, { title: '让利', render: (_, p) => yuan(p.discountFen ?? 0) },
              { title: '状态', render: (_, p) => <Select size="small" value={p.status} style={{ width: 100 }} onChange={(s) => void setStatus('promotions', p.id, s as never)} options={['active', 'paused', 'ended'].map((s) => ({ value: s, label: s }))} /> },
            ]} />
          </>
        ) },
        { key: 'flash', label: '秒杀 Flash sales', children: (
          <>
          <Form layout="inline" onFinish={createFlash} initialValues={{ stock: 100, limit: 1 }} style={{ marginBottom: 12, rowGap: 8 }}>
            {common}
            <Form.Item name="price" rules={[{ required: true }]}><InputNumber placeholder="秒杀价(元)" min={0} /></Form.Item>
            <Form.Item name="stock" label="库存"><InputNumber min={1} /></Form.Item>
            <Form.Item name="limit" label="限购"><InputNumber min={1} /></Form.Item>
            <Button type="primary" htmlType="submit">创建秒杀场次</Button>
          </Form>
          <Table rowKey="id" loading={flash.loading} dataSource={flash.data ?? []} expandable={{ expandedRowRender: (s) => <Space direction="vertical">{s.items.map((i) => <span key={i.id}>{i.title}：{yuan(i.flashPriceFen)}，已售 {i.sold}/{i.stock}，剩余 {i.remaining}，每人限购 {i.perUserLimit}</span>)}</Space> }} columns={[
            { title: '场次', dataIndex: 'title' }, { title: '开始', render: (_, s) => new Date(s.startsAt).toLocaleString() }, { title: '结束', render: (_, s) => new Date(s.endsAt).toLocaleString() },
            { title: '状态', render: (_, s) => <Tag>{s.state}</Tag> }, { title: '已售', render: (_, s) => s.items.reduce((n, i) => n + i.sold, 0) },
          ]} />
          </>
        ) },
        { key: 'groups', label: '拼团 Group-buy', children: (
          <>
          <Form layout="inline" onFinish={createGroup} initialValues={{ size: 3, minutes: 1440 }} style={{ marginBottom: 12, rowGap: 8 }}>
            {common}
            <Form.Item name="price" rules={[{ required: true }]}><InputNumber placeholder="拼团价(元)" min={0} /></Form.Item>
            <Form.Item name="size" label="成团人数"><InputNumber min={2} max={100} /></Form.Item>
            <Form.Item name="minutes" label="成团时限(分)"><InputNumber min={1} /></Form.Item>
            <Form.Item name="autoFill" label="差一人自动成团"><Select style={{ width: 80 }} options={[{ value: false, label: '否' }, { value: true, label: '是' }]} /></Form.Item>
            <Button type="primary" htmlType="submit">创建拼团</Button>
          </Form>
          <Table rowKey="id" loading={groups.loading} dataSource={groups.data ?? []} columns={[
            { title: '活动', dataIndex: 'title' }, { title: '拼团价', render: (_, d) => yuan(d.groupPriceFen) }, { title: '成团人数', dataIndex: 'groupSize' },
            { title: '结果', render: (_, d) => `成团 ${d.results.succeeded ?? 0} · 组团中 ${d.results.forming ?? 0} · 失败 ${d.results.failed ?? 0}` },
          ]} />
          </>
        ) },
        { key: 'bargains', label: '砍价 Bargain', children: (
          <>
          <Form layout="inline" onFinish={createBargain} initialValues={{ helps: 5, hours: 24 }} style={{ marginBottom: 12, rowGap: 8 }}>
            {common}
            <Form.Item name="floor" rules={[{ required: true }]}><InputNumber placeholder="底价(元)" min={0} /></Form.Item>
            <Form.Item name="helps" label="需助力人数"><InputNumber min={1} max={500} /></Form.Item>
            <Form.Item name="hours" label="有效小时"><InputNumber min={1} max={720} /></Form.Item>
            <Button type="primary" htmlType="submit">创建砍价</Button>
          </Form>
          <Table rowKey="id" loading={bargains.loading} dataSource={bargains.data ?? []} columns={[
            { title: '活动', dataIndex: 'title' }, { title: '底价', render: (_, c) => yuan(c.floorPriceFen) }, { title: '需助力', dataIndex: 'helpsNeeded' },
            { title: '结果', render: (_, c) => `进行中 ${c.results?.active ?? 0} · 已砍到底 ${c.results?.reached ?? 0} · 已购买 ${c.results?.bought ?? 0}` },
          ]} />
          </>
        ) },
      ]} />
    </Card>
  );
}
