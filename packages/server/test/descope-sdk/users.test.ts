import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { STORES } from '../support/server.ts';
import { fails, ok, PASSWORD, type SdkServer, startSdkServer, type UserResponse, uid } from './support.ts';

for (const store of STORES) {
  describe(`Descope SDK: user management (${store})`, () => {
    let t: SdkServer;
    let tenantA: string;
    let tenantB: string;
    let roleX: string;
    let roleY: string;
    let tenantRole: string;
    before(async () => {
      t = await startSdkServer(store);
      [tenantA, tenantB] = [uid('ua-'), uid('ub-')];
      await ok(t.mgmt.management.tenant.createWithId(tenantA, uid('Users A ')));
      await ok(t.mgmt.management.tenant.createWithId(tenantB, uid('Users B ')));
      [roleX, roleY, tenantRole] = [uid('x-'), uid('y-'), uid('tr-')];
      await ok(t.mgmt.management.role.create(roleX));
      await ok(t.mgmt.management.role.create(roleY));
      await ok(t.mgmt.management.role.create(tenantRole, 'tenant A only', [], tenantA));
    });
    after(() => t.close());

    const users = () => t.mgmt.management.user;
    const email = (prefix: string) => `${uid(prefix)}@example.com`;
    /** A user with a password and a live session. */
    const withSession = async (prefix: string) => {
      const loginId = email(prefix);
      const res = await ok(t.auth.password.signUp(loginId, PASSWORD));
      return { loginId, userId: res.user!.userId, refreshJwt: res.refreshJwt! };
    };

    test('create stores every field; load finds the user by login id, extra login id and user id', async () => {
      const loginId = email('create');
      const extra = uid('alias-');
      const user = await ok(
        users().create(loginId, {
          email: loginId,
          phone: '+14155550100',
          displayName: 'Grace Hopper',
          givenName: 'Grace',
          middleName: 'Brewster',
          familyName: 'Hopper',
          roles: [roleX],
          userTenants: [{ tenantId: tenantA, roleNames: [tenantRole, roleY] }],
          customAttributes: { team: 'navy', rank: 7, active: true, tags: ['a', 'b'] },
          picture: 'https://example.com/grace.png',
          verifiedEmail: true,
          verifiedPhone: false,
          additionalLoginIds: [extra],
        }),
      );
      assert.ok(user.userId);
      assert.deepEqual(user.loginIds, [loginId, extra]);
      assert.equal(user.email, loginId);
      assert.equal(user.phone, '+14155550100');
      assert.equal(user.name, 'Grace Hopper');
      assert.equal(user.givenName, 'Grace');
      assert.equal(user.middleName, 'Brewster');
      assert.equal(user.familyName, 'Hopper');
      assert.deepEqual(user.roleNames, [roleX]);
      assert.equal(user.userTenants?.length, 1);
      assert.equal(user.userTenants?.[0]?.tenantId, tenantA);
      assert.deepEqual(user.userTenants?.[0]?.roleNames?.slice().sort(), [tenantRole, roleY].sort());
      assert.ok(user.userTenants?.[0]?.tenantName);
      assert.deepEqual(user.customAttributes, { team: 'navy', rank: 7, active: true, tags: ['a', 'b'] });
      assert.equal(user.picture, 'https://example.com/grace.png');
      assert.equal(user.verifiedEmail, true);
      assert.equal(user.verifiedPhone, false);
      assert.equal(user.status, 'invited', 'a created user is invited until activated or signed in');
      assert.equal(user.test, false);
      assert.ok(Math.abs(user.createdTime - Date.now() / 1000) < 120);

      for (const loaded of [
        await ok(users().load(loginId)),
        await ok(users().load(extra)),
        await ok(users().load(user.userId)),
        await ok(users().loadByUserId(user.userId)),
      ]) {
        assert.deepEqual(loaded, user);
      }
    });

    test('create refuses a taken login id, an unknown role or tenant, and a malformed phone', async () => {
      const loginId = email('taken');
      await ok(users().create(loginId));
      await fails(users().create(loginId), 400);
      const fresh = email('fresh');
      assert.equal((await users().create(fresh, { roles: [uid('ghost-role-')] })).ok, false);
      assert.equal(
        (await users().create(fresh, { userTenants: [{ tenantId: uid('ghost-'), roleNames: [] }] })).ok,
        false,
      );
      assert.equal(
        (await users().create(fresh, { userTenants: [{ tenantId: tenantB, roleNames: [tenantRole] }] })).ok,
        false,
        "a tenant's own role cannot be used in another tenant",
      );
      await fails(users().create(fresh, { phone: '555-1234' }), 400);
      await fails(users().load(fresh), 404, 'E112102');
    });

    test('load of an unknown user is 404 E112102, by login id and by user id', async () => {
      await fails(users().load(email('ghost')), 404, 'E112102');
      await fails(users().loadByUserId(`U${uid('ghost')}`), 404, 'E112102');
      const wire = t.calls.at(-1)!;
      assert.match(wire.responseText, /"errorCode":"E112102"/, 'compact JSON error body');
    });

    test('createTestUser marks the user as a test user', async () => {
      const loginId = email('tester');
      const user = await ok(users().createTestUser(loginId, { email: loginId, displayName: 'Tess' }));
      assert.equal(user.test, true);
      assert.equal(user.name, 'Tess');
      assert.equal((await ok(users().load(loginId))).test, true);
    });

    test('update overrides every field', async () => {
      const loginId = email('override');
      const alias = uid('override-alias-');
      const created = await ok(
        users().create(loginId, {
          additionalLoginIds: [alias],
          email: loginId,
          phone: '+14155550101',
          displayName: 'Old Name',
          givenName: 'Old',
          roles: [roleX],
          userTenants: [{ tenantId: tenantA, roleNames: [tenantRole] }],
          customAttributes: { keep: 'no' },
          picture: 'https://example.com/old.png',
          verifiedEmail: true,
        }),
      );
      const newEmail = email('new');
      const updated = await ok(
        users().update(loginId, { email: newEmail, displayName: 'New Name', roles: [roleY] }),
      );
      assert.deepEqual(updated.loginIds, [loginId]);
      assert.equal(updated.email, newEmail);
      assert.equal(updated.name, 'New Name');
      assert.equal(updated.givenName, '', 'absent fields are cleared');
      assert.equal(updated.phone, '');
      assert.deepEqual(updated.roleNames, [roleY]);
      assert.deepEqual(updated.userTenants, []);
      assert.deepEqual(updated.customAttributes, {});
      assert.equal(updated.picture, '');
      assert.equal(updated.verifiedEmail, false);
      assert.deepEqual(await ok(users().load(loginId)), updated);
      await fails(users().load(alias), 404, 'E112102');

      const byUserId = await ok(
        users().update(created.userId, { displayName: 'By Id', additionalLoginIds: [alias] }),
      );
      assert.deepEqual(byUserId.loginIds, [loginId, alias], 'addressed by user id, the login id is kept');
      assert.equal(byUserId.email, '');
      await fails(users().update(email('nobody')), 404, 'E112102');
    });

    test('update keeps a test user a test user', async () => {
      const loginId = email('tupd');
      await ok(users().createTestUser(loginId));
      const updated = await ok(users().update(loginId, { displayName: 'Still Test' }));
      assert.equal(updated.test, true);
    });

    test('patch changes only the given fields', async () => {
      const loginId = email('patch');
      const created = await ok(
        users().create(loginId, {
          email: loginId,
          phone: '+14155550102',
          displayName: 'Patchy',
          givenName: 'Pat',
          familyName: 'Chee',
          roles: [roleX],
          customAttributes: { a: 1 },
          picture: 'https://example.com/p.png',
        }),
      );
      const patched = await ok(
        users().patch(loginId, { givenName: 'Patricia', middleName: 'M', roles: [roleX, roleY] }),
      );
      assert.equal(patched.givenName, 'Patricia');
      assert.equal(patched.middleName, 'M');
      assert.deepEqual(patched.roleNames?.slice().sort(), [roleX, roleY].sort());
      assert.equal(patched.name, 'Patchy', 'untouched fields stay');
      assert.equal(patched.familyName, 'Chee');
      assert.equal(patched.email, loginId);
      assert.equal(patched.phone, '+14155550102');
      assert.deepEqual(patched.customAttributes, { a: 1 });
      assert.equal(patched.picture, 'https://example.com/p.png');
      assert.equal(patched.userId, created.userId);

      const second = await ok(
        users().patch(loginId, {
          displayName: 'Patched',
          userTenants: [{ tenantId: tenantB, roleNames: [roleY] }],
          customAttributes: { b: 'two' },
          status: 'disabled',
          additionalIdentifiers: [uid('patch-alias-')],
        }),
      );
      assert.equal(second.name, 'Patched');
      assert.equal(second.givenName, 'Patricia');
      assert.deepEqual(
        second.userTenants?.map((x) => [x.tenantId, x.roleNames]),
        [[tenantB, [roleY]]],
      );
      assert.deepEqual(second.customAttributes, { b: 'two' });
      assert.equal(second.status, 'disabled');
      assert.equal(second.loginIds.length, 2);
      assert.equal(second.loginIds[0], loginId);
      assert.deepEqual(await ok(users().load(second.loginIds[1]!)), second);
      await fails(users().patch(email('nobody'), { givenName: 'x' }), 404, 'E112102');
    });

    test('delete removes the user (by login id or user id) and ends its sessions', async () => {
      const a = await withSession('dela');
      const b = await withSession('delb');
      const res = await users().delete(a.loginId);
      assert.equal(res.ok, true, JSON.stringify(res.error));
      assert.deepEqual(res.data, {});
      await fails(users().load(a.loginId), 404, 'E112102');
      await fails(t.auth.refresh(a.refreshJwt), 401);
      await fails(users().delete(a.loginId), 404, 'E112102');

      await ok(users().deleteByUserId(b.userId));
      await fails(users().loadByUserId(b.userId), 404, 'E112102');
      await fails(t.auth.password.signIn(b.loginId, PASSWORD), 401);
      // The login id is free again.
      await ok(t.auth.password.signUp(b.loginId, PASSWORD));
    });

    test('deleteAllTestUsers deletes test users only', async () => {
      const testers = [email('t1'), email('t2')];
      for (const id of testers) await ok(users().createTestUser(id));
      const real = email('real');
      await ok(users().create(real));
      await ok(users().deleteAllTestUsers());
      for (const id of testers) await fails(users().load(id), 404, 'E112102');
      await ok(users().load(real));
      const remaining = await ok(users().searchTestUsers({}));
      assert.equal(remaining.total, 0);
      assert.deepEqual(remaining.users, []);
    });

    test('search filters users and paginates with limit/page and a total', async () => {
      const batch = uid('batch');
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        const loginId = email(`s${i}-`);
        const u = await ok(
          users().create(loginId, {
            email: loginId,
            phone: `+1415555${String(1000 + i)}`,
            displayName: `Searchable ${batch} ${i}`,
            roles: i < 2 ? [roleX] : [],
            userTenants: i === 4 ? [{ tenantId: tenantB, roleNames: [roleY] }] : [],
            customAttributes: { batch, slot: `s${i}` },
          }),
        );
        ids.push(u.userId);
      }
      await ok(users().createTestUser(email('stest'), { customAttributes: { batch } }));
      const of = (r: { users: UserResponse[] }) => r.users.map((u) => u.userId);

      const all = await ok(users().search({ customAttributes: { batch } }));
      assert.equal(all.total, 5, 'test users are left out by default');
      assert.deepEqual(of(all).sort(), [...ids].sort());
      const withTest = await ok(users().search({ customAttributes: { batch }, withTestUser: true }));
      assert.equal(withTest.total, 6);

      const pages = [];
      for (let page = 0; page < 3; page++) {
        const res = await ok(
          users().search({ customAttributes: { batch }, limit: 2, page, sort: [{ field: 'createdTime' }] }),
        );
        assert.equal(res.total, 5, 'total counts every match, not the page');
        pages.push(of(res));
      }
      assert.deepEqual(
        pages.map((p) => p.length),
        [2, 2, 1],
      );
      assert.deepEqual(pages.flat().sort(), [...ids].sort(), 'pages do not overlap');
      const beyond = await ok(users().search({ customAttributes: { batch }, limit: 2, page: 3 }));
      assert.deepEqual(beyond.users, []);
      assert.equal(beyond.total, 5);

      const byAttr = await ok(users().search({ customAttributes: { batch, slot: ['s1', 's3'] } }));
      assert.deepEqual(of(byAttr).sort(), [ids[1]!, ids[3]!].sort(), 'a list matches any of its values');
      const one = await ok(users().load(ids[2]!));
      assert.deepEqual(of(await ok(users().search({ emails: [one.email!] }))), [ids[2]]);
      assert.deepEqual(of(await ok(users().search({ phones: [one.phone!] }))), [ids[2]]);
      assert.deepEqual(of(await ok(users().search({ loginIds: one.loginIds }))), [ids[2]]);
      assert.deepEqual(
        of(await ok(users().search({ userIds: [ids[0]!, ids[4]!] }))).sort(),
        [ids[0]!, ids[4]!].sort(),
      );
      assert.deepEqual(
        of(await ok(users().search({ roles: [roleX], customAttributes: { batch } }))).sort(),
        [ids[0]!, ids[1]!].sort(),
      );
      assert.deepEqual(of(await ok(users().search({ tenantIds: [tenantB], customAttributes: { batch } }))), [
        ids[4],
      ]);
      assert.deepEqual(of(await ok(users().search({ text: `${batch} 3` }))), [ids[3]]);
      await ok(users().deactivate(ids[0]!));
      assert.deepEqual(
        of(await ok(users().search({ statuses: ['disabled'], customAttributes: { batch } }))),
        [ids[0]],
      );
      const desc = await ok(
        users().search({ customAttributes: { batch }, sort: [{ field: 'name', desc: true }] }),
      );
      assert.deepEqual(of(desc), [...ids].reverse(), 'sorted by display name, descending');
    });

    test('search filters by verified email and phone, tenant roles and creation time', async () => {
      const marker = uid('vmark');
      const make = async (
        verifiedEmail: boolean,
        verifiedPhone: boolean,
        tenantRoles: string[] | undefined,
      ) => {
        const loginId = email('v');
        const u = await ok(
          users().create(loginId, {
            email: loginId,
            phone: '+14155550199',
            verifiedEmail,
            verifiedPhone,
            customAttributes: { marker },
            userTenants: tenantRoles ? [{ tenantId: tenantA, roleNames: tenantRoles }] : [],
          }),
        );
        return u.userId;
      };
      const both = await make(true, true, [tenantRole]);
      const emailOnly = await make(true, false, [roleY]);
      const phoneOnly = await make(false, true, undefined);
      const neither = await make(false, false, [tenantRole, roleY]);
      const found = async (filter: Parameters<ReturnType<typeof users>['search']>[0]) =>
        (await ok(users().search({ customAttributes: { marker }, ...filter }))).users
          .map((u) => u.userId)
          .sort();

      assert.deepEqual(await found({ verifiedEmail: true }), [both, emailOnly].sort());
      assert.deepEqual(await found({ verifiedEmail: false }), [phoneOnly, neither].sort());
      assert.deepEqual(await found({ verifiedPhone: true }), [both, phoneOnly].sort());
      assert.deepEqual(await found({ verifiedEmail: true, verifiedPhone: false }), [emailOnly]);
      assert.deepEqual(await found({}), [both, emailOnly, phoneOnly, neither].sort());

      assert.deepEqual(
        await found({ tenantRoleNames: { [tenantA]: { values: [tenantRole] } } }),
        [both, neither].sort(),
      );
      assert.deepEqual(
        await found({ tenantRoleNames: { [tenantA]: { values: [tenantRole, roleY], and: true } } }),
        [neither],
      );
      assert.deepEqual(
        await found({ tenantRoleNames: { [tenantA]: { values: [tenantRole, roleY] } } }),
        [both, emailOnly, neither].sort(),
      );

      const now = Date.now();
      assert.deepEqual(await found({ fromCreatedTime: now + 60_000 }), [], 'times are epoch milliseconds');
      assert.equal((await found({ fromCreatedTime: now - 60_000, toCreatedTime: now + 60_000 })).length, 4);
      assert.deepEqual(await found({ toCreatedTime: now - 60_000 }), []);
    });

    test('searchTestUsers returns only test users', async () => {
      const marker = uid('tmark');
      const testers = [];
      for (let i = 0; i < 3; i++)
        testers.push(
          (await ok(users().createTestUser(email('tt'), { customAttributes: { marker } }))).userId,
        );
      await ok(users().create(email('notest'), { customAttributes: { marker } }));
      const res = await ok(users().searchTestUsers({ customAttributes: { marker } }));
      assert.equal(res.total, 3);
      assert.deepEqual(res.users.map((u) => u.userId).sort(), testers.sort());
      for (const u of res.users) assert.equal(u.test, true);
      const paged = await ok(users().searchTestUsers({ customAttributes: { marker }, limit: 1, page: 1 }));
      assert.equal(paged.users.length, 1);
      assert.equal(paged.total, 3);
    });

    test('updateLoginId renames a login id, and removes one that is not the last', async () => {
      const u = await withSession('login');
      const renamed = email('renamed');
      const res = await ok(users().updateLoginId(u.loginId, renamed));
      assert.deepEqual(res.loginIds, [renamed]);
      await fails(users().load(u.loginId), 404, 'E112102');
      assert.equal((await ok(users().load(renamed))).userId, u.userId);
      await ok(t.auth.password.signIn(renamed, PASSWORD));
      await fails(t.auth.password.signIn(u.loginId, PASSWORD), 401);

      const other = await withSession('login-other');
      await fails(users().updateLoginId(renamed, other.loginId), 400);
      await fails(users().updateLoginId(renamed), 400);

      const extra = uid('extra-');
      await ok(users().patch(renamed, { additionalIdentifiers: [extra] }));
      const removed = await ok(users().updateLoginId(extra));
      assert.deepEqual(removed.loginIds, [renamed]);
    });

    test('updateEmail and updatePhone set, verify, conflict-check and remove', async () => {
      const loginId = email('contact');
      await ok(users().create(loginId));
      const address = email('addr');
      const withEmail = await ok(users().updateEmail(loginId, address, true));
      assert.equal(withEmail.email, address);
      assert.equal(withEmail.verifiedEmail, true);
      const unverified = await ok(users().updateEmail(loginId, address, false));
      assert.equal(unverified.verifiedEmail, false);

      const other = email('conflict');
      await ok(users().create(other, { email: email('x') }));
      await fails(users().updateEmail(other, address, true, true), 400);
      const allowed = await ok(users().updateEmail(other, address, true, false));
      assert.equal(allowed.email, address, 'without failOnConflict a shared email is allowed');

      const withPhone = await ok(users().updatePhone(loginId, '+972501234567', true));
      assert.equal(withPhone.phone, '+972501234567');
      assert.equal(withPhone.verifiedPhone, true);
      await fails(users().updatePhone(loginId, 'not-a-phone', true), 400);

      const noEmail = await ok(users().updateEmail(loginId, '', true));
      assert.equal(noEmail.email, '');
      assert.equal(noEmail.verifiedEmail, false);
      const noPhone = await ok(users().updatePhone(loginId, '', true));
      assert.equal(noPhone.phone, '');
      assert.equal(noPhone.verifiedPhone, false);
      await fails(users().updateEmail(email('nobody'), address, true), 404, 'E112102');
    });

    test('updateDisplayName, updateUserNames and updatePicture change only what they name', async () => {
      const loginId = email('names');
      await ok(
        users().create(loginId, { displayName: 'Before', givenName: 'G', middleName: 'M', familyName: 'F' }),
      );
      const named = await ok(users().updateDisplayName(loginId, 'After'));
      assert.equal(named.name, 'After');
      assert.equal(named.givenName, 'G', 'names not sent stay');
      assert.equal(named.familyName, 'F');
      const all = await ok(users().updateDisplayName(loginId, 'Full', 'Given', 'Middle', 'Family'));
      assert.deepEqual(
        [all.name, all.givenName, all.middleName, all.familyName],
        ['Full', 'Given', 'Middle', 'Family'],
      );
      const parts = await ok(users().updateUserNames(loginId, 'Only'));
      assert.equal(parts.givenName, 'Only');
      assert.equal(parts.name, 'Full');

      const pictured = await ok(users().updatePicture(loginId, 'https://example.com/me.png'));
      assert.equal(pictured.picture, 'https://example.com/me.png');
      assert.equal(pictured.name, 'Full');
      assert.equal((await ok(users().updatePicture(loginId, ''))).picture, '');
    });

    test('updateCustomAttribute sets one attribute at a time and can remove it', async () => {
      const loginId = email('attrs');
      await ok(users().create(loginId, { customAttributes: { existing: 'yes' } }));
      await ok(users().updateCustomAttribute(loginId, 'newUser', true));
      await ok(users().updateCustomAttribute(loginId, 'score', 42));
      const res = await ok(users().updateCustomAttribute(loginId, 'label', 'vip'));
      assert.deepEqual(res.customAttributes, { existing: 'yes', newUser: true, score: 42, label: 'vip' });
      const replaced = await ok(users().updateCustomAttribute(loginId, 'score', 43));
      assert.equal(replaced.customAttributes?.score, 43);
      const found = await ok(users().search({ customAttributes: { label: 'vip', score: 43 } }));
      assert.deepEqual(
        found.users.map((u) => u.loginIds[0]),
        [loginId],
      );
      const removed = await ok(users().updateCustomAttribute(loginId, 'label', null));
      assert.deepEqual(removed.customAttributes, { existing: 'yes', newUser: true, score: 43 });
    });

    test('deactivate disables sign-in and refresh; activate enables the user again', async () => {
      const u = await withSession('status');
      const disabled = await ok(users().deactivate(u.loginId));
      assert.equal(disabled.status, 'disabled');
      assert.equal((await ok(users().load(u.loginId))).status, 'disabled');
      await fails(t.auth.password.signIn(u.loginId, PASSWORD), 403, 'E062904');
      assert.equal((await t.auth.refresh(u.refreshJwt)).ok, false, 'a disabled user cannot refresh');
      assert.equal((await t.auth.me(u.refreshJwt)).ok, false);

      const enabled = await ok(users().activate(u.userId));
      assert.equal(enabled.status, 'enabled');
      const res = await ok(t.auth.password.signIn(u.loginId, PASSWORD));
      await t.auth.refreshSession(res.refreshJwt!);

      const invited = await ok(users().create(email('inv')));
      assert.equal(invited.status, 'invited');
      assert.equal((await ok(users().activate(invited.loginIds[0]!))).status, 'enabled');
    });

    test('project roles: set, add and remove', async () => {
      const loginId = email('proles');
      await ok(users().create(loginId, { roles: [roleX] }));
      assert.deepEqual(
        (await ok(users().addRoles(loginId, [roleY]))).roleNames?.slice().sort(),
        [roleX, roleY].sort(),
      );
      assert.deepEqual((await ok(users().removeRoles(loginId, [roleX]))).roleNames, [roleY]);
      assert.deepEqual((await ok(users().setRoles(loginId, [roleX]))).roleNames, [roleX]);
      assert.deepEqual((await ok(users().setRoles(loginId, []))).roleNames, []);
      assert.equal((await users().addRoles(loginId, [uid('ghost-')])).ok, false, 'unknown roles are refused');
      assert.equal(
        (await users().addRoles(loginId, [tenantRole])).ok,
        false,
        'a tenant role is not a project role',
      );
      assert.deepEqual((await ok(users().load(loginId))).roleNames, []);
    });

    test('tenants and tenant roles: add tenant, set/add/remove tenant roles, remove tenant', async () => {
      const loginId = email('troles');
      await ok(users().create(loginId, { roles: [roleX] }));
      assert.equal(
        (await users().addTenantRoles(loginId, tenantA, [tenantRole])).ok,
        false,
        'not a member yet',
      );

      const added = await ok(users().addTenant(loginId, tenantA));
      assert.deepEqual(
        added.userTenants?.map((x) => [x.tenantId, x.roleNames]),
        [[tenantA, []]],
      );
      const withRoles = await ok(users().addTenantRoles(loginId, tenantA, [tenantRole, roleY]));
      assert.deepEqual(withRoles.userTenants?.[0]?.roleNames?.slice().sort(), [tenantRole, roleY].sort());
      assert.deepEqual(withRoles.roleNames, [roleX], 'project roles are untouched');
      const removed = await ok(users().removeTenantRoles(loginId, tenantA, [roleY]));
      assert.deepEqual(removed.userTenants?.[0]?.roleNames, [tenantRole]);
      const set = await ok(users().setTenantRoles(loginId, tenantA, [roleY]));
      assert.deepEqual(set.userTenants?.[0]?.roleNames, [roleY]);

      await ok(users().addTenant(loginId, tenantB));
      assert.equal(
        (await users().addTenantRoles(loginId, tenantB, [tenantRole])).ok,
        false,
        "another tenant's role is refused",
      );
      const both = await ok(users().load(loginId));
      assert.deepEqual(both.userTenants?.map((x) => x.tenantId).sort(), [tenantA, tenantB].sort());

      const left = await ok(users().removeTenant(loginId, tenantA));
      assert.deepEqual(
        left.userTenants?.map((x) => x.tenantId),
        [tenantB],
      );
      const found = await ok(users().search({ tenantIds: [tenantA], loginIds: [loginId] }));
      assert.equal(found.total, 0);
      assert.equal((await users().addTenant(loginId, uid('ghost-'))).ok, false);
    });

    test('logoutUser and logoutUserByUserId end every session of the user', async () => {
      const u = await withSession('mlogout');
      const second = await ok(t.auth.password.signIn(u.loginId, PASSWORD));
      const bystander = await withSession('bystander');
      await ok(users().logoutUser(u.loginId));
      await fails(t.auth.refresh(u.refreshJwt), 401, 'E064001');
      await fails(t.auth.refresh(second.refreshJwt!), 401, 'E064001');
      await t.auth.refreshSession(bystander.refreshJwt);

      const again = await ok(t.auth.password.signIn(u.loginId, PASSWORD));
      await t.auth.refreshSession(again.refreshJwt!);
      await ok(users().logoutUserByUserId(u.userId));
      await fails(t.auth.refresh(again.refreshJwt!), 401, 'E064001');
      await fails(users().logoutUser(email('nobody')), 404, 'E112102');
    });

    test('history returns the login records of the given users', async () => {
      const a = await withSession('ha');
      const b = await withSession('hb');
      await ok(t.auth.password.signIn(a.loginId, PASSWORD));
      const history = await ok(users().history([a.userId, b.userId]));
      assert.ok(Array.isArray(history));
      assert.equal(history.filter((h) => h.userId === a.userId).length, 2);
      assert.equal(history.filter((h) => h.userId === b.userId).length, 1);
      for (const h of history) {
        assert.equal(typeof h.loginTime, 'number');
        assert.equal(typeof h.ip, 'string');
      }
      assert.deepEqual(await ok(users().history([`U${uid('none')}`])), []);
    });

    test('createBatch creates users with passwords and reports failures per user', async () => {
      const [first, second] = [email('b1'), email('b2')];
      const taken = email('btaken');
      await ok(users().create(taken));
      const res = await ok(
        users().createBatch([
          { loginIdOrUserId: first, email: first, displayName: 'Batch One', password: 'Batch-Passw0rd' },
          { loginIdOrUserId: second, roles: [roleX] },
          { loginIdOrUserId: taken },
        ]),
      );
      assert.deepEqual(res.createdUsers.map((u) => u.loginIds[0]).sort(), [first, second].sort());
      assert.equal(res.failedUsers.length, 1);
      assert.ok(res.failedUsers[0]!.failure);
      assert.deepEqual((await ok(users().load(second))).roleNames, [roleX]);
      const signedIn = await ok(t.auth.password.signIn(first, 'Batch-Passw0rd'));
      assert.equal(signedIn.user?.name, 'Batch One');
    });
  });
}
