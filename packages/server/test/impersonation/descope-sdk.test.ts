import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  claims,
  disableRateLimits,
  fails,
  ok,
  PASSWORD,
  type SdkServer,
  startSdkServer,
  uid,
} from '../descope-sdk/support.ts';
import { STORES } from '../support/server.ts';

/** Tenant session policy, JWT update and impersonation driven only through the official `@descope/node-sdk`. */
for (const store of STORES) {
  describe(`Descope SDK: tenant settings, jwt, impersonation (${store})`, () => {
    let t: SdkServer;
    const lifetime = (jwt: string) => {
      const c = claims(jwt);
      return (c.exp as number) - (c.iat as number);
    };
    const newUser = async (tenantIds: string[], roles: string[] = []) => {
      const loginId = `${uid('sdk')}@policy.test`;
      const user = await ok(
        t.mgmt.management.user.create(loginId, {
          email: loginId,
          roles,
          userTenants: tenantIds.map((tenantId) => ({ tenantId, roleNames: [] })),
        }),
      );
      await ok(t.mgmt.management.user.setActivePassword(loginId, PASSWORD));
      return { loginId, userId: user.userId };
    };

    before(async () => {
      t = await startSdkServer(store);
      await disableRateLimits(t.s);
      await ok(t.mgmt.management.permission.create('impersonation'));
      await ok(t.mgmt.management.role.create('support', '', ['impersonation']));
    });
    after(() => t.close());

    test('getSettings / configureSettings round-trip, and bad input is refused with nothing changed', async () => {
      const { id } = await ok(t.mgmt.management.tenant.create(uid('Acme ')));
      await ok(
        t.mgmt.management.tenant.configureSettings(id, {
          selfProvisioningDomains: ['acme.example'],
          enabled: true,
          sessionTokenExpiration: 5,
          sessionTokenExpirationUnit: 'minutes',
          refreshTokenExpiration: 2,
          refreshTokenExpirationUnit: 'hours',
          enableInactivity: true,
          InactivityTime: 1,
          InactivityTimeUnit: 'days',
        }),
      );
      const settings = await ok(t.mgmt.management.tenant.getSettings(id));
      assert.equal(settings.enabled, true);
      assert.equal(settings.sessionTokenExpiration, 5);
      assert.equal(settings.refreshTokenExpirationUnit, 'hours');
      assert.equal(settings.InactivityTime, 1);
      assert.equal(settings.InactivityTimeUnit, 'days');
      assert.deepEqual(settings.selfProvisioningDomains, ['acme.example']);

      await fails(
        t.mgmt.management.tenant.configureSettings(id, {
          selfProvisioningDomains: [],
          enabled: true,
          sessionTokenExpiration: 5,
          sessionTokenExpirationUnit: 'years' as never,
        }),
        400,
        'E011003',
      );
      await fails(
        t.mgmt.management.tenant.configureSettings(id, {
          selfProvisioningDomains: [],
          sessionTokenExpiration: 1000,
          sessionTokenExpirationUnit: 'weeks',
        }),
        400,
        'E011004',
      );
      await fails(
        t.mgmt.management.tenant.configureSettings('no-such-tenant', { selfProvisioningDomains: [] }),
        404,
        'E113101',
      );
      await fails(t.mgmt.management.tenant.getSettings('no-such-tenant'), 404, 'E113101');
      assert.deepEqual(await ok(t.mgmt.management.tenant.getSettings(id)), settings, 'nothing changed');
    });

    test('a user in tenants A and B gets the stricter lifetimes, as validateSession sees them', async () => {
      const a = (await ok(t.mgmt.management.tenant.create(uid('A ')))).id;
      const b = (await ok(t.mgmt.management.tenant.create(uid('B ')))).id;
      await ok(
        t.mgmt.management.tenant.configureSettings(a, {
          selfProvisioningDomains: [],
          enabled: true,
          sessionTokenExpiration: 3,
          sessionTokenExpirationUnit: 'minutes',
          refreshTokenExpiration: 3,
          refreshTokenExpirationUnit: 'hours',
        }),
      );
      await ok(
        t.mgmt.management.tenant.configureSettings(b, {
          selfProvisioningDomains: [],
          enabled: true,
          sessionTokenExpiration: 7,
          sessionTokenExpirationUnit: 'minutes',
          refreshTokenExpiration: 90,
          refreshTokenExpirationUnit: 'minutes',
        }),
      );
      const user = await newUser([a, b]);
      const signedIn = await ok(t.auth.password.signIn(user.loginId, PASSWORD));
      const session = await t.auth.validateSession(signedIn.sessionJwt);
      assert.equal((session.token.exp as number) - (session.token.iat as number), 180);
      assert.equal(lifetime(signedIn.refreshJwt!), 90 * 60);

      const refreshed = await t.auth.refreshSession(signedIn.refreshJwt!);
      assert.equal((refreshed.token.exp as number) - (refreshed.token.iat as number), 180);
      const selected = await ok(t.auth.selectTenant(b, signedIn.refreshJwt!));
      assert.equal(lifetime(selected.sessionJwt), 180);
    });

    test('management.jwt.update adds claims to a refresh JWT that validateJwt accepts', async () => {
      const user = await newUser([]);
      const signedIn = await ok(t.auth.password.signIn(user.loginId, PASSWORD));
      const { jwt } = await ok(t.mgmt.management.jwt.update(signedIn.refreshJwt!, { plan: 'pro' }));
      const validated = await t.auth.validateJwt(jwt);
      assert.equal(validated.token.plan, 'pro');
      assert.equal(validated.token.drn, 'DSR');
      const session = await t.auth.refreshSession(jwt);
      assert.equal(session.token.plan, 'pro');
      await fails(t.mgmt.management.jwt.update(signedIn.refreshJwt!, { roles: ['admin'] }), 400, 'E011004');
      await fails(t.mgmt.management.jwt.update('x.y.z', { a: 1 }), 400, 'E011004');
      const [h, , sig] = signedIn.refreshJwt!.split('.');
      const forged = Buffer.from(JSON.stringify({ ...claims(signedIn.refreshJwt!), sub: 'Uother' })).toString(
        'base64url',
      );
      await fails(t.mgmt.management.jwt.update(`${h}.${forged}.${sig}`, { a: 1 }), 401, 'E061004');
    });

    test('impersonate, impersonateStepup and stopImpersonation', async () => {
      const admin = await newUser([], ['support']);
      const target = await newUser([]);
      const { jwt } = await ok(
        t.mgmt.management.jwt.impersonate(admin.userId, target.loginId, false, { reason: 'support' }),
      );
      const refreshed = await t.auth.refreshSession(jwt);
      assert.equal(refreshed.token.sub, target.userId);
      assert.deepEqual(refreshed.token.act, { sub: admin.userId });
      assert.equal(refreshed.token.reason, 'support');

      const step = await ok(t.mgmt.management.jwt.impersonateStepup(admin.userId, target.loginId, false));
      const stepSession = await t.auth.validateSession(step.jwt);
      assert.deepEqual(stepSession.token.act, { sub: admin.userId });

      const back = await ok(t.mgmt.management.jwt.stopImpersonation(jwt));
      const actor = await t.auth.refreshSession(back.jwt);
      assert.equal(actor.token.sub, admin.userId);
      assert.equal(actor.token.act, undefined);
      await assert.rejects(t.auth.refreshSession(jwt), 'the impersonation session ended');

      const plain = await newUser([]);
      await fails(t.mgmt.management.jwt.impersonate(plain.userId, target.loginId, false), 403, 'E119101');
      await fails(t.mgmt.management.jwt.impersonate(admin.userId, target.loginId, true), 403, 'E119102');
      await fails(
        t.mgmt.management.jwt.impersonate(admin.userId, 'ghost@policy.test', false),
        404,
        'E112102',
      );
    });
  });
}
