// ffmpeg rewrites a live HLS playlist every segment. Debian's ffmpeg writes a temp file and renames
// it; the static 4.1 build bundled from npm truncates the playlist and writes it in place, so a
// reader can find it empty for a moment. Read playlists whole (never stat-then-stream: the size
// changes underneath) and hand out only one that has its #EXTM3U header.
import fs from 'node:fs';

const HEADER = Buffer.from('#EXTM3U');

/** The playlist's bytes once complete; null when the file is missing or stays incomplete. */
export async function readCompletePlaylist(file: string, tries = 10, waitMs = 15): Promise<Buffer | null> {
  for (let i = 0; i < tries; i++) {
    const bytes = await fs.promises.readFile(file).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return null;
      throw err;
    });
    if (bytes === null) return null;
    if (bytes.subarray(0, HEADER.length).equals(HEADER)) return bytes;
    await new Promise((resolve) => setTimeout(resolve, waitMs));
  }
  return null;
}
