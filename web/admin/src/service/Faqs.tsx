// FAQ editor: the questions the shop's bot answers (with other ways shoppers ask them), and a preview
// of what the bot would answer to a question, with its confidence against the threshold.
import { App, Button, Card, Form, Input, Modal, Space, Switch, Table, Tag, Typography } from 'antd';
import { CheckOutlined } from '@ant-design/icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { $api, errorText } from '../api.ts';
import { useMerchantId } from '../workspace.tsx';

type Faq = { id: number; question: string; phrasings: string[]; answer: string; enabled: boolean };
type FaqForm = { question: string; phrasings: string; answer: string; enabled: boolean };

export function Faqs() {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const merchantId = useMerchantId();
  const m = { params: { path: { merchantId } } };
  const list = $api.useQuery('get', '/api/merchants/{merchantId}/support/faqs', m);
  const create = $api.useMutation('post', '/api/merchants/{merchantId}/support/faqs');
  const update = $api.useMutation('put', '/api/merchants/{merchantId}/support/faqs/{faqId}');
  const remove = $api.useMutation('delete', '/api/merchants/{merchantId}/support/faqs/{faqId}');
  const preview = $api.useMutation('post', '/api/merchants/{merchantId}/support/bot/preview');
  const [editing, setEditing] = useState<Faq | 'new' | null>(null);
  const [ask, setAsk] = useState('');
  const [form] = Form.useForm<FaqForm>();
  const open = (f: Faq | 'new') => {
    setEditing(f);
    form.setFieldsValue(
      f === 'new'
        ? { question: '', phrasings: '', answer: '', enabled: true }
        : { question: f.question, phrasings: f.phrasings.join('\n'), answer: f.answer, enabled: f.enabled },
    );
  };
  const save = async (v: FaqForm) => {
    const body = {
      question: v.question.trim(),
      answer: v.answer.trim(),
      enabled: v.enabled,
      phrasings: v.phrasings
        .split('\n')
        .map((s) => s.trim())
        .filter(Boolean),
    };
    try {
      if (editing === 'new') await create.mutateAsync({ ...m, body });
      else if (editing) await update.mutateAsync({ params: { path: { merchantId, faqId: editing.id } }, body });
      setEditing(null);
    } catch (e) {
      void message.error(errorText(e));
    }
  };
  const p = preview.data;
  return (
    <Card
      size="small"
      extra={
        <Button type="primary" onClick={() => open('new')}>
          {t('service.addFaq')}
        </Button>
      }
    >
      <Space.Compact style={{ width: '100%', marginBottom: 12 }}>
        <Input
          value={ask}
          onChange={(e) => setAsk(e.target.value)}
          placeholder={t('service.previewHint')}
          maxLength={500}
        />
        <Button disabled={!ask.trim()} onClick={() => void preview.mutateAsync({ ...m, body: { text: ask.trim() } })}>
          {t('service.preview')}
        </Button>
      </Space.Compact>
      {p && (
        <Typography.Paragraph data-testid="faq-preview">
          <Tag>{p.action}</Tag> {t('service.confidence')} {p.confidence.toFixed(2)} / {p.threshold.toFixed(2)}
          {p.candidates[0] && ` · ${p.candidates[0].question}`}
        </Typography.Paragraph>
      )}
      <Table
        rowKey="id"
        size="small"
        loading={list.isLoading}
        dataSource={(list.data ?? []) as Faq[]}
        columns={[
          { title: t('service.question'), dataIndex: 'question' },
          { title: t('service.answer'), dataIndex: 'answer', ellipsis: true },
          { title: t('service.phrasings'), render: (_, r) => r.phrasings.length },
          {
            title: t('service.enabled'),
            render: (_, r) => (r.enabled ? <CheckOutlined aria-label={t('service.enabled')} /> : '—'),
          },
          {
            title: t('common.actions'),
            render: (_, r) => (
              <Space>
                <Button size="small" onClick={() => open(r)}>
                  {t('service.edit')}
                </Button>
                <Button
                  size="small"
                  danger
                  onClick={() =>
                    modal.confirm({
                      title: t('service.deleteConfirm'),
                      onOk: () => remove.mutateAsync({ params: { path: { merchantId, faqId: r.id } } }),
                    })
                  }
                >
                  {t('service.delete')}
                </Button>
              </Space>
            ),
          },
        ]}
      />
      <Modal
        open={editing !== null}
        title={t('service.faq')}
        onCancel={() => setEditing(null)}
        onOk={() => form.submit()}
      >
        <Form form={form} layout="vertical" onFinish={(v) => void save(v)}>
          <Form.Item name="question" label={t('service.question')} rules={[{ required: true, max: 200 }]}>
            <Input />
          </Form.Item>
          <Form.Item name="phrasings" label={t('service.phrasingsHint')}>
            <Input.TextArea rows={3} />
          </Form.Item>
          <Form.Item name="answer" label={t('service.answer')} rules={[{ required: true, max: 2000 }]}>
            <Input.TextArea rows={4} />
          </Form.Item>
          <Form.Item name="enabled" label={t('service.enabled')} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
