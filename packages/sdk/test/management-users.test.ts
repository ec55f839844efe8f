import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ERROR_CODES, LatchkeyApiError } from '../src/index.ts';
import { type Harness, rejection, STORES, startHarness, strongPassword, uniqueLogin } from './support/sdk.ts';

for (const store of STORES) {
  describe(`user management through the SDK (${store})`, () => {
    let h: Harness;
    const users = () => h.client.management.user;
    before(async () => {
      h = await startHarness(store);
      await h.client.management.tenant.createWithId('t1', 'Tenant One');
      await h.client.management.tenant.createWithId('t2', 'Tenant Two');
      await h.client.management.role.create('viewer');
      await h.client.management.role.create('editor');
      await h.client.management.role.create('t1-owner', { tenantId: 't1' });
    });
    after(() => h.close());

    test('create, then load by login id and by user id; unknown users are 404 E112102', async () => {
      const loginId = uniqueLogin('create');
      const created = await users().create(loginId, {
        email: loginId,
        displayName: 'Grace Hopper',
        givenName: 'Grace',
        phone: '+14155550100',
        roleNames: ['viewer'],
        userTenants: [{ tenantId: 't1', roleNames: ['t1-owner'] }],
        customAttributes: { team: 'navy' },
      });
      assert.equal(created.status, 'invited');
      assert.equal(created.name, 'Grace Hopper');
      assert.deepEqual(created.roleNames, ['viewer']);
      assert.deepEqual(created.userTenants, [
        { tenantId: 't1', tenantName: 'Tenant One', roleNames: ['t1-owner'] },
      ]);
      assert.deepEqual(await users().load(loginId), created);
      assert.deepEqual(await users().loadByUserId(created.userId), created);
      const missing = await rejection(users().load('nobody@example.com'), LatchkeyApiError);
      assert.equal(missing.status, 404);
      assert.equal(missing.errorCode, ERROR_CODES.managementUserNotFound);
      const unknownRole = await rejection(
        users().create(uniqueLogin('badrole'), { roleNames: ['no-such-role'] }),
        LatchkeyApiError,
      );
      assert.equal(unknownRole.errorCode, ERROR_CODES.roleNotFound);
    });

    test('test users: created apart, searched apart, deleted together', async () => {
      const loginId = uniqueLogin('tester');
      const created = await users().createTestUser(loginId);
      assert.equal(created.test, true);
      const normal = await users().search({ loginIds: [loginId] });
      assert.equal(normal.total, 0, 'test users are left out of a normal search');
      const found = await users().searchTestUsers({ loginIds: [loginId] });
      assert.deepEqual(
        found.users.map((u) => u.userId),
        [created.userId],
      );
      await users().deleteAllTestUsers();
      assert.equal((await users().searchTestUsers()).total, 0);
      await rejection(users().load(loginId), LatchkeyApiError);
    });

    test('batch create reports failures without stopping', async () => {
      const existing = uniqueLogin('exists');
      await users().create(existing);
      const fresh = uniqueLogin('fresh');
      const res = await users().createBatch([
        { loginId: fresh, roleNames: ['viewer'] },
        { loginId: existing },
      ]);
      assert.deepEqual(
        res.createdUsers.map((u) => u.loginIds[0]),
        [fresh],
      );
      assert.equal(res.failedUsers.length, 1);
      assert.match(res.failedUsers[0]!.failure, /already in use/);
    });

    test('update overrides, patch changes only what is given', async () => {
      const loginId = uniqueLogin('override');
      await users().create(loginId, {
        displayName: 'Before',
        givenName: 'B',
        roleNames: ['viewer'],
        customAttributes: { a: 1 },
      });
      const updated = await users().update(loginId, { email: loginId, familyName: 'After' });
      assert.equal(updated.name, '');
      assert.equal(updated.givenName, '');
      assert.equal(updated.familyName, 'After');
      assert.deepEqual(updated.roleNames, []);
      assert.deepEqual(updated.customAttributes, {});
      const patched = await users().patch(loginId, { givenName: 'Patched', roleNames: ['editor'] });
      assert.equal(patched.givenName, 'Patched');
      assert.equal(patched.familyName, 'After', 'untouched by the patch');
      assert.equal(patched.email, loginId);
      assert.deepEqual(patched.roleNames, ['editor']);
    });

    test('activate and deactivate', async () => {
      const loginId = uniqueLogin('status');
      await users().create(loginId, { password: strongPassword });
      assert.equal((await users().activate(loginId)).status, 'enabled');
      assert.equal((await users().deactivate(loginId)).status, 'disabled');
      assert.equal(
        (await rejection(h.client.password.signIn(loginId, strongPassword), LatchkeyApiError)).errorCode,
        'E062904',
      );
      await users().activate(loginId);
      assert.ok(await h.client.password.signIn(loginId, strongPassword));
    });

    test('single-field updates: login id, email, phone, names, picture, custom attribute', async () => {
      const loginId = uniqueLogin('fields');
      const { userId } = await users().create(loginId, { displayName: 'Display', givenName: 'Given' });
      const newLoginId = uniqueLogin('renamed');
      assert.deepEqual((await users().updateLoginId(loginId, newLoginId)).loginIds, [newLoginId]);
      await rejection(users().load(loginId), LatchkeyApiError);
      const emailed = await users().updateEmail(newLoginId, 'new@example.com', { verified: true });
      assert.equal(emailed.email, 'new@example.com');
      assert.equal(emailed.verifiedEmail, true);
      assert.equal((await users().updateEmail(newLoginId, undefined)).email, '');
      const phoned = await users().updatePhone(userId, '+14155550111', { verified: false });
      assert.equal(phoned.phone, '+14155550111');
      assert.equal(phoned.verifiedPhone, false);
      const renamed = await users().updateDisplayName(newLoginId, 'New Display');
      assert.equal(renamed.name, 'New Display');
      assert.equal(renamed.givenName, 'Given', 'updateDisplayName leaves the other names');
      const names = await users().updateNames(newLoginId, { familyName: 'Family', middleName: '' });
      assert.equal(names.name, 'New Display');
      assert.equal(names.familyName, 'Family');
      assert.equal(names.givenName, 'Given');
      assert.equal(
        (await users().updatePicture(newLoginId, 'https://example.com/p.png')).picture,
        'https://example.com/p.png',
      );
      assert.deepEqual((await users().updateCustomAttribute(newLoginId, 'vip', true)).customAttributes, {
        vip: true,
      });
      assert.deepEqual(
        (await users().updateCustomAttribute(newLoginId, 'vip', undefined)).customAttributes,
        {},
      );
    });

    test('roles at project level and inside a tenant; tenant membership', async () => {
      const loginId = uniqueLogin('roles');
      await users().create(loginId);
      const sorted = (names: string[] | undefined) => [...(names ?? [])].sort();
      assert.deepEqual(sorted((await users().addRoles(loginId, ['viewer', 'editor'])).roleNames), [
        'editor',
        'viewer',
      ]);
      assert.deepEqual((await users().removeRoles(loginId, ['viewer'])).roleNames, ['editor']);
      assert.deepEqual((await users().setRoles(loginId, ['viewer'])).roleNames, ['viewer']);

      const notMember = await rejection(users().addRoles(loginId, ['viewer'], 't1'), LatchkeyApiError);
      assert.equal(notMember.errorCode, ERROR_CODES.invalidArguments);
      const added = await users().addTenant(loginId, 't1', ['t1-owner']);
      assert.deepEqual(added.userTenants, [
        { tenantId: 't1', tenantName: 'Tenant One', roleNames: ['t1-owner'] },
      ]);
      assert.deepEqual(
        sorted((await users().addRoles(loginId, ['viewer'], 't1')).userTenants[0]?.roleNames),
        ['t1-owner', 'viewer'],
      );
      assert.deepEqual((await users().removeRoles(loginId, ['t1-owner'], 't1')).userTenants[0]!.roleNames, [
        'viewer',
      ]);
      assert.deepEqual((await users().setRoles(loginId, ['editor'], 't1')).userTenants[0]!.roleNames, [
        'editor',
      ]);
      const wrongTenantRole = await rejection(
        users().addTenant(loginId, 't2', ['t1-owner']),
        LatchkeyApiError,
      );
      assert.equal(
        wrongTenantRole.errorCode,
        ERROR_CODES.roleNotFound,
        'a tenant role does not exist in another tenant',
      );
      const removed = await users().removeTenant(loginId, 't1');
      assert.deepEqual(removed.userTenants, []);
      assert.deepEqual(removed.roleNames, ['viewer'], 'project roles are untouched');
    });

    test('search: filters, paging and totals', async () => {
      const tag = `s${Date.now()}`;
      for (let i = 0; i < 5; i++) {
        await users().create(uniqueLogin(tag), {
          displayName: `${tag} number ${i}`,
          roleNames: i % 2 === 0 ? ['editor'] : [],
          userTenants: i < 2 ? [{ tenantId: 't2' }] : [],
          customAttributes: { idx: i },
        });
      }
      const page0 = await users().search({ text: tag, limit: 2, page: 0, sort: [{ field: 'name' }] });
      const page2 = await users().search({ text: tag, limit: 2, page: 2, sort: [{ field: 'name' }] });
      assert.equal(page0.total, 5);
      assert.deepEqual(
        page0.users.map((u) => u.name),
        [`${tag} number 0`, `${tag} number 1`],
      );
      assert.deepEqual(
        page2.users.map((u) => u.name),
        [`${tag} number 4`],
      );
      assert.equal((await users().search({ text: tag, roleNames: ['editor'] })).total, 3);
      assert.equal((await users().search({ text: tag, tenantIds: ['t2'] })).total, 2);
      assert.equal((await users().search({ text: tag, customAttributes: { idx: 3 } })).total, 1);
      assert.equal((await users().search({ text: tag, statuses: ['enabled'] })).total, 0);
    });

    test('history and delete', async () => {
      const loginId = uniqueLogin('history');
      const res = await h.client.password.signUp(loginId, strongPassword);
      const userId = res.user!.userId;
      await h.client.password.signIn(loginId, strongPassword);
      const history = await users().history([userId]);
      assert.equal(history.length, 2);
      assert.ok(history.every((r) => r.userId === userId));
      await users().delete(loginId);
      assert.equal((await rejection(users().loadByUserId(userId), LatchkeyApiError)).status, 404);
      await rejection(h.client.refreshSession(res.refreshJwt), LatchkeyApiError);

      const other = await users().create(uniqueLogin('byid'));
      await users().deleteByUserId(other.userId);
      await rejection(users().loadByUserId(other.userId), LatchkeyApiError);
      assert.equal((await rejection(users().delete(other.userId), LatchkeyApiError)).errorCode, 'E112102');
    });
  });
}
