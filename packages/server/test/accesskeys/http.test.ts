import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sha256Hex } from '../../src/util.ts';
import { disableRateLimits, uid } from '../descope-sdk/support.ts';
import { call, mgmt, STORES, startTestServer, type TestServer } from '../support/server.ts';

type WireKey = {
  id: string;
  name: string;
  status: string;
  roleNames: string[];
  keyTenants: { tenantId: string; tenantName: string; roleNames: string[] }[];
  expireTime: number;
  boundUserId: string;
  customClaims: Record<string, unknown>;
  permittedIps: string[];
  description: string;
};
type Created = { key: WireKey; cleartext: string };
type Exchanged = { keyId: string; sessionJwt: string; refreshJwt: string; expiration: number };

const claims = (jwt: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString());
const nowSec = () => Math.floor(Date.now() / 1000);

/** Access keys over raw HTTP (reference §2.13, §3.4): what goes over the wire, and what lands in the store. */
for (const store of STORES) {
  describe(`access keys over HTTP (${store})`, () => {
    let s: TestServer;
    let tenantId: string;
    before(async () => {
      s = await startTestServer(store);
      await disableRateLimits(s);
      for (const name of ['keys.read', 'keys.write', 'billing.view'])
        assert.equal((await mgmt(s, 'POST', '/v1/mgmt/permission/create', { name })).status, 200);
      assert.equal(
        (await mgmt(s, 'POST', '/v1/mgmt/role/create', { name: 'reader', permissionNames: ['keys.read'] }))
          .status,
        200,
      );
      assert.equal(
        (
          await mgmt(s, 'POST', '/v1/mgmt/role/create', {
            name: 'writer',
            permissionNames: ['keys.read', 'keys.write'],
          })
        ).status,
        200,
      );
      const tenant = await mgmt<{ id: string }>(s, 'POST', '/v1/mgmt/tenant/create', { name: 'Acme Keys' });
      assert.equal(tenant.status, 200);
      tenantId = tenant.body.id;
      assert.equal(
        (
          await mgmt(s, 'POST', '/v1/mgmt/role/create', {
            name: 'billing',
            tenantId,
            permissionNames: ['billing.view'],
          })
        ).status,
        200,
      );
    });
    after(() => s.close());

    const create = async (body: Record<string, unknown>) => {
      const res = await mgmt<Created>(s, 'POST', '/v1/mgmt/accesskey/create', body);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body;
    };
    const exchange = (cleartext: string, body: unknown = {}, extra = '') =>
      call<Exchanged & { errorCode?: string }>(s, 'POST', '/v1/auth/accesskey/exchange', {
        auth: `Bearer ${s.projectId}:${cleartext}${extra}`,
        body,
      });
    const countKeys = async () =>
      (await mgmt<{ keys: WireKey[] }>(s, 'POST', '/v1/mgmt/accesskey/search', {})).body.keys.length;

    test('create → exchange: the session JWT carries the key id, roles, permissions, tenants and claims', async () => {
      const { key, cleartext } = await create({
        name: uid('ci-'),
        expireTime: 0,
        roleNames: ['reader'],
        keyTenants: [{ tenantId, roleNames: ['billing', 'writer'] }],
        customClaims: { plan: 'gold', seats: 3 },
        description: 'CI pipeline',
      });
      assert.match(key.id, /^K/);
      assert.equal(key.status, 'active');
      assert.deepEqual(key.roleNames, ['reader']);
      assert.deepEqual(key.keyTenants, [
        { tenantId, tenantName: 'Acme Keys', roleNames: ['billing', 'writer'] },
      ]);
      assert.doesNotMatch(cleartext, /[:.]/);

      const res = await exchange(cleartext);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.keyId, key.id);
      const session = claims(res.body.sessionJwt);
      assert.equal(session.sub, key.id);
      assert.equal(session.drn, 'DS');
      assert.deepEqual(session.roles, ['reader']);
      assert.deepEqual(session.permissions, ['keys.read']);
      assert.deepEqual(session.tenants, {
        [tenantId]: {
          roles: ['billing', 'writer'],
          permissions: ['billing.view', 'keys.read', 'keys.write'],
        },
      });
      assert.equal(session.plan, 'gold');
      assert.equal(session.seats, 3);
      assert.equal(res.body.expiration, session.exp);
      const refresh = claims(res.body.refreshJwt);
      assert.equal(refresh.drn, 'DSR');
      assert.equal(refresh.sub, key.id);

      // the refresh JWT is there for the Ruby SDK only: it never refreshes
      const refreshed = await call(s, 'POST', '/v1/auth/refresh', {
        auth: `Bearer ${s.projectId}:${res.body.refreshJwt}`,
        body: {},
      });
      assert.equal(refreshed.status, 401);
    });

    test('the cleartext is returned only at create and only its hash is stored', async () => {
      const { key, cleartext } = await create({ name: uid('hash-'), roleNames: ['reader'] });
      const loaded = await mgmt<{ key: WireKey }>(s, 'GET', `/v1/mgmt/accesskey?id=${key.id}`);
      assert.equal(loaded.status, 200);
      assert.equal(loaded.body.key.id, key.id);
      assert.ok(!JSON.stringify(loaded.body).includes(cleartext));
      const searched = await mgmt(s, 'POST', '/v1/mgmt/accesskey/search', {});
      assert.ok(!JSON.stringify(searched.body).includes(cleartext));

      const rows = await s.server.store.db.selectFrom('access_keys').selectAll().execute();
      const row = rows.find((r) => r.id === key.id);
      assert.ok(row);
      assert.equal(row.key_hash, sha256Hex(cleartext));
      assert.ok(!JSON.stringify(rows).includes(cleartext), 'the cleartext is nowhere in the table');
    });

    test('deactivate → refused; activate → works again; delete → refused and gone', async () => {
      const { key, cleartext } = await create({ name: uid('life-') });
      assert.equal((await exchange(cleartext)).status, 200);

      assert.deepEqual((await mgmt(s, 'POST', '/v1/mgmt/accesskey/deactivate', { id: key.id })).body, {});
      const loaded = await mgmt<{ key: WireKey }>(s, 'GET', `/v1/mgmt/accesskey?id=${key.id}`);
      assert.equal(loaded.body.key.status, 'inactive');
      const refused = await exchange(cleartext);
      assert.equal(refused.status, 401);
      assert.equal(refused.body.errorCode, 'E061202');

      assert.deepEqual((await mgmt(s, 'POST', '/v1/mgmt/accesskey/activate', { id: key.id })).body, {});
      assert.equal((await exchange(cleartext)).status, 200);

      assert.deepEqual((await mgmt(s, 'POST', '/v1/mgmt/accesskey/delete', { id: key.id })).body, {});
      const gone = await exchange(cleartext);
      assert.equal(gone.status, 401);
      assert.equal(gone.body.errorCode, 'E061201');
      const missing = await mgmt(s, 'GET', `/v1/mgmt/accesskey?id=${key.id}`);
      assert.equal(missing.status, 404);
      assert.equal(missing.body.errorCode, 'E117101');
      const again = await mgmt(s, 'POST', '/v1/mgmt/accesskey/delete', { id: key.id });
      assert.equal(again.status, 404);
    });

    test('an expired key is refused', async () => {
      const expireTime = nowSec() + 2;
      const { cleartext } = await create({ name: uid('exp-'), expireTime });
      const fresh = await exchange(cleartext);
      assert.equal(fresh.status, 200);
      assert.ok((claims(fresh.body.sessionJwt).exp! as number) <= expireTime, 'no token outlives its key');
      while (nowSec() < expireTime) await new Promise((r) => setTimeout(r, 200));
      const refused = await exchange(cleartext);
      assert.equal(refused.status, 401);
      assert.equal(refused.body.errorCode, 'E061203');
    });

    test('permittedIps: an address that does not match 127.0.0.1 is refused; a matching CIDR works', async () => {
      const { key, cleartext } = await create({
        name: uid('ip-'),
        permittedIps: ['10.1.2.3', '2001:db8::/32'],
      });
      const refused = await exchange(cleartext);
      assert.equal(refused.status, 401);
      assert.equal(refused.body.errorCode, 'E061204');

      const updated = await mgmt<{ key: WireKey }>(s, 'POST', '/v1/mgmt/accesskey/update', {
        id: key.id,
        permittedIps: ['10.0.0.0/8', '127.0.0.0/8'],
      });
      assert.equal(updated.status, 200);
      assert.deepEqual(updated.body.key.permittedIps, ['10.0.0.0/8', '127.0.0.0/8']);
      assert.equal((await exchange(cleartext)).status, 200);
    });

    test('update changes only the fields sent; search filters by tenant and bound user', async () => {
      const { key } = await create({
        name: uid('upd-'),
        roleNames: ['reader'],
        keyTenants: [{ tenantId, roleNames: ['billing'] }],
        customClaims: { a: 1 },
        description: 'before',
      });
      const renamed = await mgmt<{ key: WireKey }>(s, 'POST', '/v1/mgmt/accesskey/update', {
        id: key.id,
        name: 'renamed key',
      });
      assert.equal(renamed.status, 200);
      assert.equal(renamed.body.key.name, 'renamed key');
      assert.deepEqual(renamed.body.key.roleNames, ['reader']);
      assert.equal(renamed.body.key.keyTenants.length, 1);
      assert.deepEqual(renamed.body.key.customClaims, { a: 1 });
      assert.equal(renamed.body.key.description, 'before');

      const roles = await mgmt<{ key: WireKey }>(s, 'POST', '/v1/mgmt/accesskey/update', {
        id: key.id,
        name: 'renamed key',
        roleNames: ['writer'],
        keyTenants: null,
      });
      assert.deepEqual(roles.body.key.roleNames, ['writer']);
      assert.equal(roles.body.key.keyTenants.length, 1, 'null means "not provided"');

      const inTenant = await mgmt<{ keys: WireKey[] }>(s, 'POST', '/v1/mgmt/accesskey/search', {
        tenantIds: [tenantId],
      });
      assert.ok(inTenant.body.keys.some((k) => k.id === key.id));
      assert.ok(inTenant.body.keys.every((k) => k.keyTenants.some((t) => t.tenantId === tenantId)));
      const other = await mgmt<{ keys: WireKey[] }>(s, 'POST', '/v1/mgmt/accesskey/search', {
        tenantIds: ['T-unknown'],
      });
      assert.deepEqual(other.body.keys, []);
    });

    test('a key bound to a user carries the user roles and tenants', async () => {
      const user = await mgmt<{ user: { userId: string } }>(s, 'POST', '/v1/mgmt/user/create', {
        loginId: `${uid('bound')}@example.com`,
        roleNames: ['writer'],
        userTenants: [{ tenantId, roleNames: ['billing'] }],
      });
      assert.equal(user.status, 200, JSON.stringify(user.body));
      const { key, cleartext } = await create({ name: uid('bound-'), userId: user.body.user.userId });
      assert.equal(key.boundUserId, user.body.user.userId);
      const res = await exchange(cleartext, { loginOptions: { selectedTenant: tenantId } });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const session = claims(res.body.sessionJwt);
      assert.equal(session.sub, key.id);
      assert.deepEqual(session.roles, ['writer']);
      assert.deepEqual(session.permissions, ['keys.read', 'keys.write']);
      assert.deepEqual(session.tenants, {
        [tenantId]: { roles: ['billing'], permissions: ['billing.view'] },
      });
      assert.equal(session.dct, tenantId);

      const byUser = await mgmt<{ keys: WireKey[] }>(s, 'POST', '/v1/mgmt/accesskey/search', {
        boundUserId: user.body.user.userId,
      });
      assert.deepEqual(
        byUser.body.keys.map((k) => k.id),
        [key.id],
      );
    });

    test('selectedTenant must be one of the key tenants; loginOptions.customClaims need a management key', async () => {
      const { cleartext } = await create({ name: uid('opt-'), keyTenants: [{ tenantId, roleNames: [] }] });
      const wrongTenant = await exchange(cleartext, { loginOptions: { selectedTenant: 'T-other' } });
      assert.equal(wrongTenant.status, 403);
      assert.equal(wrongTenant.body.errorCode, 'E063101');

      const noKey = await exchange(cleartext, { loginOptions: { customClaims: { extra: 'x' } } });
      assert.equal(noKey.status, 401);
      assert.equal(noKey.body.errorCode, 'E011103');
      const withKey = await exchange(
        cleartext,
        { loginOptions: { customClaims: { extra: 'x' } } },
        `:${s.managementKey}`,
      );
      assert.equal(withKey.status, 200, JSON.stringify(withKey.body));
      assert.equal(claims(withKey.body.sessionJwt).extra, 'x');
    });

    test('bad input → 4xx and nothing changes', async () => {
      const before = await countKeys();
      const cases: [Record<string, unknown>, number, string][] = [
        [{ name: 'past', expireTime: nowSec() - 10 }, 400, 'E011004'],
        [{ name: 'tenant', keyTenants: [{ tenantId: 'T-nope', roleNames: [] }] }, 404, 'E113101'],
        [{ name: 'role', roleNames: ['no-such-role'] }, 404, 'E114101'],
        [{ name: 'tenant role', keyTenants: [{ tenantId, roleNames: ['no-such-role'] }] }, 404, 'E114101'],
        [{ name: 'big', customClaims: { blob: 'x'.repeat(9000) } }, 400, 'E011004'],
        [{ name: 'reserved', customClaims: { sub: 'someone-else' } }, 400, 'E011004'],
        [{ name: 'ip', permittedIps: ['not-an-ip'] }, 400, 'E011004'],
        [{ name: 'cidr', permittedIps: ['10.0.0.0/33'] }, 400, 'E011004'],
        [{ name: 'user', userId: 'U-nobody' }, 404, 'E112102'],
        [{ expireTime: 0 }, 400, 'E011002'],
        [{ name: 'type', expireTime: 'tomorrow' }, 400, 'E011003'],
      ];
      for (const [body, status, code] of cases) {
        const res = await mgmt(s, 'POST', '/v1/mgmt/accesskey/create', body);
        assert.equal(
          res.status,
          status,
          `${JSON.stringify(body).slice(0, 80)} → ${JSON.stringify(res.body)}`,
        );
        assert.equal(res.body.errorCode, code, JSON.stringify(res.body));
      }
      assert.equal(await countKeys(), before);

      const { key } = await create({ name: uid('stable-'), roleNames: ['reader'] });
      for (const [patch, status] of [
        [{ roleNames: ['no-such-role'] }, 404],
        [{ customClaims: { blob: 'x'.repeat(9000) } }, 400],
        [{ permittedIps: ['999.1.1.1'] }, 400],
      ] as const) {
        const res = await mgmt(s, 'POST', '/v1/mgmt/accesskey/update', {
          id: key.id,
          name: 'changed',
          ...patch,
        });
        assert.equal(res.status, status, JSON.stringify(res.body));
      }
      const loaded = await mgmt<{ key: WireKey }>(s, 'GET', `/v1/mgmt/accesskey?id=${key.id}`);
      assert.equal(loaded.body.key.name, key.name);
      assert.deepEqual(loaded.body.key.roleNames, ['reader']);
      assert.deepEqual(loaded.body.key.customClaims, {});
      assert.deepEqual(loaded.body.key.permittedIps, []);
      const unknown = await mgmt(s, 'POST', '/v1/mgmt/accesskey/update', { id: 'K-nope', name: 'x' });
      assert.equal(unknown.status, 404);
      assert.equal(unknown.body.errorCode, 'E117101');
    });

    test('management calls need a management key; an exchange needs an access key', async () => {
      for (const [method, path, body] of [
        ['POST', '/v1/mgmt/accesskey/create', { name: 'x' }],
        ['GET', '/v1/mgmt/accesskey?id=K1', undefined],
        ['POST', '/v1/mgmt/accesskey/search', {}],
        ['POST', '/v1/mgmt/accesskey/update', { id: 'K1', name: 'x' }],
        ['POST', '/v1/mgmt/accesskey/activate', { id: 'K1' }],
        ['POST', '/v1/mgmt/accesskey/deactivate', { id: 'K1' }],
        ['POST', '/v1/mgmt/accesskey/delete', { id: 'K1' }],
      ] as const) {
        const res = await call(s, method, path, { auth: s.project, body });
        assert.equal(res.status, 401, `${method} ${path}`);
        assert.equal(res.body.errorCode, 'E011103');
      }
      const { cleartext } = await create({ name: uid('notmgmt-') });
      const asMgmt = await call(s, 'POST', '/v1/mgmt/accesskey/search', {
        auth: `Bearer ${s.projectId}:${cleartext}`,
        body: {},
      });
      assert.equal(asMgmt.status, 401, 'an access key is not a management key');

      const none = await call(s, 'POST', '/v1/auth/accesskey/exchange', { auth: s.project, body: {} });
      assert.equal(none.status, 401);
      assert.equal(none.body.errorCode, 'E061201');
      const mgmtKey = await exchange(s.managementKey);
      assert.equal(mgmtKey.status, 401, 'a management key is not an access key');
      assert.equal(mgmtKey.body.errorCode, 'E061201');
    });
  });
}
