import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { call, mgmt, STORES, startTestServer, type TestServer } from './support/server.ts';

const isDescopeError = (body: Record<string, unknown>) =>
  typeof body.errorCode === 'string' &&
  /^E\d{6}$/.test(body.errorCode) &&
  typeof body.errorDescription === 'string' &&
  typeof body.errorMessage === 'string';

for (const store of STORES) {
  describe(`bad input and request authorization (${store})`, () => {
    let s: TestServer;
    before(async () => {
      s = await startTestServer(store, { LATCHKEY_BODY_LIMIT: '4096' });
    });
    after(() => s.close());

    test('malformed JSON is a 400 E011001 with a Descope-style body', async () => {
      const res = await call(s, 'POST', '/v1/mgmt/tenant/create', {
        auth: s.management,
        rawBody: '{"name":',
      });
      assert.equal(res.status, 400);
      assert.equal(res.body.errorCode, 'E011001');
      assert.ok(isDescopeError(res.body));
    });

    test('wrong types are a 400 E011003 naming the field; missing fields are E011002', async () => {
      const wrong = await mgmt(s, 'POST', '/v1/mgmt/tenant/create', { name: 42 });
      assert.equal(wrong.status, 400);
      assert.equal(wrong.body.errorCode, 'E011003');
      assert.match(String(wrong.body.errorMessage), /name/);
      const missing = await mgmt(s, 'POST', '/v1/mgmt/user/create', { email: 'x@y.test' });
      assert.equal(missing.status, 400);
      assert.equal(missing.body.errorCode, 'E011002');
      assert.match(String(missing.body.errorMessage), /loginId/);
    });

    test('an error quoting a huge input is cut short: a 1 MB id in a body answers a 404 of at most 16 KiB', async () => {
      const big = await startTestServer(store); // the default body limit, not this suite's 4 KiB
      const res = await mgmt(big, 'POST', '/v1/mgmt/tenant/update', { id: 'x'.repeat(1_000_000), name: 'n' });
      await big.close();
      assert.equal(res.status, 404, JSON.stringify(res.body).slice(0, 200));
      assert.ok(isDescopeError(res.body));
      assert.ok(
        String(res.body.errorMessage).length <= 16_385,
        `errorMessage of ${String(res.body.errorMessage).length}`,
      );
    });

    test('an oversized body is a 413 with an error body', async () => {
      const res = await mgmt(s, 'POST', '/v1/mgmt/tenant/create', { name: 'x'.repeat(10_000) });
      assert.equal(res.status, 413);
      assert.equal(res.body.errorCode, 'E011005');
    });

    test('"" and null mean absent; unknown fields are ignored', async () => {
      const res = await mgmt<{ id: string }>(s, 'POST', '/v1/mgmt/tenant/create', {
        name: 'Null Corp',
        id: '',
        selfProvisioningDomains: null,
        customAttributes: null,
        someFutureField: { nested: true },
      });
      assert.equal(res.status, 200);
      assert.match(res.body.id, /^T/);
      const user = await mgmt<{ user: { email: string; roleNames: string[] } }>(
        s,
        'POST',
        '/v1/mgmt/user/create',
        {
          loginId: 'go-style',
          email: '',
          phone: '',
          roleNames: null,
          userTenants: [],
          displayName: '',
        },
      );
      assert.equal(user.status, 200);
      assert.equal(user.body.user.email, '');
      assert.deepEqual(user.body.user.roleNames, []);
      const load = await call(s, 'GET', '/v1/mgmt/user?loginId=&userId=go-style', { auth: s.management });
      assert.equal(load.status, 200, 'Go sends both query parameters, one empty');
    });

    test('an invalid email or phone is refused and nothing is written', async () => {
      const email = await mgmt(s, 'POST', '/v1/mgmt/user/create', {
        loginId: 'bad-email',
        email: 'not-an-email',
      });
      assert.equal(email.status, 400);
      const phone = await mgmt(s, 'POST', '/v1/mgmt/user/create', {
        loginId: 'bad-phone',
        phone: '555-1234',
      });
      assert.equal(phone.status, 400);
      for (const id of ['bad-email', 'bad-phone']) {
        assert.equal(
          (await call(s, 'GET', `/v1/mgmt/user?loginId=${id}`, { auth: s.management })).status,
          404,
        );
      }
    });

    test('unknown roles or tenants refuse the whole write (nothing half-written)', async () => {
      const res = await mgmt(s, 'POST', '/v1/mgmt/user/create', {
        loginId: 'half@written.test',
        roleNames: ['no-such-role'],
      });
      assert.equal(res.status, 404);
      assert.equal(res.body.errorCode, 'E114101');
      const tenant = await mgmt(s, 'POST', '/v1/mgmt/user/create', {
        loginId: 'half@written.test',
        userTenants: [{ tenantId: 'no-such-tenant' }],
      });
      assert.equal(tenant.status, 404);
      assert.equal(tenant.body.errorCode, 'E113101');
      assert.equal(
        (await call(s, 'GET', '/v1/mgmt/user?loginId=half@written.test', { auth: s.management })).status,
        404,
      );
      const role = await mgmt(s, 'POST', '/v1/mgmt/role/create', {
        name: 'half-role',
        permissionNames: ['no-such-permission'],
      });
      assert.equal(role.status, 404);
      const roles = await mgmt<{ roles: { name: string }[] }>(s, 'GET', '/v1/mgmt/role/all');
      assert.ok(!roles.body.roles.some((r) => r.name === 'half-role'));
    });

    test('a missing or malformed Authorization header is 401', async () => {
      const none = await call(s, 'POST', '/v1/mgmt/tenant/create', { body: { name: 'x' } });
      assert.equal(none.status, 401);
      assert.ok(isDescopeError(none.body));
      const basic = await call(s, 'GET', '/v1/mgmt/tenant/all', { auth: 'Basic abc' });
      assert.equal(basic.status, 401);
    });

    test('an unknown project is 401 E011102', async () => {
      const res = await call(s, 'POST', '/v1/auth/password/signin', {
        auth: 'Bearer Pdoesnotexist000000000000000',
        body: { loginId: 'a', password: 'b' },
      });
      assert.equal(res.status, 401);
      assert.equal(res.body.errorCode, 'E011102');
    });

    test('a wrong, missing or other-project management key is refused', async () => {
      const wrong = await call(s, 'GET', '/v1/mgmt/tenant/all', {
        auth: `${s.project}:Kwrongwrongwrongwrongwrong`,
      });
      assert.equal(wrong.status, 401);
      assert.equal(wrong.body.errorCode, 'E011103');
      const missing = await call(s, 'GET', '/v1/mgmt/tenant/all', { auth: s.project });
      assert.equal(missing.status, 401);
      const trailingColon = await call(s, 'GET', '/v1/mgmt/tenant/all', { auth: `${s.project}:` });
      assert.equal(trailingColon.status, 401);
    });

    test('a refresh token never authorizes a management call', async () => {
      const signup = await call<{ refreshJwt: string }>(s, 'POST', '/v1/auth/password/signup', {
        auth: s.project,
        body: { loginId: 'mgmt-attempt@x.test', password: 'Passw0rdxx' },
      });
      const res = await call(s, 'GET', '/v1/mgmt/tenant/all', {
        auth: `${s.project}:${signup.body.refreshJwt}`,
      });
      assert.equal(res.status, 401);
    });

    test('auth calls ignore a management key in the header (Ruby sends one) and accept "Bearer P:"', async () => {
      const withKey = await call(s, 'GET', '/v1/auth/password/policy', { auth: s.management });
      assert.equal(withKey.status, 200);
      const trailing = await call(s, 'GET', '/v1/auth/password/policy', { auth: `${s.project}:` });
      assert.equal(trailing.status, 200);
    });

    test('duplicate slashes are tolerated (Ruby joins base and path by concatenation)', async () => {
      const res = await call(s, 'GET', '//v1/auth/password/policy', { auth: s.project });
      assert.equal(res.status, 200);
    });

    test('an unknown route is a 404 with an error body', async () => {
      const res = await call(s, 'POST', '/v1/auth/nothing-here', { auth: s.project, body: {} });
      assert.equal(res.status, 404);
      assert.ok(isDescopeError(res.body));
    });

    test("projects on one store never see each other's data", async () => {
      // A second instance on the same store bootstraps a second project with its own key.
      const other = await startTestServer(store, {}, s.shared);
      try {
        assert.notEqual(other.projectId, s.projectId);
        const tenant = await mgmt<{ id: string }>(s, 'POST', '/v1/mgmt/tenant/create', {
          name: 'Isolated Inc',
        });
        await call(s, 'POST', '/v1/auth/password/signup', {
          auth: s.project,
          body: { loginId: 'iso@x.test', password: 'Passw0rdxx' },
        });
        const crossedKey = await call(s, 'GET', '/v1/mgmt/tenant/all', {
          auth: `Bearer ${s.projectId}:${other.managementKey}`,
        });
        assert.equal(crossedKey.status, 401, "another project's key does not open this project");
        const theirTenants = await mgmt<{ tenants: { id: string }[] }>(other, 'GET', '/v1/mgmt/tenant/all');
        assert.deepEqual(theirTenants.body.tenants, []);
        assert.equal((await mgmt(other, 'GET', `/v1/mgmt/tenant?id=${tenant.body.id}`)).status, 404);
        assert.equal((await mgmt(other, 'GET', '/v1/mgmt/user?loginId=iso@x.test')).status, 404);
        const signin = await call(other, 'POST', '/v1/auth/password/signin', {
          auth: other.project,
          body: { loginId: 'iso@x.test', password: 'Passw0rdxx' },
        });
        assert.equal(signin.status, 401);
        const sameName = await mgmt(other, 'POST', '/v1/mgmt/tenant/create', { name: 'Isolated Inc' });
        assert.equal(sameName.status, 200, 'tenant names are unique per project, not per server');
      } finally {
        await other.server.close();
      }
    });
  });
}
