import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  awayFromTotpStepEdge,
  type Harness,
  STORES,
  startHarness,
  strongPassword,
  totpCode,
  uniqueLogin,
} from './support/sdk.ts';

const span = (token: { exp: number; iat?: number }) => token.exp - (token.iat ?? 0);

for (const store of STORES) {
  describe(`step-up lifetime, tenant attributes in JWTs, access-key policy through the SDK (${store})`, () => {
    let h: Harness;
    const mgmt = () => h.client.management;
    before(async () => {
      h = await startHarness(store);
      await mgmt().project.configureSettings({ rateLimits: { enabled: false } });
    });
    after(() => h.close());

    test('stepupTokenExpiration: default 300, configurable, applied to a TOTP step-up with su: true', async () => {
      assert.equal((await mgmt().project.getSettings()).stepupTokenExpiration, 300);
      await mgmt().project.configureSettings({ stepupTokenExpiration: 240 });
      assert.equal((await mgmt().project.getSettings()).stepupTokenExpiration, 240);
      const loginId = uniqueLogin('stepup');
      await mgmt().user.create(loginId, { email: loginId });
      await mgmt().user.setActivePassword(loginId, strongPassword);
      const pwd = await h.client.password.signIn(loginId, strongPassword);
      const { key } = await h.client.totp.update(loginId, pwd.refreshJwt!);
      await awayFromTotpStepEdge();
      const code = totpCode(key);
      const raised = await h.client.totp.verify(loginId, code, { stepup: true }, pwd.refreshJwt);
      const { token } = await h.client.validateSession(raised.sessionJwt);
      assert.equal(token.su, true);
      assert.equal(span(token), 240);
      const plain = await h.client.validateSession(pwd.sessionJwt);
      assert.equal(plain.token.su, undefined);
      await mgmt().project.configureSettings({ stepupTokenExpiration: 300 });
    });

    test('tenant attributes with includeInJwt appear in the tenant entry; access keys get the tenant policy', async () => {
      await mgmt().customAttribute.create('tenant', [{ name: 'plan', type: 'text', includeInJwt: true }]);
      const { id } = await mgmt().tenant.create('Attr Co', { customAttributes: { plan: 'pro' } });
      await mgmt().tenant.configureSettings(id, {
        enabled: true,
        sessionTokenExpiration: 3,
        sessionTokenExpirationUnit: 'minutes',
      });
      const { cleartext } = await mgmt().accessKey.create('attr-key', {
        keyTenants: [{ tenantId: id, roleNames: [] }],
      });
      const exchanged = await h.client.exchangeAccessKey(cleartext);
      const { token } = await h.client.validateSession(exchanged.sessionJwt);
      assert.deepEqual(token.tenants?.[id]?.customAttributes, { plan: 'pro' });
      assert.equal(span(token), 180, 'the tenant session policy applies to the exchanged JWT');
    });
  });
}
