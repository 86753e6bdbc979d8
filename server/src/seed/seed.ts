// Runs every module's demo seed in module order, with one progress bar (platform/progress.ts):
// the modules are the steps, the detail says which table and how far.
import type { App } from '../app.ts';
import { progress, type ProgressStream } from '../platform/progress.ts';

export async function seedDemo(app: App, out: ProgressStream = process.stdout): Promise<void> {
  const started = Date.now();
  const seeders = app.modules.filter((m) => m.seed);
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
  app.ctx.log.info({ ms: Date.now() - started }, 'demo data ready');
}
