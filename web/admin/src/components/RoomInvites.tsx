// Invite links of a private room: issue one (with a lifetime and a note saying who it is for), copy
// it, and withdraw it — a withdrawn link stops opening the room and lets out whoever is watching with it.
import { useLabels } from '@livemall/sdk';
import { App, Button, Form, Input, InputNumber, Modal, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { $api, errorText } from '../api.ts';
import { tableState } from './Loadable.tsx';

const inviteState = (i: { revokedAt: string | null; expiresAt: string }) =>
  i.revokedAt ? 'revoked' : new Date(i.expiresAt) < new Date() ? 'expired' : 'valid';

export function RoomInvites(props: { merchantId: number; roomId: number | null; onClose(): void }) {
  const { merchantId, roomId } = props;
  const { t } = useTranslation();
  const labels = useLabels();
  const { message } = App.useApp();
  const [issued, setIssued] = useState<string | null>(null);
  const path = { merchantId, roomId: roomId ?? 0 };
  const invites = $api.useQuery(
    'get',
    '/api/merchants/{merchantId}/rooms/{roomId}/invites',
    { params: { path } },
    { enabled: roomId !== null },
  );
  const create = $api.useMutation('post', '/api/merchants/{merchantId}/rooms/{roomId}/invite');
  const withdraw = $api.useMutation('delete', '/api/merchants/{merchantId}/rooms/{roomId}/invites/{inviteId}');
  const issue = async (v: { days?: number; note?: string }) => {
    try {
      const body = { ttlSec: Math.round((v.days ?? 7) * 86400), ...(v.note ? { note: v.note } : {}) };
      setIssued((await create.mutateAsync({ params: { path }, body })).pageUrl);
    } catch (e) {
      void message.error(errorText(e));
    }
  };
  const revoke = async (inviteId: number) => {
    try {
      await withdraw.mutateAsync({ params: { path: { ...path, inviteId } } });
    } catch (e) {
      void message.error(errorText(e));
    }
  };
  const close = () => {
    setIssued(null);
    props.onClose();
  };
  return (
    <Modal open={roomId !== null} title={t('invites.title')} onCancel={close} footer={null} width={720} destroyOnHidden>
      <Form layout="inline" onFinish={issue} style={{ marginBottom: 12 }}>
        <Form.Item name="days" initialValue={7} label={t('invites.days')}>
          <InputNumber min={0.05} max={30} step={1} />
        </Form.Item>
        <Form.Item label={t('invites.forWhom')} name="note">
          <Input maxLength={100} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={create.isPending} data-testid="issue-invite">
          {t('invites.issue')}
        </Button>
      </Form>
      {issued && (
        <Typography.Paragraph copyable={{ text: issued }} code data-testid="invite-url">
          {issued}
        </Typography.Paragraph>
      )}
      <Table
        rowKey="id"
        size="small"
        pagination={false}
        {...tableState(invites, (d) => d)}
        columns={[
          { title: t('common.note'), dataIndex: 'note' },
          { title: t('invites.expires'), render: (_, i) => labels.dateTime(i.expiresAt) },
          {
            title: t('common.status'),
            render: (_, i) => {
              const state = inviteState(i);
              return <Tag color={state === 'valid' ? 'green' : undefined}>{labels.label('inviteState', state)}</Tag>;
            },
          },
          {
            title: '',
            render: (_, i) =>
              !i.revokedAt && (
                <Button size="small" danger onClick={() => void revoke(i.id)} data-testid="revoke-invite">
                  {t('invites.withdraw')}
                </Button>
              ),
          },
        ]}
      />
    </Modal>
  );
}
