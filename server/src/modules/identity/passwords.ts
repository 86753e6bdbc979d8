import { hash, verify, type Algorithm, type Options } from '@node-rs/argon2';
import { dictionary } from '@zxcvbn-ts/language-common';
import { badRequest } from '../../platform/errors.ts';

// argon2id, 64 MiB, t=3, p=4: the OWASP-recommended family, with the parameters every stored hash
// has (they were the defaults of node-argon2, used before @node-rs/argon2). The package's Algorithm
// is a const enum with no runtime object, so Argon2id is written as its value.
const ARGON2ID = 2 satisfies Algorithm.Argon2id;
const HASH_OPTIONS: Options = { algorithm: ARGON2ID, memoryCost: 65_536, timeCost: 3, parallelism: 4 };

export const hashPassword = (password: string) => hash(password, HASH_OPTIONS);
/** False for a wrong password and for a malformed hash (verify throws "Decoding failed" then). */
export const verifyPassword = async (hashed: string, password: string) => {
  try {
    return await verify(hashed, password);
  } catch {
    return false;
  }
};

/** How the auth service hashes and checks passwords (tests wrap it to count verifications). */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
}
export const argon2Hasher: PasswordHasher = { hash: hashPassword, verify: verifyPassword };

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

// The 10,000 most common passwords of zxcvbn-ts's ranked list (leaked-password corpora), plus
// favourites of Chinese users that pass the letters-and-digits rule. Compared case-insensitively.
const COMMON_LIST_SIZE = 10_000;
const CHINESE_FAVOURITES = [
  'woaini1314',
  'woaini520',
  'woaini123',
  'woaini521',
  'a5201314',
  'qq5201314',
  'aini1314',
  'iloveyou1314',
  'a1314520',
  'abc5201314',
  'asd123456',
  'qwe123456',
  'zxc123456',
  'wang123456',
  'li123456',
  'zhang123456',
  'liu123456',
  'chen123456',
  'yang123456',
  'huang123456',
  'zhao123456',
  'wu123456',
];
let common: Set<string> | undefined;

/** True for a password on the common-password list: the first ones an attacker tries. */
export function isCommonPassword(password: string): boolean {
  common ??= new Set([...dictionary['passwords-common'].slice(0, COMMON_LIST_SIZE), ...CHINESE_FAVOURITES]);
  return common.has(password.toLowerCase());
}

/** Throws the stable 400 for a new password that is too weak (PASSWORD_WEAK) or too common (PASSWORD_COMMON). */
export function assertAcceptablePassword(password: string): void {
  const problem = passwordProblem(password);
  if (problem) throw badRequest('PASSWORD_WEAK', `Password needs ${problem}`);
  if (isCommonPassword(password)) {
    throw badRequest('PASSWORD_COMMON', 'This password is among the most common ones; choose another');
  }
}
