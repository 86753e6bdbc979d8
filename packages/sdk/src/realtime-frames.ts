// The room WebSocket's frames, protocol v1 (docs/realtime-protocol.md), typed once: the server
// sends and accepts these (server/src/modules/realtime), RoomSocket and both apps read them.
// Types only, no code: the server imports them with `import type`.

/** An ISO-8601 time on the wire; the server may hand a Date there (JSON makes it this string). */
export type IsoTime = string & { readonly __wire?: 'iso-time' };

export interface ChatMessage {
  id: number;
  userId: number;
  nickname: string;
  text: string;
}

/** A product as the room's bag shows it (catalog's product summary). */
export interface RoomProduct {
  id: number;
  merchantId: number;
  title: string;
  coverUrl: string | null;
  minPriceFen: number;
  maxPriceFen: number;
  originalPriceFen: number;
  onShelf: boolean;
  stock: number;
  sales: number;
}

export interface CouponDrop {
  dropId: number;
  roomId: number;
  templateId: number;
  title: string;
  description: string;
  quantity: number;
  remaining: number;
  endsAt: IsoTime;
}

export interface LuckyBagPrize {
  kind: 'product' | 'coupon' | 'coins' | 'other';
  description: string;
  productId?: number | undefined;
  couponId?: number | undefined;
  coins?: number | undefined;
}
export type LuckyBagCondition =
  | { kind: 'comment'; keyword: string }
  | { kind: 'follow' }
  | { kind: 'watch'; minutes: number }
  /** Share the live room (a share of it made since the bag started). */
  | { kind: 'share_room' };

/** A lucky bag (福袋); `seed` and `entrantIds` are filled once it is drawn, so anyone can re-check the draw. */
export interface LuckyBag {
  bagId: number;
  roomId: number;
  title: string;
  prize: LuckyBagPrize;
  winnersCount: number;
  condition: LuckyBagCondition;
  status: 'open' | 'drawn' | 'cancelled';
  drawAt: IsoTime;
  seedHash: string;
  seed: string | null;
  entrants: number;
  entrantIds: number[];
  winners: Array<{ userId: number; rank: number; nickname: string }>;
  algorithm: string;
}

export interface FlashCountdown {
  sessionId: number;
  phase: 'announced' | 'started';
  startsAt: IsoTime;
  endsAt: IsoTime;
  items: Array<{ id: number; title: string; flashPriceFen: number; remaining: number }>;
}

export type FunnelStage = 'exposure' | 'enter' | 'stayed_1min' | 'product_click' | 'order' | 'paid';
export interface RoomSummary {
  views: number;
  viewers: number;
  avgWatchSeconds: number;
  newFollowers: number;
  comments: number;
  interactionRate: number;
  productClicks: number;
  carts: number;
  orders: number;
  paidOrders: number;
  buyers: number;
  gmvFen: number;
  gpmFen: number;
  refundFen: number;
  conversionRate: number;
  peakOnline: number;
}
/** The live numbers pushed to the shop's staff every analytics tick (docs/analytics.md). */
export interface LiveMetricsFrame {
  roomId: number;
  online: number;
  /** Shares of the room, visits through them and the paid orders attributed to shares in it (growth). */
  shares?: { shares: number; visits: number; attributedOrders: number; attributedGmvFen: number };
  summary: RoomSummary;
  funnel: Array<{ stage: FunnelStage; visitors: number; rateFromPrevious: number | null }>;
  series: Array<{
    at: IsoTime;
    online: number;
    views: number;
    comments: number;
    follows: number;
    clicks: number;
    orders: number;
    paidOrders: number;
    gmvFen: number;
    watchSeconds: number;
  }>;
}

export interface AlertFrame {
  id: number;
  ruleId: number;
  merchantId: number;
  roomId: number;
  metric: 'online_drop_pct' | 'online_below' | 'conversion_below' | 'gpm_below';
  value: number;
  threshold: number;
  message: string;
  firedAt: IsoTime;
}

export interface Hello {
  protocol: number;
  connId: string;
  guestId: string;
  heartbeatMs: number;
  user: { id: number; nickname: string } | null;
}

/** Why a request failed, or (with roomId and no ref) why this socket was let out of a room. */
export interface FrameError {
  code: string;
  message: string;
  ref?: string;
  roomId?: number;
  details?: unknown;
}

/** A customer-service message (客服), as both the shopper and the shop's agents see it. */
export type SupportCard =
  | { type: 'image'; imageUrl: string }
  | { type: 'product'; productId: number; title: string; coverUrl: string | null; minPriceFen: number }
  | { type: 'order'; orderId: number; orderNo: string; status: string; totalFen: number }
  | { type: 'system'; event: string };
