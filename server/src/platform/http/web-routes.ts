// Serves the built web apps (web/shop at /shop/, web/admin at /admin/) when their dist folders
// exist: hashed assets are immutable; any other path under the app is its index.html, so the
// client-side router can take it (deep links, refreshes).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { Http } from '../context.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
export const WEB_APPS = ['shop', 'admin'] as const;
export const webDist = (name: string) => path.join(repoRoot, 'web', name, 'dist');

export async function webRoutes(app: Http): Promise<string[]> {
  const served: string[] = [];
  for (const name of WEB_APPS) {
    const root = webDist(name);
    const index = path.join(root, 'index.html');
    if (!fs.existsSync(index)) continue;
    served.push(name);
    await app.register(async (scope) => {
      await scope.register(fastifyStatic, {
        root,
        prefix: `/${name}/`,
        wildcard: false,
        index: false,
        decorateReply: false,
        setHeaders: (reply, file) =>
          reply.header(
            'cache-control',
            file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
          ),
      });
      const html = () => fs.readFileSync(index, 'utf8'); // re-read: a rebuild needs no restart
      for (const url of [`/${name}/`, `/${name}/*`]) {
        scope.get(url, { config: { access: 'public' }, schema: { hide: true } }, async (_req, reply) =>
          reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(html()),
        );
      }
    });
  }
  if (served.includes('shop'))
    app.get('/', { config: { access: 'public' }, schema: { hide: true } }, async (_req, reply) =>
      reply.redirect('/shop/'),
    );
  return served;
}
