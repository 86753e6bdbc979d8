// Invite links of a private room: issue one (with a lifetime and a note saying who it is for), copy
// it, and withdraw it — a withdrawn link stops opening the room and lets out whoever is watching with it.
import { App, Button, Form, Input, InputNumber, Modal, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api, call, errorText } from '../api.ts';
import { useAsync } from './useAsync.ts';

const INVITES = '/api/merchants/{merchantId}/rooms/{roomId}/invites';

function InviteState({ invite }: { invite: { revokedAt: string | null; expiresAt: string } }) {
  if (invite.revokedAt) return <Tag>已撤回 Withdrawn</Tag>;
  if (new Date(invite.expiresAt) < new Date()) return <Tag>已过期 Expired</Tag>;
  return <Tag color="green">有效 Valid</Tag>;
}

export function RoomInvites(props: { merchantId: number; roomId: number | null; onClose(): void }) {
  const { merchantId, roomId } = props;
  const { message } = App.useApp();
  const [issued, setIssued] = useState<string | null>(null);
  const path = { merchantId, roomId: roomId ?? 0 };
  const invites = useAsync(async () => (roomId ? call(() => api.GET(INVITES, { params: { path } })) : []), [roomId]);
  const issue = async (v: { days?: number; note?: string }) => {
    try {
      const body = { ttlSec: Math.round((v.days ?? 7) * 86400), ...(v.note ? { note: v.note } : {}) };
      const request = () => api.POST('/api/merchants/{merchantId}/rooms/{roomId}/invite', { params: { path }, body });
      const link = await call(request);
      setIssued(link.pageUrl);
      invites.reload();
    } catch (e) { void message.error(errorText(e)); }
  };
  const revoke = async (inviteId: number) => {
    try {
      const params = { path: { ...path, inviteId } };
      await call(() => api.DELETE('/api/merchants/{merchantId}/rooms/{roomId}/invites/{inviteId}', { params }));
      invites.reload();
    } catch (e) { void message.error(errorText(e)); }
  };
  const close = () => { setIssued(null); props.onClose(); };
  return (
    <Modal open={roomId !== null} title="邀请链接 Invite links" onCancel={close} footer={null} width={720} destroyOnHidden>
      <Form layout="inline" onFinish={issue} style={{ marginBottom: 12 }}>
        <Form.Item name="days" initialValue={7} label="有效天数 Days">
          <InputNumber min={0.05} max={30} step={1} />
        </Form.Item>
        <Form.Item name="note"><Input placeholder="给谁 For whom" maxLength={100} /></Form.Item>
        <Button type="primary" htmlType="submit" data-testid="issue-invite">生成 Issue</Button>
      </Form>
      {issued && (
        <Typography.Paragraph copyable={{ text: issued }} code data-testid="invite-url">{issued}</Typography.Paragraph>
      )}
      <Table rowKey="id" size="small" loading={invites.loading} dataSource={invites.data ?? []} pagination={false}
        columns={[
        { title: '备注 Note', dataIndex: 'note' },
        { title: '到期 Expires', render: (_, i) => new Date(i.expiresAt).toLocaleString() },
        { title: '状态 State', render: (_, i) => <InviteState invite={i} /> },
        {
          title: '', render: (_, i) => !i.revokedAt && (
            <Button size="small" danger onClick={() => void revoke(i.id)} data-testid="revoke-invite">
              撤回 Withdraw
            </Button>
          ),
        },
      ]} />
    </Modal>
  );
}
