import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ERROR_CODES, LatchkeyApiError } from '../src/index.ts';
import { type Harness, rejection, STORES, startHarness } from './support/sdk.ts';

const PASSWORD = 'Corr3ct-Horse-Battery';

for (const store of STORES) {
  describe(`audit through the SDK (${store})`, () => {
    let h: Harness;
    const audit = () => h.client.management.audit;
    before(async () => {
      h = await startHarness(store);
      await h.client.management.project.configureSettings({ rateLimits: { enabled: false } });
    });
    after(() => h.close());

    test('a sign-up is found at once: loginIds and occurred in SDK form; filters narrow', async () => {
      const loginId = `audit-${Date.now()}@example.com`;
      const user = (await h.client.password.signUp(loginId, PASSWORD)).user!;
      const { audits, total } = await audit().search({ loginIds: [loginId] });
      assert.equal(total, 2);
      assert.deepEqual(
        audits.map((a) => a.action),
        ['LoginSucceed', 'UserCreated'],
      );
      const [login] = audits;
      assert.equal(login!.userId, user.userId);
      assert.deepEqual(login!.loginIds, [loginId]);
      assert.equal(typeof login!.occurred, 'number');
      assert.ok(Math.abs(login!.occurred - Date.now()) < 60_000);
      assert.equal(login!.method, 'password');
      const sent = h.wire.calls.filter((c) => c.path === '/v1/mgmt/audit/search');
      assert.equal(sent.length, 1);
      assert.deepEqual(
        (await audit().search({ loginIds: [loginId], excludedActions: ['UserCreated'] })).audits.map(
          (a) => a.action,
        ),
        ['LoginSucceed'],
      );
      assert.equal(
        (await audit().search({ loginIds: [loginId], size: 1, page: 1 })).audits[0]!.action,
        'UserCreated',
      );
    });

    test('createEvent round trip; bad input is a LatchkeyApiError 400', async () => {
      await audit().createEvent({
        action: 'InvoicePaid',
        type: 'info',
        actorId: 'billing',
        tenantId: 'sdk-acme',
        data: { amount: 3 },
      });
      const { audits } = await audit().search({ tenants: ['sdk-acme'] });
      assert.equal(audits.length, 1);
      assert.equal(audits[0]!.action, 'InvoicePaid');
      assert.equal(audits[0]!.actorId, 'billing');
      assert.deepEqual(audits[0]!.data, { amount: 3 });
      const bad = await rejection(
        audit().createEvent({ action: 'X', type: 'loud' as 'info', actorId: 'a', tenantId: 't' }),
        LatchkeyApiError,
      );
      assert.equal(bad.status, 400);
      assert.equal(bad.errorCode, ERROR_CODES.invalidRequest);
      const badSearch = await rejection(audit().search({ size: 5000 }), LatchkeyApiError);
      assert.equal(badSearch.status, 400);
    });
  });
}
