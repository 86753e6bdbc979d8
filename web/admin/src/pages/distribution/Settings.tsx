// The shop's distribution settings (on/off, one or two tiers with their rates, binding period and
// rule, self-purchase, auto-approval, minimum withdrawal), promoter levels and per-product rates.
import { App, Button, Form, Input, InputNumber, Popconfirm, Radio, Space, Switch, Table } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { $api, errorText } from '../../api.ts';
import { tableState } from '../../components/Loadable.tsx';
import { useMerchantId } from '../../workspace.tsx';
import { bpOf, pct } from './Distribution.tsx';

type SettingsForm = {
  enabled: boolean;
  levels: number;
  rate1: number;
  rate2: number;
  bindingDays: number;
  bindingMode: 'first' | 'last';
  selfPurchase: boolean;
  autoApprove: boolean;
  minWithdraw: number;
};

function useToast() {
  const { message } = App.useApp();
  const { t } = useTranslation();
  return async (fn: () => Promise<unknown>) => {
    try {
      await fn();
      void message.success(t('growth.saved'));
    } catch (e) {
      void message.error(errorText(e));
    }
  };
}

export function Settings() {
  const { t } = useTranslation();
  const merchantId = useMerchantId();
  const path = { params: { path: { merchantId } } };
  const settings = $api.useQuery('get', '/api/merchants/{merchantId}/distribution/settings', path);
  const save = $api.useMutation('put', '/api/merchants/{merchantId}/distribution/settings');
  const run = useToast();
  const [form] = Form.useForm<SettingsForm>();
  const levels = Form.useWatch('levels', form);
  useEffect(() => {
    const s = settings.data;
    if (s)
      form.setFieldsValue({
        ...s,
        rate1: pct(s.level1Bp),
        rate2: pct(s.level2Bp),
        minWithdraw: s.minWithdrawFen / 100,
      });
  }, [settings.data, form]);
  const submit = (v: SettingsForm) =>
    run(() =>
      save.mutateAsync({
        ...path,
        body: {
          enabled: v.enabled,
          levels: v.levels,
          rates: v.levels === 2 ? [bpOf(v.rate1), bpOf(v.rate2)] : [bpOf(v.rate1)],
          bindingDays: v.bindingDays,
          bindingMode: v.bindingMode,
          selfPurchase: v.selfPurchase,
          autoApprove: v.autoApprove,
          minWithdrawFen: Math.round(v.minWithdraw * 100),
        },
      }),
    );
  const percent = { min: 0, max: 100, precision: 2, step: 0.5 };
  return (
    <Form form={form} layout="vertical" style={{ maxWidth: 520 }} onFinish={(v) => void submit(v)}>
      <Form.Item name="enabled" label={t('distribution.enabled')} valuePropName="checked">
        <Switch data-testid="distribution-enabled" />
      </Form.Item>
      <Form.Item name="levels" label={t('distribution.tiers')} extra={t('distribution.tiersHint')}>
        <Radio.Group
          options={[
            { value: 1, label: t('distribution.tierOne') },
            { value: 2, label: t('distribution.tierTwo') },
          ]}
        />
      </Form.Item>
      <Space>
        <Form.Item name="rate1" label={t('distribution.rate1')}>
          <InputNumber {...percent} />
        </Form.Item>
        {levels === 2 && (
          <Form.Item name="rate2" label={t('distribution.rate2')}>
            <InputNumber {...percent} />
          </Form.Item>
        )}
      </Space>
      <Form.Item name="bindingDays" label={t('distribution.bindingDays')}>
        <InputNumber min={1} max={3650} precision={0} />
      </Form.Item>
      <Form.Item name="bindingMode" label={t('distribution.bindingMode')}>
        <Radio.Group
          options={[
            { value: 'first', label: t('distribution.bindingFirst') },
            { value: 'last', label: t('distribution.bindingLast') },
          ]}
        />
      </Form.Item>
      <Form.Item name="selfPurchase" label={t('distribution.selfPurchase')} valuePropName="checked">
        <Switch />
      </Form.Item>
      <Form.Item name="autoApprove" label={t('distribution.autoApprove')} valuePropName="checked">
        <Switch />
      </Form.Item>
      <Form.Item name="minWithdraw" label={t('distribution.minWithdraw')}>
        <InputNumber min={0.01} precision={2} />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="distribution-save">
        {t('common.save')}
      </Button>
    </Form>
  );
}

