import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { mgmt, STORES, startTestServer, type TestServer } from './support/server.ts';

type Search = { users: { loginIds: string[] }[]; total: number };

for (const store of STORES) {
  describe(`user search in SQL (${store})`, () => {
    let s: TestServer;
    const ids = async (body: Record<string, unknown>) =>
      (await mgmt<Search>(s, 'POST', '/v2/mgmt/user/search', body)).body.users
        .map((u) => u.loginIds[0])
        .sort();

    before(async () => {
      s = await startTestServer(store);
      await mgmt(s, 'POST', '/v1/mgmt/tenant/create', { name: 'T', id: 't1' });
      for (const role of ['a', 'b'])
        await mgmt(s, 'POST', '/v1/mgmt/role/create', { name: role, tenantId: 't1' });
      await mgmt(s, 'POST', '/v1/mgmt/user/create', {
        loginId: 'alice',
        name: 'Alice Liddell',
        userTenants: [{ tenantId: 't1', roleNames: ['a', 'b'] }],
      });
      await mgmt(s, 'POST', '/v1/mgmt/user/create', {
        loginId: 'bob',
        email: 'bob@wonder.land',
        userTenants: [{ tenantId: 't1', roleNames: ['a'] }],
      });
      await mgmt(s, 'POST', '/v1/mgmt/user/create', { loginId: 'percent_100%', name: 'Carol' });
    });
    after(() => s.close());

    test('text matches names, emails and login ids case-insensitively', async () => {
      assert.deepEqual(await ids({ text: 'LIDDELL' }), ['alice']);
      assert.deepEqual(await ids({ text: 'wonder.land' }), ['bob']);
      assert.deepEqual(await ids({ text: 'BOB@' }), ['bob']);
    });

    test('LIKE wildcards in the text are literal', async () => {
      assert.deepEqual(await ids({ text: '_100%' }), ['percent_100%']);
      assert.deepEqual(await ids({ text: '%' }), ['percent_100%']);
      assert.deepEqual(await ids({ text: 'a_i' }), []);
    });

    test('tenant roles: any of the values, or all of them with and', async () => {
      assert.deepEqual(await ids({ tenantRoleNames: { t1: { values: ['b'] } } }), ['alice']);
      assert.deepEqual(await ids({ tenantRoleNames: { t1: { values: ['a', 'b'] } } }), ['alice', 'bob']);
      assert.deepEqual(await ids({ tenantRoleNames: { t1: { values: ['a', 'b'], and: true } } }), ['alice']);
      assert.deepEqual(await ids({ tenantRoleNames: { t1: {} } }), ['alice', 'bob']);
    });

    test('total counts every match while limit and page cut the list', async () => {
      const page = await mgmt<Search>(s, 'POST', '/v2/mgmt/user/search', {
        limit: 2,
        page: 1,
        sort: [{ field: 'createdTime' }],
      });
      assert.equal(page.body.total, 3);
      assert.equal(page.body.users.length, 1);
    });
  });
}