export interface SupportMessage {
  id: number;
  conversationId: number;
  seq: number;
  from: 'shopper' | 'agent' | 'bot' | 'system';
  senderUserId: number | null;
  clientId: string | null;
  kind: 'text' | 'image' | 'product' | 'order' | 'system';
  text: string;
  card: SupportCard | null;
  createdAt: IsoTime;
}
/** A conversation changed hands or state (queued, assigned, transferred, closed). */
export interface SupportConversationUpdate {
  conversationId: number;
  merchantId: number;
  userId: number;
  status: 'bot' | 'queued' | 'assigned' | 'left_message' | 'closed';
  priority: 'normal' | 'high';
  agentUserId: number | null;
  lastSeq: number;
}

/** Server → client: frame type → data. */
export interface ServerFrameData {
  hello: Hello;
  presence: { online: number; cumulative: number };
  likes: { total: number };
  chat: ChatMessage;
  'chat.deleted': { id: number; seq: number | null };
  /** A busy room: `count` chat messages since the last such frame were not shown to this viewer. */
  'chat.folded': { count: number };
  'room.slow_mode': { seconds: number };
  'room.live': { roomId: number; sessionId: number };
  'room.ended': { roomId: number; sessionId: number | null };
  'product.pinned': { roomId: number; product: RoomProduct | null };
  'bag.updated': { roomId: number; products: Array<RoomProduct & { explaining: boolean }> };
  'coupon.drop': CouponDrop;
  'coupon.drop.remaining': { dropId: number; remaining: number };
  'flashsale.countdown': FlashCountdown;
  'luckybag.started': LuckyBag;
  'luckybag.drawn': LuckyBag;
  'luckybag.won': { bagId: number; title: string; prize: LuckyBagPrize };
  gift: {
    sendId: number;
    userId: number;
    nickname: string;
    giftId: number;
    name: string;
    iconUrl: string | null;
    quantity: number;
    effect: string;
  };
  'you.muted': { until: IsoTime | null; reason: string };
  'you.banned': { until: IsoTime | null; reason: string };
  'analytics.metrics': LiveMetricsFrame;
  'analytics.alert': AlertFrame;
  /** Customer service: to every open device of the shopper and of the assigned agent, in seq order, once. */
  'support.message': { conversationId: number; merchantId: number; message: SupportMessage };
  /** The other side read the conversation up to seq (read receipt). */
  'support.read': { conversationId: number; reader: 'shopper' | 'agent'; seq: number };
  'support.conversation': SupportConversationUpdate;
  /** The answer to a client frame that carried a `ref` (see ClientAnswers for each type's fields). */
  ack: { ref?: string } & Record<string, unknown>;
  error: FrameError;
  pong: { ref?: string; pong: number };
}
export type ServerFrameType = keyof ServerFrameData;

/** One server frame; `seq` on room frames kept for resume, `roomId` on room frames. */
export type ServerFrame<T extends ServerFrameType = ServerFrameType> = {
  [K in T]: { type: K; data: ServerFrameData[K]; seq?: number; roomId?: number; ts: number };
}[T];

export interface JoinAnswer {
  roomId: number;
  title: string;
  status: string;
  online: number;
  cumulative: number;
  seq: number;
  /** On a fresh join the last chat messages; with resumeFrom every kept frame after it. */
  history: ServerFrame[];
  resumed: boolean;
  /** false: some frames after resumeFrom were evicted, refetch the room's state. */
  complete: boolean;
}

/** Client → server: frame type → data. */
export interface ClientFrameData {
  auth: { token: string };
  join: { roomId: number; resumeFrom?: number; invite?: string };
  leave: Record<string, never>;
  ping: Record<string, never>;
  chat: { text: string };
  like: { count?: number };
  report: { seq: number; reason?: string };
  /** `ref` makes a retried gift count once. */
  gift: { giftId: number; quantity?: number; ref: string };
  /** Start (or, after a reconnect, resume) customer-service delivery on this socket: the last seq seen per conversation. */
  'support.resume': { cursors?: Array<{ conversationId: number; after: number }> };
  /** `clientId` makes a retried send store once. One of text, imageKey, productId, orderId. */
  'support.send': {
    conversationId: number;
    clientId: string;
    text?: string;
    imageKey?: string;
    productId?: number;
    orderId?: number;
  };
  'support.read': { conversationId: number; seq: number };
}
export type ClientFrameType = keyof ClientFrameData;

/** What `ack` carries for each client frame (besides its `ref`). */
export interface ClientAnswers {
  auth: Hello;
  join: JoinAnswer;
  leave: Record<string, never>;
  ping: { pong: number };
  chat: { id: number; seq: number; text: string; masked: boolean } | { id: number; held: true; text: string };
  like: { total: number };
  report: { reported: true };
  gift: { sendId: number; coins: number; balance: number; replay: boolean };
  'support.resume': {
    userId: number;
    conversations: Array<{ conversationId: number; lastSeq: number; replayed: number; complete: boolean }>;
  };
  'support.send': { messageId: number; seq: number; duplicate: boolean; createdAt: IsoTime };
  'support.read': { conversationId: number; seq: number; unread: number };
}

export type ClientFrame<T extends ClientFrameType = ClientFrameType> = {
  [K in T]: { type: K; ref?: string; data: ClientFrameData[K] };
}[T];
