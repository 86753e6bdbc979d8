// 转工单: what the chat cannot settle (a dispute, a complaint) becomes a ticket with SLA timers.
import { App, Button, Form, Input, Modal, Select } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { $api, errorText } from '../api.ts';

const CATEGORIES = ['dispute', 'complaint', 'aftersale', 'other'] as const;
const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
type TicketForm = { category: (typeof CATEGORIES)[number]; priority: (typeof PRIORITIES)[number]; reason: string };

export function TicketButton(props: { merchantId: number; conversationId: number; urgent: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<TicketForm>();
  const create = $api.useMutation('post', '/api/merchants/{merchantId}/support/tickets');
  const submit = async (v: TicketForm) => {
    try {
      const r = await create.mutateAsync({
        params: { path: { merchantId: props.merchantId } },
        body: { conversationId: props.conversationId, ...v, reason: v.reason.trim() },
      });
      setOpen(false);
      void message.success(t('service.ticketOpened', { id: r.id }));
    } catch (e) {
      void message.error(errorText(e));
    }
  };
  return (
    <>
      <Button
        size="small"
        onClick={() => {
          form.setFieldsValue({ category: 'complaint', priority: props.urgent ? 'high' : 'normal', reason: '' });
          setOpen(true);
        }}
        data-testid="agent-ticket"
      >
        {t('service.toTicket')}
      </Button>
      <Modal open={open} title={t('service.toTicket')} onCancel={() => setOpen(false)} onOk={() => form.submit()}>
        <Form form={form} layout="vertical" onFinish={(v) => void submit(v)}>
          <Form.Item name="category" label={t('service.category')}>
            <Select options={CATEGORIES.map((c) => ({ value: c, label: t(`service.categories.${c}`) }))} />
          </Form.Item>
          <Form.Item name="priority" label={t('service.priority')}>
            <Select options={PRIORITIES.map((p) => ({ value: p, label: t(`service.priorities.${p}`) }))} />
          </Form.Item>
          <Form.Item name="reason" label={t('service.reason')} rules={[{ required: true, max: 500, whitespace: true }]}>
            <Input.TextArea rows={3} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
