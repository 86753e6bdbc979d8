// Start a real LiveMall node, or a bare Fastify baseline, as a child process on 127.0.0.1, so the
// load generator (this process) never shares an event loop with the server it measures.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const tsx = path.join(repoRoot, 'node_modules/.bin/tsx');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

export interface Running {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

async function waitFor(url: string, child: ChildProcess, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`server at ${url} did not come up`);
}

function stopper(child: ChildProcess, cleanup?: () => void) {
  return async () => {
    if (child.exitCode === null) {
      // Each server runs in its own process group: the signal reaches the node process tsx started.
      const group = (signal: NodeJS.Signals) => {
        try {
          process.kill(-child.pid!, signal);
        } catch {
          /* gone */
        }
      };
      group('SIGTERM');
      await new Promise((r) => {
        const t = setTimeout(() => {
          group('SIGKILL');
          r(null);
        }, 8000);
        child.once('exit', () => {
          clearTimeout(t);
          r(null);
        });
      });
    }
    cleanup?.();
  };
}

/** A LiveMall node with demo data, on a throwaway data folder (or DATABASE_URL/REDIS_URL if set). */
export async function startLiveMall(env: Record<string, string> = {}): Promise<Running> {
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'livemall-bench-'));
  // BENCH_PROFILE=<dir>: the server writes a V8 CPU profile there when it stops (for chrome://inspect).
  const profile = process.env.BENCH_PROFILE;
  const [cmd, args] = profile
    ? [process.execPath, ['--cpu-prof', `--cpu-prof-dir=${profile}`, '--import', 'tsx', 'server/src/main.ts']]
    : [tsx, ['server/src/main.ts']];
  // BENCH_SERVER_LOG=<file>: the server's log lines go there (otherwise they are dropped).
  const logTo = process.env.BENCH_SERVER_LOG ? fs.openSync(process.env.BENCH_SERVER_LOG, 'a') : 'ignore';
  const child = spawn(cmd, args, {
    cwd: repoRoot,
    stdio: ['ignore', logTo, 'inherit'],
    detached: true,
    // RATE_LIMITS=off: a benchmark is one client sending a crowd's load; per-client limits would cap it.
    env: {
      ...process.env,
      PORT: String(port),
      RTMP_PORT: String(await freePort()),
      DATA_DIR: dataDir,
      DEMO_STREAM: 'false',
      LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
      RATE_LIMITS: 'off',
      ...env,
    },
  });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`${url}/health`, child, 120_000);
  return { url, child, stop: stopper(child, () => fs.rmSync(dataDir, { recursive: true, force: true })) };
}

/** The naive flash-sale baseline (row lock per attempt) on the given PostgreSQL database. */
export async function startNaiveFlash(databaseUrl: string): Promise<Running> {
  const port = await freePort();
  const child = spawn(tsx, ['bench/lib/naive-flash-server.ts'], {
    cwd: repoRoot,
    stdio: ['ignore', 'ignore', 'inherit'],
    detached: true,
    env: { ...process.env, PORT: String(port), DATABASE_URL: databaseUrl },
  });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`${url}/health`, child, 30_000);
  return { url, child, stop: stopper(child) };
}

/** The socket.io broadcast baseline for bench/fanout.ts. */
export async function startSocketIo(): Promise<Running> {
  const port = await freePort();
  const child = spawn(tsx, ['bench/lib/socketio-server.ts'], {
    cwd: repoRoot,
    stdio: ['ignore', 'ignore', 'inherit'],
    detached: true,
    env: { ...process.env, PORT: String(port) },
  });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`${url}/health`, child, 30_000);
  return { url, child, stop: stopper(child) };
}

/** The baseline: a bare Fastify server answering the same shapes with no work behind them. */
export async function startBare(env: Record<string, string> = {}): Promise<Running> {
  const port = await freePort();
  const child = spawn(tsx, ['bench/lib/bare-server.ts'], {
    cwd: repoRoot,
    stdio: ['ignore', 'ignore', 'inherit'],
    detached: true,
    env: { ...process.env, PORT: String(port), ...env },
  });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`${url}/health`, child, 30_000);
  return { url, child, stop: stopper(child) };
}
