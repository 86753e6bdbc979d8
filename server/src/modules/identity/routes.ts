import { Type } from 'typebox';
import type { AppContext, Http } from '../../platform/context.ts';
import {
  DateTime,
  errorResponses,
  IdParam,
  MerchantParams,
  Ok,
  Page,
  Pagination,
  Strict,
} from '../../platform/http/schemas.ts';
import type { AuthService } from './auth-service.ts';
import type { MerchantService } from './merchant-service.ts';
import { authRoutes, Phone } from './auth-routes.ts';

const MerchantRoleT = Type.Union([
  Type.Literal('merchant_owner'),
  Type.Literal('merchant_staff'),
  Type.Literal('anchor'),
]);
const MerchantStatusT = Type.Union([
  Type.Literal('pending'),
  Type.Literal('active'),
  Type.Literal('suspended'),
  Type.Literal('rejected'),
]);

const Merchant = Type.Object(
  {
    id: Type.Integer(),
    name: Type.String(),
    description: Type.String(),
    logoUrl: Type.Union([Type.String(), Type.Null()]),
    status: MerchantStatusT,
    commissionRateBp: Type.Integer({ description: 'platform commission, basis points' }),
    createdAt: DateTime,
  },
  { $id: 'Merchant' },
);
const Staff = Type.Object(
  {
    userId: Type.Integer(),
    nickname: Type.String(),
    phone: Type.Union([Type.String(), Type.Null()]),
    role: MerchantRoleT,
    joinedAt: DateTime,
  },
  { $id: 'Staff' },
);
const MembershipItem = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  description: Type.String(),
  logoUrl: Type.Union([Type.String(), Type.Null()]),
  status: MerchantStatusT,
  commissionRateBp: Type.Integer(),
  createdAt: DateTime,
  role: MerchantRoleT,
});

