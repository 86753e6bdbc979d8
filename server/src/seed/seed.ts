// Runs every module's demo seed in module order, with one progress bar (platform/progress.ts):
// the modules are the steps, the detail says which table and how far. A node restarting on data this
// same seed already filled skips it (one read): a restart is quicker, and demo rows a merchant deleted
// stay deleted instead of coming back on every start.
import crypto from 'node:crypto';
import type { App } from '../app.ts';
import { progress, type ProgressStream } from '../platform/progress.ts';

const SEEDED_KEY = 'demo_seed';

export interface SeedOptions {
  /** Run every module's seed even when this seed has run on this data (`npm run seed`, tests). */
  force?: boolean;
}

export async function seedDemo(
  app: App,
  out: ProgressStream = process.stdout,
  opts: SeedOptions = {},
): Promise<'seeded' | 'already'> {
  const started = Date.now();
  const seeders = app.modules.filter((m) => m.seed);
  // Which seed ran: the modules that seed and their seed code. A release that changes a seed runs it again.
  const fingerprint = crypto
    .createHash('sha256')
    .update(seeders.map((m) => `${m.name}\n${m.seed}`).join('\n'))
    .digest('hex');
  const { db } = app.ctx;
  if (!opts.force) {
    const row = await db
      .selectFrom('platform_settings')
      .select('value')
      .where('key', '=', SEEDED_KEY)
      .executeTakeFirst();
    if ((row?.value as { fingerprint?: string } | undefined)?.fingerprint === fingerprint) {
      app.ctx.log.info('demo data already seeded');
      return 'already';
    }
  }
  const bar = progress('seeding demo data', seeders.length, { out });
  for (const [i, m] of seeders.entries()) {
    await m.seed?.(app.ctx, {
      step(label, done, total) {
        bar.update(i + (total > 0 ? done / total : 1), `${m.name}/${label} ${done}/${total}`);
      },
    });
    bar.update(i + 1);
  }
  bar.finish();
  const value = JSON.stringify({ fingerprint, at: new Date().toISOString() });
  await db
    .insertInto('platform_settings')
    .values({ key: SEEDED_KEY, value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
    .execute();
  app.ctx.log.info({ ms: Date.now() - started }, 'demo data ready');
  return 'seeded';
}
