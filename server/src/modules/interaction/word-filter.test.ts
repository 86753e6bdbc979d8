import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { WordFilter } from './word-filter.ts';

describe('WordFilter (Aho–Corasick)', () => {
  const f = new WordFilter([
    { word: '傻瓜', action: 'mask' },
    { word: 'he', action: 'mask' },
    { word: 'she', action: 'mask' },
    { word: 'hers', action: 'review' },
    { word: '加微信', action: 'block' },
  ]);

  it('finds overlapping words and masks exactly their characters', () => {
    const r = f.check('ushers');
    expect(r.matches.map((m) => m.word).sort()).toEqual(['he', 'hers', 'she']);
    expect(r.masked).toBe('u*****');
    expect(r.action).toBe('review');
  });

  it('sees through full-width letters, case and separators, keeping the separators', () => {
    expect(f.check('你这个傻 瓜').masked).toBe('你这个* *');
    expect(f.check('ＳＨＥ said').masked).toBe('*** said');
    expect(f.check('加.微.信 领红包').action).toBe('block');
    expect(f.check('hello world').action).toBe('mask');
    expect(f.check('你好').action).toBe('allow');
  });

  it('agrees with a naive search on random text', () => {
    const words = ['ab', 'bab', 'abc', 'c'];
    const filter = new WordFilter(words.map((word) => ({ word, action: 'mask' as const })));
    fc.assert(
      fc.property(fc.stringMatching(/^[abc]{0,30}$/), (text) => {
        const expected: string[] = [];
        for (const w of words)
          for (let i = text.indexOf(w); i !== -1; i = text.indexOf(w, i + 1)) expected.push(`${w}@${i}`);
        const got = filter.check(text).matches.map((m) => `${m.word}@${m.start}`);
        expect(got.sort()).toEqual(expected.sort());
      }),
      { numRuns: 300 },
    );
  });
});
