import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ERROR_CODES, isLatchkeyApiError, isUserInTenant, LatchkeyApiError } from '../src/index.ts';
import { type Harness, rejection, STORES, startHarness, strongPassword, uniqueLogin } from './support/sdk.ts';

for (const store of STORES) {
  describe(`tenant management through the SDK (${store})`, () => {
    let h: Harness;
    before(async () => {
      h = await startHarness(store);
    });
    after(() => h.close());

    test('create with a generated id, or with your own; duplicates are refused', async () => {
      const { id } = await h.client.management.tenant.create('Generated Inc', {
        customAttributes: { plan: 'free' },
      });
      assert.match(id, /^T/);
      assert.deepEqual(await h.client.management.tenant.createWithId('own-id', 'Own Id Inc'), {
        id: 'own-id',
      });
      const loaded = await h.client.management.tenant.load(id);
      assert.equal(loaded.name, 'Generated Inc');
      assert.deepEqual(loaded.customAttributes, { plan: 'free' });
      assert.deepEqual(loaded.selfProvisioningDomains, []);
      const dupeId = await rejection(
        h.client.management.tenant.createWithId('own-id', 'Another'),
        LatchkeyApiError,
      );
      assert.equal(dupeId.errorCode, ERROR_CODES.tenantExists);
      const dupeName = await rejection(h.client.management.tenant.create('Own Id Inc'));
      assert.ok(isLatchkeyApiError(dupeName, 'E113102'));
    });

    test('update overrides every field: what is left out is cleared', async () => {
      await h.client.management.tenant.createWithId('upd', 'Before', {
        selfProvisioningDomains: ['before.example'],
        customAttributes: { tier: 'gold' },
        disabled: true,
      });
      await h.client.management.tenant.update('upd', 'After', { selfProvisioningDomains: ['after.example'] });
      const t = await h.client.management.tenant.load('upd');
      assert.equal(t.name, 'After');
      assert.deepEqual(t.selfProvisioningDomains, ['after.example']);
      assert.deepEqual(t.customAttributes, {});
      assert.equal(t.disabled, false);
    });

    test('loadAll and search by ids, names (case-insensitive), domains and custom attributes', async () => {
      await h.client.management.tenant.createWithId('s1', 'Search One', {
        selfProvisioningDomains: ['one.example'],
        customAttributes: { region: 'eu' },
      });
      await h.client.management.tenant.createWithId('s2', 'Search Two', {
        customAttributes: { region: 'us' },
      });
      const all = await h.client.management.tenant.loadAll();
      assert.ok(['s1', 's2'].every((id) => all.some((t) => t.id === id)));
      const ids = (ts: { id: string }[]) => ts.map((t) => t.id).sort();
      assert.deepEqual(ids(await h.client.management.tenant.search({ names: ['search one'] })), ['s1']);
      assert.deepEqual(ids(await h.client.management.tenant.search({ ids: ['s1', 's2'] })), ['s1', 's2']);
      assert.deepEqual(
        ids(await h.client.management.tenant.search({ selfProvisioningDomains: ['one.example'] })),
        ['s1'],
      );
      assert.deepEqual(ids(await h.client.management.tenant.search({ customAttributes: { region: 'us' } })), [
        's2',
      ]);
      assert.deepEqual(await h.client.management.tenant.search({ names: ['nothing like this'] }), []);
    });

    test('self-provisioning: signing up with a matching email joins the tenant', async () => {
      await h.client.management.tenant.createWithId('prov', 'Provisioned', {
        selfProvisioningDomains: ['prov.example'],
      });
      const res = await h.client.password.signUp(`someone-${Date.now()}@prov.example`, strongPassword);
      assert.equal(isUserInTenant(await h.client.validateSession(res.sessionJwt), 'prov'), true);
    });

    test('delete: plain, and with cascade removing users who belong to no other tenant', async () => {
      await h.client.management.tenant.createWithId('gone', 'Gone');
      await h.client.management.tenant.delete('gone');
      const missing = await rejection(h.client.management.tenant.load('gone'), LatchkeyApiError);
      assert.equal(missing.status, 404);
      assert.equal(missing.errorCode, ERROR_CODES.tenantNotFound);

      await h.client.management.tenant.createWithId('cascade', 'Cascade');
      await h.client.management.tenant.createWithId('stay', 'Stay');
      const onlyHere = uniqueLogin('only');
      const alsoElsewhere = uniqueLogin('also');
      await h.client.management.user.create(onlyHere, {
        userTenants: [{ tenantId: 'cascade' }],
        password: strongPassword,
      });
      await h.client.management.user.create(alsoElsewhere, {
        userTenants: [{ tenantId: 'cascade' }, { tenantId: 'stay' }],
      });
      const session = await h.client.password.signIn(onlyHere, strongPassword);
      await h.client.management.tenant.delete('cascade', true);
      assert.equal(
        (await rejection(h.client.management.user.load(onlyHere), LatchkeyApiError)).errorCode,
        'E112102',
      );
      await rejection(h.client.refreshSession(session.refreshJwt), LatchkeyApiError);
      assert.ok(
        await h.client.management.user.create(onlyHere),
        'the login id of a deleted user is free again',
      );
      const kept = await h.client.management.user.load(alsoElsewhere);
      assert.deepEqual(
        kept.userTenants.map((t) => t.tenantId),
        ['stay'],
      );
    });
  });
}
