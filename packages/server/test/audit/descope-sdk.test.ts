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
} from '../descope-sdk/support.ts';
import { STORES } from '../support/server.ts';

/** The audit trail driven only through the official `@descope/node-sdk`: `management.audit.search`, `searchAll`, `createEvent`. */
for (const store of STORES) {
  describe(`Descope SDK: audit (${store})`, () => {
    let t: SdkServer;
    before(async () => {
      t = await startSdkServer(store);
      await disableRateLimits(t.s);
    });
    after(() => t.close());

    test('a sign-up through the SDK is found by search: loginIds renamed, occurred parsed to a number', async () => {
      const loginId = `${uid('sdk-')}@example.com`;
      const user = (await ok(t.auth.password.signUp(loginId, PASSWORD))).user!;
      const before = Date.now();
      const audits = await ok(
        t.mgmt.management.audit.search({ loginIds: [loginId], actions: ['LoginSucceed'] }),
      );
      assert.equal(audits.length, 1);
      const [login] = audits;
      assert.equal(login!.action, 'LoginSucceed');
      assert.equal(login!.userId, user.userId);
      assert.deepEqual(login!.loginIds, [loginId]);
      assert.equal(typeof login!.occurred, 'number');
      assert.ok(login!.occurred <= before && login!.occurred > before - 60_000);
      assert.equal(login!.method, 'password');
      assert.equal(login!.remoteAddress, '127.0.0.1');
      // the SDK sent the filter as externalIds, the wire name
      const wire = t.calls.findLast((c) => c.path === '/v1/mgmt/audit/search');
      assert.deepEqual(JSON.parse(wire!.body!).externalIds, [loginId]);

      const all = await ok(t.mgmt.management.audit.searchAll({ userIds: [user.userId] }));
      assert.equal(all.total, 2);
      assert.deepEqual(
        all.audits.map((a) => a.action),
        ['LoginSucceed', 'UserCreated'],
      );
    });

    test('a failed sign-in is LoginFailed; excludedActions hides it', async () => {
      const loginId = `${uid('sdk-fail-')}@example.com`;
      await ok(t.auth.password.signUp(loginId, PASSWORD));
      await fails(t.auth.password.signIn(loginId, 'Not-The-Passw0rd'), 401);
      const audits = await ok(t.mgmt.management.audit.search({ loginIds: [loginId] }));
      assert.deepEqual(
        audits.map((a) => a.action),
        ['LoginFailed', 'LoginSucceed', 'UserCreated'],
      );
      const rest = await ok(
        t.mgmt.management.audit.search({ loginIds: [loginId], excludedActions: ['LoginFailed'] }),
      );
      assert.deepEqual(
        rest.map((a) => a.action),
        ['LoginSucceed', 'UserCreated'],
      );
    });

    test('createEvent round trip, noTenants, and management changes carry the management actor', async () => {
      const tenantId = (await ok(t.mgmt.management.tenant.create(uid('Audit SDK ')))).id;
      await ok(
        t.mgmt.management.audit.createEvent({
          action: 'ReportExported',
          type: 'info',
          actorId: 'reports-job',
          tenantId,
          userId: 'U-report',
          data: { rows: 12 },
        }),
      );
      const inTenant = await ok(t.mgmt.management.audit.search({ tenants: [tenantId] }));
      assert.deepEqual(
        inTenant.map((a) => a.action),
        ['ReportExported', 'TenantCreated'],
      );
      const custom = inTenant[0]!;
      assert.equal(custom.userId, 'U-report');
      assert.deepEqual(custom.data, { rows: 12 });
      assert.deepEqual(custom.tenants, [tenantId]);
      const created = inTenant[1] as unknown as { actorId: string };
      assert.equal(created.actorId, 'management');
      const noTenant = await ok(
        t.mgmt.management.audit.search({ actions: ['ReportExported', 'TenantCreated'], noTenants: true }),
      );
      assert.deepEqual(noTenant, []);
      await fails(
        t.mgmt.management.audit.createEvent({ action: 'X', type: 'fatal' as 'info', actorId: 'a', tenantId }),
        400,
      );
    });
  });
}
