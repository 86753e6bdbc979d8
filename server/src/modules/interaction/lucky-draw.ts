// The lucky-bag draw anyone can verify. At start the shop commits to sha256(seed) (published with
// the bag); at the draw the seed is revealed. Winners are a pure function of the seed and the
// entrant list sorted by user id: for round i, take sha256(seed + ':' + i) as a big integer modulo
// the number of entrants still in the pool, remove that entrant, repeat. Recompute it with this file.
import crypto from 'node:crypto';

export const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');

export function drawWinners(seed: string, entrantIds: number[], count: number): number[] {
  const pool = [...new Set(entrantIds)].sort((a, b) => a - b);
  const winners: number[] = [];
  for (let i = 0; i < count && pool.length > 0; i++) {
    const n = BigInt(`0x${sha256(`${seed}:${i}`)}`);
    const idx = Number(n % BigInt(pool.length));
    winners.push(pool.splice(idx, 1)[0]!);
  }
  return winners;
}

export const DRAW_ALGORITHM =
  'entrants sorted by user id; for round i = 0..k-1: index = int(sha256(seed + ":" + i), 16) mod (entrants left); winner = that entrant, removed from the pool. Check: sha256(seed) = seedHash.';
