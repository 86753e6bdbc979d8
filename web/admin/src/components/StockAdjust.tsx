// "调整库存": change a SKU's on-hand stock by a delta with a reason, through inventory's adjust API.
// A delta is applied atomically on the server, so it is right even while orders come in; the
// modal shows on hand, reserved by unpaid orders and available, per warehouse.
import { Alert, App, Descriptions, Input, InputNumber, Modal, Select, Space, Tag } from 'antd';
import { useEffect, useState } from 'react';
import { api, call, errorText } from '../api.ts';
import { useAsync } from './useAsync.ts';

const REASONS = ['到货入库 Goods in', '盘点调整 Stocktake', '损耗报废 Damaged', '退货入库 Returned', '其他 Other'];

export interface AdjustedStock { skuId: number; warehouseId: number; onHand: number; reserved: number; available: number }

export function StockAdjustModal(props: { merchantId: number; skuId: number; title: string; onClose(): void; onDone(r: AdjustedStock): void }) {
  const { message } = App.useApp();
  const levels = useAsync(() => call(() => api.GET('/api/merchants/{merchantId}/stock', {
    params: { path: { merchantId: props.merchantId }, query: { skuId: props.skuId, pageSize: 50 } },
  })), [props.merchantId, props.skuId]);
  const rows = levels.data?.items ?? [];
  const [warehouseId, setWarehouseId] = useState<number | undefined>();
  const [delta, setDelta] = useState<number | null>(null);
  const [reason, setReason] = useState(REASONS[0]!);
  const [note, setNote] = useState('');
  const [saving, setSaving] = useState(false);
  useEffect(() => {
    if (warehouseId === undefined && rows.length) setWarehouseId((rows.find((r) => r.isDefaultWarehouse) ?? rows[0]!).warehouseId);
  }, [rows.length]);
  const level = rows.find((r) => r.warehouseId === warehouseId);
  const after = level && delta ? level.onHand + delta : undefined;
  const tooLow = level !== undefined && after !== undefined && after < level.reserved;
  const apply = async () => {
    if (!delta) { void message.error('请输入调整数量（正数入库，负数出库）Enter a change, e.g. +10 or -2'); return; }
    setSaving(true);
    try {
      const r = await call(() => api.POST('/api/merchants/{merchantId}/stock/adjust', {
        params: { path: { merchantId: props.merchantId } },
        body: { skuId: props.skuId, ...(warehouseId ? { warehouseId } : {}), delta, note: note.trim() ? `${reason} · ${note.trim()}` : reason },
      }));
      void message.success(`在库 ${r.onHand}，可售 ${r.available}`);
      props.onDone(r);
    } catch (e) { void message.error(errorText(e)); } finally { setSaving(false); }
  };
  return (
    <Modal open title={`调整库存 · ${props.title}`} okText="确认调整 Apply" onOk={() => void apply()} confirmLoading={saving}
      okButtonProps={{ disabled: tooLow || !delta, ...({ 'data-testid': 'adjust-apply' } as object) }} onCancel={props.onClose} destroyOnHidden>
      {rows.length > 1 && (
        <Select style={{ width: '100%', marginBottom: 12 }} value={warehouseId} onChange={setWarehouseId}
          options={rows.map((r) => ({ value: r.warehouseId, label: `${r.warehouseName}${r.isDefaultWarehouse ? '（默认）' : ''}` }))} />
      )}
      {level && (
        <Descriptions size="small" column={3} style={{ marginBottom: 12 }} items={[
          { key: 'on', label: '在库 On hand', children: <span data-testid="adjust-onhand">{level.onHand}</span> },
          { key: 'res', label: '预占 Reserved', children: <span data-testid="adjust-reserved">{level.reserved}</span> },
          { key: 'avail', label: '可售 Available', children: <span data-testid="adjust-available">{level.available}</span> },
        ]} />
      )}
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Space wrap>
          <InputNumber precision={0} placeholder="+10 / -2" value={delta} onChange={(v) => setDelta(v === null ? null : Number(v))} data-testid="adjust-delta" style={{ width: 140 }} />
          <Select value={reason} onChange={setReason} style={{ width: 180 }} options={REASONS.map((r) => ({ value: r, label: r }))} />
          <Input placeholder="备注 Note" value={note} maxLength={120} onChange={(e) => setNote(e.target.value)} style={{ width: 200 }} />
        </Space>
        {after !== undefined && level && (
          <span>调整后 After: 在库 <Tag>{after}</Tag> 可售 <Tag color={tooLow ? 'red' : 'green'}>{after - level.reserved}</Tag></span>
        )}
        {tooLow && <Alert type="error" showIcon title={`在库不能少于未付款订单预占的 ${level!.reserved} 件 On hand cannot go below the ${level!.reserved} units reserved by unpaid orders`} />}
      </Space>
    </Modal>
  );
}
