import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  ERROR_CODES,
  getSelectedTenant,
  getTenants,
  isUserInTenant,
  LatchkeyApiError,
  LatchkeySessionError,
  validatePermissions,
  validateRoles,
  validateTenantPermissions,
  validateTenantRoles,
} from '../src/index.ts';
import { type Harness, rejection, STORES, startHarness, strongPassword, uniqueLogin } from './support/sdk.ts';

const REFRESH = '/v1/auth/refresh';

for (const store of STORES) {
  describe(`sessions through the SDK (${store})`, () => {
    let h: Harness;
    const signUp = async (prefix: string) => {
      const loginId = uniqueLogin(prefix);
      const res = await h.client.password.signUp(loginId, strongPassword);
      return { loginId, userId: res.user!.userId, sessionJwt: res.sessionJwt, refreshJwt: res.refreshJwt! };
    };

    before(async () => {
      h = await startHarness(store);
      await h.client.management.permission.create('reports.read', 'Read reports');
      await h.client.management.role.create('analyst', { permissionNames: ['reports.read'] });
      await h.client.management.tenant.createWithId('acme', 'Acme');
      await h.client.management.tenant.createWithId('globex', 'Globex');
      await h.client.management.role.create('tenant-admin', {
        tenantId: 'acme',
        permissionNames: ['reports.read'],
      });
    });
    after(() => h.close());

    test('the token types are not interchangeable', async () => {
      const u = await signUp('types');
      const asSession = await rejection(h.client.validateSession(u.refreshJwt), LatchkeySessionError);
      assert.equal(asSession.reason, 'wrong-token-type');
      const refreshes = h.wire.count(REFRESH);
      const asRefresh = await rejection(h.client.refreshSession(u.sessionJwt), LatchkeySessionError);
      assert.equal(asRefresh.reason, 'wrong-token-type');
      assert.equal(
        h.wire.count(REFRESH),
        refreshes,
        'a locally invalid refresh token never reaches the server',
      );
      assert.equal(
        (await rejection(h.client.validateSession(undefined), LatchkeySessionError)).reason,
        'missing-token',
      );
    });

    test('a role added through management shows in the next refreshed session', async () => {
      const u = await signUp('roles');
      const first = await h.client.validateSession(u.sessionJwt);
      assert.equal(validateRoles(first, ['analyst']), false);
      await h.client.management.user.addRoles(u.loginId, ['analyst']);
      const refreshed = await h.client.refreshSession(u.refreshJwt);
      assert.equal(refreshed.token.sub, u.userId);
      assert.equal(validateRoles(refreshed, ['analyst']), true);
      assert.equal(validatePermissions(refreshed, ['reports.read']), true);
      assert.equal(h.client.validatePermissions(refreshed, ['reports.write']), false);
      assert.deepEqual(h.client.getMatchedRoles(refreshed, ['analyst', 'owner']), ['analyst']);
      await h.client.management.user.removeRoles(u.loginId, ['analyst']);
      assert.equal(validateRoles(await h.client.refreshSession(u.refreshJwt), ['analyst']), false);
    });

    test('tenant roles and permissions, membership, and tenant selection', async () => {
      const u = await signUp('tenants');
      await h.client.management.user.addTenant(u.loginId, 'acme', ['tenant-admin']);
      const info = await h.client.refreshSession(u.refreshJwt);
      assert.deepEqual(getTenants(info), ['acme']);
      assert.equal(isUserInTenant(info, 'acme'), true);
      assert.equal(isUserInTenant(info, 'globex'), false);
      assert.equal(validateTenantRoles(info, 'acme', ['tenant-admin']), true);
      assert.equal(validateTenantPermissions(info, 'acme', ['reports.read']), true);
      assert.equal(validateRoles(info, ['tenant-admin']), false, 'a tenant role is not a project role');
      assert.equal(validateTenantRoles(info, 'globex', []), false);
      assert.equal(getSelectedTenant(info), undefined);

      const selected = await h.client.selectTenant('acme', u.refreshJwt);
      const validated = await h.client.validateSession(selected.sessionJwt);
      assert.equal(getSelectedTenant(validated), 'acme');
      assert.equal(validateRoles(validated, ['tenant-admin'], 'acme'), true);
      const kept = await h.client.refreshSession(selected.refreshJwt);
      assert.equal(getSelectedTenant(kept), 'acme', 'the selection survives a refresh');

      const notMember = await rejection(h.client.selectTenant('globex', u.refreshJwt), LatchkeyApiError);
      assert.equal(notMember.status, 403);
      assert.equal(notMember.errorCode, ERROR_CODES.tenantNotAssociated);
    });

    test('validateAndRefreshSession refreshes only when the session does not validate', async () => {
      const u = await signUp('vandr');
      const refreshes = h.wire.count(REFRESH);
      const valid = await h.client.validateAndRefreshSession(u.sessionJwt, u.refreshJwt);
      assert.equal(valid.jwt, u.sessionJwt);
      assert.equal(valid.response, undefined);
      assert.equal(h.wire.count(REFRESH), refreshes, 'no server call for a valid session');

      const refreshed = await h.client.validateAndRefreshSession('not.a.jwt', u.refreshJwt);
      assert.equal(h.wire.count(REFRESH), refreshes + 1);
      assert.equal(refreshed.token.sub, u.userId);
      assert.equal(refreshed.refreshJwt, u.refreshJwt, 'no rotation: keep the same refresh token');
      assert.ok(refreshed.response?.sessionJwt);

      const onlyRefresh = await h.client.validateAndRefreshSession(undefined, u.refreshJwt);
      assert.equal(onlyRefresh.token.sub, u.userId);
      const noRefresh = await rejection(
        h.client.validateAndRefreshSession('not.a.jwt', undefined),
        LatchkeySessionError,
      );
      assert.equal(noRefresh.reason, 'malformed');
      assert.equal(
        (await rejection(h.client.validateAndRefreshSession(undefined, undefined), LatchkeySessionError))
          .reason,
        'missing-token',
      );
    });

    test('logout revokes this session only; logoutAll revokes every session', async () => {
      const u = await signUp('logout');
      const second = await h.client.password.signIn(u.loginId, strongPassword);
      const third = await h.client.password.signIn(u.loginId, strongPassword);
      await h.client.logout(u.refreshJwt);
      const revoked = await rejection(h.client.refreshSession(u.refreshJwt), LatchkeyApiError);
      assert.equal(revoked.status, 401);
      assert.equal(revoked.errorCode, ERROR_CODES.tokenRevoked);
      assert.ok(await h.client.refreshSession(second.refreshJwt), 'another session is untouched');
      await h.client.logoutAll(second.refreshJwt!);
      assert.equal(
        (await rejection(h.client.refreshSession(third.refreshJwt), LatchkeyApiError)).errorCode,
        'E064001',
      );
      await rejection(h.client.me(second.refreshJwt!), LatchkeyApiError);
    });

    test('management logout and deactivation end existing sessions', async () => {
      const a = await signUp('mgmt-logout');
      await h.client.management.user.logoutUser(a.loginId);
      assert.equal(
        (await rejection(h.client.refreshSession(a.refreshJwt), LatchkeyApiError)).errorCode,
        'E064001',
      );
      const b = await signUp('by-id');
      await h.client.management.user.logoutUserByUserId(b.userId);
      await rejection(h.client.refreshSession(b.refreshJwt), LatchkeyApiError);
      const c = await signUp('deactivate');
      await h.client.management.user.deactivate(c.loginId);
      await rejection(h.client.refreshSession(c.refreshJwt), LatchkeyApiError);
      assert.equal(
        (await rejection(h.client.password.signIn(c.loginId, strongPassword), LatchkeyApiError)).errorCode,
        'E062904',
      );
    });

    test('me and history', async () => {
      const u = await signUp('me');
      const me = await h.client.me(u.refreshJwt);
      assert.equal(me.userId, u.userId);
      assert.equal(me.email, u.loginId);
      assert.deepEqual(me.loginIds, [u.loginId]);
      await h.client.password.signIn(u.loginId, strongPassword);
      const history = await h.client.history(u.refreshJwt);
      assert.equal(history.length, 2, 'sign-up and sign-in');
      assert.ok(history.every((r) => r.userId === u.userId && typeof r.loginTime === 'number' && r.ip));
      assert.ok(history[0]!.loginTime >= history[1]!.loginTime, 'newest first');
      assert.deepEqual(await h.client.management.user.history([u.userId]), history);
    });

    test('with rotation the refresh returns a new refresh token and the old one stops working', async () => {
      await h.client.management.project.configureSettings({ refreshTokenRotation: true });
      try {
        const u = await signUp('rotate');
        const rotated = await h.client.refreshSession(u.refreshJwt);
        assert.ok(rotated.refreshJwt);
        assert.notEqual(rotated.refreshJwt, u.refreshJwt);
        assert.equal(rotated.response?.refreshJwt, rotated.refreshJwt);
        assert.equal(
          (await rejection(h.client.refreshSession(u.refreshJwt), LatchkeyApiError)).errorCode,
          'E064001',
        );
        assert.equal((await h.client.refreshSession(rotated.refreshJwt)).token.sub, u.userId);
      } finally {
        await h.client.management.project.configureSettings({ refreshTokenRotation: false });
      }
    });
  });
}
