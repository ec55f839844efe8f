import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { codeIn, lastMessage } from '../support/outbox.ts';
import { call, mgmt, STORES, startTestServer, type TestServer } from '../support/server.ts';

// The request path's shortcuts (docs/operations.md, "Request path"): fewer statements, the same answers.
type Jwt = { sessionJwt: string; refreshJwt: string; user: { userId: string } };
type WireUser = {
  userId: string;
  loginIds: string[];
  status: string;
  verifiedEmail: boolean;
  roleNames: string[];
  userTenants: { tenantId: string; roleNames: string[] }[];
};
const claims = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString());
const ok = <T>(res: { status: number; body: T }): T => {
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
};

for (const store of STORES) {
  describe(`request path shortcuts (${store})`, () => {
    let s: TestServer;
    let n = 0;
    const loginId = () => `rp${++n}@request-path.test`;
    const signUp = async (id = loginId()) =>
      ok(
        await call<Jwt>(s, 'POST', '/v1/auth/password/signup', {
          auth: s.project,
          body: { loginId: id, password: 'Request-Path1' },
        }),
      );
    const signIn = async (id: string) =>
      ok(
        await call<Jwt>(s, 'POST', '/v1/auth/password/signin', {
          auth: s.project,
          body: { loginId: id, password: 'Request-Path1' },
        }),
      );
    const refresh = (jwt: string) =>
      call<Jwt>(s, 'POST', '/v1/auth/refresh', { auth: `${s.project}:${jwt}` });
    const session = (userId: string) =>
      s.server.store.db
        .selectFrom('refresh_tokens')
        .select(['jti', 'issued_time', 'last_active_time'])
        .where('user_id', '=', userId)
        .executeTakeFirstOrThrow();
    const setTimes = (userId: string, times: { issued_time?: number; last_active_time?: number | null }) =>
      s.server.store.db.updateTable('refresh_tokens').set(times).where('user_id', '=', userId).execute();
    const now = () => Math.floor(Date.now() / 1000);

    before(async () => {
      s = await startTestServer(store);
      ok(await mgmt(s, 'POST', '/v1/mgmt/project/settings', { rateLimits: { enabled: false } }));
      ok(await mgmt(s, 'POST', '/v1/mgmt/permission/create', { name: 'docs.read' }));
      ok(await mgmt(s, 'POST', '/v1/mgmt/role/create', { name: 'Reader', permissionNames: ['docs.read'] }));
    });
    after(() => s.close());

    test('without an inactivity policy, last_active_time is written only once it moved by a minute', async () => {
      const { refreshJwt, user } = await signUp();
      assert.equal(ok(await refresh(refreshJwt)).user.userId, user.userId);
      assert.equal((await session(user.userId)).last_active_time, null, 'refreshed seconds after sign-in');

      await setTimes(user.userId, { issued_time: now() - 120 });
      ok(await refresh(refreshJwt));
      const written = (await session(user.userId)).last_active_time;
      assert.ok(written !== null && Math.abs(written - now()) <= 5, `written: ${written}`);

      await setTimes(user.userId, { last_active_time: now() - 30 });
      ok(await refresh(refreshJwt));
      assert.equal((await session(user.userId)).last_active_time, now() - 30, 'less than a minute: kept');

      await setTimes(user.userId, { last_active_time: now() - 61 });
      ok(await refresh(refreshJwt));
      const again = (await session(user.userId)).last_active_time!;
      assert.ok(Math.abs(again - now()) <= 5, `rewritten: ${again}`);
    });

    test('under a tenant inactivity policy every refresh records its time, and the tenant lifetime applies', async () => {
      const tenant = ok(
        await mgmt<{ id: string }>(s, 'POST', '/v1/mgmt/tenant/create', { name: `T${n}` }),
      ).id;
      ok(
        await mgmt(s, 'POST', '/v1/mgmt/tenant/settings', {
          tenantId: tenant,
          enabled: true,
          sessionTokenExpiration: 7,
          sessionTokenExpirationUnit: 'minutes',
          enableInactivity: true,
          inactivityTime: 10,
          inactivityTimeUnit: 'minutes',
        }),
      );
      const id = loginId();
      ok(
        await mgmt(s, 'POST', '/v1/mgmt/user/create', {
          loginId: id,
          userTenants: [{ tenantId: tenant, roleNames: ['Reader'] }],
        }),
      );
      ok(
        await mgmt(s, 'POST', '/v1/mgmt/user/password/set/active', {
          loginId: id,
          password: 'Request-Path1',
        }),
      );
      const { refreshJwt, user } = await signIn(id);
      await setTimes(user.userId, { last_active_time: now() - 30 });
      const refreshed = ok(await refresh(refreshJwt));
      const active = (await session(user.userId)).last_active_time!;
      assert.ok(Math.abs(active - now()) <= 5, `written under the policy: ${active}`);
      const c = claims(refreshed.sessionJwt);
      assert.equal(c.exp - c.iat, 420, 'the tenant session lifetime (policy read once, used for the JWT)');
      assert.deepEqual(c.tenants[tenant], { roles: ['Reader'], permissions: ['docs.read'] });

      await setTimes(user.userId, { last_active_time: now() - 601 });
      const refused = await refresh(refreshJwt);
      assert.equal(refused.status, 401);
      assert.equal((refused.body as unknown as { errorCode: string }).errorCode, 'E064002');
    });

    test('a user without roles still gets empty roles, permissions and tenants claims; roles resolve when held', async () => {
      const plain = await signUp();
      const c = claims(ok(await refresh(plain.refreshJwt)).sessionJwt);
      assert.deepEqual([c.roles, c.permissions, c.tenants], [[], [], {}]);
      assert.equal(c.customAttributes, undefined);

      ok(
        await mgmt(s, 'POST', '/v1/mgmt/user/update/role/add', {
          loginId: `rp${n}@request-path.test`,
          roleNames: ['Reader'],
        }),
      );
      const withRole = claims(ok(await refresh(plain.refreshJwt)).sessionJwt);
      assert.deepEqual([withRole.roles, withRole.permissions], [['Reader'], ['docs.read']]);
    });

    test('management load finds a user by login id or user id; an unknown one is 404', async () => {
      const id = loginId();
      const { user } = await signUp(id);
      const byLogin = ok(
        await mgmt<{ user: WireUser }>(s, 'GET', `/v1/mgmt/user?loginId=${encodeURIComponent(id)}`),
      );
      assert.equal(byLogin.user.userId, user.userId);
      const byId = ok(await mgmt<{ user: WireUser }>(s, 'GET', `/v1/mgmt/user?userId=${user.userId}`));
      assert.deepEqual(byId.user, byLogin.user);
      const missing = await mgmt<{ errorCode: string }>(s, 'GET', '/v1/mgmt/user?userId=Unobody');
      assert.equal(missing.status, 404);
      assert.equal(missing.body.errorCode, 'E112102');
    });

    test('a first OTP sign-in marks the address verified and enables the user; login ids, roles and tenants stay', async () => {
      const tenant = ok(
        await mgmt<{ id: string }>(s, 'POST', '/v1/mgmt/tenant/create', { name: `OTP ${n}` }),
      ).id;
      const id = loginId();
      const created = ok(
        await mgmt<{ user: WireUser }>(s, 'POST', '/v1/mgmt/user/create', {
          loginId: id,
          email: id,
          additionalLoginIds: [`alt-${id}`],
          roleNames: ['Reader'],
          userTenants: [{ tenantId: tenant, roleNames: ['Reader'] }],
        }),
      ).user;
      assert.deepEqual([created.status, created.verifiedEmail], ['invited', false]);
      ok(await call(s, 'POST', '/v1/auth/otp/signin/email', { auth: s.project, body: { loginId: id } }));
      const code = codeIn(await lastMessage(s, id));
      const verified = ok(
        await call<Jwt & { user: WireUser }>(s, 'POST', '/v1/auth/otp/verify/email', {
          auth: s.project,
          body: { loginId: id, code },
        }),
      );
      assert.equal(verified.user.verifiedEmail, true);
      const loaded = ok(
        await mgmt<{ user: WireUser }>(s, 'GET', `/v1/mgmt/user?loginId=${encodeURIComponent(id)}`),
      ).user;
      assert.deepEqual([loaded.status, loaded.verifiedEmail], ['enabled', true]);
      assert.deepEqual(loaded.loginIds, created.loginIds);
      assert.equal(loaded.loginIds.length, 2);
      assert.deepEqual(loaded.roleNames, ['Reader']);
      assert.deepEqual(
        loaded.userTenants.map((t) => [t.tenantId, t.roleNames]),
        [[tenant, ['Reader']]],
      );
    });
  });
}
