// Runs every module's demo seed in module order, with one progress line on the terminal.
import type { App } from '../app.ts';
import type { SeedProgress } from '../platform/context.ts';

export async function seedDemo(app: App, out: NodeJS.WriteStream = process.stdout): Promise<void> {
  const started = Date.now();
  const tty = Boolean(out.isTTY);
  let lastLine = '';
  const progress = (module: string): SeedProgress => ({
    step(label, done, total) {
      const width = 24;
      const filled = total > 0 ? Math.round((done / total) * width) : width;
      const line = `seeding ${module}/${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`;
      if (tty) out.write(`\r${line.padEnd(lastLine.length)}`);
      else if (done === total) out.write(`${line}\n`);
      lastLine = line;
    },
  });
  for (const m of app.modules) {
    if (!m.seed) continue;
    await m.seed(app.ctx, progress(m.name));
  }
  if (tty && lastLine) out.write('\n');
  app.ctx.log.info({ ms: Date.now() - started }, 'demo data ready');
}