export function identityRoutes(app: Http, ctx: AppContext, auth: AuthService, merchants: MerchantService): void {
  authRoutes(app, ctx, auth, ctx.services.passwords); // also the User schema and no-store on every answer here
  for (const s of [Merchant, Staff]) app.addSchema(s);

  app.get(
    '/api/me',
    {
      config: { access: 'user' },
      schema: {
        tags: ['me'],
        summary: 'The signed-in user and the merchants they work for',
        security: [{ bearer: [] }],
        response: {
          200: Type.Object({ user: Type.Ref('User'), merchants: Type.Array(MembershipItem) }),
          ...errorResponses,
        },
      },
    },
    async (req) => ({
      user: await auth.getUser(req.actor!.userId),
      merchants: await merchants.myMerchants(req.actor!),
    }),
  );

  app.patch(
    '/api/me',
    {
      config: { access: 'user' },
      schema: {
        tags: ['me'],
        summary: 'Update nickname or avatar',
        security: [{ bearer: [] }],
        body: Strict({
          nickname: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
          avatarUrl: Type.Optional(Type.String({ maxLength: 500 })),
        }),
        response: { 200: Type.Ref('User'), ...errorResponses },
      },
    },
    async (req) => auth.updateProfile(req.actor!.userId, req.body),
  );

  // ---- merchants ----
  const m_ = ['merchants'];
  const NameBody = {
    name: Type.String({ minLength: 2, maxLength: 60 }),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
  };

  app.post(
    '/api/merchants',
    {
      config: { access: 'user' },
      schema: {
        tags: m_,
        summary: 'Apply to open a shop (pending until a platform operator approves)',
        security: [{ bearer: [] }],
        body: Strict(NameBody),
        response: { 201: Type.Ref('Merchant'), ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await merchants.apply(req.actor!, req.body)),
  );

  app.get(
    '/api/merchants/:merchantId',
    {
      config: { access: { merchant: ['merchant_owner', 'merchant_staff', 'anchor'] } },
      schema: {
        tags: m_,
        summary: 'Merchant profile (team members)',
        security: [{ bearer: [] }],
        params: MerchantParams,
        response: { 200: Type.Ref('Merchant'), ...errorResponses },
      },
    },
    async (req) => merchants.get(req.actor!, req.params.merchantId),
  );

  app.get(
    '/api/shops/:merchantId',
    {
      config: { access: 'public' },
      schema: {
        tags: m_,
        summary: 'Public shop profile',
        params: MerchantParams,
        response: {
          200: Type.Object({
            id: Type.Integer(),
            name: Type.String(),
            description: Type.String(),
            logoUrl: Type.Union([Type.String(), Type.Null()]),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => merchants.getPublic(req.params.merchantId),
  );

  app.patch(
    '/api/merchants/:merchantId',
    {
      config: { access: { merchant: ['merchant_owner'] } },
      schema: {
        tags: m_,
        summary: 'Edit the shop profile (owners)',
        security: [{ bearer: [] }],
        params: MerchantParams,
        body: Strict({
          name: Type.Optional(NameBody.name),
          description: NameBody.description,
          logoUrl: Type.Optional(Type.Union([Type.String({ maxLength: 500 }), Type.Null()])),
        }),
        response: { 200: Type.Ref('Merchant'), ...errorResponses },
      },
    },
    async (req) => merchants.update(req.actor!, req.params.merchantId, req.body),
  );

  app.get(
    '/api/merchants/:merchantId/staff',
    {
      config: { access: { merchant: ['merchant_owner', 'merchant_staff', 'anchor'] } },
      schema: {
        tags: m_,
        summary: 'Team members',
        security: [{ bearer: [] }],
        params: MerchantParams,
        response: { 200: Type.Array(Type.Ref('Staff')), ...errorResponses },
      },
    },
    async (req) => merchants.listStaff(req.actor!, req.params.merchantId),
  );

  app.post(
    '/api/merchants/:merchantId/staff',
    {
      config: { access: { merchant: ['merchant_owner'] } },
      schema: {
        tags: m_,
        summary: 'Add a registered user to the team (owners)',
        security: [{ bearer: [] }],
        params: MerchantParams,
        body: Strict({ phone: Phone, role: MerchantRoleT }),
        response: { 201: Type.Ref('Staff'), ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await merchants.addStaff(req.actor!, req.params.merchantId, req.body)),
  );

  const StaffParams = Strict({ merchantId: IdParam, userId: IdParam });
  app.patch(
    '/api/merchants/:merchantId/staff/:userId',
    {
      config: { access: { merchant: ['merchant_owner'] } },
      schema: {
        tags: m_,
        summary: "Change a member's role (owners)",
        security: [{ bearer: [] }],
        params: StaffParams,
        body: Strict({ role: MerchantRoleT }),
        response: { 200: Type.Ref('Staff'), ...errorResponses },
      },
    },
    async (req) => merchants.changeStaffRole(req.actor!, req.params.merchantId, req.params.userId, req.body.role),
  );

  app.delete(
    '/api/merchants/:merchantId/staff/:userId',
    {
      config: { access: { merchant: ['merchant_owner'] } },
      schema: {
        tags: m_,
        summary: 'Remove a member (owners)',
        security: [{ bearer: [] }],
        params: StaffParams,
        response: { 200: Ok, ...errorResponses },
      },
    },
    async (req) => {
      await merchants.removeStaff(req.actor!, req.params.merchantId, req.params.userId);
      return { ok: true as const };
    },
  );

  // ---- platform operators ----
  const p_ = ['platform'];
  app.get(
    '/api/platform/merchants',
    {
      config: { access: 'platform_admin' },
      schema: {
        tags: p_,
        summary: 'All merchants',
        security: [{ bearer: [] }],
        querystring: Type.Object(
          { ...Pagination.properties, status: Type.Optional(MerchantStatusT) },
          { additionalProperties: false },
        ),
        response: { 200: Page(Type.Ref('Merchant')), ...errorResponses },
      },
    },
    async (req) =>
      merchants.list(req.actor!, {
        status: req.query.status,
        page: req.query.page ?? 1,
        pageSize: req.query.pageSize ?? 20,
      }),
  );

  app.post(
    '/api/platform/merchants',
    {
      config: { access: 'platform_admin' },
      schema: {
        tags: p_,
        summary: 'Onboard a merchant for a registered owner (active at once)',
        security: [{ bearer: [] }],
        body: Strict({
          ...NameBody,
          ownerPhone: Phone,
          commissionRateBp: Type.Optional(Type.Integer({ minimum: 0, maximum: 10000 })),
        }),
        response: { 201: Type.Ref('Merchant'), ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await merchants.onboard(req.actor!, req.body)),
  );

  app.patch(
    '/api/platform/merchants/:merchantId',
    {
      config: { access: 'platform_admin' },
      schema: {
        tags: p_,
        summary: 'Approve, suspend or reject a merchant; set its commission',
        security: [{ bearer: [] }],
        params: MerchantParams,
        body: Strict({
          status: Type.Optional(MerchantStatusT),
          commissionRateBp: Type.Optional(Type.Integer({ minimum: 0, maximum: 10000 })),
        }),
        response: { 200: Type.Ref('Merchant'), ...errorResponses },
      },
    },
    async (req) => merchants.adminUpdate(req.actor!, req.params.merchantId, req.body),
  );

  app.patch(
    '/api/platform/users/:userId',
    {
      config: { access: 'platform_admin' },
      schema: {
        tags: p_,
        summary: 'Disable or re-enable an account (disabling signs it out everywhere)',
        security: [{ bearer: [] }],
        params: Strict({ userId: IdParam }),
        body: Strict({ status: Type.Union([Type.Literal('active'), Type.Literal('disabled')]) }),
        response: { 200: Ok, ...errorResponses },
      },
    },
    async (req) => {
      await auth.setUserStatus(req.params.userId, req.body.status);
      return { ok: true as const };
    },
  );
  void ctx;
}
