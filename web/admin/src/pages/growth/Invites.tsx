// 邀请有礼: the shop's reward for the inviter and the new shopper (coupon templates whose channels
// include "invite", and points), and the invitations with their rewards.
import { useLabels } from '@livemall/sdk';
import { App, Button, Form, InputNumber, Select, Switch, Table, Tag } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { $api, errorText } from '../../api.ts';
import { tableState } from '../../components/Loadable.tsx';
import { useMerchantId } from '../../workspace.tsx';

type Side = { couponTemplateIds: number[]; points: number };
type Settings = { enabled: boolean; inviter: Side; invitee: Side };
const STATUSES = ['pending', 'rewarded', 'settled', 'reversed'] as const;
type Status = (typeof STATUSES)[number];
const statusKey = (s: string) =>
  `growth.inviteStatus.${STATUSES.includes(s as Status) ? (s as Status) : 'pending'}` as const;

export function Invites() {
  const { t } = useTranslation();
  const labels = useLabels();
  const merchantId = useMerchantId();
  const { message } = App.useApp();
  const path = { params: { path: { merchantId } } };
  const settings = $api.useQuery('get', '/api/merchants/{merchantId}/growth/invite-settings', path);
  const templates = $api.useQuery('get', '/api/merchants/{merchantId}/coupons', path);
  const list = $api.useQuery('get', '/api/merchants/{merchantId}/growth/invitations', {
    params: { path: { merchantId }, query: { pageSize: 50 } },
  });
  const save = $api.useMutation('put', '/api/merchants/{merchantId}/growth/invite-settings');
  const [form] = Form.useForm<Settings>();
  useEffect(() => {
    if (settings.data) form.setFieldsValue(settings.data);
  }, [settings.data, form]);
  const options = (templates.data ?? [])
    .filter((c) => c.channels.includes('invite'))
    .map((c) => ({ value: c.id, label: c.title }));
  const submit = async (v: Settings) => {
    try {
      await save.mutateAsync({ ...path, body: v });
      void message.success(t('growth.saved'));
    } catch (e) {
      void message.error(errorText(e));
    }
  };
  const side = (name: 'inviter' | 'invitee') => (
    <Form.Item label={t(`growth.${name}`)}>
      <Form.Item name={[name, 'couponTemplateIds']} label={t('growth.coupons')} initialValue={[]}>
        <Select mode="multiple" options={options} style={{ minWidth: 260 }} maxCount={5} />
      </Form.Item>
      <Form.Item name={[name, 'points']} label={t('growth.points')} initialValue={0}>
        <InputNumber min={0} max={1_000_000} precision={0} />
      </Form.Item>
    </Form.Item>
  );
  return (
    <>
      <p className="muted">{t('growth.inviteRule')}</p>
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} data-testid="invite-settings">
        <Form.Item name="enabled" label={t('growth.inviteEnabled')} valuePropName="checked" initialValue={false}>
          <Switch />
        </Form.Item>
        {side('inviter')}
        {side('invitee')}
        <Button type="primary" htmlType="submit" loading={save.isPending}>
          {t('common.save')}
        </Button>
      </Form>
      <h3 style={{ marginTop: 24 }}>{t('growth.invitations')}</h3>
      <Table
        size="small"
        rowKey="id"
        {...tableState(list, (d) => d)}
        columns={[
          { title: t('growth.inviterName'), dataIndex: 'inviterNickname' },
          { title: t('growth.inviteeName'), dataIndex: 'inviteeNickname' },
          { title: t('distribution.order'), render: (_, r) => r.orderId ?? '-' },
          { title: t('common.status'), render: (_, r) => <Tag>{t(statusKey(r.status))}</Tag> },
          { title: t('common.time'), render: (_, r) => labels.dateTime(r.createdAt) },
        ]}
      />
    </>
  );
}
