import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ERROR_CODES, LatchkeyApiError, validateRoles, validateTenantRoles } from '../src/index.ts';
import { type Harness, rejection, STORES, startHarness } from './support/sdk.ts';

for (const store of STORES) {
  describe(`access keys through the SDK (${store})`, () => {
    let h: Harness;
    const keys = () => h.client.management.accessKey;
    before(async () => {
      h = await startHarness(store);
      await h.client.management.role.create('deployer');
      await h.client.management.tenant.createWithId('acme', 'Acme');
      await h.client.management.role.create('auditor', { tenantId: 'acme' });
    });
    after(() => h.close());

    test('create → exchange → validateSession / validateRoles; deactivate refuses, activate restores', async () => {
      const { key, cleartext } = await keys().create('ci-bot', {
        description: 'CI',
        roleNames: ['deployer'],
        keyTenants: [{ tenantId: 'acme', roleNames: ['auditor'] }],
        customClaims: { team: 'platform' },
      });
      assert.ok(cleartext.length > 20);
      assert.equal(key.name, 'ci-bot');
      assert.equal(key.status, 'active');
      assert.deepEqual(key.roleNames, ['deployer']);
      assert.deepEqual(key.keyTenants, [{ tenantId: 'acme', tenantName: 'Acme', roleNames: ['auditor'] }]);

      // the machine needs no management key
      const machine = h.newClient({ managementKey: undefined });
      const exchanged = await machine.exchangeAccessKey(cleartext);
      assert.equal(exchanged.keyId, key.id);
      assert.ok(exchanged.expiration > Date.now() / 1000);
      assert.equal(
        machine.wire.calls.find((c) => c.path === '/v1/auth/accesskey/exchange')?.authorization,
        `Bearer ${h.server.projectId}:${cleartext}`,
      );
      const info = await machine.validateSession(exchanged.sessionJwt);
      assert.equal(info.token.sub, key.id);
      assert.equal(info.token.team, 'platform');
      assert.equal(validateRoles(info, ['deployer']), true);
      assert.equal(validateRoles(info, ['admin']), false);
      assert.equal(validateTenantRoles(info, 'acme', ['auditor']), true);

      const scoped = await machine.exchangeAccessKey(cleartext, { selectedTenant: 'acme' });
      assert.equal((await machine.validateSession(scoped.sessionJwt)).token.dct, 'acme');

      await keys().deactivate(key.id);
      assert.equal((await keys().load(key.id)).status, 'inactive');
      const refused = await rejection(machine.exchangeAccessKey(cleartext), LatchkeyApiError);
      assert.equal(refused.status, 401);
      assert.equal(refused.errorCode, ERROR_CODES.accessKeyInactive);

      await keys().activate(key.id);
      assert.equal((await machine.exchangeAccessKey(cleartext)).keyId, key.id);

      const wrong = await rejection(machine.exchangeAccessKey(`${cleartext}x`), LatchkeyApiError);
      assert.equal(wrong.errorCode, ERROR_CODES.accessKeyInvalid);
      await assert.rejects(machine.exchangeAccessKey('a:b'), TypeError);
    });

    test('load, search, update, delete', async () => {
      const { key, cleartext } = await keys().create('reporting', { roleNames: ['deployer'] });
      const { key: other } = await keys().create('tenant-bot', { keyTenants: [{ tenantId: 'acme' }] });
      assert.deepEqual(await keys().load(key.id), key);

      const all = (await keys().search()).map((k) => k.id);
      assert.ok(all.includes(key.id) && all.includes(other.id));
      assert.deepEqual(
        (await keys().search({ tenantIds: ['acme'] })).map((k) => k.id).includes(key.id),
        false,
      );
      assert.ok((await keys().search({ tenantIds: ['acme'] })).some((k) => k.id === other.id));

      const updated = await keys().update(key.id, 'reports', { description: 'Nightly', roleNames: [] });
      assert.equal(updated.name, 'reports');
      assert.equal(updated.description, 'Nightly');
      assert.deepEqual(updated.roleNames, []);
      assert.deepEqual(await keys().load(key.id), updated);

      await keys().delete(key.id);
      const gone = await rejection(keys().load(key.id), LatchkeyApiError);
      assert.equal(gone.errorCode, ERROR_CODES.accessKeyNotFound);
      assert.equal(gone.status, 404);
      const deleted = await rejection(h.client.exchangeAccessKey(cleartext), LatchkeyApiError);
      assert.equal(deleted.errorCode, ERROR_CODES.accessKeyInvalid);
      const unknown = await rejection(keys().deactivate(key.id), LatchkeyApiError);
      assert.equal(unknown.errorCode, ERROR_CODES.accessKeyNotFound);
    });
  });
}
