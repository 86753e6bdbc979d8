// The shop's RFM rules in the merchant's words: "bought within N days" is recent, "nothing for N
// days" is lapsed, N orders is frequent, ¥N in all is a big spender. Owners change them.
import { App, Button, Card, Form, InputNumber } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { $api, errorText, queryClient } from '../api.ts';

interface Values {
  activeDays: number;
  lapsedDays: number;
  loyalOrders: number;
  bigSpendYuan: number;
}

export function RfmThresholds(props: { merchantId: number }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const path = { params: { path: { merchantId: props.merchantId } } };
  const current = $api.useQuery('get', '/api/merchants/{merchantId}/customers/rfm-settings', path);
  const save = $api.useMutation('put', '/api/merchants/{merchantId}/customers/rfm-settings');
  useEffect(() => {
    const c = current.data;
    if (c) form.setFieldsValue({ ...c, bigSpendYuan: c.bigSpendFen / 100 });
  }, [current.data, form]);
  const submit = async (v: Values) => {
    try {
      await save.mutateAsync({
        ...path,
        body: {
          activeDays: v.activeDays,
          lapsedDays: v.lapsedDays,
          loyalOrders: v.loyalOrders,
          bigSpendFen: Math.round(v.bigSpendYuan * 100),
        },
      });
      void message.success(t('rfm.saved'));
      await queryClient.invalidateQueries({ queryKey: ['get', '/api/merchants/{merchantId}/customers'] });
      await current.refetch();
    } catch (e) {
      void message.error(errorText(e));
    }
  };
  const field = (name: keyof Values, label: string, min: number, testId: string) => (
    <Form.Item name={name} label={label} rules={[{ required: true }]}>
      <InputNumber min={min} precision={name === 'bigSpendYuan' ? 2 : 0} data-testid={testId} />
    </Form.Item>
  );
  return (
    <Card size="small" title={t('rfm.title')} style={{ marginTop: 16 }}>
      <p style={{ color: '#666' }}>{t('rfm.explain', { tz: current.data?.timeZone ?? '' })}</p>
      <Form form={form} layout="inline" onFinish={(v) => void submit(v)}>
        {field('activeDays', t('rfm.activeDays'), 1, 'rfm-active-days')}
        {field('lapsedDays', t('rfm.lapsedDays'), 2, 'rfm-lapsed-days')}
        {field('loyalOrders', t('rfm.loyalOrders'), 2, 'rfm-loyal-orders')}
        {field('bigSpendYuan', t('rfm.bigSpend'), 0.01, 'rfm-big-spend')}
        <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="rfm-save">
          {t('common.save')}
        </Button>
      </Form>
    </Card>
  );
}
