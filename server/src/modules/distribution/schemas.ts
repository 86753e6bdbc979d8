// Request and response schemas of the distribution routes (routes-me.ts, routes-shop.ts).
import { Type } from 'typebox';
import { DateTime, Fen, IdParam, Nullable, Pagination, Strict } from '../../platform/http/schemas.ts';

export const security = [{ bearer: [] }];

const Bp = Type.Integer({ minimum: 0, maximum: 10_000, description: 'basis points: 1000 = 10 %' });
/** Tier 1 (the direct promoter) and tier 2 (their recruiter); a third is refused with DISTRIBUTION_MAX_TWO_LEVELS. */
export const Rates = Type.Array(Bp, {
  minItems: 1,
  maxItems: 10,
  description: '[tier 1, tier 2] in basis points; more than two levels are refused (WeChat rules)',
});

export const SettingsT = Type.Object({
  enabled: Type.Boolean(),
  levels: Type.Integer({ description: 'commission levels: 1 or 2' }),
  level1Bp: Type.Integer(),
  level2Bp: Type.Integer(),
  bindingDays: Type.Integer(),
  bindingMode: Type.Union([Type.Literal('first'), Type.Literal('last')]),
  selfPurchase: Type.Boolean(),
  autoApprove: Type.Boolean(),
  minWithdrawFen: Type.Integer(),
});
export const SettingsBody = Strict({
  enabled: Type.Optional(Type.Boolean()),
  levels: Type.Optional(Type.Integer({ minimum: 1, maximum: 10, description: 'at most 2 (WeChat rules)' })),
  rates: Type.Optional(Rates),
  bindingDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
  bindingMode: Type.Optional(Type.Union([Type.Literal('first'), Type.Literal('last')])),
  selfPurchase: Type.Optional(Type.Boolean()),
  autoApprove: Type.Optional(Type.Boolean()),
  minWithdrawFen: Type.Optional(Fen({ minimum: 1 })),
});

export const LevelT = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  rates: Type.Array(Type.Integer()),
  position: Type.Integer(),
});
const LevelName = Type.String({ minLength: 1, maxLength: 20 });
const Position = Type.Integer({ minimum: 0, maximum: 1_000_000 });
export const LevelBody = Strict({ name: LevelName, rates: Rates, position: Type.Optional(Position) });
export const LevelPatch = Strict({
  name: Type.Optional(LevelName),
  rates: Type.Optional(Rates),
  position: Type.Optional(Position),
});

export const RuleT = Type.Object({ productId: Type.Integer(), rates: Type.Array(Type.Integer()), updatedAt: DateTime });

const PromoterStatus = Type.Union(
  ['invited', 'pending', 'approved', 'rejected', 'suspended'].map((s) => Type.Literal(s)),
);
export const PromoterT = Type.Object({
  id: Type.Integer(),
  merchantId: Type.Integer(),
  userId: Type.Integer(),
  status: Type.String(),
  source: Type.String(),
  levelId: Nullable(Type.Integer()),
  parentPromoterId: Nullable(Type.Integer()),
  note: Type.String(),
  createdAt: DateTime,
  decidedAt: Nullable(DateTime),
  nickname: Type.Optional(Type.String()),
  merchantName: Type.Optional(Type.String()),
});
export const PromoterQuery = Strict({ ...Pagination.properties, status: Type.Optional(PromoterStatus) });
export const ApplyBody = Strict({
  recruiterUserId: Type.Optional(IdParam),
  note: Type.Optional(Type.String({ maxLength: 200 })),
});
export const InviteBody = Strict({ userId: IdParam });
export const DecisionBody = Strict({
  action: Type.Union(['approve', 'reject', 'suspend', 'reinstate'].map((a) => Type.Literal(a))),
});
export const PromoterPatch = Strict({
  levelId: Type.Optional(Nullable(IdParam)),
  parentPromoterId: Type.Optional(Nullable(IdParam)),
});

