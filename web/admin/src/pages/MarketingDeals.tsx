// Flash sales, group-buy and bargain in the marketing page: create each for one SKU and a time
// range, and see how each campaign is doing.
import { useLabels } from '@livemall/sdk';
import { App, Button, DatePicker, Form, Input, InputNumber, Select, Space, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { $api, errorText, yuan } from '../api.ts';
import { tableState } from '../components/Loadable.tsx';
import { SkuPicker } from '../components/SkuPicker.tsx';
import { useMerchantId } from '../workspace.tsx';

export type Range = [{ toISOString(): string }, { toISOString(): string }];
const fen = (yuanAmount: number) => Math.round(yuanAmount * 100);
const when = (range: Range) => ({ startsAt: range[0].toISOString(), endsAt: range[1].toISOString() });

/** Name, SKU and time range: what every SKU campaign form starts with. */
export function SkuDealFields() {
  const { t } = useTranslation();
  return (
    <>
      <Form.Item name="title" rules={[{ required: true }]}>
        <Input placeholder={t('marketing.name')} />
      </Form.Item>
      <Form.Item name="skuId" rules={[{ required: true }]}>
        <SkuPicker />
      </Form.Item>
      <Form.Item name="range" rules={[{ required: true }]}>
        <DatePicker.RangePicker showTime />
      </Form.Item>
    </>
  );
}

/** Run a create call; say so when it worked, say why when it did not. */
function useCreate() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  return async (fn: () => Promise<unknown>) => {
    try {
      await fn();
      void message.success(t('marketing.created'));
    } catch (e) {
      void message.error(errorText(e));
    }
  };
}

export function Flash() {
  const { t } = useTranslation();
  const labels = useLabels();
  const merchantId = useMerchantId();
  const create = useCreate();
  const path = { params: { path: { merchantId } } };
  const sessions = $api.useQuery('get', '/api/merchants/{merchantId}/flash-sales', path);
  const createM = $api.useMutation('post', '/api/merchants/{merchantId}/flash-sales');
  type New = { title: string; skuId: number; price: number; stock: number; limit: number; range: Range };
  const submit = (v: New) =>
    create(() =>
      createM.mutateAsync({
        ...path,
        body: {
          title: v.title,
          ...when(v.range),
          items: [{ skuId: v.skuId, flashPriceFen: fen(v.price), stock: v.stock, perUserLimit: v.limit }],
        },
      }),
    );
  return (
    <>
      <Form
        layout="inline"
        onFinish={submit}
        initialValues={{ stock: 100, limit: 1 }}
        style={{ marginBottom: 12, rowGap: 8 }}
      >
        <SkuDealFields />
        <Form.Item name="price" rules={[{ required: true }]}>
          <InputNumber placeholder={t('marketing.flashPrice')} min={0} />
        </Form.Item>
        <Form.Item name="stock" label={t('marketing.stock')}>
          <InputNumber min={1} />
        </Form.Item>
        <Form.Item name="limit" label={t('marketing.limit')}>
          <InputNumber min={1} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={createM.isPending}>
          {t('marketing.createFlash')}
        </Button>
      </Form>
      <Table
        rowKey="id"
        {...tableState(sessions, (d) => d)}
        expandable={{
          expandedRowRender: (s) => (
            <Space orientation="vertical">
              {s.items.map((i) => (
                <span key={i.id}>
                  {t('marketing.flashItem', {
                    title: i.title,
                    price: yuan(i.flashPriceFen),
                    sold: i.sold,
                    stock: i.stock,
                    remaining: i.remaining,
                    limit: i.perUserLimit,
                  })}
                </span>
              ))}
            </Space>
          ),
        }}
        columns={[
          { title: t('marketing.session'), dataIndex: 'title' },
          { title: t('marketing.starts'), render: (_, s) => labels.dateTime(s.startsAt) },
          { title: t('marketing.ends'), render: (_, s) => labels.dateTime(s.endsAt) },
          { title: t('common.status'), render: (_, s) => <Tag>{labels.label('flashState', s.state)}</Tag> },
          { title: t('marketing.sold'), render: (_, s) => s.items.reduce((n, i) => n + i.sold, 0) },
        ]}
      />
    </>
  );
}

