// Request and response schemas of the conversation routes (routes-shopper.ts, routes-workbench.ts).
import { Type } from 'typebox';
import { DateTime, IdParam, Nullable, Strict } from '../../platform/http/schemas.ts';
import { MAX_TEXT } from './compose.ts';

const lit = <T extends string>(...xs: T[]) => Type.Union(xs.map((x) => Type.Literal(x)));
export const Status = lit('bot', 'queued', 'assigned', 'left_message', 'closed');
export const AgentStatus = lit('online', 'busy', 'away', 'offline');
export const Seq = Type.Integer({ minimum: 0, maximum: 2_000_000_000 });

export const ConversationParams = Strict({ conversationId: IdParam });
export const MerchantConversationParams = Strict({ merchantId: IdParam, conversationId: IdParam });

export const Conversation = Type.Object({
  id: Type.Integer(),
  merchantId: Type.Integer(),
  userId: Type.Integer(),
  nickname: Type.String(),
  status: Status,
  priority: lit('normal', 'high'),
  source: lit('shop', 'product', 'order', 'aftersale', 'room'),
  sourceId: Nullable(Type.Integer()),
  roomId: Nullable(Type.Integer()),
  agentUserId: Nullable(Type.Integer()),
  agentName: Nullable(Type.String()),
  lastSeq: Type.Integer(),
  unread: Type.Integer(),
  peerReadSeq: Type.Integer({ description: 'Read receipt: the other side has read up to this seq' }),
  lastPreview: Type.String(),
  lastMessageAt: Nullable(DateTime),
  queuedAt: Nullable(DateTime),
  waitSeconds: Nullable(Type.Integer({ description: 'How long it has waited for a human (queued / left_message)' })),
  rating: Nullable(Type.Integer()),
  createdAt: DateTime,
  closedAt: Nullable(DateTime),
});

export const Card = Type.Union([
  Type.Object({ type: Type.Literal('image'), imageUrl: Type.String() }),
  Type.Object({
    type: Type.Literal('product'),
    productId: Type.Integer(),
    title: Type.String(),
    coverUrl: Nullable(Type.String()),
    minPriceFen: Type.Integer(),
  }),
  Type.Object({
    type: Type.Literal('order'),
    orderId: Type.Integer(),
    orderNo: Type.String(),
    status: Type.String(),
    totalFen: Type.Integer(),
  }),
  Type.Object({ type: Type.Literal('system'), event: Type.String() }),
]);
export const Message = Type.Object({
  id: Type.Integer(),
  conversationId: Type.Integer(),
  seq: Type.Integer(),
  from: lit('shopper', 'agent', 'bot', 'system'),
  senderUserId: Nullable(Type.Integer()),
  clientId: Nullable(Type.String()),
  kind: lit('text', 'image', 'product', 'order', 'system'),
  text: Type.String(),
  card: Nullable(Card),
  createdAt: DateTime,
});

export const Update = Type.Object({
  conversationId: Type.Integer(),
  merchantId: Type.Integer(),
  userId: Type.Integer(),
  status: Status,
  priority: lit('normal', 'high'),
  agentUserId: Nullable(Type.Integer()),
  lastSeq: Type.Integer(),
});

const sendFields = {
  clientId: Type.String({ pattern: '^[A-Za-z0-9_.:-]{1,64}$', description: 'Client-generated: a retry stores once' }),
  text: Type.Optional(Type.String({ minLength: 1, maxLength: MAX_TEXT })),
  imageKey: Type.Optional(
    Type.String({ maxLength: 300, description: 'From POST /api/support/conversations/:id/images' }),
  ),
  productId: Type.Optional(IdParam),
  orderId: Type.Optional(IdParam),
};
export const SendBody = Strict(sendFields);
export const AgentSendBody = Strict({
  ...sendFields,
  cannedReplyId: Type.Optional({ ...IdParam, description: 'Send this canned reply with its variables filled' }),
});
export const Sent = Type.Object({
  messageId: Type.Integer(),
  seq: Type.Integer(),
  duplicate: Type.Boolean(),
  createdAt: DateTime,
  message: Message,
});

export const HistoryQuery = Strict({
  after: Type.Optional(Seq),
  before: Type.Optional(Seq),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
});
export const History = Type.Object({
  lastSeq: Type.Integer(),
  peerReadSeq: Type.Integer(),
  messages: Type.Array(Message),
});
export const ReadBody = Strict({ seq: Seq });
export const ReadAnswer = Type.Object({ conversationId: Type.Integer(), seq: Type.Integer(), unread: Type.Integer() });
export const Unread = Type.Object({
  total: Type.Integer(),
  conversations: Type.Array(
    Type.Object({ conversationId: Type.Integer(), merchantId: Type.Optional(Type.Integer()), unread: Type.Integer() }),
  ),
});

export const OpenBody = Strict({
  merchantId: IdParam,
  from: Type.Optional(Strict({ kind: lit('product', 'order', 'aftersale', 'room'), id: IdParam })),
  roomId: Type.Optional({ ...IdParam, description: 'The live room the shopper came from' }),
});

export const Agent = Type.Object({
  userId: Type.Integer(),
  nickname: Type.String(),
  status: AgentStatus,
  capacity: Type.Integer(),
  active: Type.Integer(),
  lastAssignedAt: Nullable(DateTime),
});
export const AgentBody = Strict({
  status: Type.Optional(AgentStatus),
  capacity: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
});

export const CannedReply = Type.Object({
  id: Type.Integer(),
  title: Type.String(),
  text: Type.String(),
  updatedAt: DateTime,
});
export const CannedBody = Strict({
  title: Type.String({ minLength: 1, maxLength: 40, pattern: '\\S' }),
  text: Type.String({
    minLength: 1,
    maxLength: MAX_TEXT,
    pattern: '\\S',
    description: 'Variables: {nickname} {orderNo} {shopName} {agentName}',
  }),
});
export const Note = Type.Object({
  id: Type.Integer(),
  authorUserId: Type.Integer(),
  authorName: Type.String(),
  text: Type.String(),
  createdAt: DateTime,
});
export const NoteBody = Strict({ text: Type.String({ minLength: 1, maxLength: 2000, pattern: '\\S' }) });

export const Context = Type.Object({
  userId: Type.Integer(),
  nickname: Type.String(),
  source: Type.String(),
  sourceId: Nullable(Type.Integer()),
  room: Nullable(Type.Object({ id: Type.Integer(), title: Type.String(), status: Type.String() })),
  orders: Type.Array(
    Type.Object({
      id: Type.Integer(),
      orderNo: Type.String(),
      status: Type.String(),
      totalFen: Type.Integer(),
      createdAt: DateTime,
    }),
  ),
  aftersales: Type.Array(
    Type.Object({
      id: Type.Integer(),
      aftersaleNo: Type.String(),
      orderId: Type.Integer(),
      type: Type.String(),
      status: Type.String(),
      amountFen: Type.Integer(),
    }),
  ),
  coupons: Type.Array(
    Type.Object({ id: Type.Integer(), title: Type.String(), description: Type.String(), validUntil: DateTime }),
  ),
  points: Type.Integer(),
});
