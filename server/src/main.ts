// `npm start`: one LiveMall node. Embedded defaults on a bare machine (PGlite in DATA_DIR,
// in-process cache and pub/sub, in-process RTMP ingest); PostgreSQL/Redis when configured.
import closeWithGrace from 'close-with-grace';
import { createApp } from './app.ts';
import { ConfigError, loadConfig } from './platform/config.ts';
import { createLogger } from './platform/logger.ts';
import { defaultSchemaCacheDir } from './platform/db/schema-template.ts';
import { seedDemo } from './seed/seed.ts';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from './modules/identity/seed.ts';

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(78); // EX_CONFIG
  }
  throw err;
}

const log = createLogger(config);
// How long each part of starting took (the startup bench reads this line).
const phases: Record<string, number> = { loadMs: Math.round(performance.now()) };
const timed = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
  const t0 = performance.now();
  const result = await run();
  phases[`${name}Ms`] = Math.round(performance.now() - t0);
  return result;
};
const app = await timed('createApp', () => createApp(config, { log, phases, schemaCacheDir: defaultSchemaCacheDir() }));
if (config.seedDemo) await timed('seed', () => seedDemo(app));
const url = await timed('listen', () => app.listen());
log.info({ ...phases, totalMs: Math.round(performance.now()) }, 'started');

closeWithGrace({ delay: 10_000, logger: log }, async ({ signal, err }) => {
  if (err) log.error({ err }, 'shutting down after an error');
  else log.info({ signal }, 'shutting down');
  await app.close();
});

const base = config.publicUrl || url;
const lines = [
  '',
  `LiveMall is up (${app.store.kind === 'pglite' ? `PGlite in ${config.dataDir}` : 'PostgreSQL'}, ${app.ctx.cache.kind} cache)`,
  `  API & health   ${base}/health`,
  `  API docs       ${base}/docs   (OpenAPI: ${base}/openapi.json)`,
  `  Metrics        ${base}/metrics`,
  ...app.ctx.startupLinks.map((l) => `  ${l}`),
];
if (config.seedDemo) {
  lines.push('', `Demo sign-ins (password ${DEMO_PASSWORD}):`);
  for (const a of DEMO_ACCOUNTS) lines.push(`  ${a.phone}  ${a.label}`);
}
process.stdout.write(`${lines.join('\n')}\n\n`);
