// Alert rules on live numbers (with an optional signed webhook) and the alerts they raised.
import { useLabels } from '@livemall/sdk';
import { App, Button, Form, Input, InputNumber, Popconfirm, Select, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { $api, errorText } from '../api.ts';
import { tableState } from '../components/Loadable.tsx';
import { useMerchantId } from '../workspace.tsx';
import { LinkButton } from '../components/LinkButton.tsx';

const METRICS = ['online_drop_pct', 'online_below', 'conversion_below', 'gpm_below'] as const;
interface NewRule {
  name: string;
  metric: (typeof METRICS)[number];
  threshold: number;
  cooldownSec: number;
  minVisitors: number;
  webhookUrl?: string;
}

export function Alerts() {
  const { t } = useTranslation();
  const labels = useLabels();
  const merchantId = useMerchantId();
  const { message, modal } = App.useApp();
  const path = { params: { path: { merchantId } } };
  const rules = $api.useQuery('get', '/api/merchants/{merchantId}/alert-rules', path);
  const fired = $api.useQuery('get', '/api/merchants/{merchantId}/alerts', {
    params: { path: { merchantId }, query: { limit: 50 } },
  });
  const createM = $api.useMutation('post', '/api/merchants/{merchantId}/alert-rules');
  const removeM = $api.useMutation('delete', '/api/merchants/{merchantId}/alert-rules/{ruleId}');
  const ackM = $api.useMutation('post', '/api/merchants/{merchantId}/alerts/{alertId}/ack');
  const [form] = Form.useForm();
  const create = async (v: NewRule) => {
    try {
      const rule = await createM.mutateAsync({ ...path, body: { ...v, webhookUrl: v.webhookUrl || null } });
      form.resetFields();
      if (rule.webhookSecret) {
        modal.info({
          title: t('alerts.secretTitle'),
          width: 560,
          content: (
            <div>
              <code>{rule.webhookSecret}</code>
              <p>{t('alerts.secretHint')}</p>
            </div>
          ),
        });
      }
    } catch (e) {
      void message.error(errorText(e));
    }
  };
  const remove = async (ruleId: number) => {
    try {
      await removeM.mutateAsync({ params: { path: { merchantId, ruleId } } });
    } catch (e) {
      void message.error(errorText(e));
    }
  };
  const ack = async (alertId: number) => {
    try {
      await ackM.mutateAsync({ params: { path: { merchantId, alertId } } });
    } catch (e) {
      void message.error(errorText(e));
    }
  };
  return (
    <>
      <Form
        form={form}
        layout="inline"
        onFinish={(v: NewRule) => void create(v)}
        style={{ marginBottom: 12, rowGap: 8 }}
        initialValues={{ metric: 'online_drop_pct', threshold: 10, cooldownSec: 300, minVisitors: 20 }}
      >
        <Form.Item name="name" rules={[{ required: true }]}>
          <Input placeholder={t('alerts.name')} />
        </Form.Item>
        <Form.Item name="metric">
          <Select
            style={{ width: 220 }}
            options={METRICS.map((value) => ({ value, label: labels.label('alertMetric', value) }))}
          />
        </Form.Item>
        <Form.Item name="threshold" rules={[{ required: true }]}>
          <InputNumber min={0} placeholder={t('alerts.threshold')} />
        </Form.Item>
        <Form.Item name="minVisitors" label={t('alerts.minVisitors')}>
          <InputNumber min={0} />
        </Form.Item>
        <Form.Item name="cooldownSec" label={t('alerts.cooldown')}>
          <InputNumber min={10} max={86400} />
        </Form.Item>
        <Form.Item name="webhookUrl">
          <Input placeholder="Webhook https://…" style={{ width: 240 }} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={createM.isPending}>
          {t('alerts.add')}
        </Button>
      </Form>
      <Table
        size="small"
        rowKey="id"
        {...tableState(rules, (d) => d)}
        pagination={false}
        columns={[
          { title: t('alerts.rule'), dataIndex: 'name' },
          { title: t('alerts.metric'), render: (_, r) => `${labels.label('alertMetric', r.metric)} ${r.threshold}` },
          { title: t('alerts.cooldownShort'), render: (_, r) => `${r.cooldownSec}s` },
          { title: 'Webhook', render: (_, r) => r.webhookUrl ?? '-' },
          {
            title: '',
            render: (_, r) => (
              <Popconfirm title={t('alerts.deleteConfirm')} onConfirm={() => void remove(r.id)}>
                <LinkButton>{t('common.delete')}</LinkButton>
              </Popconfirm>
            ),
          },
        ]}
      />
      <h4 style={{ marginTop: 16 }}>{t('alerts.recent')}</h4>
      <Table
        size="small"
        rowKey="id"
        {...tableState(fired, (d) => d)}
        columns={[
          { title: t('common.time'), render: (_, a) => labels.dateTime(a.firedAt) },
          { title: t('alerts.rule'), dataIndex: 'ruleName' },
          { title: t('alerts.message'), dataIndex: 'message' },
          {
            title: '',
            render: (_, a) =>
              a.acknowledgedAt ? (
                <Tag>{t('alerts.read')}</Tag>
              ) : (
                <LinkButton onClick={() => void ack(a.id)}>{t('alerts.markRead')}</LinkButton>
              ),
          },
        ]}
      />
    </>
  );
}
