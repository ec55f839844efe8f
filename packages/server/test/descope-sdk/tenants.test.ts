import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { STORES } from '../support/server.ts';
import { claims, fails, ok, PASSWORD, type SdkServer, startSdkServer, uid } from './support.ts';

for (const store of STORES) {
  describe(`Descope SDK: tenants (${store})`, () => {
    let t: SdkServer;
    before(async () => {
      t = await startSdkServer(store);
    });
    after(() => t.close());

    const tenants = () => t.mgmt.management.tenant;

    test('create without an id generates one; load returns every field', async () => {
      const name = uid('Acme ');
      const domain = `${uid('acme')}.example`;
      const created = await ok(
        tenants().create(name, [domain], { tier: 'gold', seats: 5, beta: true }, true),
      );
      assert.equal(typeof created.id, 'string');
      assert.ok(created.id.length > 0);

      const loaded = await ok(tenants().load(created.id));
      assert.equal(loaded.id, created.id);
      assert.equal(loaded.name, name);
      assert.deepEqual(loaded.selfProvisioningDomains, [domain]);
      assert.deepEqual(loaded.customAttributes, { tier: 'gold', seats: 5, beta: true });
      assert.equal(loaded.enforceSSO, true);
      assert.equal(loaded.disabled, false);
      assert.equal(loaded.authType, 'none');
      assert.ok(Math.abs(loaded.createdTime - Date.now() / 1000) < 120, 'createdTime is epoch seconds');

      const bare = await ok(tenants().create(uid('Bare ')));
      const bareLoaded = await ok(tenants().load(bare.id));
      assert.deepEqual(bareLoaded.selfProvisioningDomains, [], 'always an array');
      assert.notEqual(bare.id, created.id);
    });

    test('createWithId uses the given id; ids and names are unique per project', async () => {
      const id = uid('custom-');
      const name = uid('Custom ');
      const res = await t.mgmt.management.tenant.createWithId(id, name);
      assert.equal(res.ok, true, JSON.stringify(res.error));
      assert.equal((await ok(tenants().load(id))).name, name);

      await fails(tenants().createWithId(id, uid('Another ')), 400, 'E113102');
      await fails(tenants().create(name), 400, 'E113102');
      await fails(tenants().create(name.toUpperCase()), 400, 'E113102');
      await fails(tenants().createWithId(uid('other-'), name), 400, 'E113102');
      assert.equal((await ok(tenants().searchAll(undefined, [name]))).length, 1);
    });

    test('load of an unknown tenant is 404', async () => {
      await fails(tenants().load(uid('missing-')), 404);
    });

    test('update overrides every field', async () => {
      const id = uid('upd-');
      const domain = `${uid('old')}.example`;
      await ok(tenants().createWithId(id, uid('Before '), [domain], { a: '1', keep: 'no' }, true, true));
      const before = await ok(tenants().load(id));
      assert.equal(before.disabled, true);

      const name = uid('After ');
      const newDomain = `${uid('new')}.example`;
      await ok(tenants().update(id, name, [newDomain], { b: 2 }));
      const after = await ok(tenants().load(id));
      assert.equal(after.name, name);
      assert.deepEqual(after.selfProvisioningDomains, [newDomain]);
      assert.deepEqual(after.customAttributes, { b: 2 }, 'old attributes are gone');
      assert.equal(after.enforceSSO, false, 'absent flags are cleared');
      assert.equal(after.disabled, false);
      assert.equal(after.createdTime, before.createdTime);

      await ok(tenants().update(id, name));
      const cleared = await ok(tenants().load(id));
      assert.deepEqual(cleared.selfProvisioningDomains, []);
      assert.deepEqual(cleared.customAttributes ?? {}, {});

      const member = `${uid('renamed-member')}@example.com`;
      await ok(t.mgmt.management.user.create(member, { userTenants: [{ tenantId: id, roleNames: [] }] }));
      const renamedTo = uid('Renamed ');
      await ok(tenants().update(id, renamedTo));
      const loadedMember = await ok(t.mgmt.management.user.load(member));
      assert.equal(
        loadedMember.userTenants?.[0]?.tenantName,
        renamedTo,
        "a member sees the tenant's new name",
      );

      const otherName = uid('Taken ');
      await ok(tenants().create(otherName));
      await fails(tenants().update(id, otherName), 400, 'E113102');
      await fails(tenants().update(id, otherName.toLowerCase()), 400, 'E113102');
      await fails(tenants().update(uid('nope-'), uid('Nope ')), 404);
    });

    test('delete removes the tenant, its roles and its memberships; users stay', async () => {
      const id = uid('del-');
      await ok(tenants().createWithId(id, uid('Doomed ')));
      const role = uid('doomed-role-');
      await ok(t.mgmt.management.role.create(role, '', [], id));
      const loginId = `${uid('member')}@example.com`;
      await ok(
        t.mgmt.management.user.create(loginId, { userTenants: [{ tenantId: id, roleNames: [role] }] }),
      );
      await ok(t.mgmt.management.user.setActivePassword(loginId, PASSWORD));
      const signedIn = await ok(t.auth.password.signIn(loginId, PASSWORD));
      const selected = await ok(t.auth.selectTenant(id, signedIn.refreshJwt));
      assert.equal(claims(selected.sessionJwt).dct, id);

      const res = await tenants().delete(id);
      assert.equal(res.ok, true, JSON.stringify(res.error));
      await fails(tenants().load(id), 404);
      assert.ok(!(await ok(tenants().loadAll())).some((x) => x.id === id));
      assert.ok(
        !(await ok(t.mgmt.management.role.loadAll())).some((r) => r.tenantId === id),
        'tenant roles are gone',
      );
      const user = await ok(t.mgmt.management.user.load(loginId));
      assert.deepEqual(user.userTenants, [], 'the membership is gone, the user is not');
      const after = await t.auth.refreshSession(selected.refreshJwt!);
      assert.equal(after.token.dct, undefined, 'the deleted tenant is no longer selected');
      assert.deepEqual(after.token.tenants, {});
      await fails(t.auth.selectTenant(id, selected.refreshJwt), 403);
      await fails(tenants().delete(id), 404);
    });

    test('delete with cascade also deletes users that belonged only to that tenant', async () => {
      const [doomed, survivor] = [uid('casc-'), uid('keep-')];
      await ok(tenants().createWithId(doomed, uid('Cascade ')));
      await ok(tenants().createWithId(survivor, uid('Survivor ')));
      const only = `${uid('only')}@example.com`;
      const both = `${uid('both')}@example.com`;
      const none = `${uid('none')}@example.com`;
      await ok(t.mgmt.management.user.create(only, { userTenants: [{ tenantId: doomed, roleNames: [] }] }));
      await ok(
        t.mgmt.management.user.create(both, {
          userTenants: [
            { tenantId: doomed, roleNames: [] },
            { tenantId: survivor, roleNames: [] },
          ],
        }),
      );
      await ok(t.mgmt.management.user.create(none));

      await ok(tenants().delete(doomed, true));
      await fails(t.mgmt.management.user.load(only), 404, 'E112102');
      const kept = await ok(t.mgmt.management.user.load(both));
      assert.deepEqual(
        kept.userTenants?.map((x) => x.tenantId),
        [survivor],
      );
      await ok(t.mgmt.management.user.load(none));
      await ok(tenants().load(survivor));
    });

    test('loadAll lists every tenant', async () => {
      const ids = [uid('all-'), uid('all-')];
      for (const id of ids) await ok(tenants().createWithId(id, uid('All ')));
      const all = await ok(tenants().loadAll());
      for (const id of ids) assert.ok(all.some((x) => x.id === id));
      for (const x of all) {
        assert.equal(typeof x.name, 'string');
        assert.ok(Array.isArray(x.selfProvisioningDomains));
      }
    });

    test('searchAll filters by ids, names, self-provisioning domains and custom attributes', async () => {
      const tag = uid('tag');
      const [a, b, c] = [uid('sa-'), uid('sb-'), uid('sc-')];
      const [nameA, nameB, nameC] = [uid('Search A '), uid('Search B '), uid('Search C ')];
      const [domA, domB] = [`${uid('da')}.example`, `${uid('db')}.example`];
      await ok(tenants().createWithId(a, nameA, [domA], { tag, region: 'eu' }));
      await ok(tenants().createWithId(b, nameB, [domB], { tag, region: 'us' }));
      await ok(tenants().createWithId(c, nameC, [], { tag: 'other' }));
      const ids = (list: { id: string }[]) => list.map((x) => x.id).sort();

      assert.deepEqual(ids(await ok(tenants().searchAll([a, c]))), [a, c].sort());
      assert.deepEqual(ids(await ok(tenants().searchAll(undefined, [nameB]))), [b]);
      assert.deepEqual(ids(await ok(tenants().searchAll(undefined, undefined, [domA]))), [a]);
      assert.deepEqual(
        ids(await ok(tenants().searchAll(undefined, undefined, undefined, { tag }))),
        [a, b].sort(),
      );
      assert.deepEqual(
        ids(await ok(tenants().searchAll(undefined, undefined, undefined, { tag, region: 'us' }))),
        [b],
        'every attribute must match',
      );
      assert.deepEqual(ids(await ok(tenants().searchAll([a, b], [nameA]))), [a], 'filters combine');
      assert.deepEqual(await ok(tenants().searchAll([uid('ghost-')])), []);
      const everything = await ok(tenants().searchAll());
      for (const id of [a, b, c])
        assert.ok(
          everything.some((x) => x.id === id),
          'no filter lists all',
        );
      const found = (await ok(tenants().searchAll([a])))[0]!;
      assert.equal(found.name, nameA);
      assert.deepEqual(found.customAttributes, { tag, region: 'eu' });
    });

    test('a parent tenant can be set at creation and searched by', async () => {
      const parent = uid('parent-');
      await ok(tenants().createWithId(parent, uid('Parent ')));
      const child = await ok(
        tenants().create(uid('Child '), undefined, undefined, undefined, undefined, parent),
      );
      const children = await ok(tenants().searchAll(undefined, undefined, undefined, undefined, parent));
      assert.deepEqual(
        children.map((x) => x.id),
        [child.id],
      );
      await fails(
        tenants().create(uid('Orphan '), undefined, undefined, undefined, undefined, uid('no-parent-')),
        404,
      );
    });

    test('signing up with an email at a self-provisioning domain joins the tenant', async () => {
      const id = uid('selfprov-');
      const domain = `${uid('corp')}.example`;
      await ok(tenants().createWithId(id, uid('Self Provisioned '), [domain.toUpperCase()]));
      const loaded = await ok(tenants().load(id));
      assert.deepEqual(loaded.selfProvisioningDomains, [domain], 'domains are stored lowercase');

      const member = `${uid('joe')}@${domain}`;
      const res = await ok(t.auth.password.signUp(member, PASSWORD));
      assert.deepEqual(
        res.user?.userTenants?.map((x) => x.tenantId),
        [id],
      );
      assert.equal(res.user?.userTenants?.[0]?.tenantName, loaded.name);
      const info = await t.auth.validateSession(res.sessionJwt);
      assert.ok((info.token.tenants as Record<string, unknown>)[id], 'the JWT lists the tenant');
      assert.equal(t.auth.validateTenantRoles(info, id, []), true);
      const user = await ok(t.mgmt.management.user.load(member));
      assert.deepEqual(
        user.userTenants?.map((x) => x.tenantId),
        [id],
      );
      // The domain matches on the email, not the login id.
      const byEmail = await ok(
        t.auth.password.signUp(uid('handle-'), PASSWORD, { email: `${uid('ann')}@${domain}` }),
      );
      assert.deepEqual(
        byEmail.user?.userTenants?.map((x) => x.tenantId),
        [id],
      );

      const outsider = await ok(t.auth.password.signUp(`${uid('eve')}@elsewhere-${domain}`, PASSWORD));
      assert.deepEqual(outsider.user?.userTenants, []);
      assert.deepEqual(claims(outsider.sessionJwt).tenants, {});
    });
  });
}
