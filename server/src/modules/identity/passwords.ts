import argon2 from 'argon2';

// argon2id with the library's defaults (64 MiB, t=3): the OWASP-recommended family.
export const hashPassword = (password: string) => argon2.hash(password, { type: argon2.argon2id });
export const verifyPassword = async (hash: string, password: string) => {
  try { return await argon2.verify(hash, password); } catch { return false; }
};

/** Mainland mobile numbers, with or without +86; stored as the 11 digits. */
export function normalizePhone(raw: string): string | null {
  const s = raw.replace(/[\s-]/g, '').replace(/^(\+86|0086)/, '');
  return /^1[3-9]\d{9}$/.test(s) ? s : null;
}

export function passwordProblem(password: string): string | null {
  if (password.length < 8) return 'at least 8 characters';
  if (password.length > 128) return 'at most 128 characters';
  if (!/[A-Za-z]/.test(password) || !/\d/.test(password)) return 'letters and digits both';
  return null;
}
