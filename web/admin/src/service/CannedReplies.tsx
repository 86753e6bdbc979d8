// 快捷回复: the shop's canned replies; {nickname} {orderNo} {shopName} {agentName} are filled when sent.
import { App, Button, Card, Form, Input, Space, Table } from 'antd';
import { useTranslation } from 'react-i18next';
import { $api, errorText } from '../api.ts';
import { useMerchantId } from '../workspace.tsx';

export function CannedReplies() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const merchantId = useMerchantId();
  const m = { params: { path: { merchantId } } };
  const list = $api.useQuery('get', '/api/merchants/{merchantId}/support/canned-replies', m);
  const create = $api.useMutation('post', '/api/merchants/{merchantId}/support/canned-replies');
  const remove = $api.useMutation('delete', '/api/merchants/{merchantId}/support/canned-replies/{replyId}');
  const [form] = Form.useForm<{ title: string; text: string }>();
  return (
    <Card size="small">
      <Form
        form={form}
        layout="inline"
        style={{ marginBottom: 12 }}
        onFinish={async (body) => {
          try {
            await create.mutateAsync({ ...m, body });
            form.resetFields();
          } catch (e) {
            void message.error(errorText(e));
          }
        }}
      >
        <Form.Item name="title" rules={[{ required: true, max: 40 }]}>
          <Input placeholder={t('service.cannedTitle')} />
        </Form.Item>
        <Form.Item name="text" rules={[{ required: true, max: 1000 }]} style={{ flex: 1 }}>
          <Input placeholder={t('service.cannedText')} />
        </Form.Item>
        <Button type="primary" htmlType="submit">
          {t('service.add')}
        </Button>
      </Form>
      <Table
        rowKey="id"
        size="small"
        dataSource={list.data ?? []}
        columns={[
          { title: t('service.cannedTitle'), dataIndex: 'title' },
          { title: t('service.cannedText'), dataIndex: 'text' },
          {
            title: t('common.actions'),
            render: (_, r) => (
              <Space>
                <Button
                  size="small"
                  danger
                  onClick={() => void remove.mutateAsync({ params: { path: { merchantId, replyId: r.id } } })}
                >
                  {t('service.delete')}
                </Button>
              </Space>
            ),
          },
        ]}
      />
    </Card>
  );
}
