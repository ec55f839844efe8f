import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ERROR_CODES, LatchkeyApiError } from '../src/index.ts';
import { type Harness, rejection, STORES, startHarness, strongPassword, uniqueLogin } from './support/sdk.ts';

const lifetime = (jwt: string) => {
  const c = JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString());
  return c.exp - c.iat;
};

for (const store of STORES) {
  describe(`tenant settings, JWT update and impersonation through the SDK (${store})`, () => {
    let h: Harness;
    const mgmt = () => h.client.management;
    const newUser = async (tenantIds: string[], roleNames: string[] = []) => {
      const loginId = uniqueLogin('policy');
      const user = await mgmt().user.create(loginId, {
        email: loginId,
        roleNames,
        userTenants: tenantIds.map((tenantId) => ({ tenantId, roleNames: [] })),
      });
      await mgmt().user.setActivePassword(loginId, strongPassword);
      return { loginId, userId: user.userId };
    };
    before(async () => {
      h = await startHarness(store);
      await mgmt().project.configureSettings({ rateLimits: { enabled: false } });
      await mgmt().permission.create('impersonation');
      await mgmt().role.create('support', { permissionNames: ['impersonation'] });
    });
    after(() => h.close());

    test('getSettings / configureSettings, and the stricter policy of two tenants', async () => {
      await mgmt().tenant.createWithId('strict', 'Strict');
      await mgmt().tenant.createWithId('lax', 'Lax');
      await mgmt().tenant.configureSettings('strict', {
        enabled: true,
        sessionTokenExpiration: 2,
        sessionTokenExpirationUnit: 'minutes',
        refreshTokenExpiration: 4,
        refreshTokenExpirationUnit: 'hours',
      });
      await mgmt().tenant.configureSettings('lax', {
        enabled: true,
        sessionTokenExpiration: 9,
        refreshTokenExpiration: 2,
        refreshTokenExpirationUnit: 'hours',
        enableInactivity: true,
        inactivityTime: 1,
        inactivityTimeUnit: 'days',
      });
      const lax = await mgmt().tenant.getSettings('lax');
      assert.equal(lax.enabled, true);
      assert.equal(lax.sessionTokenExpiration, 9);
      assert.equal(lax.sessionTokenExpirationUnit, 'minutes', 'a value without a unit is in minutes');
      assert.equal(lax.inactivityTime, 1);

      const user = await newUser(['strict', 'lax']);
      const signedIn = await h.client.password.signIn(user.loginId, strongPassword);
      assert.equal(lifetime(signedIn.sessionJwt), 120);
      assert.equal(lifetime(signedIn.refreshJwt!), 2 * 3600);

      const bad = await rejection(
        mgmt().tenant.configureSettings('lax', { sessionTokenExpiration: -1 }),
        LatchkeyApiError,
      );
      assert.equal(bad.status, 400);
      const missing = await rejection(mgmt().tenant.getSettings('nope'), LatchkeyApiError);
      assert.equal(missing.errorCode, ERROR_CODES.tenantNotFound);
      assert.deepEqual(await mgmt().tenant.getSettings('lax'), lax, 'nothing changed');
    });

    test('jwt.update, impersonate, impersonateStepup, stopImpersonation', async () => {
      const admin = await newUser([], ['support']);
      const target = await newUser([]);
      const signedIn = await h.client.password.signIn(target.loginId, strongPassword);
      const { jwt } = await mgmt().jwt.update(signedIn.refreshJwt!, { plan: 'pro' });
      const refreshed = await h.client.refreshSession(jwt);
      assert.equal(refreshed.token.plan, 'pro');
      const reserved = await rejection(mgmt().jwt.update(jwt, { sub: 'x' }), LatchkeyApiError);
      assert.equal(reserved.errorCode, ERROR_CODES.invalidArguments);

      const imp = await mgmt().jwt.impersonate(admin.userId, target.loginId, { customClaims: { t: 1 } });
      const session = await h.client.refreshSession(imp.jwt);
      assert.equal(session.token.sub, target.userId);
      assert.deepEqual(session.token.act, { sub: admin.userId });

      const step = await mgmt().jwt.impersonateStepup(admin.loginId, target.loginId);
      assert.deepEqual((await h.client.validateSession(step.jwt)).token.act, { sub: admin.userId });

      const back = await mgmt().jwt.stopImpersonation(imp.jwt);
      assert.equal((await h.client.refreshSession(back.jwt)).token.sub, admin.userId);
      await rejection(h.client.refreshSession(imp.jwt));

      const denied = await rejection(mgmt().jwt.impersonate(target.userId, admin.loginId), LatchkeyApiError);
      assert.equal(denied.status, 403);
      assert.equal(denied.errorCode, ERROR_CODES.impersonationDenied);
      const consent = await rejection(
        mgmt().jwt.impersonate(admin.userId, target.loginId, { validateConsent: true }),
        LatchkeyApiError,
      );
      assert.equal(consent.errorCode, ERROR_CODES.consentUnavailable);
    });
  });
}
