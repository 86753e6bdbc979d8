// A playlist caught mid-rewrite (ffmpeg 4.1 truncates it, then writes it) is read again, not served empty.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readCompletePlaylist } from './playlist-file.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'livemall-playlist-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const PLAYLIST = '#EXTM3U\n#EXT-X-VERSION:6\n#EXTINF:1.000000,\nseg_000001.ts';

describe('reading a live playlist', () => {
  it('waits out a truncated playlist and returns it once rewritten', async () => {
    const file = path.join(dir, 'rewriting.m3u8');
    fs.writeFileSync(file, '');
    setTimeout(() => fs.writeFileSync(file, PLAYLIST), 40);
    expect((await readCompletePlaylist(file, 50, 15))?.toString()).toBe(PLAYLIST); // a generous window under load
  });

  it('returns null for a missing playlist, and for one that never gets its header', async () => {
    expect(await readCompletePlaylist(path.join(dir, 'missing.m3u8'))).toBeNull();
    const file = path.join(dir, 'broken.m3u8');
    fs.writeFileSync(file, 'seg_000001.ts\n');
    expect(await readCompletePlaylist(file, 3, 5)).toBeNull();
  });
});
