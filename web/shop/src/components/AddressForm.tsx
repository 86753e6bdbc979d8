import { Button, Form, Input, Toast } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { $api, errorText } from '../api.ts';
import { type Region, RegionPicker } from './RegionPicker.tsx';

export function AddressForm(props: { onSaved: (id: number) => void }) {
  const { t } = useTranslation();
  const create = $api.useMutation('post', '/api/me/addresses');
  const [region, setRegion] = useState<Region | null>(null);
  const save = async (v: { name: string; phone: string; detail: string }) => {
    if (!region) {
      Toast.show({ content: t('address.chooseRegion') });
      return;
    }
    try {
      const a = await create.mutateAsync({ body: { ...v, ...region, isDefault: true } });
      props.onSaved(a.id);
    } catch (e) {
      Toast.show({ content: errorText(e) });
    }
  };
  const required = { required: true, message: t('form.required') };
  return (
    <Form
      layout="horizontal"
      onFinish={save}
      footer={
        <Button block type="submit" color="primary" loading={create.isPending} data-testid="address-save">
          {t('common.save')}
        </Button>
      }
    >
      <Form.Item name="name" label={t('address.name')} rules={[required]}>
        <Input data-testid="address-name" />
      </Form.Item>
      <Form.Item name="phone" label={t('address.phone')} rules={[required]}>
        <Input type="tel" data-testid="address-phone" />
      </Form.Item>
      <Form.Item label={t('address.region')} required>
        <RegionPicker value={region} onChange={setRegion} />
      </Form.Item>
      <Form.Item name="detail" label={t('address.detail')} rules={[required, { min: 2, message: t('form.tooShort') }]}>
        <Input data-testid="address-detail" />
      </Form.Item>
    </Form>
  );
}
