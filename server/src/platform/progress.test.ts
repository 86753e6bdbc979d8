// Progress output: a redrawn bar on a terminal, a few plain lines in a log.
import { describe, expect, it } from 'vitest';
import { progress, type ProgressStream } from './progress.ts';

function capture(isTTY: boolean): ProgressStream & { text: () => string } {
  const chunks: string[] = [];
  return {
    isTTY,
    columns: 100,
    write: (c: string) => {
      chunks.push(c);
      return true;
    },
    text: () => chunks.join(''),
  };
}

describe('progress', () => {
  it('writes at most 11 plain lines for 1,000 steps when not on a terminal: each 10 % and the end', () => {
    const out = capture(false);
    const p = progress('importing rows', 1000, { out });
    for (let i = 0; i < 1000; i++) p.tick();
    p.finish(); // already finished by the last tick: nothing more
    const lines = out.text().split('\n').filter(Boolean);
    expect(lines.length).toBeLessThanOrEqual(11);
    const percents = lines.map((l) => Number(/: (\d+)%/.exec(l)?.[1]));
    expect(percents).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
    expect(lines.at(-1)).toMatch(/^importing rows: 100% \(1000\/1000\) in \d+\.\d s$/);
    expect(out.text()).not.toContain('\r');
  });

  it('prints one line for a jump over several steps, and where it stopped when finished early', () => {
    const out = capture(false);
    const p = progress('sending', 200, { out });
    p.update(110, 'batch 3');
    p.update(118); // still in the 50 % step: no line
    p.finish();
    expect(out.text().split('\n').filter(Boolean)).toEqual([
      'sending: 55% (110/200 batch 3)',
      expect.stringMatching(/^sending: 59% \(118\/200 batch 3\) in /),
    ]);
  });

  it('redraws one bar line in place on a terminal, throttled, and ends it with a newline', () => {
    const out = capture(true);
    let clock = 0;
    const p = progress('seeding', 1000, { out, now: () => clock, redrawMs: 100 });
    for (let i = 0; i < 1000; i++) {
      clock += 1;
      p.tick(1, `step ${i}`);
    }
    const text = out.text();
    expect(text.split('\n')).toHaveLength(2); // one line, closed once
    expect(text.endsWith('\n')).toBe(true);
    const draws = text.split('\r').filter(Boolean);
    expect(draws.length).toBeGreaterThanOrEqual(10);
    expect(draws.length).toBeLessThanOrEqual(12); // every 100 ms of the 1 s run, plus the last
    expect(draws.at(-1)).toBe(`seeding [${'#'.repeat(24)}] 100% 1000/1000 step 999 in 1.0 s\x1b[K\n`);
  });

  it('keeps the bar within the terminal width', () => {
    const out = capture(true);
    out.columns = 40;
    const p = progress('a long label that goes on', 10, { out });
    p.update(5, 'x'.repeat(80));
    const drawn = out.text().split('\r').filter(Boolean)[0]!.replace('\x1b[K', '');
    expect(drawn.length).toBeLessThan(40);
  });

  it('finishes at once with nothing to do', () => {
    const out = capture(false);
    progress('nothing', 0, { out }).update(0);
    expect(out.text()).toMatch(/^nothing: 100% \(0\/0\) in \d+\.\d s\n$/);
  });
});
