// The bot part's HTTP routes: the shop's FAQ, the bot's settings, a preview of what the bot would
// answer, and the platform's default FAQ.
import { Type } from 'typebox';
import { ANY_MEMBER, OPERATORS, OWNERS } from '../../../platform/auth/access.ts';
import type { AppContext, Http } from '../../../platform/context.ts';
import { DateTime, errorResponses, IdParam, MerchantParams, Ok, Strict } from '../../../platform/http/schemas.ts';

const security = [{ bearer: [] }];
const tags = ['support'];
const base = '/api/merchants/:merchantId/support';
const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });

const FaqT = Type.Object(
  {
    id: Type.Integer(),
    question: Type.String(),
    phrasings: Type.Array(Type.String()),
    answer: Type.String(),
    enabled: Type.Boolean(),
    createdAt: DateTime,
    updatedAt: DateTime,
  },
  { $id: 'SupportFaq' },
);
const FaqBody = Strict({
  question: Text(200),
  phrasings: Type.Optional(Type.Array(Text(200), { maxItems: 20, description: 'Other ways shoppers ask the same' })),
  answer: Text(2000),
  enabled: Type.Optional(Type.Boolean()),
});
const FaqParams = Strict({ merchantId: IdParam, faqId: IdParam });
const SettingsT = Strict({
  threshold: Type.Number({
    minimum: 0,
    maximum: 1,
    description: 'Below this confidence the bot hands over to a human',
  }),
  usePlatformFaqs: Type.Boolean({ description: "Answer from the platform's default FAQ too" }),
});
const PreviewT = Type.Object({
  action: Type.Union([Type.Literal('answer'), Type.Literal('handover'), Type.Literal('escalate')]),
  kind: Type.String({ description: 'faq | intent | handover | escalate' }),
  intent: Type.Union([Type.String(), Type.Null()]),
  confidence: Type.Number(),
  threshold: Type.Number(),
  urgent: Type.Boolean(),
  emotionWords: Type.Array(Type.String()),
  candidates: Type.Array(
    Type.Object({ faq: Type.String(), question: Type.String(), answer: Type.String(), confidence: Type.Number() }),
  ),
});

export function botRoutes(app: Http, ctx: AppContext): void {
  const faqs = ctx.services.supportFaqs;
  app.addSchema(FaqT);
  const faq = Type.Ref('SupportFaq');

  app.get(
    `${base}/faqs`,
    {
      config: { access: ANY_MEMBER },
      schema: {
        tags,
        security,
        summary: "The shop's FAQ for the bot",
        params: MerchantParams,
        response: { 200: Type.Array(faq), ...errorResponses },
      },
    },
    async (req) => faqs.list(req.actor!, req.params.merchantId),
  );
  app.post(
    `${base}/faqs`,
    {
      config: { access: OPERATORS },
      schema: {
        tags,
        security,
        summary: 'Add a FAQ (FAQ_LIMIT_REACHED at 500)',
        params: MerchantParams,
        body: FaqBody,
        response: { 201: faq, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await faqs.create(req.actor!, req.params.merchantId, req.body)),
  );
  app.put(
    `${base}/faqs/:faqId`,
    {
      config: { access: OPERATORS },
      schema: {
        tags,
        security,
        summary: 'Change a FAQ (FAQ_NOT_FOUND)',
        params: FaqParams,
        body: FaqBody,
        response: { 200: faq, ...errorResponses },
      },
    },
    async (req) => faqs.update(req.actor!, req.params.merchantId, req.params.faqId, req.body),
  );
  app.delete(
    `${base}/faqs/:faqId`,
    {
      config: { access: OPERATORS },
      schema: { tags, security, summary: 'Delete a FAQ', params: FaqParams, response: { 200: Ok, ...errorResponses } },
    },
    async (req) => faqs.remove(req.actor!, req.params.merchantId, req.params.faqId),
  );
  app.get(
    `${base}/bot-settings`,
    {
      config: { access: ANY_MEMBER },
      schema: {
        tags,
        security,
        summary: "The bot's confidence threshold and FAQ sources",
        params: MerchantParams,
        response: { 200: SettingsT, ...errorResponses },
      },
    },
    async (req) => faqs.getSettings(req.actor!, req.params.merchantId),
  );
  app.put(
    `${base}/bot-settings`,
    {
      config: { access: OWNERS },
      schema: {
        tags,
        security,
        summary: "Set the bot's threshold and FAQ sources",
        params: MerchantParams,
        body: SettingsT,
        response: { 200: SettingsT, ...errorResponses },
      },
    },
    async (req) => faqs.saveSettings(req.actor!, req.params.merchantId, req.body),
  );
  app.post(
    `${base}/bot/preview`,
    {
      config: { access: ANY_MEMBER, rateLimit: { bucket: 'support-bot-preview', max: 60, windowSec: 60, by: 'user' } },
      schema: {
        tags,
        security,
        summary: 'What the bot would answer to a question (FAQ match, intent, handover), without live data',
        params: MerchantParams,
        body: Strict({ text: Text(2000) }),
        response: { 200: PreviewT, ...errorResponses },
      },
    },
    async (req) => ctx.services.supportBot.preview(req.actor!, req.params.merchantId, req.body.text),
  );
  app.get(
    '/api/support/platform-faqs',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: "The platform's default FAQ, which every shop's bot answers from unless switched off",
        response: {
          200: Type.Array(
            Type.Object({
              key: Type.String(),
              question: Type.String(),
              phrasings: Type.Array(Type.String()),
              answer: Type.String(),
            }),
          ),
          ...errorResponses,
        },
      },
    },
    async () => ctx.services.supportFaqs.platformFaqs(),
  );
}
