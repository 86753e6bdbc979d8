// `npm run reconcile`: run every reconciliation check against the configured database (DATABASE_URL,
// or the PGlite folder in DATA_DIR), store the run like the console's, print a readable report and
// exit 1 when something does not add up (2 when a check could not run, 3 when the database is busy
// or missing). No workers start: this process only reads, and writes the run's report.
//   npm run reconcile -- [--day 2026-12-01 | --from <ISO> --to <ISO>] [--merchant <id>] [--json]
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import type { App } from '../../app.ts';
import { ConfigError, loadConfig, type Config } from '../../platform/config.ts';
import { DataDirLockedError } from '../../platform/db/pglite-lock.ts';
import { parseRange } from './reconciliation-service.ts';
import { reportText } from './report-text.ts';

const EXIT = { clean: 0, discrepancies: 1, failed: 2, unavailable: 3, usage: 64, config: 78 } as const;
const say = (line: string) => process.stderr.write(`${line}\n`);
const USAGE = 'npm run reconcile -- [--day YYYY-MM-DD | --from ISO --to ISO] [--merchant ID] [--json]';

function fail(code: number, message: string): never {
  say(message);
  process.exit(code);
}

function args() {
  try {
    return parseArgs({
      options: {
        day: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        merchant: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean' },
      },
      allowPositionals: false,
    }).values;
  } catch (err) {
    return fail(EXIT.usage, `${(err as Error).message}\nUsage: ${USAGE}`);
  }
}

function describeTarget(config: Config): string {
  if (config.databaseUrl) {
    const u = new URL(config.databaseUrl);
    return `PostgreSQL ${u.hostname}:${u.port || 5432}${u.pathname}`;
  }
  return `PGlite in ${path.join(config.dataDir, 'pglite')}`;
}

async function open(config: Config): Promise<App> {
  const folder = path.join(config.dataDir, 'pglite');
  if (!config.databaseUrl && !fs.existsSync(path.join(folder, 'PG_VERSION'))) {
    fail(
      EXIT.unavailable,
      `No LiveMall database in ${folder} (DATA_DIR=${config.dataDir}). ` +
        'Start the platform once, or set DATA_DIR / DATABASE_URL.',
    );
  }
  // Logs go to stderr (warnings only unless LOG_LEVEL says otherwise): stdout is the report.
  const level = process.env.LOG_LEVEL ? config.logLevel : 'warn';
  const log = pino({ level, base: { node: config.nodeId } }, pino.destination(2));
  try {
    // Loaded only now: a usage error or a missing database answers without loading every module.
    const { createApp } = await import('../../app.ts');
    return await createApp({ ...config, workers: false, seedDemo: false }, { log });
  } catch (err) {
    if (err instanceof DataDirLockedError) {
      fail(
        EXIT.unavailable,
        `PGlite is locked: ${err.message}\nTo reconcile while the node runs, use the console ` +
          '(对账 Reconciliation) or POST /api/platform/reconciliation/runs.',
      );
    }
    throw err;
  }
}

async function main(): Promise<void> {
  const opts = args();
  if (opts.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) fail(EXIT.config, err.message);
    throw err;
  }
  const merchantId = opts.merchant === undefined ? null : Number(opts.merchant);
  if (merchantId !== null && (!Number.isSafeInteger(merchantId) || merchantId <= 0)) {
    fail(EXIT.usage, `--merchant must be a shop id (got "${opts.merchant}")`);
  }
  const rangeInput = { day: opts.day, from: opts.from, to: opts.to };
  try {
    parseRange(rangeInput);
  } catch (err) {
    fail(EXIT.usage, (err as Error).message);
  }
  const tty = Boolean(process.stderr.isTTY);
  say(`Reconciling ${describeTarget(config)}, cache: ${config.redisUrl ? 'Redis' : 'in-process'}…`);
  if (config.databaseUrl && !config.redisUrl) {
    say(
      '  note: REDIS_URL is not set, so checks that compare the cache with the database see only this ' +
        "process's empty cache.",
    );
  }
  const app = await open(config);
  try {
    const svc = app.ctx.services.reconciliation;
    const range = await svc.range(rangeInput);
    if (merchantId !== null) {
      if (!(await app.ctx.services.directory.merchantExists(merchantId)))
        fail(EXIT.usage, `No shop with id ${merchantId}`);
    }
    const runId = await svc.store.runNow({ merchantId, ...range }, 'cli', null, {
      checkStarted: (c, i, n) => {
        if (tty) process.stderr.write(`  [${i + 1}/${n}] ${c.name}…\r`);
      },
      checkFinished: (o, i, n) => {
        const what = o.status === 'clean' ? 'clean' : o.status === 'error' ? 'could not finish' : `${o.count} found`;
        say(`  [${i + 1}/${n}] ${o.name}: ${what} (${o.ms} ms)`);
      },
    });
    const report = await svc.report(runId);
    process.stdout.write(opts.json ? `${JSON.stringify(report, null, 2)}\n` : reportText(report));
    const status = report.run.status;
    process.exitCode = status === 'clean' ? EXIT.clean : status === 'discrepancies' ? EXIT.discrepancies : EXIT.failed;
  } finally {
    await app.close();
  }
}

await main();
