// The live console's tools under the stream: chat moderation with slow mode, coupon drops, the
// shop's word list and lucky bags.
import { useLabels } from '@livemall/sdk';
import { App, Button, Card, Col, Form, Input, InputNumber, List, Row, Select, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { $api, errorText } from '../api.ts';
import { Words } from './Platform.tsx';
import { LinkButton } from '../components/LinkButton.tsx';

export interface ChatLine {
  id: number;
  seq: number;
  userId: number;
  nickname: string;
  text: string;
}

interface Bag {
  title: string;
  prize: string;
  winners: number;
  keyword: string;
  minutes: number;
}

export function LiveTools(props: { merchantId: number; roomId: number; live: boolean; chat: ChatLine[] }) {
  const { merchantId, roomId } = props;
  const { t } = useTranslation();
  const labels = useLabels();
  const { message } = App.useApp();
  const inRoom = { params: { path: { merchantId, roomId } } };
  const coupons = $api.useQuery('get', '/api/merchants/{merchantId}/coupons', { params: { path: { merchantId } } });
  const deleteM = $api.useMutation('delete', '/api/merchants/{merchantId}/rooms/{roomId}/chat/{messageId}');
  const muteM = $api.useMutation('post', '/api/merchants/{merchantId}/rooms/{roomId}/sanctions');
  const slowM = $api.useMutation('put', '/api/merchants/{merchantId}/rooms/{roomId}/slow-mode');
  const dropM = $api.useMutation('post', '/api/merchants/{merchantId}/rooms/{roomId}/coupon-drops');
  const bagM = $api.useMutation('post', '/api/merchants/{merchantId}/rooms/{roomId}/lucky-bags');
  const attempt = async (fn: () => Promise<unknown>, done?: string) => {
    try {
      await fn();
      if (done) void message.success(done);
    } catch (e) {
      void message.error(errorText(e));
    }
  };
  const moderate = (what: 'delete' | 'mute', m: ChatLine) =>
    what === 'delete'
      ? attempt(() => deleteM.mutateAsync({ params: { path: { merchantId, roomId, messageId: m.id } } }))
      : attempt(
          () => muteM.mutateAsync({ ...inRoom, body: { userId: m.userId, kind: 'mute', minutes: 10 } }),
          t('tools.muted', { name: m.nickname }),
        );
  const slowMode = (seconds: number) =>
    attempt(
      () => slowM.mutateAsync({ ...inRoom, body: { seconds } }),
      seconds ? t('tools.slowOn', { n: seconds }) : t('tools.slowOff'),
    );
  const dropCoupon = (body: { templateId: number; quantity: number; minutes: number }) =>
    attempt(() => dropM.mutateAsync({ ...inRoom, body }), t('tools.dropped'));
  const startBag = (v: Bag) =>
    attempt(
      () =>
        bagM.mutateAsync({
          ...inRoom,
          body: {
            title: v.title,
            prize: { kind: 'other', description: v.prize },
            winners: v.winners,
            minutes: v.minutes,
            condition: v.keyword ? { kind: 'comment', keyword: v.keyword } : { kind: 'follow' },
          },
        }),
      t('tools.bagStarted'),
    );
  const droppable = (coupons.data ?? []).filter((c) => c.status === 'active' && c.channels.includes('room_drop'));
  return (
    <Row gutter={12}>
      <Col span={14}>
        <Card
          size="small"
          title={t('tools.chat')}
          extra={
            <Space>
              {t('tools.slowMode')}
              <Select
                size="small"
                defaultValue={0}
                style={{ width: 100 }}
                onChange={(v: number) => void slowMode(v)}
                options={[0, 5, 10, 30, 60].map((v) => ({ value: v, label: v ? `${v}s` : t('tools.off') }))}
              />
            </Space>
          }
        >
          <List
            size="small"
            dataSource={[...props.chat].reverse().slice(0, 30)}
            locale={{ emptyText: t('tools.noChat') }}
            data-testid="console-chat"
            renderItem={(m) => (
              <List.Item
                actions={[
                  <LinkButton key="d" onClick={() => void moderate('delete', m)}>
                    {t('common.delete')}
                  </LinkButton>,
                  <LinkButton key="m" onClick={() => void moderate('mute', m)}>
                    {t('tools.mute')}
                  </LinkButton>,
                ]}
              >
                <b>{m.nickname}</b>：{m.text}
              </List.Item>
            )}
          />
        </Card>
      </Col>
      <Col span={10}>
        <Card size="small" title={t('tools.dropCoupons')}>
          <Form layout="vertical" onFinish={dropCoupon} initialValues={{ quantity: 100, minutes: 10 }}>
            <Form.Item name="templateId" label={t('tools.coupon')} rules={[{ required: true }]}>
              <Select
                data-testid="drop-coupon"
                options={droppable.map((c) => ({
                  value: c.id,
                  label: t('tools.couponOption', { title: c.title, terms: labels.server(c.description) }),
                }))}
              />
            </Form.Item>
            <Space>
              <Form.Item name="quantity" label={t('tools.quantity')}>
                <InputNumber min={1} max={100000} />
              </Form.Item>
              <Form.Item name="minutes" label={t('tools.minutes')}>
                <InputNumber min={1} max={1440} />
              </Form.Item>
            </Space>
            <Button type="primary" htmlType="submit" loading={dropM.isPending} data-testid="drop-submit">
              {t('tools.drop')}
            </Button>
          </Form>
        </Card>
        <Card size="small" title={t('words.shopTitle')} style={{ marginTop: 12 }}>
          <Words merchantId={merchantId} />
        </Card>
        <Card size="small" title={t('tools.luckyBag')} style={{ marginTop: 12 }}>
          <Form
            layout="vertical"
            onFinish={startBag}
            initialValues={{
              title: t('tools.bagDefaultTitle'),
              winners: 3,
              minutes: 5,
              keyword: t('tools.bagDefaultKeyword'),
            }}
          >
            <Form.Item name="title" label={t('tools.bagTitle')} rules={[{ required: true }]}>
              <Input />
            </Form.Item>
            <Form.Item name="prize" label={t('tools.prize')} rules={[{ required: true }]}>
              <Input placeholder={t('tools.prizeExample')} />
            </Form.Item>
            <Space>
              <Form.Item name="winners" label={t('tools.winners')}>
                <InputNumber min={1} max={1000} />
              </Form.Item>
              <Form.Item name="minutes" label={t('tools.countdown')}>
                <InputNumber min={1} max={120} />
              </Form.Item>
            </Space>
            <Form.Item name="keyword" label={t('tools.keyword')}>
              <Input />
            </Form.Item>
            <Button type="primary" htmlType="submit" disabled={!props.live} loading={bagM.isPending}>
              {t('tools.startBag')}
            </Button>
          </Form>
        </Card>
      </Col>
    </Row>
  );
}
