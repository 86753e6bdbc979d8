// The build: every page of app.json is compiled (js, json, wxml, wxss present), TypeScript is gone, the sizes are
// printed, and a package over budget fails the build.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { root } from './wx.ts';

const out = fs.mkdtempSync(path.join(os.tmpdir(), 'mp-build-'));
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));
const build = (env: Record<string, string> = {}) =>
  spawnSync('node', ['build.mjs', '--out', out], { cwd: root, encoding: 'utf8', env: { ...process.env, ...env } });

describe('mini-program build', () => {
  it('compiles every page and component of app.json and prints the package sizes', () => {
    const r = build();
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/main package: \d+\.\d KB \(budget 2048\.0 KB\)/);
    expect(r.stdout).toMatch(/subpackage mall\/: \d+\.\d KB/);
    expect(r.stdout).toMatch(/subpackage user\/: \d+\.\d KB/);
    expect(r.stdout).toMatch(/total: \d+\.\d KB \(budget 20480\.0 KB\)/);
    const app = JSON.parse(fs.readFileSync(path.join(out, 'app.json'), 'utf8'));
    const pages = [
      ...app.pages,
      ...app.subpackages.flatMap((s: { root: string; pages: string[] }) => s.pages.map((p) => `${s.root}/${p}`)),
    ];
    expect(pages.length).toBeGreaterThanOrEqual(13);
    for (const p of pages) {
      for (const ext of ['js', 'json', 'wxml', 'wxss'])
        expect(fs.existsSync(path.join(out, `${p}.${ext}`)), `${p}.${ext}`).toBe(true);
      const json = JSON.parse(fs.readFileSync(path.join(out, `${p}.json`), 'utf8'));
      for (const c of Object.values(json.usingComponents ?? {}) as string[]) {
        expect(fs.existsSync(path.join(out, `${c}.js`)), c).toBe(true);
      }
    }
    const files = fs.readdirSync(out, { recursive: true }) as string[];
    expect(files.filter((f) => f.endsWith('.ts'))).toEqual([]);
    expect(fs.readFileSync(path.join(out, 'pages/room/index.js'), 'utf8')).toContain(
      'require("../../api/room-socket")',
    );
    // The SDK's room-socket core (reconnect, resume, requests) is bundled into api/room-socket.js, once.
    const socket = fs.readFileSync(path.join(out, 'api/room-socket.js'), 'utf8');
    expect(socket).toContain('RoomSocketCore = class');
    expect(socket).not.toMatch(/require\((?!"\.\.\/config")/);
    // The SDK's Chinese error catalogue is bundled into api/errors.js (nothing outside the package is required),
    // as UTF-8 text, and once: the pages require api/errors.
    const errors = fs.readFileSync(path.join(out, 'api/errors.js'), 'utf8');
    expect(errors).toContain('ORDER_NOT_CANCELLABLE');
    expect(errors).toContain('该订单不能取消');
    expect(errors).not.toMatch(/require\(/);
    const js = files.filter((f) => f.endsWith('.js')).map((f) => fs.readFileSync(path.join(out, f), 'utf8'));
    expect(js.filter((t) => t.includes('ORDER_NOT_CANCELLABLE'))).toHaveLength(1);
    expect(js.filter((t) => t.includes('RoomSocketCore = class'))).toHaveLength(1);
    expect(js.some((t) => /require\([^)]*packages\/sdk/.test(t))).toBe(false);
  });

  it('fails when the main package or the whole package is over budget', () => {
    const main = build({ MP_MAIN_BUDGET: '10000' });
    expect(main.status).toBe(1);
    expect(main.stderr).toContain('over the package budget');
    const total = build({ MP_TOTAL_BUDGET: '50000' });
    expect(total.status).toBe(1);
  });
});
