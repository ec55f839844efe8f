import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ERROR_CODES, LatchkeyApiError } from '../src/index.ts';
import { type Harness, rejection, STORES, startHarness, uniqueLogin } from './support/sdk.ts';

for (const store of STORES) {
  describe(`roles and permissions through the SDK (${store})`, () => {
    let h: Harness;
    const m = () => h.client.management;
    const names = (items: { name: string }[]) => items.map((i) => i.name).sort();
    before(async () => {
      h = await startHarness(store);
      await h.client.management.tenant.createWithId('acme', 'Acme');
    });
    after(() => h.close());

    test('permissions: create, load, rename (roles follow), delete (removed from roles)', async () => {
      await m().permission.create('docs.read', 'Read documents');
      await m().permission.create('docs.write');
      const dupe = await rejection(m().permission.create('docs.read'), LatchkeyApiError);
      assert.equal(dupe.errorCode, ERROR_CODES.permissionExists);
      assert.deepEqual(
        (await m().permission.loadAll()).find((p) => p.name === 'docs.read'),
        { name: 'docs.read', description: 'Read documents', systemDefault: false },
      );
      await m().role.create('reader', { permissionNames: ['docs.read', 'docs.write'] });

      await m().permission.update('docs.read', 'documents.read', 'Reads');
      assert.deepEqual(names(await m().permission.loadAll()), ['docs.write', 'documents.read']);
      const reader = (await m().role.loadAll()).find((r) => r.name === 'reader');
      assert.deepEqual(reader?.permissionNames, ['documents.read', 'docs.write']);

      await m().permission.delete('docs.write');
      assert.deepEqual((await m().role.loadAll()).find((r) => r.name === 'reader')?.permissionNames, [
        'documents.read',
      ]);
      assert.equal(
        (await rejection(m().permission.delete('docs.write'), LatchkeyApiError)).errorCode,
        ERROR_CODES.permissionNotFound,
      );
    });

    test('roles: project and tenant roles, unknown permissions refused', async () => {
      await m().permission.create('billing.read');
      await m().role.create('billing', {
        description: 'Billing',
        permissionNames: ['billing.read'],
        default: true,
      });
      await m().role.create('billing', { tenantId: 'acme', permissionNames: ['billing.read'] });
      const roles = (await m().role.loadAll()).filter((r) => r.name === 'billing');
      assert.deepEqual(roles.map((r) => r.tenantId).sort(), ['', 'acme']);
      assert.equal(roles.find((r) => r.tenantId === '')?.default, true);
      const bad = await rejection(
        m().role.create('broken', { permissionNames: ['no.such'] }),
        LatchkeyApiError,
      );
      assert.equal(bad.errorCode, ERROR_CODES.permissionNotFound);
      const badTenant = await rejection(
        m().role.create('lost', { tenantId: 'no-such-tenant' }),
        LatchkeyApiError,
      );
      assert.equal(badTenant.errorCode, ERROR_CODES.tenantNotFound);
    });

    test('search by names, name fragment, permission and tenant', async () => {
      await m().permission.create('search.perm');
      await m().role.create('search-project', { permissionNames: ['search.perm'] });
      await m().role.create('search-tenant', { tenantId: 'acme' });
      assert.deepEqual(names(await m().role.search({ roleNames: ['search-project', 'search-tenant'] })), [
        'search-project',
        'search-tenant',
      ]);
      assert.deepEqual(names(await m().role.search({ roleNameLike: 'SEARCH-' })), [
        'search-project',
        'search-tenant',
      ]);
      assert.deepEqual(names(await m().role.search({ permissionNames: ['search.perm'] })), [
        'search-project',
      ]);
      assert.deepEqual(names(await m().role.search({ roleNameLike: 'search', tenantIds: ['acme'] })), [
        'search-tenant',
      ]);
      assert.deepEqual(
        names(
          await m().role.search({ roleNameLike: 'search', tenantIds: ['acme'], includeProjectRoles: true }),
        ),
        ['search-project', 'search-tenant'],
      );
    });

    test('update overrides and renames follow through to users; delete takes the role from users', async () => {
      await m().role.create('old-name', { description: 'Described' });
      const loginId = uniqueLogin('role-user');
      await m().user.create(loginId, { roleNames: ['old-name'] });
      await m().role.update('old-name', 'new-name');
      const renamed = (await m().role.loadAll()).find((r) => r.name === 'new-name');
      assert.equal(renamed?.description, '', 'update overrides: the description is cleared');
      assert.deepEqual((await m().user.load(loginId)).roleNames, ['new-name']);
      await m().role.delete('new-name');
      assert.deepEqual((await m().user.load(loginId)).roleNames, []);
      assert.equal(
        (await rejection(m().role.delete('new-name'), LatchkeyApiError)).errorCode,
        ERROR_CODES.roleNotFound,
      );
    });

    test('deleting a tenant role needs its tenant id', async () => {
      await m().role.create('scoped', { tenantId: 'acme' });
      await rejection(m().role.delete('scoped'), LatchkeyApiError);
      await m().role.delete('scoped', 'acme');
      assert.equal(
        (await m().role.loadAll()).some((r) => r.name === 'scoped'),
        false,
      );
    });
  });
}
