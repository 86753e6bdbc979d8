// The form every SKU campaign (flash sale, group-buy, bargain, limited discount) is created with:
// name, SKU and time range first, then the campaign's own fields, then its submit button.
import { Button, DatePicker, Form, Input, InputNumber } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { SkuPicker } from '../SkuPicker.tsx';

/** Name, SKU and time range: what every SKU campaign form starts with. */
export function SkuDealFields() {
  const { t } = useTranslation();
  return (
    <>
      <Form.Item label={t('marketing.name')} name="title" rules={[{ required: true }]}>
        <Input />
      </Form.Item>
      <Form.Item name="skuId" rules={[{ required: true }]}>
        <SkuPicker />
      </Form.Item>
      <Form.Item name="range" rules={[{ required: true }]}>
        <DatePicker.RangePicker showTime />
      </Form.Item>
    </>
  );
}

/** A required price in yuan, named by its placeholder. */
export function DealPriceField(props: { name: string; placeholder: string }) {
  return (
    <Form.Item label={props.placeholder} name={props.name} rules={[{ required: true }]}>
      <InputNumber min={0} />
    </Form.Item>
  );
}

/** An inline form: the SKU campaign fields, the campaign's own fields (children), a submit button. */
export function SkuDealForm<V>(props: {
  onFinish(values: V): void;
  initialValues: Partial<V>;
  pending: boolean;
  submitLabel: string;
  children: ReactNode;
}) {
  return (
    <Form<V>
      layout="inline"
      onFinish={props.onFinish}
      initialValues={props.initialValues}
      style={{ marginBottom: 12, rowGap: 8 }}
    >
      <SkuDealFields />
      {props.children}
      <Button type="primary" htmlType="submit" loading={props.pending}>
        {props.submitLabel}
      </Button>
    </Form>
  );
}
