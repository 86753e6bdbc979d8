// Passwords stored before the move from node-argon2 to @node-rs/argon2 keep working: the fixtures
// are hashes node-argon2 0.45 produced (its defaults, other parameters and variants), with their
// passwords. New hashes keep the parameters the stored ones have, so sign-in timing stays uniform.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_BACKENDS } from '../../../test/backends.ts';
import { startNode, type TestNode } from '../../../test/harness.ts';
import { hashPassword, verifyPassword } from './passwords.ts';

interface Fixture {
  note: string;
  password: string;
  hash: string;
}
const fixtureFile = new URL('./fixtures/argon2-legacy-hashes.json', import.meta.url);
const fixtures = (JSON.parse(fs.readFileSync(fixtureFile, 'utf8')) as { hashes: Fixture[] }).hashes;

describe('password hashes made by node-argon2', () => {
  it.each(fixtures)('verifies $note', async ({ password, hash }) => {
    expect(await verifyPassword(hash, password)).toBe(true);
    expect(await verifyPassword(hash, `${password}x`)).toBe(false);
    expect(await verifyPassword(hash, password.slice(0, -1))).toBe(false);
  });

  it('makes new argon2id hashes with the stored parameters, each with its own salt', async () => {
    const [a, b] = await Promise.all([hashPassword('Tangerine7kite'), hashPassword('Tangerine7kite')]);
    expect(a).toMatch(/^\$argon2id\$v=19\$m=65536,t=3,p=4\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword(a, 'Tangerine7kite')).toBe(true);
    expect(await verifyPassword(a, 'tangerine7kite')).toBe(false);
  });

  it('answers false, not an exception, for a malformed stored hash', async () => {
    for (const bad of ['', 'not-a-hash', '$argon2id$v=19$m=65536,t=3,p=4$short', '$2b$10$abcdefghijklmnopqrstuv']) {
      expect(await verifyPassword(bad, 'Tangerine7kite'), bad).toBe(false);
    }
  });
});

describe.each(APP_BACKENDS)('signing in with a password stored by node-argon2 on $name', (backend) => {
  let node: TestNode;
  beforeAll(async () => {
    node = await startNode({ db: backend.db, cache: backend.cache });
  });
  afterAll(async () => {
    await node?.close();
  });

  it('signs the shopper in with the old hash, and refuses a wrong password', async () => {
    const legacy = fixtures[0]!;
    const phone = '13855550001';
    await node.app.ctx.db
      .insertInto('users')
      .values({ phone, nickname: 'legacy', password_hash: legacy.hash, is_platform_admin: false })
      .execute();
    const login = (password: string) =>
      node.api('POST', '/api/auth/login', { body: { phone, password, refreshTokenIn: 'body' } });
    const ok = await login(legacy.password);
    expect(ok.status).toBe(200);
    expect(ok.body.tokens.accessToken).toEqual(expect.any(String));
    const wrong = await login('Wrong2guess9');
    expect(wrong.status).toBe(401);
  });
});
