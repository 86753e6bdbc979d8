/** Integer fen as yuan text: 1990 → "¥19.90". */
export function yuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const a = Math.abs(Math.round(fen));
  return `${sign}¥${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}`;
}

/** Seconds left until an ISO time, as mm:ss (or h:mm:ss); 00:00 once passed. */
export function countdown(untilIso: string, now = Date.now()): string {
  const s = Math.max(0, Math.floor((Date.parse(untilIso) - now) / 1000));
  const two = (n: number) => String(n).padStart(2, '0');
  const h = Math.floor(s / 3600);
  return h > 0 ? `${h}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}` : `${two(Math.floor(s / 60))}:${two(s % 60)}`;
}
