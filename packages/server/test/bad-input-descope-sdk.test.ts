import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  disableRateLimits,
  fails,
  ok,
  PASSWORD,
  type SdkServer,
  startSdkServer,
  uid,
} from './descope-sdk/support.ts';
import { STORES } from './support/server.ts';
import { snapshotTables } from './support/sweep.ts';

/**
 * Issue 4 item 10 through the official `@descope/node-sdk`: the SDK sees `ok: false` with the Descope error
 * body, and nothing changes. (The raw-HTTP sweep is test/bad-input-sweep.test.ts.)
 */
const BIG_CLAIMS = { blob: 'x'.repeat(9_000) };

for (const store of STORES) {
  describe(`Descope SDK: bad input is a clear 4xx and changes nothing (${store})`, () => {
    let t: SdkServer;
    let tenantId: string;
    let admin: string;
    let target: string;
    let impersonationJwt: string;
    let accessKey: string;
    let snapshot: Awaited<ReturnType<typeof snapshotTables>>;

    before(async () => {
      t = await startSdkServer(store);
      await disableRateLimits(t.s);
      const m = t.mgmt.management;
      await ok(m.permission.create('impersonation'));
      await ok(m.role.create('support', '', ['impersonation']));
      const attrs = await fetch(`${t.s.url}/v1/mgmt/tenant/customattribute/create`, {
        method: 'POST',
        headers: { authorization: t.s.management, 'content-type': 'application/json' },
        body: JSON.stringify({ attributes: [{ name: 'count', type: 'number' }] }),
      });
      assert.equal(attrs.status, 200);
      tenantId = (await ok(m.tenant.create(uid('Tenant ')))).id;
      admin = (await ok(m.user.create(uid('admin-'), { roles: ['support'] }))).userId;
      target = uid('target-');
      await ok(
        m.user.create(target, { email: `${target}@x.test`, userTenants: [{ tenantId, roleNames: [] }] }),
      );
      await ok(m.user.setActivePassword(target, PASSWORD));
      impersonationJwt = (await ok(m.jwt.impersonate(admin, target, false))).jwt;
      accessKey = (await ok(m.accessKey.create(uid('key-'), 0))).cleartext;
      snapshot = await snapshotTables(t.s.server.store.db);
    });
    after(() => t.close());

    test('management calls: wrong attribute types, unknown roles and tenants, oversized claims', async () => {
      const m = t.mgmt.management;
      await fails(m.tenant.update(tenantId, 'Renamed', [], { count: 'many' } as never), 400, 'E118102');
      await fails(m.user.update(target, { roles: ['no-such-role'] }), 404, 'E114101');
      await fails(
        m.user.update(target, { userTenants: [{ tenantId: 'no-such-tenant', roleNames: [] }] }),
        404,
        'E113101',
      );
      await fails(m.user.patch(target, { roles: ['no-such-role'] }), 404, 'E114101');
      await fails(m.accessKey.create(uid('past-'), Math.floor(Date.now() / 1000) - 60), 400, 'E011004');
      await fails(m.accessKey.create(uid('role-'), 0, ['no-such-role']), 404, 'E114101');
      await fails(m.jwt.impersonate(admin, target, false, BIG_CLAIMS), 400, 'E011004');
      await fails(m.jwt.impersonateStepup(admin, target, false, BIG_CLAIMS), 400, 'E011004');
      await fails(m.jwt.stopImpersonation(impersonationJwt, BIG_CLAIMS), 400, 'E011004');
      await fails(m.jwt.update(impersonationJwt, BIG_CLAIMS), 400, 'E011004');
    });

    test('auth calls: oversized loginOptions.customClaims are refused before the sign-in', async () => {
      await fails(t.backend.password.signIn(target, PASSWORD, { customClaims: BIG_CLAIMS }), 400, 'E011004');
      await assert.rejects(t.backend.exchangeAccessKey(accessKey, { customClaims: BIG_CLAIMS }));
    });

    test('nothing changed', async () => {
      assert.deepEqual(await snapshotTables(t.s.server.store.db), snapshot);
    });
  });
}
