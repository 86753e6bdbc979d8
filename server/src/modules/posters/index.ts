// Share posters (PNG) with a QR code or a mini-program code, cached per content.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Module } from '../../platform/context.ts';
import { PosterService } from './poster-service.ts';
import { posterRoutes } from './routes.ts';

declare module '../../platform/context.ts' {
  interface Services {
    posters: PosterService;
  }
}

export const postersModule: Module = {
  name: 'posters',
  migrationsDir: path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations'),
  init(ctx) {
    const posters = new PosterService(ctx);
    ctx.services.posters = posters;
    ctx.jobs.recurring({
      type: 'posters.prune',
      everyMs: 24 * 3600_000,
      run: async () => {
        await posters.prune();
      },
    });
  },
  routes(app, ctx) {
    posterRoutes(app, ctx);
  },
};
