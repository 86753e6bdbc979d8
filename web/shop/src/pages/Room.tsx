// The live room: video with danmaku over it, chat, likes, the product bag with the "explaining"
// badge, and buy-without-leaving (SKU picker → checkout → cashier in a sheet while the show plays).
import { Badge, Button, Input, Popup, Toast } from 'antd-mobile';
import { CouponOutline, FireFill, GiftOutline, HeartFill, HeartOutline, ShopbagOutline } from 'antd-mobile-icons';
import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams, useSearchParams } from 'react-router-dom';
import { $api, errorText, session, useSession, yuan } from '../api.ts';
import { Async } from '../components/Async.tsx';
import { ScheduledCover } from '../components/room/ScheduledCover.tsx';
import { ContactButton } from '../support/ContactButton.tsx';
import { Player } from '@livemall/player';
import {
  RoomSocket,
  useLabels,
  type CouponDrop,
  type FlashCountdown,
  type Frame,
  type LuckyBag,
  type paths,
  type ServerFrame,
} from '@livemall/sdk';
import { ShareButton } from '../share/ShareButton.tsx';
import { track, useRoomWatch } from '../track.ts';

// The buy sheet (forms, checkout) loads when the shopper first taps buy, keeping the room's first load small.
const BuySheet = lazy(() => import('../components/BuySheet.tsx').then((m) => ({ default: m.BuySheet })));
const GiftPanel = lazy(() => import('../components/GiftPanel.tsx').then((m) => ({ default: m.GiftPanel })));
const LoginSheet = lazy(() => import('../components/LoginForm.tsx').then((m) => ({ default: m.LoginForm })));

interface Chat {
  seq: number;
  nickname: string;
  text: string;
}
type BagProduct = {
  id: number;
  title: string;
  coverUrl: string | null;
  minPriceFen: number;
  stock: number;
  explaining: boolean;
};

export function Room() {
  const roomId = Number(useParams().roomId);
  const [params] = useSearchParams();
  const invite = params.get('invite') ?? undefined;
  const room = $api.useQuery('get', '/api/rooms/{roomId}', {
    params: { path: { roomId }, query: invite ? { invite } : {} },
  });
  return <Async query={room}>{(r) => <LiveRoom room={r} reload={() => void room.refetch()} invite={invite} />}</Async>;
}

/** `?player=flv|hls|hlsjs` forces one video path, `?latency=previous` the earlier tuning (tests, benches). */
const playerPath = (p: string | null) => (p === 'flv' || p === 'hls' || p === 'hlsjs' ? p : null);

type RoomDetail = paths['/api/rooms/{roomId}']['get']['responses'][200]['content']['application/json'];

