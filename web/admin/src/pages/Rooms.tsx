import { useLabels } from '@livemall/sdk';
import { App, Button, Card, DatePicker, Form, Input, Modal, Select, Space, Table, Tag, Typography, Upload } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { $api, errorText, session } from '../api.ts';
import { tableState } from '../components/Loadable.tsx';
import { RoomInvites } from '../components/RoomInvites.tsx';
import { canBroadcast } from '../components/ShopStatus.tsx';
import { useMerchantId, useWorkspace } from '../workspace.tsx';

export const ROOM_COLOR: Record<string, string> = { scheduled: 'blue', live: 'red', ended: 'default' };

export default function Rooms() {
  const { t } = useTranslation();
  const labels = useLabels();
  const merchantId = useMerchantId();
  const { merchant } = useWorkspace();
  const canEdit = merchant?.role !== 'anchor';
  const onAir = canBroadcast(merchant?.status); // pending and suspended shops cannot go live (banner above says why)
  const [creating, setCreating] = useState(false);
  const [pushFor, setPushFor] = useState<number | null>(null);
  const [invitesFor, setInvitesFor] = useState<number | null>(null);
  const rooms = $api.useQuery('get', '/api/merchants/{merchantId}/rooms', { params: { path: { merchantId } } });
  return (
    <Card
      title={t('rooms.title')}
      extra={
        canEdit && (
          <Button type="primary" disabled={!onAir} onClick={() => setCreating(true)} data-testid="new-room">
            {t('rooms.new')}
          </Button>
        )
      }
    >
      <Table
        rowKey="id"
        {...tableState(rooms, (d) => d)}
        columns={[
          {
            title: t('rooms.roomTitle'),
            render: (_, r) => (
              <Link to={`/live/${r.id}`} data-testid="room-link">
                {r.title}
              </Link>
            ),
          },
          {
            title: t('common.status'),
            render: (_, r) => (
              <Tag color={ROOM_COLOR[r.status]} data-status={r.status}>
                {labels.label('roomStatus', r.status)}
              </Tag>
            ),
          },
          { title: t('rooms.startsAt'), render: (_, r) => (r.scheduledAt ? labels.dateTime(r.scheduledAt) : '-') },
          { title: t('rooms.reminders'), dataIndex: 'reminders' },
          { title: t('rooms.viewers'), render: (_, r) => `${r.viewers.online} / ${r.viewers.cumulative}` },
          {
            title: '',
            render: (_, r) => (
              <Space>
                <Button size="small" onClick={() => setPushFor(r.id)}>
                  {t('rooms.pushSettings')}
                </Button>
                {r.isPrivate && canEdit && (
                  <Button size="small" onClick={() => setInvitesFor(r.id)} data-testid="room-invites">
                    {t('rooms.invites')}
                  </Button>
                )}
                <Link to={`/live/${r.id}`}>{t('rooms.console')}</Link>
              </Space>
            ),
          },
        ]}
      />
      <CreateRoom open={creating} onClose={() => setCreating(false)} onCreated={() => setCreating(false)} />
      <PushSettings roomId={pushFor} onClose={() => setPushFor(null)} />
      <RoomInvites merchantId={merchantId} roomId={invitesFor} onClose={() => setInvitesFor(null)} />
    </Card>
  );
}

interface NewRoom {
  title: string;
  scheduledAt?: { toISOString(): string };
  productIds?: number[];
  visibility?: 'public' | 'private';
  coverUrl?: string;
}

