// The customer beside the chat: where they came from, their orders and after-sales here, coupons and
// points; the quick actions (a compensation coupon, approving a pending refund — each asks first) and
// the internal notes the shopper never sees.
import { useLabels } from '@livemall/sdk';
import { App, Button, Card, Descriptions, Input, List, Select, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { $api, errorText, yuan } from '../api.ts';

export function ContextPanel(props: { merchantId: number; conversationId: number }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const { message, modal } = App.useApp();
  const path = { params: { path: { merchantId: props.merchantId, conversationId: props.conversationId } } };
  const ctx = $api.useQuery('get', '/api/merchants/{merchantId}/support/conversations/{conversationId}/context', path);
  const notes = $api.useQuery('get', '/api/merchants/{merchantId}/support/conversations/{conversationId}/notes', path);
  const templates = $api.useQuery('get', '/api/merchants/{merchantId}/coupons', {
    params: { path: { merchantId: props.merchantId } },
  });
  const addNote = $api.useMutation('post', '/api/merchants/{merchantId}/support/conversations/{conversationId}/notes');
  const coupon = $api.useMutation(
    'post',
    '/api/merchants/{merchantId}/support/conversations/{conversationId}/actions/coupon',
  );
  const refund = $api.useMutation(
    'post',
    '/api/merchants/{merchantId}/support/conversations/{conversationId}/actions/refund',
  );
  const [note, setNote] = useState('');
  const [templateId, setTemplateId] = useState<number | null>(null);
  const confirmThen = (title: string, fn: () => Promise<unknown>, done: string) =>
    modal.confirm({
      title,
      onOk: async () => {
        try {
          await fn();
          void message.success(done);
        } catch (e) {
          void message.error(errorText(e));
        }
      },
    });
  const c = ctx.data;
  const active = (templates.data ?? []).filter((x) => x.status === 'active');
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Card size="small" title={t('service.customer')} loading={!c}>
        {c && (
          <Descriptions column={1} size="small">
            <Descriptions.Item label={t('service.nickname')}>{c.nickname}</Descriptions.Item>
            <Descriptions.Item label={t('service.cameFrom')}>
              {t(`service.source.${c.source}` as 'service.source.shop')}
              {c.sourceId ? ` #${c.sourceId}` : ''}
            </Descriptions.Item>
            {c.room && <Descriptions.Item label={t('service.room')}>{c.room.title}</Descriptions.Item>}
            <Descriptions.Item label={t('service.points')}>{c.points}</Descriptions.Item>
          </Descriptions>
        )}
      </Card>
      <Card size="small" title={t('service.orders')}>
        <List
          size="small"
          dataSource={c?.orders ?? []}
          locale={{ emptyText: t('service.none') }}
          renderItem={(o) => (
            <List.Item data-testid="context-order">
              {o.orderNo} <Tag>{labels.label('orderStatus', o.status)}</Tag> {yuan(o.totalFen)}
            </List.Item>
          )}
        />
      </Card>
      <Card size="small" title={t('service.aftersales')}>
        <List
          size="small"
          dataSource={c?.aftersales ?? []}
          locale={{ emptyText: t('service.none') }}
          renderItem={(a) => (
            <List.Item
              extra={
                a.status === 'requested' && (
                  <Button
                    size="small"
                    danger
                    onClick={() =>
                      confirmThen(
                        t('service.refundConfirm', { amount: yuan(a.amountFen) }),
                        () => refund.mutateAsync({ ...path, body: { aftersaleId: a.id } }),
                        t('service.refundStarted'),
                      )
                    }
                  >
                    {t('service.startRefund')}
                  </Button>
                )
              }
            >
              {a.aftersaleNo} <Tag>{labels.label('aftersaleStatus', a.status)}</Tag> {yuan(a.amountFen)}
            </List.Item>
          )}
        />
      </Card>
      <Card size="small" title={t('service.compensate')}>
        <Space.Compact style={{ width: '100%' }}>
          <Select
            style={{ flex: 1 }}
            value={templateId}
            onChange={setTemplateId}
            placeholder={t('service.chooseCoupon')}
            options={active.map((x) => ({ value: x.id, label: x.title }))}
          />
          <Button
            disabled={!templateId}
            onClick={() =>
              confirmThen(
                t('service.couponConfirm'),
                () => coupon.mutateAsync({ ...path, body: { templateId: templateId! } }),
                t('service.couponIssued'),
              )
            }
          >
            {t('service.issue')}
          </Button>
        </Space.Compact>
        <div style={{ marginTop: 8 }}>
          {(c?.coupons ?? []).map((x) => (
            <Tag key={x.id}>{x.title}</Tag>
          ))}
        </div>
      </Card>
      <Card size="small" title={t('service.notes')}>
        <List
          size="small"
          dataSource={notes.data ?? []}
          locale={{ emptyText: t('service.none') }}
          renderItem={(n) => (
            <List.Item>
              <Typography.Text type="secondary">{n.authorName}: </Typography.Text>
              {n.text}
            </List.Item>
          )}
        />
        <Space.Compact style={{ width: '100%' }}>
          <Input value={note} onChange={(e) => setNote(e.target.value)} maxLength={2000} />
          <Button
            disabled={!note.trim()}
            onClick={async () => {
              try {
                await addNote.mutateAsync({ ...path, body: { text: note.trim() } });
                setNote('');
              } catch (e) {
                void message.error(errorText(e));
              }
            }}
          >
            {t('service.addNote')}
          </Button>
        </Space.Compact>
      </Card>
    </Space>
  );
}
