import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { call, mgmt, STORES, startTestServer, type TestServer } from './support/server.ts';

type User = {
  userId: string;
  name: string;
  loginIds: string[];
  roleNames: string[];
  userTenants: { tenantId: string; roleNames: string[] }[];
  status: string;
  test: boolean;
};

/** The spellings where the Ruby, Node and Go SDKs disagree (reference Appendix B): the server accepts all of them. */
for (const store of STORES) {
  describe(`SDK wire variants (${store})`, () => {
    let s: TestServer;
    let tenantId: string;
    before(async () => {
      s = await startTestServer(store);
      tenantId = (
        await mgmt<{ id: string }>(s, 'POST', '/v1/mgmt/tenant/create', {
          name: 'Variant Co',
          id: 'variant',
          selfProvisioningDomains: ['variant.test'],
        })
      ).body.id;
      await mgmt(s, 'POST', '/v1/mgmt/role/create', { name: 'editor' });
      await mgmt(s, 'POST', '/v1/mgmt/role/create', { name: 'tenant-admin', tenantId });
      await mgmt(s, 'POST', '/v1/mgmt/role/create', { name: 'tenant-member', tenantId, default: true });
    });
    after(() => s.close());

    test('tenant search accepts Ruby (ids, names, selfProvisioningDomains) and Node/Go (tenantIds, tenantNames, ...) keys', async () => {
      for (const body of [
        { ids: ['variant'] },
        { tenantIds: ['variant'] },
        { names: ['Variant Co'] },
        { tenantNames: ['Variant Co'] },
        { selfProvisioningDomains: ['variant.test'] },
        { tenantSelfProvisioningDomains: ['variant.test'] },
      ]) {
        const res = await mgmt<{ tenants: { id: string }[] }>(s, 'POST', '/v1/mgmt/tenant/search', body);
        assert.deepEqual(
          res.body.tenants.map((t) => t.id),
          ['variant'],
          JSON.stringify(body),
        );
      }
      const none = await mgmt<{ tenants: unknown[] }>(s, 'POST', '/v1/mgmt/tenant/search', {
        names: ['Other'],
      });
      assert.deepEqual(none.body.tenants, []);
    });

    test('Ruby user create: name, additionalIdentifiers, test/invite false; status starts "invited"', async () => {
      const res = await mgmt<{ user: User }>(s, 'POST', '/v1/mgmt/user/create', {
        loginId: 'ruby@variant.test',
        name: 'Ruby User',
        additionalIdentifiers: ['ruby-alt'],
        test: false,
        invite: false,
      });
      assert.equal(res.status, 200);
      assert.equal(res.body.user.name, 'Ruby User');
      assert.deepEqual(res.body.user.loginIds, ['ruby@variant.test', 'ruby-alt']);
      assert.equal(res.body.user.status, 'invited');
      const byAlt = await mgmt<{ user: User }>(s, 'GET', '/v1/mgmt/user?loginId=ruby-alt');
      assert.equal(byAlt.body.user.userId, res.body.user.userId);
    });

    test('Node/Go user create: displayName and additionalLoginIds', async () => {
      const res = await mgmt<{ user: User }>(s, 'POST', '/v1/mgmt/user/create', {
        loginId: 'node@variant.test',
        displayName: 'Node User',
        additionalLoginIds: ['node-alt'],
      });
      assert.equal(res.body.user.name, 'Node User');
      assert.deepEqual(res.body.user.loginIds, ['node@variant.test', 'node-alt']);
    });

    test('update/name takes Ruby "name" or Node/Go "displayName" and changes only what is sent', async () => {
      await mgmt(s, 'POST', '/v1/mgmt/user/update/name', { loginId: 'node@variant.test', givenName: 'Nora' });
      const a = await mgmt<{ user: User & { givenName: string } }>(s, 'POST', '/v1/mgmt/user/update/name', {
        loginId: 'node@variant.test',
        name: 'Renamed',
      });
      assert.equal(a.body.user.name, 'Renamed');
      assert.equal(a.body.user.givenName, 'Nora');
      const b = await mgmt<{ user: User }>(s, 'POST', '/v1/mgmt/user/update/name', {
        loginId: 'node@variant.test',
        displayName: 'Again',
      });
      assert.equal(b.body.user.name, 'Again');
    });

    test('add-role on the v1 (Ruby) and v2 (Node/Go) paths', async () => {
      const v1 = await mgmt<{ user: User }>(s, 'POST', '/v1/mgmt/user/update/role/add', {
        loginId: 'ruby@variant.test',
        roleNames: ['editor'],
      });
      assert.deepEqual(v1.body.user.roleNames, ['editor']);
      const v2 = await mgmt<{ user: User }>(s, 'POST', '/v2/mgmt/user/update/role/add', {
        loginId: 'node@variant.test',
        roleNames: ['editor'],
      });
      assert.deepEqual(v2.body.user.roleNames, ['editor']);
    });

    test('Ruby manages tenant roles through tenant add/remove with roleNames', async () => {
      const added = await mgmt<{ user: User }>(s, 'POST', '/v1/mgmt/user/update/tenant/add', {
        loginId: 'ruby@variant.test',
        tenantId,
        roleNames: ['tenant-admin', 'editor'],
      });
      assert.deepEqual(added.body.user.userTenants, [
        { tenantId, tenantName: 'Variant Co', roleNames: ['editor', 'tenant-admin'] },
      ]);
      const removedRole = await mgmt<{ user: User }>(s, 'POST', '/v1/mgmt/user/update/tenant/remove', {
        loginId: 'ruby@variant.test',
        tenantId,
        roleNames: ['editor'],
      });
      assert.deepEqual(
        removedRole.body.user.userTenants[0]!.roleNames,
        ['tenant-admin'],
        'only the named roles go',
      );
      const removed = await mgmt<{ user: User }>(s, 'POST', '/v1/mgmt/user/update/tenant/remove', {
        loginId: 'ruby@variant.test',
        tenantId,
      });
      assert.deepEqual(removed.body.user.userTenants, [], 'without roleNames the tenant goes');
    });

    test('user search on the v1 (Ruby) and v2 (Node/Go) paths; limit 0 means the default page size', async () => {
      for (const p of ['/v1/mgmt/user/search', '/v2/mgmt/user/search']) {
        const res = await mgmt<{ users: User[]; total: number }>(s, 'POST', p, {
          loginIds: ['ruby@variant.test'],
          limit: 0,
          page: 0,
        });
        assert.equal(res.body.total, 1, p);
        assert.deepEqual(res.body.users[0]!.loginIds, ['ruby@variant.test', 'ruby-alt']);
      }
    });

    test('Ruby update sends test: false; a test user stays a test user', async () => {
      const t = await mgmt<{ user: User }>(s, 'POST', '/v1/mgmt/user/create/test', {
        loginId: 'tester@variant.test',
      });
      assert.equal(t.body.user.test, true);
      const updated = await mgmt<{ user: User }>(s, 'POST', '/v1/mgmt/user/update', {
        loginId: 'tester@variant.test',
        name: 'T',
        test: false,
        invite: false,
      });
      assert.equal(updated.body.user.test, true);
    });

    test('signing up with an email at a self-provisioning domain joins that tenant', async () => {
      const res = await call<{ user: User; sessionJwt: string }>(s, 'POST', '/v1/auth/password/signup', {
        auth: s.project,
        body: { loginId: 'new@VARIANT.test', password: 'Variant1pw' },
      });
      assert.equal(res.status, 200);
      assert.deepEqual(
        res.body.user.userTenants.map((t) => t.tenantId),
        [tenantId],
      );
      assert.deepEqual(
        res.body.user.userTenants[0]!.roleNames,
        ['tenant-member'],
        "the tenant's default roles come along",
      );
      const claims = JSON.parse(Buffer.from(res.body.sessionJwt.split('.')[1]!, 'base64url').toString());
      assert.ok(tenantId in claims.tenants);
      const other = await call<{ user: User }>(s, 'POST', '/v1/auth/password/signup', {
        auth: s.project,
        body: { loginId: 'new@elsewhere.test', password: 'Variant1pw' },
      });
      assert.deepEqual(other.body.user.userTenants, []);
    });

    test('GET loads take their arguments as query parameters (Ruby sends GET bodies that way)', async () => {
      const t = await mgmt<{ id: string; name: string }>(s, 'GET', `/v1/mgmt/tenant?id=${tenantId}`);
      assert.equal(t.body.name, 'Variant Co');
      const missing = await mgmt(s, 'GET', '/v1/mgmt/user?loginId=nobody');
      assert.equal(missing.status, 404);
      assert.match(JSON.stringify(missing.body), /"errorCode":"E112102"/);
    });
  });
}