export function Levels() {
  const { t } = useTranslation();
  const merchantId = useMerchantId();
  const path = { params: { path: { merchantId } } };
  const run = useToast();
  const levels = $api.useQuery('get', '/api/merchants/{merchantId}/distribution/levels', path);
  const rules = $api.useQuery('get', '/api/merchants/{merchantId}/distribution/rules', path);
  const addLevel = $api.useMutation('post', '/api/merchants/{merchantId}/distribution/levels');
  const dropLevel = $api.useMutation('delete', '/api/merchants/{merchantId}/distribution/levels/{levelId}');
  const setRule = $api.useMutation('put', '/api/merchants/{merchantId}/distribution/rules/{productId}');
  const dropRule = $api.useMutation('delete', '/api/merchants/{merchantId}/distribution/rules/{productId}');
  const rates = (r: number[]) => r.map((bp) => `${pct(bp)}%`).join(' / ');
  const percent = { min: 0, max: 100, precision: 2, style: { width: 90 } };
  return (
    <>
      <Table
        size="small"
        rowKey="id"
        {...tableState(levels, (d) => d)}
        pagination={false}
        columns={[
          { title: t('distribution.levelName'), dataIndex: 'name' },
          { title: t('distribution.rates'), render: (_, l) => rates(l.rates) },
          {
            title: t('common.actions'),
            render: (_, l) => (
              <Popconfirm
                title={t('common.delete')}
                onConfirm={() => run(() => dropLevel.mutateAsync({ params: { path: { merchantId, levelId: l.id } } }))}
              >
                <Button size="small" danger>
                  {t('common.delete')}
                </Button>
              </Popconfirm>
            ),
          },
        ]}
      />
      <Form
        layout="inline"
        style={{ margin: '12px 0 24px' }}
        onFinish={(v: { name: string; r1: number; r2?: number }) =>
          run(() => addLevel.mutateAsync({ ...path, body: { name: v.name, rates: [bpOf(v.r1), bpOf(v.r2)] } }))
        }
      >
        <Form.Item name="name" rules={[{ required: true }]}>
          <Input placeholder={t('distribution.levelName')} maxLength={20} />
        </Form.Item>
        <Form.Item name="r1" rules={[{ required: true }]}>
          <InputNumber {...percent} placeholder={t('distribution.tierOne')} />
        </Form.Item>
        <Form.Item name="r2">
          <InputNumber {...percent} placeholder={t('distribution.tierTwo')} />
        </Form.Item>
        <Button htmlType="submit">{t('distribution.addLevel')}</Button>
      </Form>
      <h3>{t('distribution.productRules')}</h3>
      <Table
        size="small"
        rowKey="productId"
        {...tableState(rules, (d) => d)}
        pagination={false}
        columns={[
          { title: t('distribution.productId'), dataIndex: 'productId' },
          { title: t('distribution.rates'), render: (_, r) => rates(r.rates) },
          {
            title: t('common.actions'),
            render: (_, r) => (
              <Button
                size="small"
                danger
                onClick={() =>
                  run(() => dropRule.mutateAsync({ params: { path: { merchantId, productId: r.productId } } }))
                }
              >
                {t('common.delete')}
              </Button>
            ),
          },
        ]}
      />
      <Form
        layout="inline"
        style={{ marginTop: 12 }}
        onFinish={(v: { productId: number; r1: number; r2?: number }) =>
          run(() =>
            setRule.mutateAsync({
              params: { path: { merchantId, productId: v.productId } },
              body: { rates: [bpOf(v.r1), bpOf(v.r2)] },
            }),
          )
        }
      >
        <Form.Item name="productId" rules={[{ required: true }]}>
          <InputNumber min={1} precision={0} placeholder={t('distribution.productId')} />
        </Form.Item>
        <Form.Item name="r1" rules={[{ required: true }]}>
          <InputNumber {...percent} placeholder={t('distribution.tierOne')} />
        </Form.Item>
        <Form.Item name="r2">
          <InputNumber {...percent} placeholder={t('distribution.tierTwo')} />
        </Form.Item>
        <Button htmlType="submit">{t('distribution.setRule')}</Button>
      </Form>
    </>
  );
}
