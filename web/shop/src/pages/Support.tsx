// The customer-service chat (客服): the bot answers first; 转人工 asks for a person. Opened from a product or
// an order, it offers to send that card first. Messages are stored before they show as sent.
import { Button, Input, NavBar, Tag, Toast } from 'antd-mobile';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { $api, errorText, useSession } from '../api.ts';
import { LoginForm } from '../components/LoginForm.tsx';
import { MessageBubble } from '../support/MessageBubble.tsx';
import { RateChat } from '../support/RateChat.tsx';
import { useChat } from '../support/useChat.ts';
import '../support/support.css';
import { BackIcon } from '../components/PageHeader.tsx';

export function Support() {
  const user = useSession();
  if (!user)
    return (
      <div className="page">
        <LoginForm />
      </div>
    );
  return <Chat />;
}

function Chat() {
  const { t } = useTranslation();
  const nav = useNavigate();
  const conversationId = Number(useParams().conversationId);
  const [search, setSearch] = useSearchParams();
  const chat = useChat(conversationId);
  const list = $api.useQuery('get', '/api/me/support/conversations');
  const conv = list.data?.find((c) => c.id === conversationId);
  const status = chat.status ?? conv?.status ?? null;
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const bottom = useRef<HTMLDivElement>(null);
  const file = useRef<HTMLInputElement>(null);
  const card = search.get('card')?.match(/^(product|order):(\d+)$/);

  const count = chat.messages.length;
  useEffect(() => {
    if (count > 0) bottom.current?.scrollIntoView?.({ block: 'end' });
  }, [count]);

  const run = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    try {
      await fn();
    } catch (e) {
      Toast.show({ content: errorText(e) });
    } finally {
      setBusy(false);
    }
  };
  const sendText = () => {
    const body = text.trim();
    if (!body) return;
    void run(async () => {
      await chat.send({ text: body });
      setText('');
    });
  };
  const sendCard = () => {
    if (!card) return;
    const id = Number(card[2]);
    void run(async () => {
      await chat.send(card[1] === 'product' ? { productId: id } : { orderId: id });
      setSearch({}, { replace: true });
    });
  };
  const waiting = status === 'queued' || status === 'left_message';
  return (
    <div className="page support-page">
      <NavBar
        onBack={() => nav(-1)}
        backIcon={<BackIcon />}
        right={
          status && <Tag data-testid="support-status">{t(`service.status.${status}` as 'service.status.bot')}</Tag>
        }
      >
        {conv?.shopName ?? t('service.title')}
      </NavBar>
      {waiting && (
        <div className="support-banner" data-testid="support-waiting">
          {status === 'queued' ? t('service.queued') : t('service.leftMessage')}
        </div>
      )}
      <div className="support-messages" data-testid="support-messages">
        {chat.messages.map((m) => (
          <MessageBubble key={m.seq} m={m} read={m.seq <= chat.peerReadSeq} />
        ))}
        {chat.loaded && chat.messages.length === 0 && <div className="muted center">{t('service.hello')}</div>}
        <div ref={bottom} />
      </div>
      {status === 'closed' && <RateChat conversationId={conversationId} rated={conv?.rating ?? null} />}
      {card && (
        <div className="support-offer">
          <span>{card[1] === 'product' ? t('service.offerProduct') : t('service.offerOrder')}</span>
          <Button size="mini" color="primary" onClick={sendCard} disabled={busy} data-testid="support-send-card">
            {t('service.sendCard')}
          </Button>
        </div>
      )}
      <div className="support-compose row">
        {status !== 'assigned' && status !== 'closed' && (
          <Button size="small" onClick={() => void run(chat.askHuman)} disabled={busy} data-testid="support-human">
            {t('service.human')}
          </Button>
        )}
        <Button size="small" onClick={() => file.current?.click()} disabled={busy || status === 'closed'}>
          {t('service.image')}
        </Button>
        <input
          ref={file}
          type="file"
          accept="image/jpeg,image/png,image/webp,image/gif"
          hidden
          onChange={(e) => {
            const f = e.target.files?.[0];
            e.target.value = '';
            if (f) void run(() => chat.upload(f));
          }}
        />
        <Input
          value={text}
          onChange={setText}
          placeholder={t('service.placeholder')}
          onEnterPress={sendText}
          maxLength={1000}
          disabled={status === 'closed'}
          data-testid="support-input"
        />
        <Button
          size="small"
          color="primary"
          onClick={sendText}
          disabled={busy || !text.trim()}
          data-testid="support-send"
        >
          {t('service.send')}
        </Button>
      </div>
    </div>
  );
}
