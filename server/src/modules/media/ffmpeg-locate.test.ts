// Which ffmpeg a node picks: the system's when it runs, else the static build shipped in npm, never
// a fallback when FFMPEG_PATH names one explicitly, and none when it is turned off or nothing exists.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bundledFfmpeg, locateFfmpeg } from './ffmpeg-locate.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'livemall-ffmpeg-locate-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A directory holding a fake `ffmpeg` script that prints `banner` and exits with `code`. */
function fakeBin(name: string, banner: string, code = 0, mode = 0o755): string {
  const binDir = path.join(dir, name);
  fs.mkdirSync(binDir, { recursive: true });
  const file = path.join(binDir, 'ffmpeg');
  fs.writeFileSync(file, `#!/bin/sh\necho '${banner}'\nexit ${code}\n`, { mode });
  fs.chmodSync(file, mode);
  return binDir;
}
const emptyDir = fs.mkdtempSync(path.join(dir, 'empty-'));
const PACKAGE = '@ffmpeg-installer/test@1.0.0';
const fakeBundled = (binDir: string) => () => ({ path: path.join(binDir, 'ffmpeg'), package: PACKAGE });
const noBundled = () => null;

describe('choosing ffmpeg', () => {
  it('uses the system ffmpeg on PATH when it runs', async () => {
    const system = fakeBin('system', 'ffmpeg version 9.9-system Copyright');
    const bundled = fakeBundled(fakeBin('b1', 'ffmpeg version 4.1-bundled'));
    const r = await locateFfmpeg('auto', { pathEnv: `${emptyDir}${path.delimiter}${system}`, bundled });
    expect(r.found).toEqual({ path: path.join(system, 'ffmpeg'), version: '9.9-system', source: 'system' });
  });

  it('falls back to the bundled ffmpeg when none is on PATH, or the one there does not run', async () => {
    const bundled = fakeBundled(fakeBin('b2', 'ffmpeg version 4.1-bundled'));
    const expected = { path: bundled().path, version: '4.1-bundled', source: 'bundled', package: PACKAGE };
    expect((await locateFfmpeg('auto', { pathEnv: emptyDir, bundled })).found).toEqual(expected);
    expect((await locateFfmpeg('auto', { pathEnv: undefined, bundled })).found).toEqual(expected);
    const broken = fakeBin('broken', 'ffmpeg: error while loading shared libraries', 127);
    expect((await locateFfmpeg('auto', { pathEnv: broken, bundled })).found).toEqual(expected);
  });

  it('makes a bundled binary executable when the install left its x bit unset (install scripts off)', async () => {
    const bundled = fakeBundled(fakeBin('b3', 'ffmpeg version 4.1-bundled', 0, 0o644));
    expect((await locateFfmpeg('auto', { pathEnv: emptyDir, bundled })).found?.source).toBe('bundled');
    expect(fs.statSync(bundled().path).mode & 0o111).not.toBe(0);
  });

  it('finds none when neither exists, and says why', async () => {
    const r = await locateFfmpeg('auto', { pathEnv: emptyDir, bundled: noBundled });
    expect(r.found).toBeNull();
    expect(r.reason).toMatch(/no ffmpeg on PATH and no bundled ffmpeg/);
  });

  it('is off with FFMPEG_PATH=none even though both exist', async () => {
    const system = fakeBin('system2', 'ffmpeg version 9.9-system');
    const r = await locateFfmpeg('none', {
      pathEnv: system,
      bundled: fakeBundled(fakeBin('b4', 'ffmpeg version 4.1')),
    });
    expect(r).toEqual({ found: null, reason: 'turned off (FFMPEG_PATH=none)' });
  });

  it('uses an explicit FFMPEG_PATH as given, with no fallback when it is missing', async () => {
    const bundled = fakeBundled(fakeBin('b5', 'ffmpeg version 4.1'));
    const own = path.join(fakeBin('own', 'ffmpeg version 6.0-own'), 'ffmpeg');
    const found = (await locateFfmpeg(own, { pathEnv: emptyDir, bundled })).found;
    expect(found).toEqual({ path: own, version: '6.0-own', source: 'system' });
    const missing = await locateFfmpeg(path.join(dir, 'no-such-ffmpeg'), { pathEnv: emptyDir, bundled });
    expect(missing.found).toBeNull();
    expect(missing.reason).toContain('not found');
  });

  it('uses the bundled build with FFMPEG_PATH=bundled even where a system ffmpeg exists', async () => {
    const system = fakeBin('system3', 'ffmpeg version 9.9-system');
    const bundled = fakeBundled(fakeBin('b6', 'ffmpeg version 4.1-bundled'));
    expect((await locateFfmpeg('bundled', { pathEnv: system, bundled })).found?.source).toBe('bundled');
  });

  it('finds the real static build shipped in @ffmpeg-installer/ffmpeg and runs it', async () => {
    const real = bundledFfmpeg();
    expect(real, 'the npm package has no ffmpeg for this platform').not.toBeNull();
    const r = await locateFfmpeg('auto', { pathEnv: emptyDir });
    expect(r.found).toMatchObject({ source: 'bundled', path: real!.path, package: real!.package });
    expect(r.found!.version).not.toBe('unknown');
  });
});
