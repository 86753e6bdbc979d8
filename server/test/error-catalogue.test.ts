// Every error code a shopper or merchant can meet has a text in both languages of the web apps'
// catalogue (packages/sdk/src/errors.ts, keys errors.<CODE>). The codes are read from the server's
// source (error-codes.ts), so a new code fails this test until someone writes what it means.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE, errorKey, LANGS, translateError } from '../../packages/sdk/src/errors.ts';
import { DYNAMIC_SITES, scanErrorCodes } from './error-codes.ts';

/** Codes only machines read, never shown to a person by the shop, the console or the mini-program. */
const MACHINE_ONLY: Record<string, string> = {
  // Per-event verdicts inside a 202 analytics beacon answer; the tracker does not show them.
  BAD_TIME: 'beacon',
  IN_THE_FUTURE: 'beacon',
  TOO_OLD: 'beacon',
  UNKNOWN_EVENT_TYPE: 'beacon',
  ROOM_REQUIRED: 'beacon',
  PRODUCT_REQUIRED: 'beacon',
  PROPS_TOO_LARGE: 'beacon',
  ROOM_OR_PRODUCT_REQUIRED: 'beacon',
  MERCHANT_MISMATCH: 'beacon',
  // Answers to WeChat Pay / Alipay payment notifications.
  SUCCESS: 'payment provider',
  FAIL: 'payment provider',
  NOTIFICATION_REJECTED: 'payment provider',
  SIGNATURE_MISSING: 'payment provider',
  SIGNATURE_INVALID: 'payment provider',
  SIGNATURE_STALE: 'payment provider',
  APP_MISMATCH: 'payment provider',
  DECRYPT_FAILED: 'payment provider',
};

describe('error catalogue of the web apps', () => {
  const scan = scanErrorCodes();
  const codes = [...scan.codes.keys()].sort();

  it("finds the server's codes, and every code argument it reads is resolved", () => {
    expect(scan.unresolved).toEqual([]);
    // The scan is not empty by accident: well-known codes from several modules are in it.
    for (const c of [
      'FLASH_SOLD_OUT',
      'PASSWORD_COMMON',
      'ROOM_NOT_FOUND',
      'VALIDATION_FAILED',
      'REFRESH_TOKEN_REUSED',
    ]) {
      expect(codes).toContain(c);
    }
    expect(codes.length).toBeGreaterThan(150);
  });

  it('lists only real codes for the sites that pick a code at run time', () => {
    const src = path.resolve(import.meta.dirname, '../src');
    for (const [file, site] of Object.entries(DYNAMIC_SITES)) {
      const text = fs.readFileSync(path.join(src, file), 'utf8');
      for (const c of site.codes) expect(text, `${file} makes ${c}`).toContain(`'${c}'`);
    }
  });

  it('has a Chinese and an English text for every code a person can meet', () => {
    const missing = LANGS.flatMap((lang) =>
      codes
        .filter((c) => !(c in MACHINE_ONLY) && !ERROR_CATALOGUE[lang].errors[c]?.trim())
        .map((c) => `${lang}: ${errorKey(c)} (thrown in ${[...scan.codes.get(c)!].join(', ')})`),
    );
    expect(missing, 'add these to packages/sdk/src/errors-zh.ts / errors-en.ts').toEqual([]);
  });

  it('keeps machine-only codes honest: each is still emitted and has no catalogue text', () => {
    for (const c of Object.keys(MACHINE_ONLY)) {
      expect(codes, `${c} is listed as machine-only`).toContain(c);
      for (const lang of LANGS) expect(ERROR_CATALOGUE[lang].errors[c]).toBeUndefined();
    }
  });

  it('shows an API failure by its code in the chosen language, the server message as fallback', () => {
    const failure = { status: 409, error: { code: 'FLASH_SOLD_OUT', message: 'Sold out' } };
    expect(translateError(failure, 'zh')).toBe('已抢光');
    expect(translateError(failure, 'en')).toBe('Sold out');
    expect(translateError({ error: { code: 'SOMETHING_NEW', message: 'Server words' } }, 'zh')).toBe('Server words');
    expect(translateError(new Error('offline'), 'en')).toBe('offline');
    // A realtime error frame ({ code, message }) too.
    expect(translateError({ code: 'INVITE_REVOKED', message: 'withdrawn' }, 'zh')).toBe('店铺已撤回这个邀请');
  });
});
