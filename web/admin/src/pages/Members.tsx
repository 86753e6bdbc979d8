// Members: the shop's customers with spend and RFM segments; issue a coupon to a whole segment.
import { useLabels } from '@livemall/sdk';
import { App, Button, Card, Input, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { $api, errorText, yuan } from '../api.ts';
import { tableState } from '../components/Loadable.tsx';
import { RfmThresholds } from '../components/RfmThresholds.tsx';
import { useMerchantId } from '../workspace.tsx';

const SEGMENT_COLOR = {
  champions: 'gold',
  loyal: 'green',
  new: 'blue',
  at_risk: 'orange',
  hibernating: 'default',
  others: 'default',
} as const;
type Seg = keyof typeof SEGMENT_COLOR;

export default function Members() {
  const { t } = useTranslation();
  const labels = useLabels();
  const merchantId = useMerchantId();
  const { message } = App.useApp();
  const [segment, setSegment] = useState<Seg | undefined>();
  const [couponId, setCouponId] = useState<number | undefined>();
  // Find one member by nickname or whole phone number; the coupon goes to the members listed.
  const [find, setFind] = useState('');
  const customers = $api.useQuery('get', '/api/merchants/{merchantId}/customers', {
    params: { path: { merchantId }, query: { ...(segment ? { segment } : {}), ...(find ? { find } : {}) } },
  });
  const coupons = $api.useQuery('get', '/api/merchants/{merchantId}/coupons', { params: { path: { merchantId } } });
  const issueM = $api.useMutation('post', '/api/merchants/{merchantId}/coupons/{templateId}/issue');
  const issue = async () => {
    const userIds = (customers.data ?? []).map((c) => c.userId);
    if (!couponId || !userIds.length) return;
    try {
      const r = await issueM.mutateAsync({ params: { path: { merchantId, templateId: couponId } }, body: { userIds } });
      void message.success(t('members.issued', { issued: r.issued, skipped: r.skipped.length }));
    } catch (e) {
      void message.error(errorText(e));
    }
  };
  const issuable = (coupons.data ?? []).filter((c) => c.channels.includes('staff_issue') && c.status === 'active');
  return (
    <Card
      title={t('members.title')}
      extra={
        <Space>
          <Input.Search
            allowClear
            aria-label={t('members.find')}
            placeholder={t('members.find')}
            style={{ width: 200 }}
            onSearch={(v) => setFind(v.trim())}
            onChange={(e) => !e.target.value && setFind('')}
            data-testid="members-find"
          />
          <Select
            allowClear
            placeholder={t('members.segment')}
            style={{ width: 150 }}
            value={segment}
            onChange={setSegment}
            options={(Object.keys(SEGMENT_COLOR) as Seg[]).map((value) => ({
              value,
              label: labels.label('segment', value),
            }))}
          />
          <Select
            placeholder={t('members.coupon')}
            style={{ width: 220 }}
            value={couponId}
            onChange={setCouponId}
            options={issuable.map((c) => ({ value: c.id, label: c.title }))}
          />
          <Button type="primary" disabled={!couponId} loading={issueM.isPending} onClick={() => void issue()}>
            {t('members.issue')}
          </Button>
        </Space>
      }
    >
      <Table
        rowKey="userId"
        {...tableState(customers, (d) => d)}
        columns={[
          { title: t('members.member'), render: (_, c) => `${c.nickname} ${c.phone ?? ''}` },
          { title: t('members.orders'), dataIndex: 'orders' },
          { title: t('members.spent'), render: (_, c) => yuan(c.paidFen) },
          { title: t('members.points'), dataIndex: 'points' },
          { title: t('members.coupons'), dataIndex: 'coupons' },
          { title: t('members.lastPaid'), render: (_, c) => labels.date(c.lastPaidAt) },
          { title: t('members.recency'), render: (_, c) => t('members.daysAgo', { n: c.recencyDays }) },
          { title: 'RFM', render: (_, c) => `${c.rfm.r}-${c.rfm.f}-${c.rfm.m}` },
          {
            title: t('members.segment'),
            render: (_, c) => (
              <Tag color={SEGMENT_COLOR[c.segment as Seg] ?? 'default'}>{labels.label('segment', c.segment)}</Tag>
            ),
          },
        ]}
      />
      <RfmThresholds merchantId={merchantId} />
    </Card>
  );
}
