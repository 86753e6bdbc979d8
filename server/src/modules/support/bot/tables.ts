// The bot's tables (migrations/1230_support_bot.sql).
import type { Generated } from 'kysely';
import type { CreatedAt, Id, Json, UpdatedAt } from '../../../platform/db/types.ts';

declare module '../../../platform/db/types.ts' {
  interface Database {
    support_faqs: {
      id: Id;
      merchant_id: number;
      question: string;
      phrasings: Json<string[]>;
      answer: string;
      enabled: Generated<boolean>;
      created_at: CreatedAt;
      updated_at: UpdatedAt;
    };
    support_bot_settings: {
      merchant_id: number;
      threshold: number;
      use_platform_faqs: boolean;
      updated_at: UpdatedAt;
    };
  }
}
