import { Type } from 'typebox';
import { ANY_MEMBER, OPERATORS } from '../../platform/auth/access.ts';
import type { AppContext, Http } from '../../platform/context.ts';
import { errorResponses, Fen, IdParam, MerchantParams, Ok, Strict } from '../../platform/http/schemas.ts';

const security = [{ bearer: [] }];
const AddressBody = Strict({
  name: Type.String({ minLength: 1, maxLength: 30 }),
  phone: Type.String({ minLength: 6, maxLength: 20 }),
  province: Type.String({ minLength: 2, maxLength: 20 }),
  city: Type.String({ minLength: 1, maxLength: 30 }),
  district: Type.Optional(Type.String({ maxLength: 30 })),
  districtCode: Type.Optional(
    Type.String({ pattern: '^[0-9]{6}$', description: 'GB/T 2260 district code; the names must be its names' }),
  ),
  detail: Type.String({ minLength: 2, maxLength: 200 }),
  postalCode: Type.Optional(Type.String({ maxLength: 10 })),
  isDefault: Type.Optional(Type.Boolean()),
});
const AddressT = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  phone: Type.String(),
  province: Type.String(),
  city: Type.String(),
  district: Type.String(),
  districtCode: Type.Union([Type.String(), Type.Null()]),
  provinceCode: Type.Union([Type.String(), Type.Null()]),
  cityCode: Type.Union([Type.String(), Type.Null()]),
  detail: Type.String(),
  postalCode: Type.Union([Type.String(), Type.Null()]),
  isDefault: Type.Boolean(),
});
const RuleT = Strict({
  regions: Type.Array(Type.String({ minLength: 1, maxLength: 20 }), { minItems: 1 }),
  firstUnits: Type.Integer({ minimum: 1 }),
  firstFeeFen: Fen(),
  extraUnits: Type.Integer({ minimum: 0 }),
  extraFeeFen: Fen(),
});
const TemplateBody = Strict({
  name: Type.String({ minLength: 1, maxLength: 40 }),
  chargeBy: Type.Union([Type.Literal('weight'), Type.Literal('pieces')], {
    description: 'weight: units are grams; pieces: units are items',
  }),
  rules: Type.Array(RuleT, { minItems: 1, maxItems: 40 }),
  freeOverFen: Type.Optional(Type.Union([Fen(), Type.Null()])),
  excludedRegions: Type.Optional(Type.Array(Type.String({ maxLength: 20 }), { maxItems: 40 })),
  isDefault: Type.Optional(Type.Boolean()),
});
const TemplateT = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  chargeBy: Type.String(),
  rules: Type.Array(
    Type.Object({
      regions: Type.Array(Type.String()),
      firstUnits: Type.Integer(),
      firstFeeFen: Type.Integer(),
      extraUnits: Type.Integer(),
      extraFeeFen: Type.Integer(),
    }),
  ),
  freeOverFen: Type.Union([Type.Integer(), Type.Null()]),
  excludedRegions: Type.Array(Type.String()),
  isDefault: Type.Boolean(),
});

export function shippingRoutes(app: Http, ctx: AppContext): void {
  const shipping = ctx.services.shipping;
  app.get(
    '/api/me/addresses',
    {
      config: { access: 'user' },
      schema: {
        tags: ['shipping'],
        summary: 'My address book',
        security,
        response: { 200: Type.Array(AddressT), ...errorResponses },
      },
    },
    async (req) => shipping.listAddresses(req.actor!.userId),
  );
  app.post(
    '/api/me/addresses',
    {
      config: { access: 'user' },
      schema: {
        tags: ['shipping'],
        summary:
          'Add an address (with districtCode, the names must be its names: ADDRESS_REGION_UNKNOWN, ADDRESS_REGION_MISMATCH)',
        security,
        body: AddressBody,
        response: { 201: AddressT, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await shipping.saveAddress(req.actor!.userId, req.body)),
  );
  app.put(
    '/api/me/addresses/:addressId',
    {
      config: { access: 'user' },
      schema: {
        tags: ['shipping'],
        summary: 'Edit an address (districtCode checked as when adding)',
        security,
        params: Strict({ addressId: IdParam }),
        body: AddressBody,
        response: { 200: AddressT, ...errorResponses },
      },
    },
    async (req) => shipping.saveAddress(req.actor!.userId, req.body, req.params.addressId),
  );
  app.delete(
    '/api/me/addresses/:addressId',
    {
      config: { access: 'user' },
      schema: {
        tags: ['shipping'],
        summary: 'Remove an address',
        security,
        params: Strict({ addressId: IdParam }),
        response: { 200: Ok, ...errorResponses },
      },
    },
    async (req) => {
      await shipping.deleteAddress(req.actor!.userId, req.params.addressId);
      return { ok: true as const };
    },
  );

  app.get(
    '/api/merchants/:merchantId/shipping-templates',
    {
      config: { access: ANY_MEMBER },
      schema: {
        tags: ['shipping'],
        summary: 'Shipping-fee templates',
        security,
        params: MerchantParams,
        response: { 200: Type.Array(TemplateT), ...errorResponses },
      },
    },
    async (req) => shipping.listTemplates(req.actor!, req.params.merchantId),
  );
  app.post(
    '/api/merchants/:merchantId/shipping-templates',
    {
      config: { access: OPERATORS },
      schema: {
        tags: ['shipping'],
        summary: 'Add a shipping-fee template (by province; weight or pieces; free over a threshold)',
        security,
        params: MerchantParams,
        body: TemplateBody,
        response: { 201: TemplateT, ...errorResponses },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await shipping.saveTemplate(req.actor!, req.params.merchantId, req.body)),
  );
  app.put(
    '/api/merchants/:merchantId/shipping-templates/:templateId',
    {
      config: { access: OPERATORS },
      schema: {
        tags: ['shipping'],
        summary: 'Edit a shipping-fee template',
        security,
        params: Strict({ merchantId: IdParam, templateId: IdParam }),
        body: TemplateBody,
        response: { 200: TemplateT, ...errorResponses },
      },
    },
    async (req) => shipping.saveTemplate(req.actor!, req.params.merchantId, req.body, req.params.templateId),
  );
}