export const EarningsT = Type.Object({
  pendingFen: Type.Integer(),
  settledFen: Type.Integer(),
  reversedFen: Type.Integer(),
  orders: Type.Integer(),
  balanceFen: Type.Integer({ description: 'may be negative: a refund after settlement took back money withdrawn' }),
  withdrawingFen: Type.Integer(),
  withdrawnFen: Type.Integer(),
});
export const CentreT = Type.Object({
  promoter: PromoterT,
  earnings: EarningsT,
  link: Type.Object({
    targetKind: Type.Literal('promoter'),
    targetId: Type.Integer({ description: 'the promoter user id: make a share of it (growth) for the link' }),
    recruitPath: Nullable(Type.String({ description: 'where a recruit applies under this promoter (top level only)' })),
  }),
  customers: Type.Integer(),
});

const CommissionStatus = Type.Union(['pending', 'settled', 'reversed'].map((s) => Type.Literal(s)));
export const CommissionT = Type.Object({
  id: Type.Integer(),
  orderId: Type.Integer(),
  orderNo: Type.String(),
  buyerUserId: Type.Integer(),
  promoterId: Type.Integer(),
  tier: Type.Integer(),
  status: Type.String(),
  paidFen: Type.Integer(),
  originalFen: Type.Integer(),
  amountFen: Type.Integer(),
  creditedFen: Type.Integer(),
  lines: Type.Array(
    Type.Object({
      productId: Type.Integer(),
      skuId: Type.Integer(),
      payableFen: Type.Integer(),
      refundedFen: Type.Integer(),
      bp: Type.Integer(),
      shareFen: Type.Integer(),
    }),
  ),
  createdAt: DateTime,
  settledAt: Nullable(DateTime),
});
export const CommissionQuery = Strict({
  ...Pagination.properties,
  status: Type.Optional(CommissionStatus),
  promoterId: Type.Optional(IdParam),
});
export const MyCommissionQuery = Strict({ ...Pagination.properties, status: Type.Optional(CommissionStatus) });

export const CustomerT = Type.Object({
  userId: Type.Integer(),
  nickname: Type.String(),
  boundAt: DateTime,
  expiresAt: DateTime,
  active: Type.Boolean(),
});
export const LedgerT = Type.Object({
  id: Type.Integer(),
  deltaFen: Type.Integer(),
  balanceAfter: Type.Integer(),
  reason: Type.String(),
  ref: Type.String(),
  at: DateTime,
});

const WithdrawalStatus = Type.Union(['requested', 'paying', 'paid', 'rejected', 'failed'].map((s) => Type.Literal(s)));
export const WithdrawalT = Type.Object({
  id: Type.Integer(),
  merchantId: Type.Integer(),
  promoterId: Type.Integer(),
  amountFen: Type.Integer(),
  status: Type.String(),
  outBatchNo: Type.String(),
  provider: Nullable(Type.String()),
  lastError: Nullable(Type.String()),
  note: Type.String(),
  requestedAt: DateTime,
  decidedAt: Nullable(DateTime),
  finishedAt: Nullable(DateTime),
});
export const WithdrawBody = Strict({
  amountFen: Fen({ minimum: 1 }),
  idempotencyKey: Type.String({ minLength: 8, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' }),
});
export const WithdrawalQuery = Strict({ ...Pagination.properties, status: Type.Optional(WithdrawalStatus) });
export const PageQuery = Strict({ ...Pagination.properties });
export const RejectBody = Strict({ note: Type.Optional(Type.String({ maxLength: 200 })) });

export const RankingQuery = Strict({
  days: Type.Optional(Type.Integer({ minimum: 1, maximum: 366, default: 30 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
});
export const RankingT = Type.Object({
  rank: Type.Integer(),
  promoterId: Type.Integer(),
  userId: Type.Integer(),
  nickname: Type.String(),
  earnedFen: Type.Integer(),
  orders: Type.Integer(),
  salesFen: Type.Integer(),
});
