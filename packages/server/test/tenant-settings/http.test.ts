import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { call, mgmt, STORES, startTestServer, type TestServer } from '../support/server.ts';
import { createTenant, createUser, disableRateLimits, type Jwt, lifetime, signIn } from './support.ts';

const HOUR = 3_600;

for (const store of STORES) {
  describe(`tenant settings over HTTP (${store})`, () => {
    let s: TestServer;
    before(async () => {
      s = await startTestServer(store);
      await disableRateLimits(s);
    });
    after(() => s.close());

    const getSettings = (id: string) =>
      mgmt(s, 'GET', `/v1/mgmt/tenant/settings?id=${encodeURIComponent(id)}`);
    const refresh = (refreshJwt: string) =>
      call<Jwt>(s, 'POST', '/v1/auth/refresh', { auth: `${s.project}:${refreshJwt}`, body: {} });

    test('a new tenant has no override; configure then get round-trips every field', async () => {
      const id = await createTenant(s);
      const initial = await getSettings(id);
      assert.equal(initial.status, 200);
      assert.equal(initial.body.enabled, false);
      assert.deepEqual(initial.body.selfProvisioningDomains, []);
      assert.equal(initial.body.sessionTokenExpiration, undefined);

      const set = await mgmt(s, 'POST', '/v1/mgmt/tenant/settings', {
        tenantId: id,
        selfProvisioningDomains: ['acme.example'],
        domains: ['sso.acme.example'],
        enabled: true,
        sessionTokenExpiration: 5,
        sessionTokenExpirationUnit: 'minutes',
        refreshTokenExpiration: 2,
        refreshTokenExpirationUnit: 'days',
        stepupTokenExpiration: 1,
        stepupTokenExpirationUnit: 'hours',
        enableInactivity: true,
        InactivityTime: 3,
        InactivityTimeUnit: 'weeks',
        JITDisabled: true,
        ssoSetupSuiteSettings: { enabled: true, styleId: 's1', disabledFeatures: { scim: true } },
      });
      assert.equal(set.status, 200, JSON.stringify(set.body));
      assert.deepEqual(set.body, {});
      const got = await getSettings(id);
      assert.deepEqual(got.body, {
        selfProvisioningDomains: ['acme.example'],
        domains: ['sso.acme.example'],
        authType: 'none',
        enabled: true,
        sessionTokenExpiration: 5,
        sessionTokenExpirationUnit: 'minutes',
        refreshTokenExpiration: 2,
        refreshTokenExpirationUnit: 'days',
        stepupTokenExpiration: 1,
        stepupTokenExpirationUnit: 'hours',
        enableInactivity: true,
        inactivityTime: 3,
        inactivityTimeUnit: 'weeks',
        InactivityTime: 3,
        InactivityTimeUnit: 'weeks',
        JITDisabled: true,
        ssoSetupSuiteSettings: { enabled: true, styleId: 's1', disabledFeatures: { scim: true } },
      });
      // the tenant itself sees the new self-provisioning domains
      const tenant = await mgmt(s, 'GET', `/v1/mgmt/tenant?id=${id}`);
      assert.deepEqual(tenant.body.selfProvisioningDomains, ['acme.example']);

      // override: what is not sent is cleared; Go's lower-case inactivity spelling is accepted too
      await mgmt(s, 'POST', '/v1/mgmt/tenant/settings', {
        tenantId: id,
        enabled: false,
        enableInactivity: true,
        inactivityTime: 30,
        inactivityTimeUnit: 'minutes',
        sessionTokenExpiration: 0,
      });
      const overridden = await getSettings(id);
      assert.equal(overridden.body.enabled, false);
      assert.equal(overridden.body.sessionTokenExpiration, undefined, '0 (Go unset) means not set');
      assert.equal(overridden.body.refreshTokenExpiration, undefined);
      assert.equal(overridden.body.inactivityTime, 30);
      assert.equal(overridden.body.JITDisabled, false);
      assert.deepEqual(overridden.body.selfProvisioningDomains, ['acme.example'], 'kept when not sent');
    });

    test('bad input: 400 (or 404) with a Descope error body, and nothing changes', async () => {
      const id = await createTenant(s, {
        enabled: true,
        sessionTokenExpiration: 7,
        sessionTokenExpirationUnit: 'minutes',
      });
      const before = (await getSettings(id)).body;
      const bad: [Record<string, unknown>, number, string][] = [
        [
          { tenantId: id, sessionTokenExpiration: 5, sessionTokenExpirationUnit: 'fortnights' },
          400,
          'E011003',
        ],
        [{ tenantId: id, sessionTokenExpiration: -5 }, 400, 'E011003'],
        [{ tenantId: id, sessionTokenExpiration: 1.5 }, 400, 'E011003'],
        [{ tenantId: id, sessionTokenExpiration: '5' }, 400, 'E011003'],
        [{ tenantId: id, sessionTokenExpiration: 31, sessionTokenExpirationUnit: 'days' }, 400, 'E011004'],
        [{ tenantId: id, refreshTokenExpiration: 53, refreshTokenExpirationUnit: 'weeks' }, 400, 'E011004'],
        [{ tenantId: id, enableInactivity: true }, 400, 'E011004'],
        [{ tenantId: id, enabled: 'yes' }, 400, 'E011003'],
        [{ tenantId: id, selfProvisioningDomains: ['not a domain'] }, 400, 'E011003'],
        [{ enabled: true }, 400, 'E011002'],
        [{ tenantId: 'no-such-tenant', enabled: true }, 404, 'E113101'],
      ];
      for (const [body, status, code] of bad) {
        const res = await mgmt(s, 'POST', '/v1/mgmt/tenant/settings', body);
        assert.equal(res.status, status, `${JSON.stringify(body)} → ${JSON.stringify(res.body)}`);
        assert.equal(res.body.errorCode, code, JSON.stringify(res.body));
        assert.equal(typeof res.body.errorDescription, 'string');
        assert.equal(typeof res.body.errorMessage, 'string');
      }
      assert.deepEqual((await getSettings(id)).body, before, 'nothing changed');
      assert.equal((await getSettings('no-such-tenant')).status, 404);
      assert.equal((await mgmt(s, 'GET', '/v1/mgmt/tenant/settings')).status, 400);
      const noKey = await call(s, 'GET', `/v1/mgmt/tenant/settings?id=${id}`, { auth: s.project });
      assert.equal(noKey.status, 401);
      const noKeyPost = await call(s, 'POST', '/v1/mgmt/tenant/settings', {
        auth: s.project,
        body: { tenantId: id, enabled: false },
      });
      assert.equal(noKeyPost.status, 401);
      assert.deepEqual((await getSettings(id)).body, before);
    });

    test('a user in two tenants gets the stricter lifetimes at sign-in, refresh and tenant select', async () => {
      const a = await createTenant(s, {
        enabled: true,
        sessionTokenExpiration: 5,
        sessionTokenExpirationUnit: 'minutes',
        refreshTokenExpiration: 2,
        refreshTokenExpirationUnit: 'hours',
      });
      const b = await createTenant(s, {
        enabled: true,
        sessionTokenExpiration: 8,
        sessionTokenExpirationUnit: 'minutes',
        refreshTokenExpiration: 1,
        refreshTokenExpirationUnit: 'hours',
      });
      const both = await createUser(s, [a, b]);
      const tokens = await signIn(s, both.loginId);
      assert.equal(lifetime(tokens.sessionJwt), 5 * 60, 'shortest session: A');
      assert.equal(lifetime(tokens.refreshJwt), HOUR, 'shortest refresh: B');

      const refreshed = await refresh(tokens.refreshJwt);
      assert.equal(refreshed.status, 200);
      assert.equal(lifetime(refreshed.body.sessionJwt), 5 * 60);

      // selecting the laxer tenant does not escape the stricter policy: every membership counts
      const selected = await call<Jwt>(s, 'POST', '/v1/auth/tenant/select', {
        auth: `${s.project}:${tokens.refreshJwt}`,
        body: { tenant: b },
      });
      assert.equal(selected.status, 200, JSON.stringify(selected.body));
      assert.equal(lifetime(selected.body.sessionJwt), 5 * 60);
      assert.equal(lifetime(selected.body.refreshJwt), HOUR);

      const onlyA = await signIn(s, (await createUser(s, [a])).loginId);
      assert.equal(lifetime(onlyA.sessionJwt), 5 * 60);
      assert.equal(lifetime(onlyA.refreshJwt), 2 * HOUR);

      const none = await signIn(s, (await createUser(s, [])).loginId);
      assert.equal(lifetime(none.sessionJwt), 600, 'project default');
      assert.equal(lifetime(none.refreshJwt), 28 * 86_400);
    });

    test('a disabled override does not apply; a longer tenant value is capped at the project value', async () => {
      const off = await createTenant(s, { enabled: false, sessionTokenExpiration: 1 });
      const longer = await createTenant(s, {
        enabled: true,
        sessionTokenExpiration: 2,
        sessionTokenExpirationUnit: 'hours',
      });
      const user = await createUser(s, [off, longer]);
      const tokens = await signIn(s, user.loginId);
      assert.equal(lifetime(tokens.sessionJwt), 600);

      // turning the override on takes effect at the next refresh
      await mgmt(s, 'POST', '/v1/mgmt/tenant/settings', {
        tenantId: off,
        enabled: true,
        sessionTokenExpiration: 1,
      });
      const refreshed = await refresh(tokens.refreshJwt);
      assert.equal(lifetime(refreshed.body.sessionJwt), 60);
    });

    test('inactivity: a refresh after longer than the inactivity time is refused with 401 and the session ends', async () => {
      const t = await createTenant(s, {
        enabled: true,
        enableInactivity: true,
        inactivityTime: 5,
        inactivityTimeUnit: 'minutes',
      });
      const user = await createUser(s, [t]);
      const tokens = await signIn(s, user.loginId);
      const db = s.server.store.db;
      const now = Math.floor(Date.now() / 1000);
      const age = (seconds: number) =>
        db
          .updateTable('refresh_tokens')
          .set({ issued_time: now - seconds })
          .where('user_id', '=', user.userId)
          .execute();

      await age(200);
      assert.equal((await refresh(tokens.refreshJwt)).status, 200, 'within 5 minutes');
      // that refresh counted as activity: 400 s after sign-in is only seconds after the last refresh
      await age(400);
      assert.equal((await refresh(tokens.refreshJwt)).status, 200, 'the last refresh was just now');

      await db
        .updateTable('refresh_tokens')
        .set({ last_active_time: now - 301 })
        .where('user_id', '=', user.userId)
        .execute();
      const refused = await refresh(tokens.refreshJwt);
      assert.equal(refused.status, 401);
      assert.equal((refused.body as unknown as { errorCode: string }).errorCode, 'E064002');
      // and the session stays ended even once the policy is relaxed
      await mgmt(s, 'POST', '/v1/mgmt/tenant/settings', { tenantId: t, enabled: false });
      assert.equal((await refresh(tokens.refreshJwt)).status, 401);

      // without an inactivity policy, an old session still refreshes
      const other = await createUser(s, []);
      const otherTokens = await signIn(s, other.loginId);
      await db
        .updateTable('refresh_tokens')
        .set({ issued_time: now - 86_400 })
        .where('user_id', '=', other.userId)
        .execute();
      assert.equal((await refresh(otherTokens.refreshJwt)).status, 200);
    });

    test('inactivity with refresh-token rotation: each rotated token starts a new inactivity window', async () => {
      const t = await createTenant(s, { enabled: true, enableInactivity: true, inactivityTime: 5 });
      const user = await createUser(s, [t]);
      const tokens = await signIn(s, user.loginId);
      assert.equal(
        (await mgmt(s, 'POST', '/v1/mgmt/project/settings', { refreshTokenRotation: true })).status,
        200,
      );
      try {
        const db = s.server.store.db;
        const now = Math.floor(Date.now() / 1000);
        await db
          .updateTable('refresh_tokens')
          .set({ issued_time: now - 200 })
          .where('user_id', '=', user.userId)
          .execute();
        const rotated = await refresh(tokens.refreshJwt);
        assert.equal(rotated.status, 200);
        assert.notEqual(rotated.body.refreshJwt, tokens.refreshJwt);
        await db
          .updateTable('refresh_tokens')
          .set({ issued_time: now - 301 })
          .where('user_id', '=', user.userId)
          .execute();
        const refused = await refresh(rotated.body.refreshJwt);
        assert.equal(refused.status, 401);
        assert.equal((refused.body as unknown as { errorCode: string }).errorCode, 'E064002');
      } finally {
        await mgmt(s, 'POST', '/v1/mgmt/project/settings', { refreshTokenRotation: false });
      }
    });

    test('deleting a tenant deletes its settings', async () => {
      const id = await createTenant(s, { enabled: true, sessionTokenExpiration: 3 });
      assert.equal((await mgmt(s, 'POST', '/v1/mgmt/tenant/delete', { id })).status, 200);
      assert.equal((await getSettings(id)).status, 404);
      await mgmt(s, 'POST', '/v1/mgmt/tenant/create', { id, name: `again ${id}` });
      assert.equal((await getSettings(id)).body.enabled, false);
    });
  });
}