function LiveRoom({ room, reload, invite }: { room: RoomDetail; reload(): void; invite?: string | undefined }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const user = useSession();
  const [bag, setBag] = useState<BagProduct[]>(room.products);
  const [pinned, setPinned] = useState<BagProduct | null>(room.products.find((p) => p.explaining) ?? null);
  const [online, setOnline] = useState(room.viewers.online);
  const [likes, setLikes] = useState(0);
  const [chat, setChat] = useState<Chat[]>([]);
  const [chatReady, setChatReady] = useState(true);
  const [text, setText] = useState('');
  const [bagOpen, setBagOpen] = useState(false);
  const [buying, setBuying] = useState<number | null>(null);
  const [hearts, setHearts] = useState<number[]>([]);
  const [drop, setDrop] = useState<CouponDrop | null>(null);
  const [claimed, setClaimed] = useState<Set<number>>(new Set());
  const [loginOpen, setLoginOpen] = useState(false);
  const [lucky, setLucky] = useState<LuckyBag | null>(null);
  const [giftOpen, setGiftOpen] = useState(false);
  const [giftBanner, setGiftBanner] = useState<string | null>(null);
  const [flash, setFlash] = useState<FlashCountdown | null>(null);
  const shop = { params: { path: { merchantId: room.merchantId } } };
  const follow = $api.useQuery('get', '/api/merchants/{merchantId}/followers', shop);
  const followOn = $api.useMutation('put', '/api/me/follows/{merchantId}');
  const followOff = $api.useMutation('delete', '/api/me/follows/{merchantId}');
  const claimDrop = $api.useMutation('post', '/api/coupon-drops/{dropId}/claim');
  const enterLucky = $api.useMutation('post', '/api/lucky-bags/{bagId}/enter');
  const toggleFollow = async () => {
    if (!session.get()) {
      setLoginOpen(true);
      return;
    }
    try {
      await (follow.data?.following ? followOff : followOn).mutateAsync(shop);
    } catch (e) {
      Toast.show({ content: errorText(e) });
    }
  };
  const socket = useRef<RoomSocket | null>(null);
  useRoomWatch(room.id, room.status !== 'scheduled');
  // An ended show is a recording: its live widgets (explaining card, coupons, lucky bag, chat input) go away.
  const ended = room.status === 'ended';
  const replay = ended ? (room.replays[0]?.hls ?? null) : null;

  // biome-ignore lint/correctness/useExhaustiveDependencies: one socket per room, viewer and invitation
  useEffect(() => {
    // A private room's link carries an invitation: the socket shows it on every join.
    const s = new RoomSocket(room.id, () => session.get()?.accessToken ?? null, { invite });
    socket.current = s;
    const off = s.on((f: Frame) => {
      switch (f.type) {
        case 'joined': {
          setOnline(f.data.online);
          const history = f.data.history
            .filter((h): h is ServerFrame<'chat'> => h.type === 'chat')
            .map((h) => ({ seq: h.seq!, nickname: h.data.nickname, text: h.data.text }));
          setChat((c) => (f.data.resumed ? [...c, ...history] : history).slice(-100));
          break;
        }
        case 'presence':
          setOnline(f.data.online);
          break;
        case 'chat':
          setChat((c) => [...c, { seq: f.seq!, nickname: f.data.nickname, text: f.data.text }].slice(-100));
          break;
        case 'chat.deleted':
          setChat((c) => c.filter((m) => m.seq !== f.data.seq));
          break;
        case 'likes':
          setLikes(f.data.total);
          break;
        case 'product.pinned':
          setPinned(f.data.product ? { ...f.data.product, explaining: true } : null);
          setBag((b) => b.map((p) => ({ ...p, explaining: p.id === f.data.product?.id })));
          break;
        case 'bag.updated':
          setBag(f.data.products);
          break;
        case 'room.live':
        case 'room.ended':
          reload();
          break;
        case 'coupon.drop':
          setDrop(f.data);
          break;
        case 'flashsale.countdown':
          setFlash(f.data);
          break;
        case 'luckybag.started':
        case 'luckybag.drawn':
          setLucky(f.data);
          break;
        case 'luckybag.won':
          Toast.show({
            icon: <GiftOutline />,
            content: t('room.won', { prize: f.data.prize?.description ?? '' }),
            duration: 4000,
          });
          break;
        case 'gift':
          setGiftBanner(t('room.giftSent', { name: f.data.nickname, gift: f.data.name, n: f.data.quantity }));
          setTimeout(() => setGiftBanner(null), 3000);
          break;
        case 'coupon.drop.remaining':
          setDrop((d) => (d && d.dropId === f.data.dropId ? { ...d, remaining: f.data.remaining } : d));
          break;
        // Refused, or let out (invitation withdrawn or expired, shop closed): say why and reload the page.
        case 'join.refused':
          Toast.show({ content: errorText(f.data) });
          reload();
          break;
        // The connection dropped: the socket reconnects and resumes by itself, and the next `joined` catches up.
        case 'socket.closed':
          break;
        case 'error':
          if (f.data.roomId === room.id) {
            Toast.show({ content: errorText(f.data) });
            reload();
          }
          break;
      }
    });
    return () => {
      off();
      s.close();
    };
  }, [room.id, user?.accessToken, invite]);

  const send = async () => {
    const msg = text.trim();
    if (!msg) return;
    if (!session.get()) {
      setLoginOpen(true);
      return;
    }
    try {
      await socket.current?.request('chat', { text: msg });
      setText('');
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code === 'UNKNOWN_TYPE') setChatReady(false);
      else Toast.show({ content: errorText(e) });
    }
  };
  const claim = async (d: CouponDrop) => {
    if (!session.get()) {
      setLoginOpen(true);
      return;
    }
    try {
      await claimDrop.mutateAsync({ params: { path: { dropId: d.dropId }, query: invite ? { invite } : {} } });
      setClaimed((c) => new Set(c).add(d.dropId));
      Toast.show({ content: t('room.claimedToast') });
    } catch (e) {
      Toast.show({ content: errorText(e) });
    }
  };
  const enterBag = async (b: LuckyBag) => {
    if (!session.get()) {
      setLoginOpen(true);
      return;
    }
    if (b.condition.kind === 'comment') {
      setText(b.condition.keyword ?? '');
      Toast.show({ content: t('room.sendKeyword', { keyword: b.condition.keyword ?? '' }) });
      return;
    }
    // 分享直播间 to enter: the share is made (and sent) first; the server checks it was made since the bag.
    if (b.condition.kind === 'share_room') {
      const { shareTarget } = await import('../share/share.ts');
      if (!(await shareTarget({ targetKind: 'room', targetId: room.id }, room.title))) return;
    }
    // A private room's drops and bags need its invitation.
    const params = { path: { bagId: b.bagId }, query: invite ? { invite } : {} };
    try {
      await enterLucky.mutateAsync({ params });
      Toast.show({ content: t('room.entered') });
    } catch (e) {
      Toast.show({ content: errorText(e) });
    }
  };
  const like = () => {
    setHearts((h) => [...h.slice(-10), Date.now()]);
    socket.current?.request('like', { count: 1 }).catch(() => undefined);
  };
  const share = async () => {
    track('share', { roomId: room.id });
    await navigator.clipboard?.writeText(location.href).catch(() => undefined);
    Toast.show({ content: t('common.linkCopied') });
  };

  return (
    <div className={`room${ended ? ' room-ended' : ''}${buying !== null ? ' room-buying' : ''}`}>
      {room.status === 'scheduled' ? (
        <ScheduledCover
          roomId={room.id}
          coverUrl={room.coverUrl}
          scheduledAt={room.scheduledAt}
          reminded={room.reminded}
          reminders={room.reminders}
          onSignIn={() => setLoginOpen(true)}
        />
      ) : (
        <Player
          flv={room.play.flv}
          hls={room.play.hls}
          replay={replay}
          poster={room.coverUrl}
          prefer={playerPath(new URLSearchParams(location.search).get('player'))}
          latency={new URLSearchParams(location.search).get('latency') === 'previous' ? 'previous' : 'low'}
          unmuteLabel={t('room.tapForSound')}
        />
      )}
      <div className="room-top">
        <div className="host">
          <b>{room.merchantName}</b>
          <div className="muted-light">{room.title}</div>
        </div>
        <Button
          size="mini"
          color={follow.data?.following ? 'default' : 'danger'}
          onClick={() => void toggleFollow()}
          data-testid="follow"
        >
          {follow.data?.following ? t('room.following') : `+ ${t('room.follow')}`}
        </Button>
        <ContactButton merchantId={room.merchantId} from={{ kind: 'room', id: room.id }} roomId={room.id} size="mini" />
        <span className="pill" data-testid="online">
          {room.status === 'live'
            ? t('home.watching', { n: online })
            : room.status === 'ended'
              ? t('room.replay')
              : t('room.notStarted')}
        </span>
        {room.isPrivate ? (
          // A private room's link carries its invitation; it is not a share the shop counts.
          <Button size="mini" fill="none" onClick={share}>
            ↗ {t('common.share')}
          </Button>
        ) : (
          <ShareButton
            size="mini"
            fill="none"
            target={{ targetKind: 'room', targetId: room.id }}
            title={room.title}
            poster={{ kind: 'room', id: room.id }}
          />
        )}
      </div>
      <div className="danmaku" data-testid="chat-list">
        {chat.slice(-8).map((m) => (
          <div key={m.seq} className="bubble">
            <b>{m.nickname}</b> {m.text}
          </div>
        ))}
      </div>
      {!ended && drop && new Date(drop.endsAt).getTime() > Date.now() && (
        <div className="drop" data-testid="coupon-drop">
          <div className="grow">
            <b>
              <CouponOutline /> {drop.title}
            </b>
            <div>
              {labels.server(drop.description)} · {t('deals.left', { n: drop.remaining })}
            </div>
          </div>
          <Button
            size="small"
            color="warning"
            disabled={claimed.has(drop.dropId) || drop.remaining <= 0}
            onClick={() => void claim(drop)}
            data-testid="claim-drop"
          >
            {claimed.has(drop.dropId)
              ? t('deals.claimed')
              : drop.remaining <= 0
                ? t('deals.allGone')
                : t('deals.claim')}
          </Button>
        </div>
      )}
      {!ended && flash && (
        <a className="flash" href={`${import.meta.env.BASE_URL}flash`} data-testid="flash-countdown">
          <FireFill />{' '}
          {flash.phase === 'started' ? t('deals.flash') : t('deals.startsAt', { time: labels.time(flash.startsAt) })}
          {' · '}
          {flash.items.map((i) => `${i.title} ${yuan(i.flashPriceFen)}`).join('，')}
        </a>
      )}
      {!ended && lucky && (
        <button
          type="button"
          className="lucky"
          data-testid="lucky-bag"
          onClick={() => lucky.status === 'open' && void enterBag(lucky)}
        >
          <GiftOutline /> {lucky.title} · {lucky.prize.description} ×{lucky.winnersCount}
          <div className="muted-light">
            {lucky.status === 'drawn'
              ? t('room.winners', { names: lucky.winners.map((w) => w.nickname).join('、') || '—' })
              : t('room.drawAt', { time: labels.time(lucky.drawAt) })}
          </div>
        </button>
      )}
      {giftBanner && (
        <div className="gift-banner" data-testid="gift-banner">
          <GiftOutline /> {giftBanner}
        </div>
      )}
      {!ended && pinned && (
        <div className="pinned" data-testid="pinned-product">
          {pinned.coverUrl && <img src={pinned.coverUrl} alt="" />}
          <div className="grow">
            <Badge content={t('room.explaining')} /> <div className="clamp">{pinned.title}</div>
            <div className="price">{yuan(pinned.minPriceFen)}</div>
          </div>
          <Button size="small" color="danger" onClick={() => setBuying(pinned.id)} data-testid="buy-pinned">
            {t('room.buy')}
          </Button>
        </div>
      )}
      <div className="hearts">
        {hearts.map((h) => (
          <span key={h} className="heart">
            <HeartFill />
          </span>
        ))}
      </div>
      <div className="room-bar">
        <Button
          shape="rounded"
          size="small"
          onClick={() => setBagOpen(true)}
          data-testid="open-bag"
          aria-label={t('room.products', { n: bag.length })}
        >
          <ShopbagOutline /> {bag.length}
        </Button>
        {ended ? (
          <span className="muted-light grow">{replay ? t('room.replay') : t('room.endedNoReplay')}</span>
        ) : chatReady ? (
          <Input
            className="chat-input"
            placeholder={t('room.sayHi')}
            value={text}
            onChange={setText}
            onEnterPress={send}
            maxLength={200}
            data-testid="chat-input"
          />
        ) : (
          <span className="muted-light grow">{t('room.chatUnavailable')}</span>
        )}
        {!ended && chatReady && (
          <Button size="small" color="primary" onClick={send} data-testid="chat-send">
            {t('room.send')}
          </Button>
        )}
        <Button
          shape="rounded"
          size="small"
          onClick={() => (session.get() ? setGiftOpen(true) : setLoginOpen(true))}
          data-testid="gift"
          aria-label={t('room.gift')}
        >
          <GiftOutline />
        </Button>
        <Button shape="rounded" size="small" onClick={like} data-testid="like" aria-label={t('room.like')}>
          <HeartOutline /> {likes || ''}
        </Button>
      </div>
      <Popup visible={loginOpen} onMaskClick={() => setLoginOpen(false)} bodyClassName="sheet" destroyOnClose>
        {loginOpen && (
          <Suspense fallback={null}>
            <LoginSheet onDone={() => setLoginOpen(false)} />
          </Suspense>
        )}
      </Popup>
      <Popup visible={giftOpen} onMaskClick={() => setGiftOpen(false)} bodyClassName="sheet" destroyOnClose>
        {giftOpen && socket.current && (
          <Suspense fallback={null}>
            <GiftPanel socket={socket.current} />
          </Suspense>
        )}
      </Popup>
      <Popup visible={bagOpen} onMaskClick={() => setBagOpen(false)} bodyClassName="sheet">
        <div className="sheet-title">{t('room.products', { n: bag.length })}</div>
        {bag.map((p, i) => (
          <div key={p.id} className="bag-item" data-testid="bag-item">
            <span className="idx">{i + 1}</span>
            {p.coverUrl && <img src={p.coverUrl} alt="" />}
            <div className="grow">
              {p.explaining && <Badge content={t('room.explaining')} />} <div className="clamp">{p.title}</div>
              <div className="price">{yuan(p.minPriceFen)}</div>
            </div>
            <Button
              size="small"
              color="danger"
              disabled={p.stock === 0}
              onClick={() => {
                setBagOpen(false);
                setBuying(p.id);
              }}
            >
              {p.stock === 0 ? t('cart.outOfStock') : t('room.buy')}
            </Button>
          </div>
        ))}
      </Popup>
      {buying !== null && (
        <Suspense fallback={null}>
          <BuySheet productId={buying} roomId={room.id} onClose={() => setBuying(null)} />
        </Suspense>
      )}
    </div>
  );
}
