// Where a shopper goes after paying: somewhere on this site only. Browsers read "//evil.example"
// and "/\evil.example" (and the same with tabs or newlines inside, which URL parsers drop) as
// another host, so a path must start with exactly one "/" followed by neither "/" nor "\", and
// carry no whitespace, control characters or backslashes at all.
// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
const SAME_SITE_PATH = /^\/(?![/\\])[^\\\s\u0000-\u001f\u007f]*$/;
const BASE = 'http://same-site.invalid';

/** The path itself when it is a same-site path, else "/". */
export function safeReturnPath(url: string | undefined): string {
  if (!url || url.length > 500 || !SAME_SITE_PATH.test(url)) return '/';
  const parsed = new URL(url, BASE);
  if (parsed.origin !== BASE) return '/';
  return `${parsed.pathname}${parsed.search}${parsed.hash}`;
}

/** An absolute URL on this site for a path or same-origin URL; null for anything else. */
export function sameSiteReturnUrl(url: string, publicUrl: string): string | null {
  const site = new URL(publicUrl);
  if (SAME_SITE_PATH.test(url)) return new URL(safeReturnPath(url), site).href;
  try {
    const abs = new URL(url);
    return abs.origin === site.origin && !/[\\\s]/.test(url) ? abs.href : null;
  } catch {
    return null;
  }
}
