// Marketing: coupons, promotions (满减/满折, limited-time, new-user), flash sales, group-buy and
// bargain — create coupons and promotions here, and see every tool's results (MarketingDeals.tsx).
import { useLabels } from '@livemall/sdk';
import { App, Button, Card, DatePicker, Form, Input, InputNumber, Select, Table, Tabs, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { $api, errorText, yuan } from '../api.ts';
import { tableState } from '../components/Loadable.tsx';
import { useMerchantId } from '../workspace.tsx';
import { SkuDealFields } from '../components/deals/SkuDealForm.tsx';
import type { Range } from '../components/deals/useCreateDeal.ts';
import { Bargains, Flash, GroupBuys } from './MarketingDeals.tsx';

export default function Marketing() {
  const { t } = useTranslation();
  return (
    <Card title={t('marketing.title')}>
      <Tabs
        items={[
          { key: 'coupons', label: t('marketing.coupons'), children: <Coupons /> },
          { key: 'promotions', label: t('marketing.promotions'), children: <Promotions /> },
          { key: 'flash', label: t('marketing.flash'), children: <Flash /> },
          { key: 'groups', label: t('marketing.groups'), children: <GroupBuys /> },
          { key: 'bargains', label: t('marketing.bargains'), children: <Bargains /> },
        ]}
      />
    </Card>
  );
}

const KINDS = ['threshold', 'fixed', 'percent', 'free_shipping'] as const;
const CHANNELS = ['claim_centre', 'room_drop', 'new_user', 'staff_issue', 'invite'] as const;
const STATUSES = ['active', 'paused', 'ended'] as const;
type Status = (typeof STATUSES)[number];
interface NewCoupon {
  title: string;
  kind: (typeof KINDS)[number];
  amount?: number;
  threshold?: number;
  percentOff?: number;
  totalQuantity: number;
  perUserLimit: number;
  validDays: number;
  channels: Array<(typeof CHANNELS)[number]>;
}
const fen = (yuanAmount: number) => Math.round(yuanAmount * 100);

/** A status picker for a coupon or promotion (active / paused / ended). */
function StatusSelect(props: { value: string; onChange(s: Status): void }) {
  const labels = useLabels();
  return (
    <Select<Status>
      size="small"
      value={props.value as Status}
      style={{ width: 110 }}
      onChange={props.onChange}
      options={STATUSES.map((s) => ({ value: s, label: labels.label('campaignStatus', s) }))}
    />
  );
}

function Coupons() {
  const { t } = useTranslation();
  const labels = useLabels();
  const merchantId = useMerchantId();
  const { message } = App.useApp();
  const path = { params: { path: { merchantId } } };
  const coupons = $api.useQuery('get', '/api/merchants/{merchantId}/coupons', path);
  const createM = $api.useMutation('post', '/api/merchants/{merchantId}/coupons');
  const statusM = $api.useMutation('post', '/api/merchants/{merchantId}/coupons/{templateId}/status');
  const create = async (v: NewCoupon) => {
    try {
      await createM.mutateAsync({
        ...path,
        body: {
          title: v.title,
          kind: v.kind,
          totalQuantity: v.totalQuantity,
          perUserLimit: v.perUserLimit,
          validDays: v.validDays,
          channels: v.channels,
          ...(v.amount ? { amountFen: fen(v.amount) } : {}),
          ...(v.threshold ? { thresholdFen: fen(v.threshold) } : {}),
          ...(v.percentOff ? { percentOffBp: fen(v.percentOff) } : {}),
        },
      });
      void message.success(t('marketing.created'));
    } catch (e) {
      void message.error(errorText(e));
    }
  };
  const setStatus = async (templateId: number, status: Status) => {
    try {
      await statusM.mutateAsync({ params: { path: { merchantId, templateId } }, body: { status } });
    } catch (e) {
      void message.error(errorText(e));
    }
  };
  return (
    <>
      <Form
        layout="inline"
        onFinish={create}
        style={{ marginBottom: 12, rowGap: 8 }}
        initialValues={{
          kind: 'threshold',
          totalQuantity: 1000,
          perUserLimit: 1,
          validDays: 7,
          channels: ['claim_centre', 'room_drop'],
        }}
      >
        <Form.Item label={t('marketing.name')} name="title" rules={[{ required: true }]}>
          <Input />
        </Form.Item>
        <Form.Item name="kind">
          <Select
            style={{ width: 120 }}
            options={KINDS.map((value) => ({ value, label: labels.label('couponKind', value) }))}
          />
        </Form.Item>
        <Form.Item label={t('marketing.threshold')} name="threshold">
          <InputNumber min={0} />
        </Form.Item>
        <Form.Item label={t('marketing.amountOff')} name="amount">
          <InputNumber min={0} />
        </Form.Item>
        <Form.Item label={t('marketing.percentOff')} name="percentOff">
          <InputNumber min={1} max={99} />
        </Form.Item>
        <Form.Item name="totalQuantity" label={t('marketing.total')}>
          <InputNumber min={1} />
        </Form.Item>
        <Form.Item name="perUserLimit" label={t('marketing.perUser')}>
          <InputNumber min={1} />
        </Form.Item>
        <Form.Item name="validDays" label={t('marketing.validDays')}>
          <InputNumber min={1} />
        </Form.Item>
        <Form.Item name="channels">
          <Select
            mode="multiple"
            style={{ width: 220 }}
            options={CHANNELS.map((value) => ({ value, label: labels.label('couponChannel', value) }))}
          />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={createM.isPending}>
          {t('marketing.create')}
        </Button>
      </Form>
      <Table
        rowKey="id"
        {...tableState(coupons, (d) => d)}
        columns={[
          { title: t('marketing.name'), dataIndex: 'title' },
          { title: t('marketing.rule'), render: (_, c) => labels.server(c.description) },
          { title: t('marketing.claimedOfTotal'), render: (_, c) => `${c.claimed}/${c.totalQuantity}` },
          { title: t('marketing.used'), dataIndex: 'used' },
          {
            title: t('marketing.channels'),
            render: (_, c) => c.channels.map((x) => <Tag key={x}>{labels.label('couponChannel', x)}</Tag>),
          },
          {
            title: t('common.status'),
            render: (_, c) => <StatusSelect value={c.status} onChange={(s) => void setStatus(c.id, s)} />,
          },
        ]}
      />
    </>
  );
}

function Promotions() {
  const { t } = useTranslation();
  const labels = useLabels();
  const merchantId = useMerchantId();
  const { message } = App.useApp();
  const path = { params: { path: { merchantId } } };
  const promos = $api.useQuery('get', '/api/merchants/{merchantId}/promotions', path);
  const createM = $api.useMutation('post', '/api/merchants/{merchantId}/promotions');
  const statusM = $api.useMutation('post', '/api/merchants/{merchantId}/promotions/{promotionId}/status');
  const when = (range: Range) => ({ startsAt: range[0].toISOString(), endsAt: range[1].toISOString() });
  const attempt = async (fn: () => Promise<unknown>) => {
    try {
      await fn();
      void message.success(t('marketing.created'));
    } catch (e) {
      void message.error(errorText(e));
    }
  };
  const createTiers = (v: { title: string; threshold: number; off: number; range: Range }) =>
    attempt(() =>
      createM.mutateAsync({
        ...path,
        body: {
          kind: 'full_reduction',
          title: v.title,
          ...when(v.range),
          terms: { tiers: [{ thresholdFen: fen(v.threshold), amountOffFen: fen(v.off) }] },
        },
      }),
    );
  type Discount = {
    title: string;
    skuId: number;
    price: number;
    range: Range;
    kind: 'limited_discount' | 'new_user_price';
  };
  const createDiscount = (v: Discount) =>
    attempt(() =>
      createM.mutateAsync({
        ...path,
        body: {
          kind: v.kind,
          title: v.title,
          terms: { items: [{ skuId: v.skuId, priceFen: fen(v.price) }] },
          ...when(v.range),
        },
      }),
    );
  const setStatus = async (promotionId: number, status: Status) => {
    try {
      await statusM.mutateAsync({ params: { path: { merchantId, promotionId } }, body: { status } });
    } catch (e) {
      void message.error(errorText(e));
    }
  };
  return (
    <>
      <Form layout="inline" onFinish={createTiers} style={{ marginBottom: 12 }}>
        <Form.Item label={t('marketing.name')} name="title" rules={[{ required: true }]}>
          <Input placeholder={t('marketing.tiersExample')} />
        </Form.Item>
        <Form.Item label={t('marketing.threshold')} name="threshold" rules={[{ required: true }]}>
          <InputNumber min={1} />
        </Form.Item>
        <Form.Item label={t('marketing.amountOff')} name="off" rules={[{ required: true }]}>
          <InputNumber min={1} />
        </Form.Item>
        <Form.Item name="range" rules={[{ required: true }]}>
          <DatePicker.RangePicker showTime />
        </Form.Item>
        <Button type="primary" htmlType="submit">
          {t('marketing.createTiers')}
        </Button>
      </Form>
      <Form
        layout="inline"
        onFinish={createDiscount}
        initialValues={{ kind: 'limited_discount' }}
        style={{ marginBottom: 12, rowGap: 8 }}
      >
        <Form.Item name="kind">
          <Select
            style={{ width: 130 }}
            options={(['limited_discount', 'new_user_price'] as const).map((value) => ({
              value,
              label: labels.label('promotionKind', value),
            }))}
          />
        </Form.Item>
        <SkuDealFields />
        <Form.Item label={t('marketing.dealPrice')} name="price" rules={[{ required: true }]}>
          <InputNumber min={0} />
        </Form.Item>
        <Button type="primary" htmlType="submit">
          {t('marketing.createDiscount')}
        </Button>
      </Form>
      <Table
        rowKey="id"
        {...tableState(promos, (d) => d)}
        columns={[
          { title: t('marketing.name'), dataIndex: 'title' },
          { title: t('marketing.kind'), render: (_, p) => labels.label('promotionKind', p.kind) },
          {
            title: t('marketing.when'),
            render: (_, p) => `${labels.dateTime(p.startsAt)} – ${labels.dateTime(p.endsAt)}`,
          },
          { title: t('marketing.paidOrders'), dataIndex: 'paidOrders' },
          { title: t('marketing.discountGiven'), render: (_, p) => yuan(p.discountFen ?? 0) },
          {
            title: t('common.status'),
            render: (_, p) => <StatusSelect value={p.status} onChange={(s) => void setStatus(p.id, s)} />,
          },
        ]}
      />
    </>
  );
}
