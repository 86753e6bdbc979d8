// The chat in the workbench: the conversation's messages (with 已读 on the agent's own once the shopper
// read them), a reply box, canned replies, transfer to a colleague and closing (both ask first).
import type { SupportMessage } from '@livemall/sdk';
import { App, Button, Card, Empty, Input, Modal, Select, Space, Tag, Typography } from 'antd';
import { FileTextOutlined, ShoppingOutlined } from '@ant-design/icons';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { $api, errorText, yuan } from '../api.ts';
import { TicketButton } from './TicketButton.tsx';
import { useAgentChat } from './useAgentChat.ts';

export type ConversationRow = {
  id: number;
  nickname: string;
  status: string;
  priority: string;
  agentUserId: number | null;
  userId: number;
};

function Bubble({ m, read }: { m: SupportMessage; read: boolean }) {
  const { t } = useTranslation();
  const mine = m.from === 'agent';
  const card = m.card;
  const body =
    card?.type === 'image' ? (
      <img src={card.imageUrl} alt="" style={{ maxWidth: 200 }} />
    ) : card?.type === 'product' ? (
      <span>
        <ShoppingOutlined /> {card.title} {yuan(card.minPriceFen)}
      </span>
    ) : card?.type === 'order' ? (
      <span>
        <FileTextOutlined /> {card.orderNo} {yuan(card.totalFen)}
      </span>
    ) : (
      <span style={{ whiteSpace: 'pre-wrap' }}>{m.text}</span>
    );
  if (m.from === 'system') return <div className="svc-system">{m.text}</div>;
  return (
    <div className={mine ? 'svc-row mine' : 'svc-row'} data-testid="agent-message" data-from={m.from}>
      <div className="svc-who">{t(`service.from.${m.from}`)}</div>
      <div className="svc-bubble">{body}</div>
      {mine && <div className="svc-who">{read ? t('service.read') : t('service.unread')}</div>}
    </div>
  );
}

export function ChatPanel(props: { merchantId: number; conv: ConversationRow; me: number; onChanged(): void }) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const { merchantId, conv } = props;
  const chat = useAgentChat(merchantId, conv.id);
  const [text, setText] = useState('');
  const [transferTo, setTransferTo] = useState<number | null>(null);
  const [transferOpen, setTransferOpen] = useState(false);
  const m = { params: { path: { merchantId } } };
  const canned = $api.useQuery('get', '/api/merchants/{merchantId}/support/canned-replies', m);
  const agents = $api.useQuery('get', '/api/merchants/{merchantId}/support/agents', m);
  const path = { params: { path: { merchantId, conversationId: conv.id } } };
  const pick = $api.useMutation('post', '/api/merchants/{merchantId}/support/conversations/{conversationId}/pick');
  const close = $api.useMutation('post', '/api/merchants/{merchantId}/support/conversations/{conversationId}/close');
  const transfer = $api.useMutation(
    'post',
    '/api/merchants/{merchantId}/support/conversations/{conversationId}/transfer',
  );
  const bottom = useRef<HTMLDivElement>(null);
  const file = useRef<HTMLInputElement>(null);
  const count = chat.messages.length;
  useEffect(() => {
    if (count > 0) bottom.current?.scrollIntoView?.({ block: 'end' });
  }, [count]);
  const run = async (fn: () => Promise<unknown>) => {
    try {
      await fn();
      props.onChanged();
    } catch (e) {
      void message.error(errorText(e));
    }
  };
  const mine = conv.agentUserId === props.me;
  const waiting = conv.status === 'queued' || conv.status === 'left_message' || conv.status === 'bot';
  const reply = () =>
    run(async () => {
      if (!text.trim()) return;
      await chat.send({ text: text.trim() });
      setText('');
    });
  return (
    <Card
      size="small"
      title={
        <Space>
          <Typography.Text strong>{conv.nickname}</Typography.Text>
          <Tag data-testid="agent-conv-status">{t(`service.status.${conv.status}` as 'service.status.bot')}</Tag>
          {conv.priority === 'high' && <Tag color="red">{t('service.urgent')}</Tag>}
        </Space>
      }
      extra={
        <Space>
          {waiting && (
            <Button
              type="primary"
              size="small"
              onClick={() => void run(() => pick.mutateAsync(path))}
              data-testid="agent-pick"
            >
              {t('service.pick')}
            </Button>
          )}
          {conv.status !== 'closed' && (
            <TicketButton merchantId={merchantId} conversationId={conv.id} urgent={conv.priority === 'high'} />
          )}
          {mine && (
            <Button size="small" onClick={() => setTransferOpen(true)}>
              {t('service.transfer')}
            </Button>
          )}
          {conv.status !== 'closed' && (mine || !waiting) && (
            <Button
              size="small"
              danger
              onClick={() =>
                modal.confirm({
                  title: t('service.closeConfirm'),
                  onOk: () => run(() => close.mutateAsync(path)),
                })
              }
            >
              {t('service.close')}
            </Button>
          )}
        </Space>
      }
    >
      <div className="svc-messages" data-testid="agent-messages">
        {chat.messages.length === 0 && <Empty description={t('service.noMessages')} />}
        {chat.messages.map((x) => (
          <Bubble key={x.seq} m={x} read={x.seq <= chat.peerReadSeq} />
        ))}
        <div ref={bottom} />
      </div>
      {conv.status !== 'closed' && (
        <Space.Compact style={{ width: '100%', marginTop: 8 }}>
          <Select
            style={{ width: 160 }}
            placeholder={t('service.canned')}
            value={null}
            disabled={!mine}
            options={(canned.data ?? []).map((c) => ({ value: c.id, label: c.title }))}
            onChange={(id: number) => void run(() => chat.send({ cannedReplyId: id }))}
            data-testid="agent-canned"
          />
          <Input
            value={text}
            onChange={(e) => setText(e.target.value)}
            onPressEnter={() => void reply()}
            placeholder={mine ? t('service.replyPlaceholder') : t('service.pickFirst')}
            disabled={!mine}
            maxLength={1000}
            data-testid="agent-input"
          />
          <Button disabled={!mine} onClick={() => file.current?.click()}>
            {t('service.uploadImage')}
          </Button>
          <Button type="primary" disabled={!mine || !text.trim()} onClick={() => void reply()} data-testid="agent-send">
            {t('service.send')}
          </Button>
        </Space.Compact>
      )}
      <input
        ref={file}
        type="file"
        accept="image/jpeg,image/png,image/webp,image/gif"
        hidden
        onChange={(e) => {
          const f = e.target.files?.[0];
          e.target.value = '';
          if (f) void run(() => chat.sendImage(f));
        }}
      />
      <Modal
        open={transferOpen}
        title={t('service.transfer')}
        onCancel={() => setTransferOpen(false)}
        okButtonProps={{ disabled: !transferTo }}
        onOk={() =>
          void run(async () => {
            await transfer.mutateAsync({ ...path, body: { toUserId: transferTo! } });
            setTransferOpen(false);
          })
        }
      >
        <Select
          style={{ width: '100%' }}
          value={transferTo}
          onChange={setTransferTo}
          options={(agents.data ?? [])
            .filter((a) => a.userId !== props.me && a.status !== 'offline')
            .map((a) => ({
              value: a.userId,
              label: `${a.nickname} · ${t(`service.agentStatus.${a.status}`)} · ${a.active}/${a.capacity}`,
            }))}
        />
      </Modal>
    </Card>
  );
}
