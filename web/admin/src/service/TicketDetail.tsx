// A ticket's history and its compensations (先行赔付): an agent proposes an amount, the owner approves
// (paid as a no-threshold coupon of that amount) or rejects; each decision asks first.
import { App, Button, Form, InputNumber, Input, List, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { $api, errorText, yuan } from '../api.ts';

export function TicketDetail(props: { merchantId: number; ticketId: number; open: boolean }) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const { merchantId, ticketId } = props;
  const detail = $api.useQuery('get', '/api/merchants/{merchantId}/support/tickets/{ticketId}', {
    params: { path: { merchantId, ticketId } },
  });
  const propose = $api.useMutation('post', '/api/merchants/{merchantId}/support/tickets/{ticketId}/compensations');
  const approve = $api.useMutation(
    'post',
    '/api/merchants/{merchantId}/support/compensations/{compensationId}/approve',
  );
  const reject = $api.useMutation('post', '/api/merchants/{merchantId}/support/compensations/{compensationId}/reject');
  const [form] = Form.useForm<{ yuan: number; reason: string }>();
  const decide = (compensationId: number, ok: boolean, amountFen: number) =>
    modal.confirm({
      title: ok ? t('service.approveConfirm', { amount: yuan(amountFen) }) : t('service.rejectConfirm'),
      onOk: async () => {
        try {
          await (ok ? approve : reject).mutateAsync({ params: { path: { merchantId, compensationId } } });
        } catch (e) {
          void message.error(errorText(e));
        }
      },
    });
  const d = detail.data;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <List
        size="small"
        header={t('service.history')}
        dataSource={d?.log ?? []}
        renderItem={(l) => (
          <List.Item>
            <Typography.Text type="secondary">{new Date(l.at).toLocaleString()}</Typography.Text> <Tag>{l.kind}</Tag>
            {l.note}
          </List.Item>
        )}
      />
      <Table
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={d?.compensations ?? []}
        columns={[
          { title: t('service.amount'), render: (_, c) => yuan(c.amountFen) },
          { title: t('service.reason'), dataIndex: 'reason' },
          {
            title: t('common.status'),
            render: (_, c) => t(`service.compStatus.${c.status}` as 'service.compStatus.paid'),
          },
          {
            title: t('common.actions'),
            render: (_, c) =>
              c.status === 'proposed' && (
                <Space>
                  <Button size="small" type="primary" onClick={() => decide(c.id, true, c.amountFen)}>
                    {t('service.approve')}
                  </Button>
                  <Button size="small" danger onClick={() => decide(c.id, false, c.amountFen)}>
                    {t('service.reject')}
                  </Button>
                </Space>
              ),
          },
        ]}
      />
      {props.open && (
        <Form
          form={form}
          layout="inline"
          onFinish={async (v) => {
            try {
              await propose.mutateAsync({
                params: { path: { merchantId, ticketId } },
                body: { amountFen: Math.round(v.yuan * 100), reason: v.reason.trim() },
              });
              form.resetFields();
            } catch (e) {
              void message.error(errorText(e));
            }
          }}
        >
          <Form.Item label={t('service.amount')} name="yuan" rules={[{ required: true }]}>
            <InputNumber min={0.01} max={100000} step={1} precision={2} prefix="¥" />
          </Form.Item>
          <Form.Item label={t('service.reason')} name="reason" rules={[{ required: true, max: 500, whitespace: true }]}>
            <Input style={{ width: 260 }} />
          </Form.Item>
          <Button htmlType="submit">{t('service.propose')}</Button>
        </Form>
      )}
    </Space>
  );
}
