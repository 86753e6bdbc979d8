// Flash sales, group-buy and bargain in the marketing page: create each for one SKU and a time
// range, and see how each campaign is doing.
import { useLabels } from '@livemall/sdk';
import { Form, InputNumber, Select, Space, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { $api, yuan } from '../api.ts';
import { CampaignTable } from '../components/deals/CampaignTable.tsx';
import { DealPriceField, SkuDealForm } from '../components/deals/SkuDealForm.tsx';
import { fen, type Range, skuDealBody, useCreateDeal, when } from '../components/deals/useCreateDeal.ts';
import { tableState } from '../components/Loadable.tsx';
import { useMerchantId } from '../workspace.tsx';

export function Flash() {
  const { t } = useTranslation();
  const labels = useLabels();
  const merchantId = useMerchantId();
  const create = useCreateDeal();
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
      <SkuDealForm<New>
        onFinish={submit}
        initialValues={{ stock: 100, limit: 1 }}
        pending={createM.isPending}
        submitLabel={t('marketing.createFlash')}
      >
        <DealPriceField name="price" placeholder={t('marketing.flashPrice')} />
        <Form.Item name="stock" label={t('marketing.stock')}>
          <InputNumber min={1} />
        </Form.Item>
        <Form.Item name="limit" label={t('marketing.limit')}>
          <InputNumber min={1} />
        </Form.Item>
      </SkuDealForm>
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
  const create = useCreateDeal();
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
        body: skuDealBody(v, {
          groupPriceFen: fen(v.price),
          groupSize: v.size,
          expireMinutes: v.minutes,
          autoFill: !!v.autoFill,
        }),
      }),
    );
  return (
    <>
      <SkuDealForm<New>
        onFinish={submit}
        initialValues={{ size: 3, minutes: 1440 }}
        pending={createM.isPending}
        submitLabel={t('marketing.createGroup')}
      >
        <DealPriceField name="price" placeholder={t('marketing.groupPrice')} />
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
      </SkuDealForm>
      <CampaignTable
        query={groups}
        price={{ title: t('marketing.groupPrice'), fen: (d) => d.groupPriceFen }}
        setting={{ title: t('marketing.groupSize'), dataIndex: 'groupSize' }}
        results={(d) =>
          t('marketing.groupResults', {
            succeeded: d.results.succeeded ?? 0,
            forming: d.results.forming ?? 0,
            failed: d.results.failed ?? 0,
          })
        }
      />
    </>
  );
}

export function Bargains() {
  const { t } = useTranslation();
  const merchantId = useMerchantId();
  const create = useCreateDeal();
  const path = { params: { path: { merchantId } } };
  const bargains = $api.useQuery('get', '/api/merchants/{merchantId}/bargains', path);
  const createM = $api.useMutation('post', '/api/merchants/{merchantId}/bargains');
  type New = { title: string; skuId: number; floor: number; helps: number; hours: number; range: Range };
  const submit = (v: New) =>
    create(() =>
      createM.mutateAsync({
        ...path,
        body: skuDealBody(v, { floorPriceFen: fen(v.floor), helpsNeeded: v.helps, expireHours: v.hours }),
      }),
    );
  return (
    <>
      <SkuDealForm<New>
        onFinish={submit}
        initialValues={{ helps: 5, hours: 24 }}
        pending={createM.isPending}
        submitLabel={t('marketing.createBargain')}
      >
        <DealPriceField name="floor" placeholder={t('marketing.floorPrice')} />
        <Form.Item name="helps" label={t('marketing.helpsNeeded')}>
          <InputNumber min={1} max={500} />
        </Form.Item>
        <Form.Item name="hours" label={t('marketing.validHours')}>
          <InputNumber min={1} max={720} />
        </Form.Item>
      </SkuDealForm>
      <CampaignTable
        query={bargains}
        price={{ title: t('marketing.floorPrice'), fen: (c) => c.floorPriceFen }}
        setting={{ title: t('marketing.helpsNeeded'), dataIndex: 'helpsNeeded' }}
        results={(c) =>
          t('marketing.bargainResults', {
            active: c.results?.active ?? 0,
            reached: c.results?.reached ?? 0,
            bought: c.results?.bought ?? 0,
          })
        }
      />
    </>
  );
}