export function GroupBuys() {
  const { t } = useTranslation();
  const merchantId = useMerchantId();
  const create = useCreate();
  const path = { params: { path: { merchantId } } };
  const groups = $api.useQuery('get', '/api/merchants/{merchantId}/group-buys', path);
  const createM = $api.useMutation('post', '/api/merchants/{merchantId}/group-buys');
  type New = {
    title: string;
    skuId: number;
    price: number;
    size: number;
    minutes: number;
    autoFill?: boolean;
    range: Range;
  };
  const submit = (v: New) =>
    create(() =>
      createM.mutateAsync({
        ...path,
        body: {
          title: v.title,
          skuId: v.skuId,
          groupPriceFen: fen(v.price),
          groupSize: v.size,
          expireMinutes: v.minutes,
          autoFill: !!v.autoFill,
          ...when(v.range),
        },
      }),
    );
  return (
    <>
      <Form
        layout="inline"
        onFinish={submit}
        initialValues={{ size: 3, minutes: 1440 }}
        style={{ marginBottom: 12, rowGap: 8 }}
      >
        <SkuDealFields />
        <Form.Item name="price" rules={[{ required: true }]}>
          <InputNumber placeholder={t('marketing.groupPrice')} min={0} />
        </Form.Item>
        <Form.Item name="size" label={t('marketing.groupSize')}>
          <InputNumber min={2} max={100} />
        </Form.Item>
        <Form.Item name="minutes" label={t('marketing.groupMinutes')}>
          <InputNumber min={1} />
        </Form.Item>
        <Form.Item name="autoFill" label={t('marketing.autoFill')}>
          <Select
            style={{ width: 80 }}
            options={[
              { value: false, label: t('common.no') },
              { value: true, label: t('common.yes') },
            ]}
          />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={createM.isPending}>
          {t('marketing.createGroup')}
        </Button>
      </Form>
      <Table
        rowKey="id"
        {...tableState(groups, (d) => d)}
        columns={[
          { title: t('marketing.campaign'), dataIndex: 'title' },
          { title: t('marketing.groupPrice'), render: (_, d) => yuan(d.groupPriceFen) },
          { title: t('marketing.groupSize'), dataIndex: 'groupSize' },
          {
            title: t('marketing.results'),
            render: (_, d) =>
              t('marketing.groupResults', {
                succeeded: d.results.succeeded ?? 0,
                forming: d.results.forming ?? 0,
                failed: d.results.failed ?? 0,
              }),
          },
        ]}
      />
    </>
  );
}

export function Bargains() {
  const { t } = useTranslation();
  const merchantId = useMerchantId();
  const create = useCreate();
  const path = { params: { path: { merchantId } } };
  const bargains = $api.useQuery('get', '/api/merchants/{merchantId}/bargains', path);
  const createM = $api.useMutation('post', '/api/merchants/{merchantId}/bargains');
  type New = { title: string; skuId: number; floor: number; helps: number; hours: number; range: Range };
  const submit = (v: New) =>
    create(() =>
      createM.mutateAsync({
        ...path,
        body: {
          title: v.title,
          skuId: v.skuId,
          floorPriceFen: fen(v.floor),
          helpsNeeded: v.helps,
          expireHours: v.hours,
          ...when(v.range),
        },
      }),
    );
  return (
    <>
      <Form
        layout="inline"
        onFinish={submit}
        initialValues={{ helps: 5, hours: 24 }}
        style={{ marginBottom: 12, rowGap: 8 }}
      >
        <SkuDealFields />
        <Form.Item name="floor" rules={[{ required: true }]}>
          <InputNumber placeholder={t('marketing.floorPrice')} min={0} />
        </Form.Item>
        <Form.Item name="helps" label={t('marketing.helpsNeeded')}>
          <InputNumber min={1} max={500} />
        </Form.Item>
        <Form.Item name="hours" label={t('marketing.validHours')}>
          <InputNumber min={1} max={720} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={createM.isPending}>
          {t('marketing.createBargain')}
        </Button>
      </Form>
      <Table
        rowKey="id"
        {...tableState(bargains, (d) => d)}
        columns={[
          { title: t('marketing.campaign'), dataIndex: 'title' },
          { title: t('marketing.floorPrice'), render: (_, c) => yuan(c.floorPriceFen) },
          { title: t('marketing.helpsNeeded'), dataIndex: 'helpsNeeded' },
          {
            title: t('marketing.results'),
            render: (_, c) =>
              t('marketing.bargainResults', {
                active: c.results?.active ?? 0,
                reached: c.results?.reached ?? 0,
                bought: c.results?.bought ?? 0,
              }),
          },
        ]}
      />
    </>
  );
}
