import { Button, Form, Input, Toast } from 'antd-mobile';
import { api, call, errorText } from '../api.ts';
import { t } from '../i18n.ts';

export function AddressForm(props: { onSaved: (id: number) => void }) {
  const save = async (v: { name: string; phone: string; province: string; city: string; detail: string }) => {
    try {
      const a = await call(() => api.POST('/api/me/addresses', { body: { ...v, isDefault: true } }));
      props.onSaved(a.id);
    } catch (e) { Toast.show({ content: errorText(e) }); }
  };
  return (
    <Form layout="horizontal" onFinish={save} footer={<Button block type="submit" color="primary" data-testid="address-save">{t('保存')}</Button>}>
      <Form.Item name="name" label={t('姓名')} rules={[{ required: true }]}><Input data-testid="address-name" /></Form.Item>
      <Form.Item name="phone" label={t('手机号')} rules={[{ required: true }]}><Input type="tel" data-testid="address-phone" /></Form.Item>
      <Form.Item name="province" label={t('省份')} rules={[{ required: true }]}><Input data-testid="address-province" placeholder="广东省" /></Form.Item>
      <Form.Item name="city" label={t('城市')} rules={[{ required: true }]}><Input data-testid="address-city" placeholder="深圳市" /></Form.Item>
      <Form.Item name="detail" label={t('详细地址')} rules={[{ required: true, min: 2 }]}><Input data-testid="address-detail" /></Form.Item>
    </Form>
  );
}
