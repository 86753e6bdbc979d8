// Demo FAQ for the two demo shops (the fruit and the clothing shop), the same ones the bot's
// evaluation set is written against (eval/faqs.json), so the demo bot answers what the bench measures.
// Idempotent: a shop that has any FAQ is left as it is.
import fs from 'node:fs';
import path from 'node:path';
import type { AppContext, SeedProgress } from '../../../platform/context.ts';
import { demoMerchantIds } from '../../identity/seed.ts';
import './tables.ts';

interface EvalFaq {
  id: string;
  question: string;
  phrasings: string[];
  answer: string;
}

export async function seedBot(ctx: AppContext, progress: SeedProgress): Promise<void> {
  const faqs = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, 'eval/faqs.json'), 'utf8')) as Record<
    string,
    EvalFaq[]
  >;
  const { fruit, fashion } = await demoMerchantIds(ctx);
  const shops = [
    [fruit, faqs.fruit ?? []],
    [fashion, faqs.clothing ?? []],
  ] as const;
  for (const [i, [merchantId, list]] of shops.entries()) {
    const has = await ctx.db
      .selectFrom('support_faqs')
      .select('id')
      .where('merchant_id', '=', merchantId)
      .executeTakeFirst();
    if (!has && list.length)
      await ctx.db
        .insertInto('support_faqs')
        .values(
          list.map((f) => ({
            merchant_id: merchantId,
            question: f.question,
            phrasings: JSON.stringify(f.phrasings),
            answer: f.answer,
          })),
        )
        .execute();
    progress.step('customer-service FAQ', i + 1, shops.length);
  }
}
