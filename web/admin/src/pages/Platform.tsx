import { useLabels } from '@livemall/sdk';
import { App, Button, Card, Form, Input, InputNumber, Select, Space, Table, Tabs, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { $api, errorText, yuan } from '../api.ts';
import { tableState } from '../components/Loadable.tsx';
import { OPERATOR_ACTIONS, STATUS_COLOR, type ShopStatus } from '../components/ShopStatus.tsx';
import { LinkButton } from '../components/LinkButton.tsx';

export default function Platform() {
  const { t } = useTranslation();
  return (
    <Tabs
      items={[
        { key: 'dashboard', label: t('platform.dashboard'), children: <PlatformDashboard /> },
        { key: 'merchants', label: t('platform.merchants'), children: <Merchants /> },
        { key: 'words', label: t('platform.words'), children: <Words /> },
        { key: 'reports', label: t('platform.reports'), children: <Reports /> },
      ]}
    />
  );
}

function Reports() {
  const { t } = useTranslation();
  const labels = useLabels();
  const reports = $api.useQuery('get', '/api/platform/chat-reports');
  return (
    <Card title={t('platform.reportsTitle')}>
      <Table
        rowKey="id"
        {...tableState(reports, (d) => d)}
        columns={[
          { title: t('platform.room'), dataIndex: 'roomId' },
          { title: t('platform.text'), dataIndex: 'text' },
          { title: t('platform.reason'), dataIndex: 'reason' },
          { title: t('common.status'), render: (_, r) => <Tag>{labels.label('chatReportStatus', r.status)}</Tag> },
          { title: t('common.time'), render: (_, r) => labels.dateTime(r.createdAt) },
        ]}
      />
    </Card>
  );
}

function PlatformDashboard() {
  const { t } = useTranslation();
  const dash = $api.useQuery('get', '/api/platform/dashboard');
  const rows = dash.data ?? [];
  const today = yuan(rows.reduce((s, r) => s + r.todayGmvFen, 0));
  const week = yuan(rows.reduce((s, r) => s + r.weekGmvFen, 0));
  return (
    <Card title={t('platform.gmvTitle', { today, week })}>
      <Table
        rowKey="merchantId"
        {...tableState(dash, (d) => d)}
        columns={[
          { title: t('platform.merchant'), dataIndex: 'name' },
          { title: t('platform.todayOrders'), dataIndex: 'todayOrders' },
          { title: t('platform.todayGmv'), render: (_, r) => yuan(r.todayGmvFen) },
          { title: t('platform.weekOrders'), dataIndex: 'weekOrders' },
          { title: t('platform.weekGmv'), render: (_, r) => yuan(r.weekGmvFen) },
        ]}
      />
    </Card>
  );
}

const ACTIONS = ['mask', 'block', 'review'] as const;

/** The platform's word list (every room), or one shop's (`merchantId`). */
export function Words(props: { merchantId?: number }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const { message } = App.useApp();
  const mid = props.merchantId;
  const shop = { params: { path: { merchantId: mid ?? 0 } } };
  const shopWords = $api.useQuery('get', '/api/merchants/{merchantId}/sensitive-words', shop, {
    enabled: mid !== undefined,
  });
  const platformWords = $api.useQuery('get', '/api/platform/sensitive-words', {}, { enabled: mid === undefined });
  const words = mid !== undefined ? shopWords : platformWords;
  const addShop = $api.useMutation('post', '/api/merchants/{merchantId}/sensitive-words');
  const addPlatform = $api.useMutation('post', '/api/platform/sensitive-words');
  const removeShop = $api.useMutation('delete', '/api/merchants/{merchantId}/sensitive-words/{wordId}');
  const removePlatform = $api.useMutation('delete', '/api/platform/sensitive-words/{wordId}');
  const add = async (v: { word: string; action: (typeof ACTIONS)[number] }) => {
    try {
      if (mid !== undefined) await addShop.mutateAsync({ ...shop, body: { words: [v] } });
      else await addPlatform.mutateAsync({ body: { words: [v] } });
    } catch (e) {
      void message.error(errorText(e));
    }
  };
  const remove = async (wordId: number) => {
    try {
      if (mid !== undefined) await removeShop.mutateAsync({ params: { path: { merchantId: mid, wordId } } });
      else await removePlatform.mutateAsync({ params: { path: { wordId } } });
    } catch (e) {
      void message.error(errorText(e));
    }
  };
  return (
    <Card title={mid !== undefined ? t('words.shopTitle') : t('words.platformTitle')}>
      <Form layout="inline" onFinish={add} initialValues={{ action: 'mask' }} style={{ marginBottom: 12 }}>
        <Form.Item label={t('words.word')} name="word" rules={[{ required: true }]}>
          <Input />
        </Form.Item>
        <Form.Item name="action">
          <Select
            style={{ width: 140 }}
            options={ACTIONS.map((value) => ({ value, label: labels.label('wordAction', value) }))}
          />
        </Form.Item>
        <Button type="primary" htmlType="submit">
          {t('common.add')}
        </Button>
      </Form>
      <Table
        rowKey="id"
        {...tableState(words, (d) => d)}
        columns={[
          { title: t('words.word'), dataIndex: 'word' },
          { title: t('words.action'), render: (_, w) => labels.label('wordAction', w.action) },
          {
            title: '',
            render: (_, w) => <LinkButton onClick={() => void remove(w.id)}>{t('common.delete')}</LinkButton>,
          },
        ]}
      />
    </Card>
  );
}

type MerchantRow = { id: number; name: string; status: string; commissionRateBp: number };

function Merchants() {
  const { t } = useTranslation();
  const labels = useLabels();
  const { message, modal } = App.useApp();
  const merchants = $api.useQuery('get', '/api/platform/merchants', { params: { query: {} } });
  const onboardM = $api.useMutation('post', '/api/platform/merchants');
  const updateM = $api.useMutation('patch', '/api/platform/merchants/{merchantId}');
  const onboard = async (body: { name: string; ownerPhone: string }) => {
    try {
      await onboardM.mutateAsync({ body });
    } catch (e) {
      void message.error(errorText(e));
    }
  };
  const update = async (merchantId: number, body: { status?: ShopStatus; commissionRateBp?: number }) => {
    try {
      await updateM.mutateAsync({ params: { path: { merchantId } }, body: body as never });
      void message.success(t('platform.saved'));
    } catch (e) {
      void message.error(errorText(e));
    }
  };
  // Suspending or rejecting a shop takes it off the shop floor (its rooms, its goods): ask first, then say so.
  const changeStatus = async (m: MerchantRow, a: { label: string; to: ShopStatus; danger?: boolean }) => {
    const action = t(`platform.actions.${a.label as 'approve' | 'reject' | 'suspend' | 'reinstate'}` as const);
    if (a.danger) {
      const ok = await modal.confirm({
        title: t('platform.confirmTitle', { action, name: m.name }),
        content: t('platform.confirmHint'),
        okButtonProps: { danger: true },
      });
      if (!ok) return;
    }
    try {
      await updateM.mutateAsync({ params: { path: { merchantId: m.id } }, body: { status: a.to } as never });
      void message.success(t('platform.statusChanged', { action, name: m.name }));
    } catch (e) {
      void message.error(errorText(e));
    }
  };
  const rows = (d: unknown) => (Array.isArray(d) ? d : ((d as { items?: unknown[] }).items ?? [])) as MerchantRow[];
  return (
    <Card title={t('platform.merchants')}>
      <Form layout="inline" onFinish={onboard} style={{ marginBottom: 12 }}>
        <Form.Item name="name" label={t('platform.merchantName')} rules={[{ required: true }]}>
          <Input />
        </Form.Item>
        <Form.Item name="ownerPhone" label={t('platform.ownerPhone')} rules={[{ required: true }]}>
          <Input />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={onboardM.isPending}>
          {t('platform.onboard')}
        </Button>
      </Form>
      <Table
        rowKey="id"
        {...tableState(merchants, rows)}
        columns={[
          { title: 'ID', dataIndex: 'id' },
          { title: t('platform.name'), dataIndex: 'name' },
          {
            title: t('common.status'),
            render: (_, m) => (
              <Tag color={STATUS_COLOR[m.status as ShopStatus]}>{labels.label('merchantStatus', m.status)}</Tag>
            ),
          },
          // Only the changes governance allows for this status (approve, reject, suspend, reinstate).
          {
            title: t('common.actions'),
            render: (_, m) => (
              <Space>
                {(OPERATOR_ACTIONS[m.status as ShopStatus] ?? []).map((a) => (
                  <Button
                    key={a.to}
                    size="small"
                    danger={a.danger}
                    data-testid={`merchant-${a.to}`}
                    onClick={() => void changeStatus(m, a)}
                  >
                    {t(`platform.actions.${a.label}` as const)}
                  </Button>
                ))}
              </Space>
            ),
          },
          {
            title: t('platform.commission'),
            render: (_, m) => (
              <Space>
                <InputNumber
                  size="small"
                  min={0}
                  max={100}
                  step={0.5}
                  defaultValue={m.commissionRateBp / 100}
                  onBlur={(e) => void update(m.id, { commissionRateBp: Math.round(Number(e.target.value) * 100) })}
                />
                %
              </Space>
            ),
          },
        ]}
      />
    </Card>
  );
}
