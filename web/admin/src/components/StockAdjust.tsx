// "调整库存": change a SKU's on-hand stock by a delta with a reason, through inventory's adjust API.
// A delta is applied atomically on the server, so it is right even while orders come in; the
// modal shows on hand, reserved by unpaid orders and available, per warehouse.
import { Alert, App, Descriptions, Input, InputNumber, Modal, Select, Space, Tag } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { $api, errorText } from '../api.ts';

const REASONS = ['goodsIn', 'stocktake', 'damaged', 'returned', 'other'] as const;

export interface AdjustedStock {
  skuId: number;
  warehouseId: number;
  onHand: number;
  reserved: number;
  available: number;
}

export function StockAdjustModal(props: {
  merchantId: number;
  skuId: number;
  title: string;
  onClose(): void;
  onDone(r: AdjustedStock): void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const levels = $api.useQuery('get', '/api/merchants/{merchantId}/stock', {
    params: { path: { merchantId: props.merchantId }, query: { skuId: props.skuId, pageSize: 50 } },
  });
  const adjust = $api.useMutation('post', '/api/merchants/{merchantId}/stock/adjust');
  const rows = levels.data?.items ?? [];
  const [warehouseId, setWarehouseId] = useState<number | undefined>();
  const [delta, setDelta] = useState<number | null>(null);
  const [reason, setReason] = useState<(typeof REASONS)[number]>('goodsIn');
  const [note, setNote] = useState('');
  // biome-ignore lint/correctness/useExhaustiveDependencies: picks a warehouse once the levels first arrive, not per refetch
  useEffect(() => {
    if (warehouseId === undefined && rows.length)
      setWarehouseId((rows.find((r) => r.isDefaultWarehouse) ?? rows[0]!).warehouseId);
  }, [rows.length]);
  const level = rows.find((r) => r.warehouseId === warehouseId);
  const after = level && delta ? level.onHand + delta : undefined;
  const tooLow = level !== undefined && after !== undefined && after < level.reserved;
  const reasonText = (r: (typeof REASONS)[number]) => t(`stock.reasons.${r}` as const);
  const apply = async () => {
    if (!delta) {
      void message.error(t('stock.enterDelta'));
      return;
    }
    try {
      // The ledger keeps the reason as the merchant read it, with their note.
      const why = note.trim() ? `${reasonText(reason)} · ${note.trim()}` : reasonText(reason);
      const r = await adjust.mutateAsync({
        params: { path: { merchantId: props.merchantId } },
        body: { skuId: props.skuId, ...(warehouseId ? { warehouseId } : {}), delta, note: why },
      });
      void message.success(t('stock.applied', { onHand: r.onHand, available: r.available }));
      props.onDone(r);
    } catch (e) {
      void message.error(errorText(e));
    }
  };
  return (
    <Modal
      open
      title={t('stock.title', { name: props.title })}
      okText={t('stock.apply')}
      onOk={() => void apply()}
      confirmLoading={adjust.isPending}
      onCancel={props.onClose}
      destroyOnHidden
      okButtonProps={{ disabled: tooLow || !delta, ...({ 'data-testid': 'adjust-apply' } as object) }}
    >
      {rows.length > 1 && (
        <Select
          style={{ width: '100%', marginBottom: 12 }}
          value={warehouseId}
          onChange={setWarehouseId}
          options={rows.map((r) => ({
            value: r.warehouseId,
            label: r.isDefaultWarehouse ? t('stock.defaultWarehouse', { name: r.warehouseName }) : r.warehouseName,
          }))}
        />
      )}
      {level && (
        <Descriptions
          size="small"
          column={3}
          style={{ marginBottom: 12 }}
          items={[
            { key: 'on', label: t('stock.onHand'), children: <span data-testid="adjust-onhand">{level.onHand}</span> },
            {
              key: 'res',
              label: t('stock.reserved'),
              children: <span data-testid="adjust-reserved">{level.reserved}</span>,
            },
            {
              key: 'avail',
              label: t('stock.available'),
              children: <span data-testid="adjust-available">{level.available}</span>,
            },
          ]}
        />
      )}
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Space wrap>
          <InputNumber
            precision={0}
            placeholder="+10 / -2"
            value={delta}
            style={{ width: 140 }}
            data-testid="adjust-delta"
            onChange={(v) => setDelta(v === null ? null : Number(v))}
          />
          <Select
            value={reason}
            onChange={setReason}
            style={{ width: 180 }}
            options={REASONS.map((r) => ({ value: r, label: reasonText(r) }))}
          />
          <Input
            placeholder={t('common.note')}
            value={note}
            maxLength={120}
            onChange={(e) => setNote(e.target.value)}
            style={{ width: 200 }}
          />
        </Space>
        {after !== undefined && level && (
          <span>
            {t('stock.after')} {t('stock.onHand')} <Tag>{after}</Tag> {t('stock.available')}{' '}
            <Tag color={tooLow ? 'red' : 'green'}>{after - level.reserved}</Tag>
          </span>
        )}
        {tooLow && <Alert type="error" showIcon title={t('stock.belowReserved', { n: level!.reserved })} />}
      </Space>
    </Modal>
  );
}
