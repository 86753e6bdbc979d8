// A/B experiments: create one with its variants and goal, start or stop it, and read its results
// (conversion per variant, lift against the control, p-value and whether it is significant).
import { useLabels } from '@livemall/sdk';
import { App, Button, Drawer, Form, Input, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { $api, errorText } from '../api.ts';
import { tableState } from '../components/Loadable.tsx';
import { useMerchantId } from '../workspace.tsx';
import { LinkButton } from '../components/LinkButton.tsx';

const GOALS = [
  'add_to_cart',
  'product_click',
  'checkout_start',
  'order',
  'order_paid',
  'room_enter',
  'follow',
  'comment',
  'share',
] as const;

export function Experiments() {
  const { t } = useTranslation();
  const labels = useLabels();
  const merchantId = useMerchantId();
  const { message } = App.useApp();
  const path = { params: { path: { merchantId } } };
  const list = $api.useQuery('get', '/api/merchants/{merchantId}/experiments', path);
  const [open, setOpen] = useState<number | null>(null);
  const results = $api.useQuery(
    'get',
    '/api/merchants/{merchantId}/experiments/{experimentId}/results',
    { params: { path: { merchantId, experimentId: open ?? 0 } } },
    { enabled: open !== null },
  );
  const createM = $api.useMutation('post', '/api/merchants/{merchantId}/experiments');
  const statusM = $api.useMutation('put', '/api/merchants/{merchantId}/experiments/{experimentId}/status');
  const create = async (v: { key: string; name: string; variants: string; goal: (typeof GOALS)[number] }) => {
    const variants = v.variants
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .map((key) => ({ key, weight: 1 }));
    try {
      await createM.mutateAsync({ ...path, body: { key: v.key, name: v.name, variants, goal: v.goal } });
    } catch (e) {
      void message.error(errorText(e));
    }
  };
  const setStatus = async (experimentId: number, status: 'running' | 'stopped') => {
    try {
      await statusM.mutateAsync({ params: { path: { merchantId, experimentId } }, body: { status } });
    } catch (e) {
      void message.error(errorText(e));
    }
  };
  const shown = open !== null ? results.data : undefined;
  return (
    <>
      <Form
        layout="inline"
        onFinish={(v) => void create(v)}
        initialValues={{ variants: 'control,new', goal: 'add_to_cart' }}
        style={{ marginBottom: 12 }}
      >
        <Form.Item label="key" name="key" rules={[{ required: true, pattern: /^[A-Za-z0-9_.-]+$/ }]}>
          <Input placeholder={t('experiments.keyExample')} />
        </Form.Item>
        <Form.Item label={t('experiments.name')} name="name" rules={[{ required: true }]}>
          <Input />
        </Form.Item>
        <Form.Item name="variants" label={t('experiments.variants')}>
          <Input style={{ width: 160 }} />
        </Form.Item>
        <Form.Item name="goal" label={t('experiments.goal')}>
          <Select
            style={{ width: 150 }}
            options={GOALS.map((g) => ({ value: g, label: labels.label('experimentGoal', g) }))}
          />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={createM.isPending}>
          {t('experiments.create')}
        </Button>
      </Form>
      <Table
        size="small"
        rowKey="id"
        {...tableState(list, (d) => d)}
        pagination={false}
        columns={[
          { title: 'Key', dataIndex: 'key' },
          { title: t('experiments.name'), dataIndex: 'name' },
          { title: t('experiments.variants'), render: (_, x) => x.variants.map((v) => v.key).join(' / ') },
          { title: t('experiments.goal'), render: (_, x) => labels.label('experimentGoal', x.goal) },
          {
            title: t('common.status'),
            render: (_, x) => (
              <Tag color={x.status === 'running' ? 'green' : 'default'}>
                {labels.label('experimentStatus', x.status)}
              </Tag>
            ),
          },
          {
            title: '',
            render: (_, x) => (
              <Space>
                <LinkButton onClick={() => setOpen(x.id)}>{t('experiments.results')}</LinkButton>
                <LinkButton onClick={() => void setStatus(x.id, x.status === 'running' ? 'stopped' : 'running')}>
                  {x.status === 'running' ? t('experiments.stop') : t('experiments.restart')}
                </LinkButton>
              </Space>
            ),
          },
        ]}
      />
      <Drawer open={open !== null} onClose={() => setOpen(null)} width={640} title={shown?.experiment.name}>
        <Table
          size="small"
          rowKey="variant"
          loading={results.isFetching && !shown}
          dataSource={shown?.variants ?? []}
          pagination={false}
          columns={[
            { title: t('experiments.variant'), dataIndex: 'variant' },
            { title: t('experiments.exposures'), dataIndex: 'exposures' },
            { title: t('experiments.conversions'), dataIndex: 'conversions' },
            { title: t('experiments.rate'), render: (_, v) => `${(v.conversionRate * 100).toFixed(2)}%` },
            {
              title: t('experiments.lift'),
              render: (_, v) =>
                v.liftVsControl === null ? t('experiments.control') : `${(v.liftVsControl * 100).toFixed(1)}%`,
            },
            { title: t('experiments.pValue'), render: (_, v) => (v.pValue === null ? '-' : v.pValue.toFixed(4)) },
            {
              title: t('experiments.significant'),
              render: (_, v) =>
                v.significant === null ? (
                  '-'
                ) : v.significant ? (
                  <Tag color="green">{t('experiments.yes')}</Tag>
                ) : (
                  <Tag>{t('experiments.no')}</Tag>
                ),
            },
          ]}
        />
      </Drawer>
    </>
  );
}
