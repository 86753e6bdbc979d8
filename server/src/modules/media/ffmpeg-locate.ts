// Which ffmpeg this node runs. FFMPEG_PATH "auto" (the default): the system's ffmpeg on PATH, else
// the static build shipped inside the npm package @ffmpeg-installer/ffmpeg, so a machine with only
// Node and npm still gets HLS, replays and the demo stream. "bundled" forces the shipped build,
// "none" turns ffmpeg off (HTTP-FLV only), anything else is a path or command used as given. Asynchronous:
// `ffmpeg -version` takes a quarter of a second to link its libraries, which start-up does meanwhile.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export type FfmpegSource = 'system' | 'bundled';
export interface FfmpegBinary {
  path: string;
  /** The version ffmpeg prints, e.g. "5.1.9-0+deb12u1"; the static 4.1 build prints its git id. */
  version: string;
  source: FfmpegSource;
  /** The npm package a bundled binary came from, with its version. */
  package?: string;
}
export type FfmpegLookup = { found: FfmpegBinary; reason?: undefined } | { found: null; reason: string };

export interface LocateOptions {
  /** The PATH searched for a system ffmpeg (default: this process's PATH). */
  pathEnv?: string | undefined;
  /** Where the bundled binary is; null when the package or its platform build is missing. */
  bundled?: () => { path: string; package: string } | null;
}

export async function locateFfmpeg(setting: string, opts: LocateOptions = {}): Promise<FfmpegLookup> {
  const pathEnv = 'pathEnv' in opts ? opts.pathEnv : process.env.PATH;
  const bundled = opts.bundled ?? bundledFfmpeg;
  const value = setting.trim();
  if (value === 'none') return { found: null, reason: 'turned off (FFMPEG_PATH=none)' };
  if (value === 'bundled') return fromBundled(bundled());
  if (value !== '' && value !== 'auto') {
    const bin = value.includes('/') ? path.resolve(value) : onPath(value, pathEnv);
    if (!bin || !fs.existsSync(bin)) return { found: null, reason: `FFMPEG_PATH=${value} not found` };
    return (await run(bin, 'system')) ?? { found: null, reason: `FFMPEG_PATH=${value} does not run` };
  }
  const system = onPath('ffmpeg', pathEnv);
  const fromSystem = system ? await run(system, 'system') : null;
  if (fromSystem) return fromSystem;
  const b = await fromBundled(bundled());
  if (b.found) return b;
  return { found: null, reason: `no ffmpeg on PATH${system ? ` that runs (${system})` : ''} and ${b.reason}` };
}

async function fromBundled(b: { path: string; package: string } | null): Promise<FfmpegLookup> {
  if (!b) return { found: null, reason: 'no bundled ffmpeg (@ffmpeg-installer/ffmpeg has no build for this platform)' };
  ensureExecutable(b.path);
  const r = await run(b.path, 'bundled');
  if (!r) return { found: null, reason: `the bundled ffmpeg does not run (${b.path})` };
  return { found: { ...r.found, package: b.package } };
}

/** The binary of @ffmpeg-installer/<platform>, found the way the package's own index.js finds it. */
export function bundledFfmpeg(): { path: string; package: string } | null {
  const require = createRequire(import.meta.url);
  try {
    const installer = require('@ffmpeg-installer/ffmpeg') as { path: string };
    const meta = require(path.join(path.dirname(installer.path), 'package.json')) as { name: string; version: string };
    return { path: installer.path, package: `${meta.name}@${meta.version}` };
  } catch {
    return null; // unsupported platform (the package throws) or its optional platform build not installed
  }
}

/** npm sets the x bit in the package's postinstall; an install with scripts off may leave it unset. */
function ensureExecutable(file: string): void {
  try {
    fs.accessSync(file, fs.constants.X_OK);
  } catch {
    try {
      fs.chmodSync(file, 0o755);
    } catch {
      /* read-only install: run() reports it */
    }
  }
}

function onPath(command: string, pathEnv: string | undefined): string | null {
  for (const dir of (pathEnv ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, command);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      /* not here */
    }
  }
  return null;
}

function run(bin: string, source: FfmpegSource): Promise<{ found: FfmpegBinary } | null> {
  return new Promise((resolve) => {
    try {
      execFile(bin, ['-hide_banner', '-version'], { encoding: 'utf8', timeout: 10_000 }, (err, stdout) => {
        if (err) return resolve(null);
        const version = /^ffmpeg version (\S+)/.exec(stdout)?.[1] ?? 'unknown';
        resolve({ found: { path: bin, version, source } });
      });
    } catch {
      resolve(null); // not executable at all (EACCES is thrown, not passed to the callback)
    }
  });
}