function CreateRoom(props: { open: boolean; onClose(): void; onCreated(): void }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const merchantId = useMerchantId();
  const { message } = App.useApp();
  const products = $api.useQuery(
    'get',
    '/api/merchants/{merchantId}/products',
    { params: { path: { merchantId }, query: { pageSize: 100 } } },
    { enabled: props.open },
  );
  const create = $api.useMutation('post', '/api/merchants/{merchantId}/rooms');
  const submit = async (v: NewRoom) => {
    try {
      await create.mutateAsync({
        params: { path: { merchantId } },
        body: {
          title: v.title,
          productIds: v.productIds ?? [],
          visibility: v.visibility ?? 'public',
          scheduledAt: v.scheduledAt ? v.scheduledAt.toISOString() : null,
          ...(v.coverUrl ? { coverUrl: v.coverUrl } : {}),
        },
      });
      props.onCreated();
    } catch (e) {
      void message.error(errorText(e));
    }
  };
  const upload = {
    action: `/api/merchants/${merchantId}/media`,
    headers: { authorization: `Bearer ${session.get()?.accessToken ?? ''}` },
  };
  return (
    <Modal open={props.open} title={t('rooms.new')} onCancel={props.onClose} footer={null} destroyOnHidden>
      <Form layout="vertical" onFinish={submit}>
        <Form.Item name="title" label={t('rooms.roomTitle')} rules={[{ required: true }]}>
          <Input data-testid="room-title" />
        </Form.Item>
        <Form.Item name="scheduledAt" label={t('rooms.scheduledAt')}>
          <DatePicker showTime />
        </Form.Item>
        <Form.Item
          name="coverUrl"
          label={t('rooms.cover')}
          getValueFromEvent={(info: { file: { status?: string; response?: { url: string } } }) =>
            info.file.response?.url
          }
        >
          <Upload accept="image/*" maxCount={1} listType="picture" {...upload}>
            <Button>{t('rooms.uploadCover')}</Button>
          </Upload>
        </Form.Item>
        <Form.Item name="productIds" label={t('rooms.bag')}>
          <Select
            mode="multiple"
            data-testid="room-products"
            optionFilterProp="label"
            options={(products.data?.items ?? []).map((p) => ({ value: p.id, label: p.title }))}
          />
        </Form.Item>
        <Form.Item name="visibility" label={t('rooms.visibility')} initialValue="public">
          <Select
            options={(['public', 'private'] as const).map((value) => ({
              value,
              label: labels.label('roomVisibility', value),
            }))}
          />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={create.isPending} data-testid="create-room">
          {t('rooms.create')}
        </Button>
      </Form>
    </Modal>
  );
}

export function PushSettings(props: { roomId: number | null; onClose(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const merchantId = useMerchantId();
  const path = { params: { path: { merchantId, roomId: props.roomId ?? 0 } } };
  const settings = $api.useQuery('get', '/api/merchants/{merchantId}/rooms/{roomId}/push', path, {
    enabled: props.roomId !== null,
  });
  const rotateM = $api.useMutation('post', '/api/merchants/{merchantId}/rooms/{roomId}/stream-key');
  const rotate = () => rotateM.mutateAsync(path).catch((e: unknown) => void message.error(errorText(e)));
  const s = props.roomId !== null ? settings.data : undefined;
  return (
    <Modal
      open={props.roomId !== null}
      title={t('push.title')}
      onCancel={props.onClose}
      footer={
        <Button danger loading={rotateM.isPending} onClick={() => void rotate()}>
          {t('push.rotate')}
        </Button>
      }
    >
      {s && (
        <>
          <Typography.Paragraph>
            {t('push.server')}{' '}
            <Typography.Text copyable code>
              {s.server}
            </Typography.Text>
          </Typography.Paragraph>
          <Typography.Paragraph>
            {t('push.streamKey')}{' '}
            <Typography.Text copyable code data-testid="stream-key">
              {s.streamKey}
            </Typography.Text>
          </Typography.Paragraph>
          <Typography.Paragraph>
            {t('push.pushUrl')}{' '}
            <Typography.Text copyable code data-testid="push-url">
              {s.pushUrl}
            </Typography.Text>
          </Typography.Paragraph>
          <Typography.Paragraph type="secondary">
            {t('push.obsGuide', {
              keyframe: s.obs.keyframeIntervalSec,
              video: s.obs.videoBitrateKbps,
              audio: s.obs.audioBitrateKbps,
              resolution: s.obs.resolution,
              fps: s.obs.fps,
              encoder: s.obs.encoder,
              rateControl: s.obs.rateControl,
            })}
          </Typography.Paragraph>
          <Typography.Paragraph type="secondary">{s.advice}</Typography.Paragraph>
        </>
      )}
    </Modal>
  );
}
