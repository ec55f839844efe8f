import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Role } from '@descope/node-sdk';
import { STORES } from '../support/server.ts';
import { fails, ok, PASSWORD, type SdkServer, startSdkServer, uid } from './support.ts';

for (const store of STORES) {
  describe(`Descope SDK: roles and permissions (${store})`, () => {
    let t: SdkServer;
    before(async () => {
      t = await startSdkServer(store);
    });
    after(() => t.close());

    const m = () => t.mgmt.management;
    const roleOf = (roles: Role[], name: string, tenantId = '') =>
      roles.find((r) => r.name === name && (r.tenantId ?? '') === tenantId);
    const tenant = async () => {
      const id = uid('rp-');
      await ok(m().tenant.createWithId(id, uid('Roles Tenant ')));
      return id;
    };

    test('permissions: create, loadAll, update (override), delete', async () => {
      const name = uid('perm.');
      const res = await m().permission.create(name, 'Lets you do a thing');
      assert.equal(res.ok, true, JSON.stringify(res.error));
      assert.deepEqual(res.data, {});
      let all = await ok(m().permission.loadAll());
      assert.deepEqual(
        all.find((p) => p.name === name),
        { name, description: 'Lets you do a thing', systemDefault: false },
      );
      await fails(m().permission.create(name), 400, 'E115102');

      const renamed = uid('perm.renamed.');
      await ok(m().permission.update(name, renamed, 'Revised'));
      all = await ok(m().permission.loadAll());
      assert.equal(
        all.find((p) => p.name === name),
        undefined,
      );
      assert.equal(all.find((p) => p.name === renamed)?.description, 'Revised');
      await ok(m().permission.update(renamed, renamed));
      all = await ok(m().permission.loadAll());
      assert.equal(all.find((p) => p.name === renamed)?.description, '', 'update overrides the description');

      const other = uid('perm.other.');
      await ok(m().permission.create(other));
      await fails(m().permission.update(renamed, other), 400, 'E115102');
      await fails(m().permission.update(uid('perm.ghost.'), uid('perm.x.')), 404);

      await ok(m().permission.delete(renamed));
      all = await ok(m().permission.loadAll());
      assert.equal(
        all.find((p) => p.name === renamed),
        undefined,
      );
      await fails(m().permission.delete(renamed), 404);
    });

    test('permission renames and deletes follow through to the roles that grant them', async () => {
      const [p1, p2] = [uid('p1.'), uid('p2.')];
      await ok(m().permission.create(p1));
      await ok(m().permission.create(p2));
      const role = uid('granting-');
      await ok(m().role.create(role, '', [p1, p2]));
      const p1b = uid('p1b.');
      await ok(m().permission.update(p1, p1b));
      assert.deepEqual(
        roleOf(await ok(m().role.loadAll()), role)
          ?.permissionNames.slice()
          .sort(),
        [p1b, p2].sort(),
      );
      await ok(m().permission.delete(p2));
      assert.deepEqual(roleOf(await ok(m().role.loadAll()), role)?.permissionNames, [p1b]);
    });

    test('roles: create project and tenant roles with permissions; loadAll lists both', async () => {
      const perm = uid('rperm.');
      await ok(m().permission.create(perm));
      const tenantId = await tenant();
      const name = uid('admin-');
      const res = await m().role.create(name, 'Project admin', [perm]);
      assert.equal(res.ok, true, JSON.stringify(res.error));
      assert.deepEqual(res.data, {});
      await ok(m().role.create(name, 'Tenant admin', [], tenantId));

      const all = await ok(m().role.loadAll());
      const project = roleOf(all, name);
      const scoped = roleOf(all, name, tenantId);
      assert.ok(project && scoped, 'the same name exists at project and tenant level');
      assert.equal(project.description, 'Project admin');
      assert.deepEqual(project.permissionNames, [perm]);
      assert.equal(project.tenantId ?? '', '');
      assert.equal(scoped.description, 'Tenant admin');
      assert.equal(scoped.tenantId, tenantId);
      assert.ok(Math.abs(project.createdTime - Date.now() / 1000) < 120);
      assert.equal(project.default, false);

      await fails(m().role.create(name), 400, 'E114102');
      await fails(m().role.create(name, '', [], tenantId), 400, 'E114102');
      assert.equal((await m().role.create(uid('bad-'), '', [uid('ghost.')])).ok, false, 'unknown permission');
      assert.equal((await m().role.create(uid('bad-'), '', [], uid('ghost-'))).ok, false, 'unknown tenant');
    });

    test('roles: update overrides the role; tenant roles are addressed with their tenant', async () => {
      const [p1, p2] = [uid('u1.'), uid('u2.')];
      await ok(m().permission.create(p1));
      await ok(m().permission.create(p2));
      const tenantId = await tenant();
      const name = uid('editor-');
      await ok(m().role.create(name, 'Edits', [p1], undefined, true));
      await ok(m().role.create(name, 'Tenant edits', [p1], tenantId));

      const renamed = uid('writer-');
      await ok(m().role.update(name, renamed, 'Writes', [p2]));
      let all = await ok(m().role.loadAll());
      assert.equal(roleOf(all, name), undefined);
      const updated = roleOf(all, renamed)!;
      assert.equal(updated.description, 'Writes');
      assert.deepEqual(updated.permissionNames, [p2]);
      assert.equal(updated.default, false, 'absent default is cleared');
      const untouched = roleOf(all, name, tenantId)!;
      assert.equal(untouched.description, 'Tenant edits', 'the tenant role of the same name is separate');

      await ok(m().role.update(name, name, 'Tenant writes', [p1, p2], tenantId));
      all = await ok(m().role.loadAll());
      assert.equal(roleOf(all, name, tenantId)?.description, 'Tenant writes');
      assert.deepEqual(roleOf(all, name, tenantId)?.permissionNames.slice().sort(), [p1, p2].sort());
      await ok(m().role.update(renamed, renamed));
      assert.deepEqual(
        roleOf(await ok(m().role.loadAll()), renamed)?.permissionNames,
        [],
        'permissions cleared',
      );

      await fails(m().role.update(uid('ghost-'), uid('x-')), 404);
      await fails(m().role.update(name, name), 404, 'E114101'); // only the tenant has a role of that name
      const other = uid('other-');
      await ok(m().role.create(other));
      await fails(m().role.update(renamed, other), 400, 'E114102');
    });

    test('roles: delete a project role or a tenant role', async () => {
      const tenantId = await tenant();
      const name = uid('temp-');
      await ok(m().role.create(name));
      await ok(m().role.create(name, '', [], tenantId));
      await ok(m().role.delete(name, tenantId));
      let all = await ok(m().role.loadAll());
      assert.equal(roleOf(all, name, tenantId), undefined);
      assert.ok(roleOf(all, name), 'the project role of that name stays');
      await ok(m().role.delete(name));
      all = await ok(m().role.loadAll());
      assert.equal(roleOf(all, name), undefined);
      await fails(m().role.delete(name), 404);
      await fails(m().role.delete(name, tenantId), 404);
    });

    test('roles: search by names, name fragment, tenants and permissions', async () => {
      const prefix = uid('srch');
      const perm = uid('sperm.');
      await ok(m().permission.create(perm));
      const tenantId = await tenant();
      const projectRole = `${prefix}-Project`;
      const tenantRole = `${prefix}-Tenant`;
      const plain = `${prefix}-plain`;
      await ok(m().role.create(projectRole, '', [perm]));
      await ok(m().role.create(tenantRole, '', [perm], tenantId));
      await ok(m().role.create(plain));
      const names = (roles: Role[]) => roles.map((r) => r.name).sort();

      assert.deepEqual(
        names(await ok(m().role.search({ roleNames: [tenantRole, projectRole] }))),
        [projectRole, tenantRole].sort(),
      );
      assert.deepEqual(
        names(await ok(m().role.search({ roleNameLike: prefix.toUpperCase() }))),
        [plain, projectRole, tenantRole].sort(),
        'roleNameLike is a case-insensitive contains',
      );
      assert.deepEqual(
        names(await ok(m().role.search({ permissionNames: [perm] }))),
        [projectRole, tenantRole].sort(),
      );
      const inTenant = await ok(m().role.search({ roleNameLike: prefix, tenantIds: [tenantId] }));
      assert.deepEqual(names(inTenant), [tenantRole]);
      assert.equal(inTenant[0]!.tenantId, tenantId);
      assert.deepEqual(
        names(
          await ok(
            m().role.search({ roleNameLike: prefix, tenantIds: [tenantId], includeProjectRoles: true }),
          ),
        ),
        [plain, projectRole, tenantRole].sort(),
      );
      assert.deepEqual(await ok(m().role.search({ roleNames: [uid('ghost-')] })), []);
    });

    test("a change to a user's roles or permissions shows in the next refreshed or issued JWT", async () => {
      const [read, write, rename] = [uid('read.'), uid('write.'), uid('manage.')];
      for (const p of [read, write, rename]) await ok(m().permission.create(p));
      const [reader, writer] = [uid('reader-'), uid('writer-')];
      await ok(m().role.create(reader, '', [read]));
      await ok(m().role.create(writer, '', [write]));
      const tenantId = await tenant();
      const tenantRole = uid('tenant-boss-');
      await ok(m().role.create(tenantRole, '', [rename], tenantId));

      const loginId = `${uid('jwt')}@example.com`;
      const up = await ok(t.auth.password.signUp(loginId, PASSWORD));
      const refreshJwt = up.refreshJwt!;
      let info = await t.auth.validateSession(up.sessionJwt);
      assert.deepEqual(info.token.roles, []);

      await ok(m().user.addRoles(loginId, [reader]));
      info = await t.auth.refreshSession(refreshJwt);
      assert.deepEqual(info.token.roles, [reader]);
      assert.deepEqual(info.token.permissions, [read]);
      assert.equal(t.auth.validatePermissions(info, [read]), true);

      await ok(m().role.update(reader, reader, '', [read, write]));
      info = await t.auth.refreshSession(refreshJwt);
      assert.deepEqual(
        (info.token.permissions as string[]).slice().sort(),
        [read, write].sort(),
        'role permissions',
      );

      const readV2 = uid('read.v2.');
      await ok(m().permission.update(read, readV2));
      info = await t.auth.refreshSession(refreshJwt);
      assert.deepEqual(
        (info.token.permissions as string[]).slice().sort(),
        [readV2, write].sort(),
        'permission rename',
      );

      const renamedRole = uid('viewer-');
      await ok(m().role.update(reader, renamedRole, '', [readV2]));
      info = await t.auth.refreshSession(refreshJwt);
      assert.deepEqual(info.token.roles, [renamedRole], 'role rename follows to the user');
      assert.deepEqual((await ok(m().user.load(loginId))).roleNames, [renamedRole]);

      await ok(m().user.setRoles(loginId, [writer]));
      info = await t.auth.refreshSession(refreshJwt);
      assert.deepEqual(info.token.roles, [writer]);
      assert.deepEqual(info.token.permissions, [write]);

      await ok(m().user.addTenant(loginId, tenantId));
      await ok(m().user.addTenantRoles(loginId, tenantId, [tenantRole]));
      info = await t.auth.refreshSession(refreshJwt);
      assert.equal(t.auth.validateTenantRoles(info, tenantId, [tenantRole]), true);
      assert.equal(t.auth.validateTenantPermissions(info, tenantId, [rename]), true);

      await ok(m().role.delete(writer));
      await ok(m().user.removeTenantRoles(loginId, tenantId, [tenantRole]));
      info = await t.auth.refreshSession(refreshJwt);
      assert.deepEqual(info.token.roles, [], 'a deleted role is gone from the user');
      assert.deepEqual(info.token.permissions, []);
      assert.equal(t.auth.validateTenantRoles(info, tenantId, [tenantRole]), false);
      assert.equal(t.auth.validateTenantRoles(info, tenantId, []), true, 'still a member');

      await ok(m().user.removeTenant(loginId, tenantId));
      await ok(m().user.addRoles(loginId, [renamedRole]));
      const signIn = await ok(t.auth.password.signIn(loginId, PASSWORD));
      info = await t.auth.validateSession(signIn.sessionJwt);
      assert.deepEqual(info.token.roles, [renamedRole], 'a new sign-in sees the current roles');
      assert.deepEqual(info.token.tenants, {});
    });

    test('a default role is given to every user who signs up', async () => {
      const perm = uid('default.');
      await ok(m().permission.create(perm));
      const role = uid('member-');
      await ok(m().role.create(role, 'everyone', [perm], undefined, true));
      assert.equal(roleOf(await ok(m().role.loadAll()), role)?.default, true);
      const res = await ok(t.auth.password.signUp(`${uid('newbie')}@example.com`, PASSWORD));
      assert.deepEqual(res.user?.roleNames, [role]);
      const info = await t.auth.validateSession(res.sessionJwt);
      assert.equal(t.auth.validateRoles(info, [role]), true);
      assert.equal(t.auth.validatePermissions(info, [perm]), true);
      await ok(m().role.update(role, role, 'everyone', [perm], undefined, false));
    });
  });
}
