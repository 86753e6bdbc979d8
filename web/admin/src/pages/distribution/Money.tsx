// Commissions by order and tier with their state, and withdrawals: approving one pays real money
// (WeChat Pay transfer to balance, by a job), so it asks for confirmation first; rejecting returns
// the amount to the promoter's balance.
import { useLabels } from '@livemall/sdk';
import { App, Button, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { $api, errorText, yuan } from '../../api.ts';
import { tableState } from '../../components/Loadable.tsx';
import { useMerchantId } from '../../workspace.tsx';
import { COMMISSION, commissionKey, WITHDRAWAL, withdrawalKey } from './status.ts';

export function Commissions() {
  const { t } = useTranslation();
  const labels = useLabels();
  const merchantId = useMerchantId();
  const [status, setStatus] = useState<(typeof COMMISSION)[number] | undefined>(undefined);
  const list = $api.useQuery('get', '/api/merchants/{merchantId}/distribution/commissions', {
    params: { path: { merchantId }, query: { pageSize: 100, ...(status ? { status } : {}) } },
  });
  return (
    <>
      <Select
        allowClear
        value={status}
        onChange={setStatus}
        placeholder={t('common.status')}
        style={{ width: 160, marginBottom: 12 }}
        options={COMMISSION.map((s) => ({ value: s, label: t(commissionKey(s)) }))}
      />
      <Table
        size="small"
        rowKey="id"
        {...tableState(list, (d) => d.items)}
        data-testid="commissions"
        columns={[
          { title: t('distribution.order'), dataIndex: 'orderNo' },
          { title: t('distribution.promoter'), render: (_, c) => `#${c.promoterId}` },
          { title: t('distribution.tier'), dataIndex: 'tier' },
          { title: t('distribution.paid'), render: (_, c) => yuan(c.paidFen) },
          { title: t('distribution.amount'), render: (_, c) => yuan(c.amountFen) },
          { title: t('distribution.credited'), render: (_, c) => yuan(c.creditedFen) },
          { title: t('common.time'), render: (_, c) => labels.dateTime(c.createdAt) },
          {
            title: t('common.status'),
            render: (_, c) => <Tag data-status={c.status}>{t(commissionKey(c.status))}</Tag>,
          },
        ]}
      />
    </>
  );
}

export function Withdrawals() {
  const { t } = useTranslation();
  const labels = useLabels();
  const merchantId = useMerchantId();
  const { message, modal } = App.useApp();
  const [status, setStatus] = useState<(typeof WITHDRAWAL)[number] | undefined>('requested');
  const list = $api.useQuery('get', '/api/merchants/{merchantId}/distribution/withdrawals', {
    params: { path: { merchantId }, query: { pageSize: 100, ...(status ? { status } : {}) } },
  });
  const approve = $api.useMutation(
    'post',
    '/api/merchants/{merchantId}/distribution/withdrawals/{withdrawalId}/approve',
  );
  const reject = $api.useMutation('post', '/api/merchants/{merchantId}/distribution/withdrawals/{withdrawalId}/reject');
  const act = async (withdrawalId: number, amountFen: number, what: 'approve' | 'reject') => {
    const ok = await modal.confirm(
      what === 'approve'
        ? {
            title: t('distribution.approveConfirm'),
            content: t('distribution.approveHint', { amount: yuan(amountFen) }),
          }
        : { title: t('distribution.rejectConfirm') },
    );
    if (!ok) return;
    const params = { path: { merchantId, withdrawalId } };
    try {
      if (what === 'approve') await approve.mutateAsync({ params });
      else await reject.mutateAsync({ params, body: {} });
    } catch (e) {
      void message.error(errorText(e));
    }
  };
  return (
    <>
      <Select
        allowClear
        value={status}
        onChange={setStatus}
        placeholder={t('common.status')}
        style={{ width: 160, marginBottom: 12 }}
        options={WITHDRAWAL.map((s) => ({ value: s, label: t(withdrawalKey(s)) }))}
      />
      <Table
        size="small"
        rowKey="id"
        {...tableState(list, (d) => d.items)}
        data-testid="withdrawals"
        columns={[
          { title: t('distribution.promoter'), render: (_, w) => `#${w.promoterId}` },
          { title: t('distribution.amount'), render: (_, w) => yuan(w.amountFen) },
          { title: t('distribution.requestedAt'), render: (_, w) => labels.dateTime(w.requestedAt) },
          { title: t('common.note'), render: (_, w) => w.lastError ?? w.note },
          { title: t('common.status'), render: (_, w) => <Tag>{t(withdrawalKey(w.status))}</Tag> },
          {
            title: t('common.actions'),
            render: (_, w) =>
              w.status === 'requested' && (
                <Space>
                  <Button
                    size="small"
                    type="primary"
                    onClick={() => void act(w.id, w.amountFen, 'approve')}
                    data-testid="withdrawal-approve"
                  >
                    {t('distribution.approve')}
                  </Button>
                  <Button size="small" danger onClick={() => void act(w.id, w.amountFen, 'reject')}>
                    {t('distribution.reject')}
                  </Button>
                </Space>
              ),
          },
        ]}
      />
    </>
  );
}
