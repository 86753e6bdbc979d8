import { useLabels } from '@livemall/sdk';
import { App, Button, Card, Space, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { $api, errorText, yuan } from '../api.ts';
import { tableState } from '../components/Loadable.tsx';
import { useMerchantId } from '../workspace.tsx';

export default function Aftersales() {
  const { t } = useTranslation();
  const labels = useLabels();
  const merchantId = useMerchantId();
  const { message, modal } = App.useApp();
  const list = $api.useQuery('get', '/api/merchants/{merchantId}/aftersales', { params: { path: { merchantId } } });
  const approve = $api.useMutation('post', '/api/merchants/{merchantId}/aftersales/{aftersaleId}/approve');
  const receive = $api.useMutation('post', '/api/merchants/{merchantId}/aftersales/{aftersaleId}/receive');
  const reject = $api.useMutation('post', '/api/merchants/{merchantId}/aftersales/{aftersaleId}/reject');
  // Every action moves money or closes the buyer's request: ask first (with the amount), then say what happened.
  const act = async (id: number, amountFen: number, what: 'approve' | 'reject' | 'receive') => {
    const amount = yuan(amountFen);
    const ask = {
      approve: { title: t('aftersales.approveTitle'), content: t('aftersales.approveHint', { amount }) },
      receive: { title: t('aftersales.receiveTitle'), content: t('aftersales.receiveHint', { amount }) },
      reject: { title: t('aftersales.rejectTitle'), content: t('aftersales.rejectHint') },
    }[what];
    const ok = await modal.confirm({ ...ask, okButtonProps: { danger: what === 'reject' } });
    if (!ok) return;
    try {
      const params = { path: { merchantId, aftersaleId: id } };
      if (what === 'approve') await approve.mutateAsync({ params });
      if (what === 'receive') await receive.mutateAsync({ params });
      if (what === 'reject') await reject.mutateAsync({ params, body: { reason: t('aftersales.rejectReason') } });
      void message.success(
        {
          approve: t('aftersales.approved'),
          receive: t('aftersales.refunded', { amount }),
          reject: t('aftersales.rejected'),
        }[what],
      );
      void list.refetch();
    } catch (e) {
      void message.error(errorText(e));
    }
  };
  const rows = (d: unknown) =>
    (Array.isArray(d) ? d : ((d as { items?: unknown[] } | undefined)?.items ?? [])) as Array<{
      id: number;
      aftersaleNo: string;
      type: string;
      status: string;
      reason: string;
      amountFen: number;
      orderId: number;
      orderNo: string;
    }>;
  return (
    <Card title={t('aftersales.title')}>
      <Table
        rowKey="id"
        {...tableState(list, rows)}
        columns={[
          { title: t('aftersales.number'), dataIndex: 'aftersaleNo' },
          { title: t('aftersales.order'), dataIndex: 'orderNo' },
          { title: t('aftersales.type'), render: (_, r) => labels.label('aftersaleType', r.type) },
          { title: t('aftersales.reason'), dataIndex: 'reason' },
          { title: t('aftersales.amount'), render: (_, r) => yuan(r.amountFen) },
          {
            title: t('common.status'),
            render: (_, r) => <Tag data-status={r.status}>{labels.label('aftersaleStatus', r.status)}</Tag>,
          },
          {
            title: t('common.actions'),
            render: (_, r) => (
              <Space>
                {r.status === 'requested' && (
                  <Button size="small" type="primary" onClick={() => void act(r.id, r.amountFen, 'approve')}>
                    {t('aftersales.approve')}
                  </Button>
                )}
                {r.status === 'requested' && (
                  <Button size="small" danger onClick={() => void act(r.id, r.amountFen, 'reject')}>
                    {t('aftersales.reject')}
                  </Button>
                )}
                {r.status === 'returned' && (
                  <Button size="small" onClick={() => void act(r.id, r.amountFen, 'receive')}>
                    {t('aftersales.receive')}
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
    </Card>
  );
}
