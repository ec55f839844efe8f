import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  claims,
  disableRateLimits,
  ok,
  PASSWORD,
  type SdkServer,
  startSdkServer,
  uid,
} from '../descope-sdk/support.ts';
import { mgmt, STORES } from '../support/server.ts';

type TenantEntry = { roles: string[]; permissions: string[]; customAttributes?: Record<string, unknown> };

/**
 * Tenant attributes defined with `includeInJwt` appear inside the tenant's entry of the `tenants` claim
 * (docs/custom-attributes.md), next to its roles and permissions, which the Descope SDK's checks still read.
 */
for (const store of STORES) {
  describe(`tenant custom attributes in JWTs (${store})`, () => {
    let t: SdkServer;
    const tenants = () => t.mgmt.management.tenant;
    before(async () => {
      t = await startSdkServer(store);
      await disableRateLimits(t.s);
      await ok(t.mgmt.management.permission.create('audit.read'));
      await ok(t.mgmt.management.role.create('auditor', 'reads', ['audit.read']));
      const defined = await mgmt(t.s, 'POST', '/v1/mgmt/tenant/customattribute/create', {
        attributes: [
          {
            name: 'region',
            type: 'singleSelect',
            options: [{ value: 'eu' }, { value: 'us' }],
            includeInJwt: true,
          },
          { name: 'seats', type: 'number', includeInJwt: true },
          { name: 'internalNote', type: 'text' },
        ],
      });
      assert.equal(defined.status, 200, JSON.stringify(defined.body));
    });
    after(() => t.close());

    const tenantWith = async (customAttributes: Record<string, unknown>) => {
      const created = await ok(tenants().create(uid('Tenant '), [], customAttributes as never));
      return created.id as string;
    };
    const memberOf = async (tenantIds: string[]) => {
      const loginId = `${uid('member-')}@attrs.test`;
      await ok(
        t.mgmt.management.user.create(loginId, {
          email: loginId,
          userTenants: tenantIds.map((tenantId) => ({ tenantId, roleNames: ['auditor'] })),
        }),
      );
      await ok(t.mgmt.management.user.setActivePassword(loginId, PASSWORD));
      const jwt = await ok(t.auth.password.signIn(loginId, PASSWORD));
      return { sessionJwt: jwt.sessionJwt, refreshJwt: jwt.refreshJwt as string };
    };

    test('included attributes sit in each tenant entry; roles, permissions and SDK checks intact', async () => {
      const eu = await tenantWith({ region: 'eu', seats: 12, internalNote: 'never in a token' });
      const bare = await tenantWith({ internalNote: 'only an excluded attribute' });
      const jwt = await memberOf([eu, bare]);
      for (const token of [jwt.sessionJwt, jwt.refreshJwt]) {
        const entries = claims(token).tenants as Record<string, TenantEntry>;
        assert.deepEqual(entries[eu], {
          roles: ['auditor'],
          permissions: ['audit.read'],
          customAttributes: { region: 'eu', seats: 12 },
        });
        assert.deepEqual(entries[bare], { roles: ['auditor'], permissions: ['audit.read'] }, 'no empty map');
      }
      const info = await t.auth.validateSession(jwt.sessionJwt);
      const viaSdk = (info.token.tenants as Record<string, TenantEntry>)[eu];
      assert.deepEqual(viaSdk?.customAttributes, { region: 'eu', seats: 12 });
      assert.equal(t.auth.validateTenantRoles(info, eu, ['auditor']), true);
      assert.equal(t.auth.validateTenantPermissions(info, eu, ['audit.read']), true);
      assert.equal(t.auth.validateTenantRoles(info, eu, ['admin']), false);
      assert.deepEqual(t.auth.getMatchedTenantRoles(info, bare, ['auditor', 'admin']), ['auditor']);
      assert.equal(claims(jwt.sessionJwt).customAttributes, undefined, 'no user attribute claim appears');
    });

    test('a refreshed JWT reflects a change to the tenant and to the definitions', async () => {
      const id = await tenantWith({ region: 'us', seats: 3 });
      const jwt = await memberOf([id]);
      const entry = async () => {
        const refreshed = await t.auth.refreshSession(jwt.refreshJwt);
        return (refreshed.token.tenants as Record<string, TenantEntry>)[id];
      };
      assert.deepEqual((await entry())?.customAttributes, { region: 'us', seats: 3 });

      const tenant = await ok(tenants().load(id));
      await ok(tenants().update(id, tenant.name, [], { region: 'eu', seats: 4 } as never));
      assert.deepEqual((await entry())?.customAttributes, { region: 'eu', seats: 4 });

      await ok(tenants().update(id, tenant.name, [], { seats: 4 } as never));
      assert.deepEqual((await entry())?.customAttributes, { seats: 4 }, 'a removed value leaves the claim');

      // dropping includeInJwt from the definition (create replaces it) takes the value out of the token
      const redefined = await mgmt(t.s, 'POST', '/v1/mgmt/tenant/customattribute/create', {
        attributes: [{ name: 'seats', type: 'number' }],
      });
      assert.equal(redefined.status, 200);
      assert.deepEqual(await entry(), { roles: ['auditor'], permissions: ['audit.read'] });
      await mgmt(t.s, 'POST', '/v1/mgmt/tenant/customattribute/create', {
        attributes: [{ name: 'seats', type: 'number', includeInJwt: true }],
      });
    });

    test('an access key with keyTenants carries its tenants attributes the same way', async () => {
      const id = await tenantWith({ region: 'eu', seats: 7 });
      const created = await ok(
        t.mgmt.management.accessKey.create(uid('key-'), 0, [], [{ tenantId: id, roleNames: ['auditor'] }]),
      );
      const info = await t.auth.exchangeAccessKey(created.cleartext);
      const entry = (info.token.tenants as Record<string, TenantEntry>)[id];
      assert.deepEqual(entry, {
        roles: ['auditor'],
        permissions: ['audit.read'],
        customAttributes: { region: 'eu', seats: 7 },
      });
      assert.equal(t.auth.validateTenantRoles(info, id, ['auditor']), true);
    });
  });
}
