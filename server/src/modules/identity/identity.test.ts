import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_BACKENDS } from '../../../test/backends.ts';
import { makeMerchant, startNode, type TestNode } from '../../../test/harness.ts';

describe.each(APP_BACKENDS)('identity & access on $name', (backend) => {
  let node: TestNode;
  beforeAll(async () => {
    node = await startNode({ db: backend.db, cache: backend.cache });
  });
  afterAll(async () => {
    await node?.close();
  });

  it('registers, signs in, reads /api/me, and rejects a duplicate phone', async () => {
    const reg = await node.api('POST', '/api/auth/register', {
      body: { phone: '+86 138-1234-5678', password: 'secret123', nickname: '阿花' },
    });
    expect(reg.status).toBe(201);
    expect(reg.body.user).toMatchObject({ phone: '13812345678', nickname: '阿花', isPlatformAdmin: false });
    expect(reg.body.user).not.toHaveProperty('passwordHash');
    const me = await node.api('GET', '/api/me', { token: reg.body.tokens.accessToken });
    expect(me.status).toBe(200);
    expect(me.body.user.id).toBe(reg.body.user.id);
    expect(me.body.merchants).toEqual([]);
    const dup = await node.api('POST', '/api/auth/register', { body: { phone: '13812345678', password: 'secret123' } });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('PHONE_TAKEN');
    const bad = await node.api('POST', '/api/auth/login', { body: { phone: '13812345678', password: 'wrong1234' } });
    expect(bad.status).toBe(401);
    expect(bad.body.error.code).toBe('INVALID_CREDENTIALS');
    const weak = await node.api('POST', '/api/auth/register', { body: { phone: '13812345679', password: 'short' } });
    expect(weak.body.error.code).toBe('PASSWORD_WEAK');
  });

  it('rotates refresh tokens, detects reuse, and revokes on logout', async () => {
    const { token, refreshToken } = await node.userToken('13811110001');
    const r1 = await node.api('POST', '/api/auth/refresh', { body: { refreshToken } });
    expect(r1.status).toBe(200);
    expect(r1.body.refreshToken).not.toBe(refreshToken);
    // The new access token works.
    expect((await node.api('GET', '/api/me', { token: r1.body.accessToken })).status).toBe(200);
    // Reusing the spent refresh token is treated as theft: the whole session is revoked.
    const reuse = await node.api('POST', '/api/auth/refresh', { body: { refreshToken } });
    expect(reuse.status).toBe(401);
    expect(reuse.body.error.code).toBe('REFRESH_TOKEN_REUSED');
    const afterTheft = await node.api('POST', '/api/auth/refresh', { body: { refreshToken: r1.body.refreshToken } });
    expect(afterTheft.body.error.code).toBe('SESSION_REVOKED');
    const revokedAccess = await node.api('GET', '/api/me', { token: r1.body.accessToken });
    expect(revokedAccess.status).toBe(401);
    expect(revokedAccess.body.error.code).toBe('SESSION_REVOKED');
    void token;

    const s2 = await node.userToken('13811110001');
    const out = await node.api('POST', '/api/auth/logout', { body: { refreshToken: s2.refreshToken } });
    expect(out.status).toBe(200);
    expect((await node.api('GET', '/api/me', { token: s2.token })).body.error.code).toBe('SESSION_REVOKED');
    expect(
      (await node.api('POST', '/api/auth/refresh', { body: { refreshToken: s2.refreshToken } })).body.error.code,
    ).toBe('SESSION_REVOKED');
  });

  it('rejects bad and tampered tokens with stable codes', async () => {
    const { token } = await node.userToken('13811110002');
    const tampered = token.slice(0, -3) + (token.endsWith('aaa') ? 'bbb' : 'aaa');
    for (const [auth, code] of [
      [`Bearer ${tampered}`, 'TOKEN_INVALID'],
      ['Bearer not.a.jwt', 'TOKEN_INVALID'],
      [`Basic ${token}`, 'TOKEN_INVALID'],
    ] as const) {
      const r = await node.api('GET', '/api/me', { headers: { authorization: auth } });
      expect(r.status).toBe(401);
      expect(r.body.error.code).toBe(code);
    }
    const none = await node.api('GET', '/api/me');
    expect(none.body.error.code).toBe('UNAUTHENTICATED');
  });

  it('guards roles: platform routes need an operator, owner routes need an owner', async () => {
    const { merchantId, owner } = await makeMerchant(node, '测试店铺 Guard', '13811110010');
    const customer = await node.userToken('13811110011');
    const list = await node.api('GET', '/api/platform/merchants', { token: customer.token });
    expect(list.status).toBe(403);
    expect(list.body.error.code).toBe('FORBIDDEN');
    // Owner adds a staff member and an anchor.
    const staff = await node.userToken('13811110012');
    await node.userToken('13811110013');
    expect(
      (
        await node.api('POST', `/api/merchants/${merchantId}/staff`, {
          token: owner.token,
          body: { phone: '13811110012', role: 'merchant_staff' },
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await node.api('POST', `/api/merchants/${merchantId}/staff`, {
          token: owner.token,
          body: { phone: '13811110013', role: 'anchor' },
        })
      ).status,
    ).toBe(201);
    // Staff can read the team, but not add to it or edit the shop.
    const team = await node.api('GET', `/api/merchants/${merchantId}/staff`, { token: staff.token });
    expect(team.status).toBe(200);
    expect(team.body.map((m: { role: string }) => m.role).sort()).toEqual([
      'anchor',
      'merchant_owner',
      'merchant_staff',
    ]);
    const add = await node.api('POST', `/api/merchants/${merchantId}/staff`, {
      token: staff.token,
      body: { phone: '13811110011', role: 'anchor' },
    });
    expect(add.status).toBe(403);
    expect(
      (await node.api('PATCH', `/api/merchants/${merchantId}`, { token: staff.token, body: { name: 'hijack' } }))
        .status,
    ).toBe(403);
    // The last owner cannot be removed or demoted.
    const demote = await node.api('PATCH', `/api/merchants/${merchantId}/staff/${owner.userId}`, {
      token: owner.token,
      body: { role: 'merchant_staff' },
    });
    expect(demote.status).toBe(409);
    expect(demote.body.error.code).toBe('LAST_OWNER');
  });

  it("keeps merchants apart: A cannot read or change B's staff, through routes or services", async () => {
    const a = await makeMerchant(node, '店铺A Tenancy', '13811110020');
    const b = await makeMerchant(node, '店铺B Tenancy', '13811110030');
    await node.userToken('13811110031');
    expect(
      (
        await node.api('POST', `/api/merchants/${b.merchantId}/staff`, {
          token: b.owner.token,
          body: { phone: '13811110031', role: 'merchant_staff' },
        })
      ).status,
    ).toBe(201);
    const bStaffId = (
      await node.api('GET', `/api/merchants/${b.merchantId}/staff`, { token: b.owner.token })
    ).body.find((m: { phone: string }) => m.phone === '13811110031').userId;

    for (const [method, route, body] of [
      ['GET', `/api/merchants/${b.merchantId}/staff`, undefined],
      ['GET', `/api/merchants/${b.merchantId}`, undefined],
      ['POST', `/api/merchants/${b.merchantId}/staff`, { phone: '13811110020', role: 'merchant_owner' }],
      ['PATCH', `/api/merchants/${b.merchantId}/staff/${bStaffId}`, { role: 'merchant_owner' }],
      ['DELETE', `/api/merchants/${b.merchantId}/staff/${bStaffId}`, undefined],
    ] as const) {
      const r = await node.api(method, route, { token: a.owner.token, body });
      expect(r.status, `${method} ${route}`).toBe(403);
    }
    // The service layer refuses too, even when called directly (no route guard in between).
    const merchants = node.app.ctx.services.merchants;
    const actorA = { userId: a.owner.userId, sessionId: 'x', isPlatformAdmin: false };
    await expect(merchants.listStaff(actorA, b.merchantId)).rejects.toMatchObject({ statusCode: 404 });
    await expect(merchants.removeStaff(actorA, b.merchantId, bStaffId)).rejects.toMatchObject({ statusCode: 404 });
    await expect(
      merchants.addStaff(actorA, b.merchantId, { phone: '13811110020', role: 'merchant_owner' }),
    ).rejects.toMatchObject({ statusCode: 404 });
    // Nothing changed in B.
    const bTeam = await node.api('GET', `/api/merchants/${b.merchantId}/staff`, { token: b.owner.token });
    expect(bTeam.body.map((m: { userId: number }) => m.userId).sort()).toEqual([b.owner.userId, bStaffId].sort());
  });

  it('lets a user apply for a shop and an operator approve it', async () => {
    const u = await node.userToken('13811110040');
    const applied = await node.api('POST', '/api/merchants', { token: u.token, body: { name: '新店申请' } });
    expect(applied.status).toBe(201);
    expect(applied.body.status).toBe('pending');
    const admin = await node.userToken('13700000000', { admin: true });
    const ok = await node.api('PATCH', `/api/platform/merchants/${applied.body.id}`, {
      token: admin.token,
      body: { status: 'active', commissionRateBp: 600 },
    });
    expect(ok.body).toMatchObject({ status: 'active', commissionRateBp: 600 });
    const events = await node.app.ctx.db
      .selectFrom('outbox_events')
      .select('type')
      .where('aggregate_id', '=', String(applied.body.id))
      .orderBy('id') // the order they were emitted in (PostgreSQL returns updated rows in any order)
      .execute();
    expect(events.map((e) => e.type)).toEqual(['merchant.applied', 'merchant.activated']);
  });

  it('disables an account: its tokens stop working at once', async () => {
    const u = await node.userToken('13811110050');
    const admin = await node.userToken('13700000000', { admin: true });
    expect(
      (await node.api('PATCH', `/api/platform/users/${u.userId}`, { token: admin.token, body: { status: 'disabled' } }))
        .status,
    ).toBe(200);
    const r = await node.api('GET', '/api/me', { token: u.token });
    expect(r.status).toBe(401);
    const login = await node.api('POST', '/api/auth/login', { body: { phone: '13811110050', password: 'test1234' } });
    expect(login.body.error.code).toBe('ACCOUNT_DISABLED');
  });
});
