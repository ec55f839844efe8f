import assert from 'node:assert/strict';
import { after, before, describe, mock, test } from 'node:test';
import { STORES } from '../support/server.ts';
import { claims, fails, ok, PASSWORD, type SdkServer, startSdkServer, uid, waitFor } from './support.ts';

/** Same header and signature, different payload: the signature no longer matches. */
function tamper(jwt: string): string {
  const [header, payload, signature] = jwt.split('.');
  const body = JSON.parse(Buffer.from(payload!, 'base64url').toString());
  body.roles = ['superuser'];
  return `${header}.${Buffer.from(JSON.stringify(body)).toString('base64url')}.${signature}`;
}

const rejects = async (pending: Promise<unknown>, pattern?: RegExp) => {
  const err = await pending.then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(err instanceof Error, 'expected the SDK call to throw');
  if (pattern) assert.match(err.message, pattern);
};

for (const store of STORES) {
  describe(`Descope SDK: sessions (${store})`, () => {
    let t: SdkServer;
    before(async () => {
      t = await startSdkServer(store);
    });
    after(() => t.close());

    const signUp = async (prefix = 'sess') => {
      const loginId = `${uid(prefix)}@example.com`;
      const res = await ok(t.auth.password.signUp(loginId, PASSWORD));
      return { loginId, userId: res.user!.userId, sessionJwt: res.sessionJwt, refreshJwt: res.refreshJwt! };
    };
    const refreshCalls = () => t.calls.filter((c) => c.path === '/v1/auth/refresh').length;

    test('validateSession verifies locally with the keys from /v2/keys/{projectId}', async () => {
      const u = await signUp();
      const info = await t.auth.validateSession(u.sessionJwt);
      assert.equal(info.jwt, u.sessionJwt);
      assert.equal(info.token.sub, u.userId);
      assert.equal(info.token.drn, 'DS');
      const jwks = t.calls.filter((c) => c.path === `/v2/keys/${t.s.projectId}`);
      assert.ok(jwks.length >= 1, 'the SDK fetched the JWKS');
      const keys = JSON.parse(jwks[0]!.responseText).keys as Record<string, unknown>[];
      const { kid } = JSON.parse(Buffer.from(u.sessionJwt.split('.')[0]!, 'base64url').toString());
      assert.ok(
        keys.some((k) => k.kid === kid),
        'the signing key is published',
      );
      for (const k of keys) assert.equal(k.d, undefined, 'no private material in the JWKS');

      const before = t.calls.length;
      await t.auth.validateSession(u.sessionJwt);
      assert.equal(t.calls.length, before, 'validation of a known kid makes no HTTP call');

      await rejects(t.auth.validateSession(tamper(u.sessionJwt)), /session validation failed/);
      await rejects(t.auth.validateSession('not-a-jwt'));
    });

    test('a token from another project is rejected by the SDK', async () => {
      const other = await startSdkServer(store);
      try {
        const loginId = `${uid('foreign')}@example.com`;
        const res = await ok(other.auth.password.signUp(loginId, PASSWORD));
        await other.auth.validateSession(res.sessionJwt);
        await rejects(t.auth.validateSession(res.sessionJwt));
      } finally {
        await other.close();
      }
    });

    test('refreshSession returns a new verified session for the same user', async () => {
      const u = await signUp();
      const info = await t.auth.refreshSession(u.refreshJwt);
      assert.equal(info.token.sub, u.userId);
      assert.equal(info.token.drn, 'DS');
      assert.ok(info.refreshJwt, 'the refresh response carries the refresh token');
      await t.auth.validateJwt(info.refreshJwt);
      assert.equal(claims(info.refreshJwt).sub, u.userId);
      await t.auth.validateSession(info.jwt);

      // The raw call too: the JWT response with both tokens.
      const raw = await ok(t.auth.refresh(u.refreshJwt));
      assert.ok(raw.sessionJwt);
      assert.equal(claims(raw.sessionJwt).sub, u.userId);
      await rejects(t.auth.refreshSession(tamper(u.refreshJwt)), /refresh token validation failed/);
      await fails(t.auth.refresh(tamper(u.refreshJwt)), 401);
    });

    test('validateAndRefreshSession keeps a valid session and refreshes an invalid one', async () => {
      const u = await signUp();
      let calls = refreshCalls();
      const kept = await t.auth.validateAndRefreshSession(u.sessionJwt, u.refreshJwt);
      assert.equal(kept.jwt, u.sessionJwt);
      assert.equal(refreshCalls(), calls, 'a valid session is not refreshed');

      calls = refreshCalls();
      const refreshed = await t.auth.validateAndRefreshSession(tamper(u.sessionJwt), u.refreshJwt);
      assert.equal(refreshCalls(), calls + 1, 'an invalid session is refreshed');
      assert.notEqual(refreshed.jwt, tamper(u.sessionJwt));
      assert.equal(refreshed.token.sub, u.userId);
      assert.deepEqual(refreshed.token.roles, [], 'the refreshed session carries the real claims');
      await t.auth.validateSession(refreshed.jwt);

      const missing = await t.auth.validateAndRefreshSession(undefined, u.refreshJwt);
      assert.equal(missing.token.sub, u.userId);
      await rejects(t.auth.validateAndRefreshSession(tamper(u.sessionJwt), tamper(u.refreshJwt)));
    });

    test('validateAndRefreshSession refreshes an expired session', async () => {
      const u = await signUp();
      const exp = claims(u.sessionJwt).exp as number;
      const calls = refreshCalls();
      // Move the clock of this process (SDK and server alike) past the session's expiry.
      mock.timers.enable({ apis: ['Date'], now: (exp + 60) * 1000 });
      try {
        await rejects(t.auth.validateSession(u.sessionJwt), /exp/);
        const refreshed = await t.auth.validateAndRefreshSession(u.sessionJwt, u.refreshJwt);
        assert.equal(refreshCalls(), calls + 1);
        assert.equal(refreshed.token.sub, u.userId);
        assert.ok((refreshed.token.exp as number) > exp + 60, 'the new session is valid now');
      } finally {
        mock.timers.reset();
      }
    });

    test('an expired refresh token is refused, locally by the SDK and by the server', async () => {
      const u = await signUp();
      const exp = claims(u.refreshJwt).exp as number;
      mock.timers.enable({ apis: ['Date'], now: (exp + 60) * 1000 });
      try {
        const calls = refreshCalls();
        await rejects(t.auth.refreshSession(u.refreshJwt), /refresh token validation failed/);
        assert.equal(refreshCalls(), calls, 'the SDK checks expiry before calling the server');
        await fails(t.auth.refresh(u.refreshJwt), 401);
      } finally {
        mock.timers.reset();
      }
      await ok(t.auth.refresh(u.refreshJwt));
    });

    test('selectTenant issues tokens carrying dct; refresh keeps it; non-members are refused', async () => {
      const tenantId = uid('tsel');
      await ok(t.mgmt.management.tenant.createWithId(tenantId, uid('Select Tenant ')));
      const u = await signUp();
      await fails(t.auth.selectTenant(tenantId, u.refreshJwt), 403, 'E063101');
      await ok(t.mgmt.management.user.addTenant(u.loginId, tenantId));

      const selected = await ok(t.auth.selectTenant(tenantId, u.refreshJwt));
      assert.ok(selected.refreshJwt);
      const info = await t.auth.validateSession(selected.sessionJwt);
      assert.equal(info.token.dct, tenantId);
      assert.equal(t.auth.getCurrentTenant(selected.sessionJwt), tenantId);
      assert.equal(claims(selected.refreshJwt).dct, tenantId);
      assert.ok(
        (info.token.tenants as Record<string, unknown>)[tenantId],
        'the tenant is in the tenants claim',
      );
      const wire = t.calls.findLast((c) => c.path === '/v1/auth/tenant/select' && c.status === 200)!;
      assert.ok(
        wire.responseHeaders.getSetCookie().some((c) => c.startsWith('DS=')),
        'tenant select sets the session cookie',
      );

      const refreshed = await t.auth.refreshSession(selected.refreshJwt);
      assert.equal(refreshed.token.dct, tenantId, 'a refresh keeps the selected tenant');

      const plain = await t.auth.refreshSession(u.refreshJwt);
      assert.equal(plain.token.dct, undefined, 'the original session has no selected tenant');
    });

    test('logout revokes that refresh token only', async () => {
      const u = await signUp();
      const second = await ok(t.auth.password.signIn(u.loginId, PASSWORD));
      const res = await t.auth.logout(u.refreshJwt);
      assert.equal(res.ok, true, JSON.stringify(res.error));
      assert.deepEqual(res.data, {});

      await fails(t.auth.refresh(u.refreshJwt), 401, 'E064001');
      await rejects(t.auth.refreshSession(u.refreshJwt), /refresh token validation failed/);
      await fails(t.auth.me(u.refreshJwt), 401);
      await fails(t.auth.logout(u.refreshJwt), 401);
      const other = await t.auth.refreshSession(second.refreshJwt!);
      assert.equal(other.token.sub, u.userId, 'the other session still refreshes');
    });

    test("logoutAll revokes every refresh token of the user, and nobody else's", async () => {
      const u = await signUp();
      const v = await signUp();
      const second = await ok(t.auth.password.signIn(u.loginId, PASSWORD));
      await ok(t.auth.logoutAll(second.refreshJwt));
      await fails(t.auth.refresh(u.refreshJwt), 401, 'E064001');
      await fails(t.auth.refresh(second.refreshJwt), 401, 'E064001');
      await t.auth.refreshSession(v.refreshJwt);
      const again = await ok(t.auth.password.signIn(u.loginId, PASSWORD));
      await t.auth.refreshSession(again.refreshJwt!);
    });

    test('me returns the user object at the top level', async () => {
      const u = await signUp('me');
      const me = await ok(t.auth.me(u.refreshJwt));
      assert.equal(me.userId, u.userId);
      assert.deepEqual(me.loginIds, [u.loginId]);
      assert.equal(me.email, u.loginId);
      assert.equal(me.status, 'enabled');
      assert.equal(typeof me.createdTime, 'number');
      await fails(t.auth.me(tamper(u.refreshJwt)), 401);
      await fails(t.auth.me(u.sessionJwt), 401);
    });

    test('history lists the sign-ins of the current user, newest first', async () => {
      const u = await signUp('hist');
      await ok(t.auth.password.signIn(u.loginId, PASSWORD));
      const history = (await ok(t.auth.history(u.refreshJwt))) as unknown as {
        userId: string;
        loginTime: number;
        ip: string;
        city: string;
        country: string;
      }[];
      assert.ok(Array.isArray(history));
      assert.equal(history.length, 2, 'sign-up and sign-in');
      for (const h of history) {
        assert.equal(h.userId, u.userId);
        assert.equal(typeof h.loginTime, 'number');
        assert.ok(Math.abs(h.loginTime - Date.now() / 1000) < 120, 'loginTime is epoch seconds');
        assert.equal(typeof h.ip, 'string');
        assert.equal(typeof h.city, 'string');
        assert.equal(typeof h.country, 'string');
      }
      assert.ok(history[0]!.loginTime >= history[1]!.loginTime);
    });

    test('roles and permissions validation on real tokens, project- and tenant-level', async () => {
      const m = t.mgmt.management;
      const [read, write, admin] = [uid('read.'), uid('write.'), uid('admin.')];
      for (const p of [read, write, admin]) await ok(m.permission.create(p));
      const [viewer, editor, tenantAdmin] = [uid('viewer-'), uid('editor-'), uid('tadmin-')];
      await ok(m.role.create(viewer, 'reads', [read]));
      await ok(m.role.create(editor, 'writes', [read, write]));
      const tenantId = uid('tperm');
      await ok(m.tenant.createWithId(tenantId, uid('Perm Tenant ')));
      await ok(m.role.create(tenantAdmin, 'tenant admin', [admin], tenantId));

      const loginId = `${uid('rbac')}@example.com`;
      await ok(
        m.user.create(loginId, {
          email: loginId,
          roles: [viewer],
          userTenants: [{ tenantId, roleNames: [tenantAdmin, editor] }],
        }),
      );
      await ok(m.user.setActivePassword(loginId, PASSWORD));
      const res = await ok(t.auth.password.signIn(loginId, PASSWORD));
      const info = await t.auth.validateSession(res.sessionJwt);

      assert.equal(t.auth.validateRoles(info, [viewer]), true);
      assert.equal(t.auth.validateRoles(info, [viewer, editor]), false);
      assert.deepEqual(t.auth.getMatchedRoles(info, [viewer, editor]), [viewer]);
      assert.equal(t.auth.validatePermissions(info, [read]), true);
      assert.equal(t.auth.validatePermissions(info, [write]), false);
      assert.deepEqual(t.auth.getMatchedPermissions(info, [read, write, admin]), [read]);

      assert.equal(t.auth.validateTenantRoles(info, tenantId, [tenantAdmin, editor]), true);
      assert.equal(t.auth.validateTenantRoles(info, tenantId, [viewer]), false);
      assert.deepEqual(t.auth.getMatchedTenantRoles(info, tenantId, [viewer, editor, tenantAdmin]), [
        editor,
        tenantAdmin,
      ]);
      assert.equal(t.auth.validateTenantPermissions(info, tenantId, [admin, read, write]), true);
      assert.deepEqual(t.auth.getMatchedTenantPermissions(info, tenantId, [admin, 'nope']), [admin]);
      assert.equal(
        t.auth.validateTenantRoles(info, 'not-a-tenant', []),
        false,
        'no membership, no tenant check passes',
      );
      assert.equal(t.auth.validateTenantPermissions(info, 'not-a-tenant', []), false);

      // The core helpers read the same claims off the raw JWT.
      assert.deepEqual(t.auth.getJwtRoles(res.sessionJwt), [viewer]);
      assert.deepEqual(
        t.auth.getJwtPermissions(res.sessionJwt, tenantId).sort(),
        [admin, read, write].sort(),
      );
      assert.deepEqual(t.auth.getTenants(res.sessionJwt), [tenantId]);
    });

    test('the management client performs the license handshake and then sends the tier', async () => {
      const license = t.calls.filter((c) => c.path === '/v1/mgmt/license');
      assert.equal(license.length, 1, 'only the client with a management key calls it');
      assert.equal(license[0]!.method, 'GET');
      assert.equal(license[0]!.headers.get('authorization'), `Bearer ${t.s.projectId}:${t.s.managementKey}`);
      assert.equal(license[0]!.status, 200);
      const tier = JSON.parse(license[0]!.responseText).rateLimitTier;
      assert.equal(typeof tier, 'string');
      assert.ok(tier.length > 0);

      await ok(t.mgmt.management.tenant.loadAll());
      const last = t.calls.at(-1)!;
      assert.equal(last.path, '/v1/mgmt/tenant/all');
      assert.equal(last.headers.get('x-descope-license'), tier, 'later management calls carry the tier');

      // A wrong key: the handshake fails quietly, and management calls are refused.
      const handshakes = t.calls.filter((c) => c.path === '/v1/mgmt/license').length;
      const wrong = t.client({ managementKey: 'Kwrongwrongwrongwrongwrong' });
      await waitFor(() => t.calls.filter((c) => c.path === '/v1/mgmt/license').length > handshakes);
      const failed = t.calls.filter((c) => c.path === '/v1/mgmt/license').at(-1)!;
      assert.equal(failed.status, 401);
      await fails(wrong.management.tenant.loadAll(), 401);
      assert.equal(t.calls.at(-1)!.headers.get('x-descope-license'), null);
      // The auth client has no management key: management calls are refused too.
      await fails(t.auth.management.tenant.loadAll(), 401);
    });
  });
}
