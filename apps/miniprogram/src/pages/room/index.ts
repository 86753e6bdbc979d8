// The live room: live-player on the HTTP-FLV stream (low latency), falling back to video + HLS when the
// player fails; replays in video. The room socket (wx.connectSocket, reconnect and resume) brings danmaku,
// likes, the online count, the product bag and its explaining badge, the pinned product, coupon drops,
// lucky bags and flash-sale countdowns; gifts are paid with the coin wallet. Buying stays in the room:
// SKU picker → checkout sheet (the server's quote line by line) → pay.
import { currentUser, signIn } from '../../api/auth';
import { countdown, yuan } from '../../api/format';
import { confirmSandbox, requestPayment, startPayment } from '../../api/pay';
import { config } from '../../config';
import { errorMessage } from '../../api/errors';
import { accessToken, api, errorText } from '../../api/http';
import { RoomSocket, type Frame } from '../../api/room-socket';
import { shareQuery, sharePath, track } from '../../api/share';
import type { RoomDetail } from '../../api/types';
import type {
  ChatMessage,
  CouponDrop,
  FlashCountdown,
  LuckyBag,
  RoomProduct,
} from '../../../../../packages/sdk/src/realtime-frames';

type BagItem = RoomProduct & { explaining?: boolean; price: string };
interface Gift {
  id: number;
  name: string;
  iconUrl: string | null;
  priceCoins: number;
  effect: string;
}

const absolute = (u: string | null | undefined) => (!u ? '' : u.startsWith('/') ? `${config.apiBase}${u}` : u);
const bagItem = (p: RoomProduct & { explaining?: boolean }): BagItem => ({ ...p, price: yuan(p.minPriceFen) });
const MAX_CHAT = 50;

// Per page instance, outside setData: the socket, timers and coalesced like taps.
interface Runtime {
  /** A sandbox top-up waiting for its test-money confirmation. */
  topup?: { confirmPath: string; token: string; before: number } | undefined;
  authed: boolean;
  socket: RoomSocket | null;
  timer: number | null;
  likeTaps: number;
  likeTimer: number | null;
}
const runtimes = new WeakMap<object, Runtime>();

