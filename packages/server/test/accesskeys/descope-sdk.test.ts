import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { disableRateLimits, fails, ok, type SdkServer, startSdkServer, uid } from '../descope-sdk/support.ts';
import { STORES } from '../support/server.ts';

/** Access keys driven only through the official `@descope/node-sdk`: `management.accessKey.*` and `exchangeAccessKey`. */
for (const store of STORES) {
  describe(`Descope SDK: access keys (${store})`, () => {
    let t: SdkServer;
    let tenantId: string;
    before(async () => {
      t = await startSdkServer(store);
      await disableRateLimits(t.s);
      await ok(t.mgmt.management.permission.create('reports.read'));
      await ok(t.mgmt.management.permission.create('reports.write'));
      await ok(t.mgmt.management.role.create('analyst', '', ['reports.read']));
      await ok(t.mgmt.management.role.create('editor', '', ['reports.read', 'reports.write']));
      tenantId = (await ok(t.mgmt.management.tenant.create(uid('Tenant ')))).id;
    });
    after(() => t.close());

    test('create → exchangeAccessKey: validateJwt/validateSession accept the JWT with the key authorization', async () => {
      const created = await ok(
        t.mgmt.management.accessKey.create(
          uid('sdk-'),
          0,
          ['analyst'],
          [{ tenantId, roleNames: ['editor'] }],
          undefined,
          { team: 'data' },
          'used by the nightly job',
        ),
      );
      assert.match(created.cleartext, /^[A-Za-z0-9]+$/);
      const info = await t.auth.exchangeAccessKey(created.cleartext);
      assert.equal(info.token.sub, created.key.id);
      assert.equal(info.token.team, 'data');
      assert.equal(t.auth.validateRoles(info, ['analyst']), true);
      assert.equal(t.auth.validatePermissions(info, ['reports.read']), true);
      assert.equal(t.auth.validatePermissions(info, ['reports.write']), false);
      assert.equal(t.auth.validateTenantRoles(info, tenantId, ['editor']), true);
      assert.equal(t.auth.validateTenantPermissions(info, tenantId, ['reports.write']), true);

      const validated = await t.auth.validateJwt(info.jwt);
      assert.equal(validated.token.sub, created.key.id);
      const session = await t.auth.validateSession(info.jwt);
      assert.equal(session.token.drn, 'DS');

      // the raw exchange also carries a refresh JWT (for the Ruby SDK)
      const raw = await ok(t.auth.accessKey.exchange(created.cleartext, { selectedTenant: tenantId }));
      assert.equal(raw.keyId, created.key.id);
      assert.equal((raw as unknown as { refreshJwt: string }).refreshJwt.split('.').length, 3);
      assert.equal((await t.auth.validateJwt(raw.sessionJwt)).token.dct, tenantId);
    });

    test('load, searchAll, update, deactivate, activate, delete', async () => {
      const name = uid('life-');
      const { key, cleartext } = await ok(t.mgmt.management.accessKey.create(name, 0, ['analyst']));
      const loaded = await ok(t.mgmt.management.accessKey.load(key.id));
      assert.equal(loaded.name, name);
      assert.equal(loaded.status, 'active');
      assert.ok(!JSON.stringify(loaded).includes(cleartext));

      const updated = await ok(t.mgmt.management.accessKey.update(key.id, 'renamed'));
      assert.equal(updated.name, 'renamed');
      assert.deepEqual(updated.roleNames, ['analyst'], 'absent fields are unchanged');

      const all = await ok(t.mgmt.management.accessKey.searchAll());
      assert.ok(all.some((k) => k.id === key.id));
      const inTenant = await ok(t.mgmt.management.accessKey.searchAll([tenantId]));
      assert.ok(!inTenant.some((k) => k.id === key.id));

      await ok(t.mgmt.management.accessKey.deactivate(key.id));
      assert.equal((await ok(t.mgmt.management.accessKey.load(key.id))).status, 'inactive');
      await assert.rejects(t.auth.exchangeAccessKey(cleartext), /deactivated/);
      await fails(t.auth.accessKey.exchange(cleartext), 401, 'E061202');

      await ok(t.mgmt.management.accessKey.activate(key.id));
      assert.equal((await t.auth.exchangeAccessKey(cleartext)).token.sub, key.id);

      await ok(t.mgmt.management.accessKey.delete(key.id));
      await fails(t.auth.accessKey.exchange(cleartext), 401, 'E061201');
      await fails(t.mgmt.management.accessKey.load(key.id), 404, 'E117101');
    });

    test('permitted IPs and bad input through the SDK', async () => {
      const far = await ok(
        t.mgmt.management.accessKey.create(uid('ip-'), 0, [], [], undefined, undefined, undefined, [
          '192.0.2.0/24',
        ]),
      );
      await fails(t.auth.accessKey.exchange(far.cleartext), 401, 'E061204');
      const near = await ok(
        t.mgmt.management.accessKey.create(uid('ip-'), 0, [], [], undefined, undefined, undefined, [
          '::1',
          '127.0.0.1/32',
        ]),
      );
      assert.equal((await t.auth.exchangeAccessKey(near.cleartext)).token.sub, near.key.id);

      const before = (await ok(t.mgmt.management.accessKey.searchAll())).length;
      await fails(t.mgmt.management.accessKey.create(uid('past-'), Math.floor(Date.now() / 1000) - 60), 400);
      await fails(t.mgmt.management.accessKey.create(uid('role-'), 0, ['ghost']), 404, 'E114101');
      await fails(
        t.mgmt.management.accessKey.create(uid('tenant-'), 0, [], [{ tenantId: 'T-ghost', roleNames: [] }]),
        404,
        'E113101',
      );
      await fails(
        t.mgmt.management.accessKey.create(uid('claims-'), 0, [], [], undefined, { big: 'y'.repeat(10_000) }),
        400,
        'E011004',
      );
      assert.equal((await ok(t.mgmt.management.accessKey.searchAll())).length, before);

      // without a management key the SDK's management calls are refused
      await fails(t.client({ managementKey: 'Kwrong' }).management.accessKey.searchAll(), 401, 'E011103');
    });
  });
}
