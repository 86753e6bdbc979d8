// A shop's FAQ (常见问题) and the bot's settings: CRUD for the shop's staff, and the FAQ index the
// bot searches, built once per change. The index is cached per node and keyed by the FAQ's
// version (count and last change), so an edit on any node is seen by the next message everywhere.
import { sql } from 'kysely';
import type { Actor } from '../../../platform/auth/access.ts';
import type { AppContext } from '../../../platform/context.ts';
import { conflict, notFound } from '../../../platform/errors.ts';
import { PLATFORM_FAQS } from './default-faqs.ts';
import { FaqIndex } from './faq-index.ts';
import { DEFAULT_THRESHOLD } from './settings.ts';
import './tables.ts';

export interface FaqInput {
  question: string;
  phrasings?: string[] | undefined;
  answer: string;
  enabled?: boolean | undefined;
}

export interface BotSettings {
  threshold: number;
  usePlatformFaqs: boolean;
}

/** A FAQ the bot can answer with: the shop's (numeric id) or the platform's (its key). */
export type FaqKey = { shop: number } | { platform: string };

const MAX_FAQS = 500;
const EDITORS = ['merchant_owner', 'merchant_staff'] as const;

export class FaqService {
  private readonly indexes = new Map<number, { version: string; index: FaqIndex<FaqKey>; settings: BotSettings }>();

  constructor(private readonly ctx: AppContext) {}

  async list(actor: Actor, merchantId: number) {
    await this.ctx.services.merchants.requireRole(actor, merchantId);
    const rows = await this.ctx.db
      .selectFrom('support_faqs')
      .selectAll()
      .where('merchant_id', '=', merchantId)
      .orderBy('id')
      .execute();
    return rows.map(view);
  }

  async create(actor: Actor, merchantId: number, input: FaqInput) {
    await this.ctx.services.merchants.requireRole(actor, merchantId, [...EDITORS]);
    const n = await this.ctx.db
      .selectFrom('support_faqs')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('merchant_id', '=', merchantId)
      .executeTakeFirstOrThrow();
    if (Number(n.n) >= MAX_FAQS) throw conflict('FAQ_LIMIT_REACHED', `A shop keeps at most ${MAX_FAQS} FAQs`);
    const row = await this.ctx.db
      .insertInto('support_faqs')
      .values({ merchant_id: merchantId, ...clean(input) })
      .returningAll()
      .executeTakeFirstOrThrow();
    return view(row);
  }

  async update(actor: Actor, merchantId: number, id: number, input: FaqInput) {
    await this.ctx.services.merchants.requireRole(actor, merchantId, [...EDITORS]);
    const row = await this.ctx.db
      .updateTable('support_faqs')
      .set({ ...clean(input), updated_at: sql<Date>`now()` })
      .where('id', '=', id)
      .where('merchant_id', '=', merchantId)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw notFound('FAQ', 'FAQ_NOT_FOUND');
    return view(row);
  }

  async remove(actor: Actor, merchantId: number, id: number) {
    await this.ctx.services.merchants.requireRole(actor, merchantId, [...EDITORS]);
    const r = await this.ctx.db
      .deleteFrom('support_faqs')
      .where('id', '=', id)
      .where('merchant_id', '=', merchantId)
      .executeTakeFirst();
    if (Number(r.numDeletedRows) === 0) throw notFound('FAQ', 'FAQ_NOT_FOUND');
    return { ok: true as const };
  }

  async getSettings(actor: Actor, merchantId: number): Promise<BotSettings> {
    await this.ctx.services.merchants.requireRole(actor, merchantId);
    return this.settingsOf(merchantId);
  }

  async saveSettings(actor: Actor, merchantId: number, input: Partial<BotSettings>): Promise<BotSettings> {
    await this.ctx.services.merchants.requireRole(actor, merchantId, ['merchant_owner']);
    const current = await this.settingsOf(merchantId);
    const next = { ...current, ...input };
    await this.ctx.db
      .insertInto('support_bot_settings')
      .values({ merchant_id: merchantId, threshold: next.threshold, use_platform_faqs: next.usePlatformFaqs })
      .onConflict((oc) =>
        oc.column('merchant_id').doUpdateSet({
          threshold: next.threshold,
          use_platform_faqs: next.usePlatformFaqs,
          updated_at: sql<Date>`now()`,
        }),
      )
      .execute();
    return next;
  }

  platformFaqs() {
    return PLATFORM_FAQS.map((f) => ({
      key: f.key,
      question: f.question,
      phrasings: [...f.phrasings],
      answer: f.answer,
    }));
  }

  async settingsOf(merchantId: number): Promise<BotSettings> {
    const s = await this.ctx.db
      .selectFrom('support_bot_settings')
      .selectAll()
      .where('merchant_id', '=', merchantId)
      .executeTakeFirst();
    return s
      ? { threshold: Number(s.threshold), usePlatformFaqs: s.use_platform_faqs }
      : { threshold: DEFAULT_THRESHOLD, usePlatformFaqs: true };
  }

  /** The shop's enabled FAQs (and the platform's, unless switched off) as one index, with the settings. */
  async indexFor(merchantId: number): Promise<{ index: FaqIndex<FaqKey>; settings: BotSettings }> {
    const [stamp, settings] = await Promise.all([
      this.ctx.db
        .selectFrom('support_faqs')
        .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('updated_at').as('at')])
        .where('merchant_id', '=', merchantId)
        .executeTakeFirstOrThrow(),
      this.settingsOf(merchantId),
    ]);
    const version = `${stamp.n}:${stamp.at ? new Date(stamp.at as Date).getTime() : 0}:${settings.usePlatformFaqs}`;
    const cached = this.indexes.get(merchantId);
    if (cached && cached.version === version) return { index: cached.index, settings };
    const rows = await this.ctx.db
      .selectFrom('support_faqs')
      .selectAll()
      .where('merchant_id', '=', merchantId)
      .where('enabled', '=', true)
      .orderBy('id')
      .execute();
    const index = new FaqIndex<FaqKey>([
      ...rows.map((r) => ({ key: { shop: r.id }, question: r.question, phrasings: r.phrasings, answer: r.answer })),
      ...(settings.usePlatformFaqs ? PLATFORM_FAQS.map((f) => ({ ...f, key: { platform: f.key } })) : []),
    ]);
    this.indexes.set(merchantId, { version, index, settings });
    return { index, settings };
  }
}

function clean(input: FaqInput) {
  const phrasings = [...new Set((input.phrasings ?? []).map((p) => p.trim()).filter(Boolean))];
  return {
    question: input.question.trim(),
    phrasings: JSON.stringify(phrasings),
    answer: input.answer.trim(),
    ...(input.enabled === undefined ? {} : { enabled: input.enabled }),
  };
}

function view(r: {
  id: number;
  question: string;
  phrasings: string[];
  answer: string;
  enabled: boolean;
  created_at: Date;
  updated_at: Date;
}) {
  return {
    id: r.id,
    question: r.question,
    phrasings: r.phrasings,
    answer: r.answer,
    enabled: r.enabled,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export const faqKeyString = (k: FaqKey): string => ('shop' in k ? `faq:${k.shop}` : `faq:platform:${k.platform}`);