Component({
  data: {
    roomId: 0,
    invite: '',
    title: '',
    status: '',
    merchantId: 0,
    merchantName: '',
    flv: '',
    hls: '',
    useLivePlayer: false,
    replay: '',
    coverUrl: '',
    online: 0,
    likes: 0,
    chats: [] as ChatMessage[],
    draft: '',
    bag: [] as BagItem[],
    showBag: false,
    pinned: null as BagItem | null,
    drop: null as (CouponDrop & { claimed: boolean }) | null,
    lucky: null as (LuckyBag & { entered: boolean; text: string }) | null,
    flash: null as
      | (Omit<FlashCountdown, 'items'> & {
          text: string;
          items: Array<FlashCountdown['items'][number] & { price: string }>;
        })
      | null,
    following: false,
    followers: 0,
    gifts: [] as Gift[],
    showGifts: false,
    balance: -1,
    lastGift: '',
    buyProductId: 0,
    checkoutItems: [] as Array<{ skuId: number; quantity: number }>,
    checkoutDeal: {} as Record<string, unknown>,
    topupTest: false,
    topupAmount: '',
    showCheckout: false,
    connected: false,
    error: '',
    notice: '',
  },
  lifetimes: {
    detached() {
      this.teardown();
    },
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const roomId = Number(query.roomId);
      this.setData({ roomId, invite: query.invite ?? '' });
      if (query.sharer) wx.setStorageSync('lm.sharer', query.sharer);
      track('room_enter', { roomId });
      return this.load();
    },
    onUnload() {
      this.teardown();
    },
    runtime(): Runtime {
      let r = runtimes.get(this);
      if (!r) {
        r = { authed: false, socket: null, timer: null, likeTaps: 0, likeTimer: null };
        runtimes.set(this, r);
      }
      return r;
    },
    teardown() {
      const r = runtimes.get(this);
      if (!r) return;
      r.socket?.close();
      if (r.timer !== null) clearInterval(r.timer);
      if (r.likeTimer !== null) clearTimeout(r.likeTimer);
      runtimes.delete(this);
    },
    /** The room as the REST API has it (play URLs, bag, pin), then its socket. */
    async load() {
      const { roomId, invite } = this.data;
      try {
        const room = await api<RoomDetail>('GET', `/api/rooms/${roomId}`, { query: invite ? { invite } : {} });
        const bag = room.products.map(bagItem);
        const pinned = bag.find((p) => p.id === room.pinnedProductId) ?? null;
        const live = room.status === 'live';
        this.setData({
          title: room.title,
          status: room.status,
          merchantId: room.merchantId,
          merchantName: room.merchantName,
          coverUrl: absolute(room.coverUrl),
          flv: live ? absolute(room.play.flv) : '',
          hls: live ? absolute(room.play.hls) : '',
          useLivePlayer: live && Boolean(room.play.flv),
          replay: !live && room.replays[0] ? absolute(room.replays[0].hls) : '',
          online: room.viewers.online,
          bag,
          pinned,
          error: '',
        });
        void wx.setNavigationBarTitle({ title: room.title });
        void this.loadFollow();
        if (!this.runtime().socket) this.connect();
        const r = this.runtime();
        if (r.timer === null) r.timer = setInterval(() => this.tick(), 1000) as unknown as number;
      } catch (e) {
        this.setData({ error: errorText(e) });
      }
    },
    connect() {
      const r = this.runtime();
      const socket = new RoomSocket(this.data.roomId, accessToken, { invite: this.data.invite || undefined });
      r.socket = socket;
      r.authed = accessToken() !== null; // the socket opens with ?token= when signed in
      socket.on((f) => this.onFrame(f));
    },
    onFrame(f: Frame) {
      switch (f.type) {
        case 'joined': {
          const history = f.data.history.filter((h) => h.type === 'chat').map((h) => h.data as ChatMessage);
          const chats = f.data.resumed ? [...this.data.chats, ...history] : history;
          this.setData({ connected: true, online: f.data.online, chats: chats.slice(-MAX_CHAT) });
          // Replayed commerce frames (pins, drops) after a resume are handled like live ones.
          if (f.data.resumed) for (const h of f.data.history) if (h.type !== 'chat') this.onFrame(h);
          if (!f.data.complete) void this.load();
          break;
        }
        case 'join.refused':
          this.setData({ error: errorMessage(f.data.code) });
          break;
        case 'socket.closed':
          this.setData({ connected: false });
          break;
        case 'presence':
          this.setData({ online: f.data.online });
          break;
        case 'likes':
          this.setData({ likes: f.data.total });
          break;
        case 'chat':
          this.setData({ chats: [...this.data.chats, f.data].slice(-MAX_CHAT) });
          break;
        case 'chat.deleted':
          this.setData({ chats: this.data.chats.filter((c) => c.id !== f.data.id) });
          break;
        case 'product.pinned': {
          const p = f.data.product;
          const bag = this.data.bag.map((b) => ({ ...b, explaining: p !== null && b.id === p.id }));
          this.setData({ pinned: p ? bagItem({ ...p, explaining: true }) : null, bag });
          break;
        }
        case 'bag.updated': {
          const bag = f.data.products.map(bagItem);
          this.setData({ bag, pinned: bag.find((b) => b.explaining) ?? this.data.pinned });
          break;
        }
        case 'coupon.drop':
          this.setData({ drop: { ...f.data, claimed: false } });
          break;
        case 'coupon.drop.remaining':
          if (this.data.drop?.dropId === f.data.dropId) this.setData({ 'drop.remaining': f.data.remaining });
          break;
        case 'flashsale.countdown':
          this.setData({
            flash: {
              ...f.data,
              text: '',
              items: f.data.items.map((i) => ({ ...i, price: yuan(i.flashPriceFen) })),
            },
          });
          this.tick();
          break;
        case 'luckybag.started':
        case 'luckybag.drawn': {
          const entered = this.data.lucky?.bagId === f.data.bagId && this.data.lucky.entered;
          this.setData({ lucky: { ...f.data, entered, text: '' } });
          this.tick();
          break;
        }
        case 'luckybag.won':
          this.setData({ notice: `恭喜中奖：${f.data.prize.description}` });
          break;
        case 'gift':
          this.setData({ lastGift: `${f.data.nickname} 送出 ${f.data.name} ×${f.data.quantity}` });
          break;
        case 'room.live':
        case 'room.ended':
          void this.load();
          break;
        case 'you.muted':
          this.setData({ notice: '你已被禁言' });
          break;
        case 'you.banned':
          this.setData({ notice: '你已被移出直播间' });
          break;
        case 'error':
          if (f.data.roomId) this.setData({ error: errorMessage(f.data.code) });
          break;
        default:
          break;
      }
    },
    /** Once a second: flash-sale and lucky-bag countdowns. */
    tick() {
      const { flash, lucky } = this.data;
      if (flash) {
        const text =
          flash.phase === 'started'
            ? `秒杀中 · 剩 ${countdown(flash.endsAt)}`
            : `秒杀 ${countdown(flash.startsAt)} 后开始`;
        if (text !== flash.text) this.setData({ 'flash.text': text });
      }
      if (lucky && lucky.status === 'open') {
        const text = `福袋 ${countdown(lucky.drawAt)} 后开奖`;
        if (text !== lucky.text) this.setData({ 'lucky.text': text });
      }
    },
    // ---- player ----
    onPlayerError() {
      // live-player failed (or is not allowed for this AppID's category): play HLS in video instead.
      if (this.data.useLivePlayer) this.setData({ useLivePlayer: false });
    },
    onPlayerState(e: WechatMiniprogram.CustomEvent<{ code: number }>) {
      if (e.detail.code === -2301 || e.detail.code === 3001) this.onPlayerError();
    },
    // ---- interaction ----
    onDraft(e: WechatMiniprogram.Input) {
      this.setData({ draft: e.detail.value });
    },
    async sendChat() {
      const text = this.data.draft.trim();
      if (!text) return;
      try {
        await this.ensureAuthed();
        const r = await this.runtime().socket!.request('chat', { text });
        this.setData({ draft: '', notice: 'held' in r ? '消息审核中' : '' });
      } catch (e) {
        this.setData({ notice: errorText(e) });
      }
    },
    /** Sign in (wx.login) for REST calls. */
    async ensureSignedIn() {
      if (!currentUser()) await signIn();
    },
    /** Sign in and tell the socket who we are (chat, gifts). */
    async ensureAuthed() {
      const r = this.runtime();
      if (currentUser() && r.authed) return;
      await signIn();
      const token = accessToken();
      if (token) await r.socket?.request('auth', { token });
      r.authed = true;
    },
    like() {
      const r = this.runtime();
      r.likeTaps++;
      this.setData({ likes: this.data.likes + 1 });
      if (r.likeTimer !== null) return;
      // Taps are coalesced: one like frame per 500 ms.
      r.likeTimer = setTimeout(() => {
        const count = Math.min(50, r.likeTaps);
        r.likeTaps = 0;
        r.likeTimer = null;
        void r.socket
          ?.request('like', { count })
          .then((a) => this.setData({ likes: a.total }))
          .catch(() => undefined);
      }, 500) as unknown as number;
    },
    async loadFollow() {
      if (!this.data.merchantId) return;
      const f = await api<{ followers: number; following: boolean }>(
        'GET',
        `/api/merchants/${this.data.merchantId}/followers`,
      ).catch(() => null);
      if (f) this.setData({ followers: f.followers, following: f.following });
    },
    async toggleFollow() {
      try {
        await this.ensureSignedIn();
        const on = !this.data.following;
        await api(on ? 'PUT' : 'DELETE', `/api/me/follows/${this.data.merchantId}`);
        this.setData({ following: on, followers: this.data.followers + (on ? 1 : -1) });
      } catch (e) {
        this.setData({ notice: errorText(e) });
      }
    },
    async claimDrop() {
      const drop = this.data.drop;
      if (!drop || drop.claimed) return;
      try {
        await this.ensureSignedIn();
        const r = await api<{ remaining: number }>('POST', `/api/coupon-drops/${drop.dropId}/claim`);
        this.setData({ 'drop.claimed': true, 'drop.remaining': r.remaining, notice: '领取成功' });
      } catch (e) {
        this.setData({ notice: errorText(e) });
      }
    },
    async enterLucky() {
      const bag = this.data.lucky;
      if (!bag || bag.entered) return;
      try {
        await this.ensureSignedIn();
        const r = await api<{ entered: boolean }>('POST', `/api/lucky-bags/${bag.bagId}/enter`);
        this.setData({ 'lucky.entered': r.entered, notice: r.entered ? '已参与福袋' : '' });
      } catch (e) {
        this.setData({ notice: errorText(e) });
      }
    },
    async openGifts() {
      try {
        await this.ensureAuthed();
        const [gifts, wallet] = await Promise.all([
          api<Gift[]>('GET', '/api/gifts'),
          api<{ balance: number }>('GET', '/api/me/wallet'),
        ]);
        this.setData({ gifts, balance: wallet.balance, showGifts: true });
      } catch (e) {
        this.setData({ notice: errorText(e) });
      }
    },
    /** Buy coins for gifts: a top-up payment, paid like an order (WeChat Pay, or test money in the sandbox). */
    async topUp(e: WechatMiniprogram.TouchEvent) {
      const coins = e.currentTarget.dataset.coins as number;
      try {
        const t = await api<{ paymentNo: string; amountFen: number }>('POST', '/api/me/wallet/topups', {
          body: { coins },
        });
        const mode = await startPayment(t.paymentNo);
        const before = this.data.balance;
        if (mode.kind === 'wechat') {
          if (mode.params && (await requestPayment(mode.params))) await this.waitBalance(before);
        } else if (mode.kind === 'sandbox') {
          this.runtime().topup = { confirmPath: mode.confirmPath, token: mode.token, before };
          this.setData({ topupTest: true, topupAmount: yuan(t.amountFen) });
        }
      } catch (err) {
        this.setData({ notice: errorText(err) });
      }
    },
    async confirmTopUp() {
      const p = this.runtime().topup;
      if (!p) return;
      try {
        await confirmSandbox(p.confirmPath, p.token);
        this.runtime().topup = undefined;
        this.setData({ topupTest: false });
        await this.waitBalance(p.before);
      } catch (err) {
        this.setData({ notice: errorText(err) });
      }
    },
    /** The coins land when the payment's notification does: ask the wallet until they have. */
    async waitBalance(before: number) {
      for (let i = 0; i < 30; i++) {
        const w = await api<{ balance: number }>('GET', '/api/me/wallet');
        if (w.balance > before) {
          this.setData({ balance: w.balance, notice: '充值成功' });
          return;
        }
        await new Promise((r) => setTimeout(r, 300));
      }
    },
    closeGifts() {
      this.setData({ showGifts: false });
    },
    async sendGift(e: WechatMiniprogram.TouchEvent) {
      const giftId = e.currentTarget.dataset.id as number;
      try {
        const ref = `g${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
        const r = await this.runtime().socket!.request('gift', { giftId, quantity: 1, ref });
        this.setData({ balance: r.balance, showGifts: false });
      } catch (err) {
        this.setData({ notice: errorText(err) });
      }
    },
    // ---- buying ----
    toggleBag() {
      this.setData({ showBag: !this.data.showBag });
    },
    buy(e: WechatMiniprogram.TouchEvent) {
      this.setData({ buyProductId: e.currentTarget.dataset.id as number, showBag: false });
    },
    /** Flash sale (秒杀): a purchase token for the item, then the checkout sheet at the flash price. */
    async grabFlash(e: WechatMiniprogram.TouchEvent) {
      const flash = this.data.flash;
      const itemId = e.currentTarget.dataset.id as number;
      if (flash?.phase !== 'started') return;
      try {
        await this.ensureSignedIn();
        const session = await api<{ items: Array<{ id: number; skuId: number }> }>(
          'GET',
          `/api/flash-sales/${flash.sessionId}`,
        );
        const item = session.items.find((i) => i.id === itemId);
        if (!item) return;
        const t = await api<{ token: string }>('POST', `/api/flash-sales/items/${itemId}/token`, { body: {} });
        this.setData({
          checkoutItems: [{ skuId: item.skuId, quantity: 1 }],
          checkoutDeal: { flashSaleItemId: itemId, flashToken: t.token },
          showCheckout: true,
        });
      } catch (err) {
        this.setData({ notice: errorText(err) });
      }
    },
    openShop() {
      void wx.navigateTo({ url: `/mall/pages/shop/index?merchantId=${this.data.merchantId}` });
    },
    closeSku() {
      this.setData({ buyProductId: 0 });
    },
    async onPicked(e: WechatMiniprogram.CustomEvent<{ skuId: number; quantity: number }>) {
      try {
        await this.ensureSignedIn();
        this.setData({
          buyProductId: 0,
          checkoutItems: [{ skuId: e.detail.skuId, quantity: e.detail.quantity }],
          checkoutDeal: {},
          showCheckout: true,
        });
      } catch (err) {
        this.setData({ notice: errorText(err) });
      }
    },
    closeCheckout() {
      this.setData({ showCheckout: false });
    },
    onPaid() {
      this.setData({ notice: '支付成功' });
    },
    /** A private room's share carries the invitation the room was opened with, or friends cannot watch. */
    shareIds(): Record<string, string | number> {
      return { roomId: this.data.roomId, ...(this.data.invite ? { invite: this.data.invite } : {}) };
    },
    onShareAppMessage() {
      track('share', { roomId: this.data.roomId });
      return {
        title: this.data.title,
        path: sharePath('/pages/room/index', this.shareIds()),
        imageUrl: this.data.coverUrl,
      };
    },
    onShareTimeline() {
      return { title: this.data.title, query: shareQuery(this.shareIds()) };
    },
  },
});
