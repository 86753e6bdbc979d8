// Secrets a deployment makes for itself: generated on first start, kept in platform_settings and
// so shared by every node (JWT_SECRET when not given, the payment sandbox's signing key).
import crypto from 'node:crypto';
import type { Db } from './types.ts';

export async function deploymentSecret(db: Db, key: string, bytes = 48): Promise<string> {
  const generated = crypto.randomBytes(bytes).toString('base64url');
  // Two nodes starting at once: the first insert wins and both read the same value back.
  await db
    .insertInto('platform_settings')
    .values({ key, value: JSON.stringify(generated) })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  const row = await db.selectFrom('platform_settings').select('value').where('key', '=', key).executeTakeFirstOrThrow();
  return row.value as string;
}
