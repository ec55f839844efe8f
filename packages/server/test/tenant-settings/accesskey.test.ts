import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ok, type SdkServer, startSdkServer, uid } from '../descope-sdk/support.ts';
import { call, STORES } from '../support/server.ts';
import { claims, createTenant, createUser, disableRateLimits, lifetime } from './support.ts';

const PROJECT_SESSION = 600;
const PROJECT_REFRESH = 86_400 * 28;

type Exchanged = { keyId: string; sessionJwt: string; refreshJwt: string; expiration: number };

/**
 * An access key exchanges for JWTs under the same rule as a user's sessions: the stricter of the project's
 * lifetimes and every enabled override among the key's tenants (its bound user's tenants for a user key).
 */
for (const store of STORES) {
  describe(`access-key exchange and tenant session policy (${store})`, () => {
    let t: SdkServer;
    let strict: string;
    let stricter: string;
    let lax: string;
    let off: string;
    before(async () => {
      t = await startSdkServer(store);
      await disableRateLimits(t.s);
      strict = await createTenant(t.s, {
        enabled: true,
        sessionTokenExpiration: 5,
        sessionTokenExpirationUnit: 'minutes',
        refreshTokenExpiration: 2,
        refreshTokenExpirationUnit: 'hours',
      });
      stricter = await createTenant(t.s, { enabled: true, sessionTokenExpiration: 2 });
      lax = await createTenant(t.s, {
        enabled: true,
        sessionTokenExpiration: 1,
        sessionTokenExpirationUnit: 'days',
      });
      off = await createTenant(t.s, { enabled: false, sessionTokenExpiration: 1, refreshTokenExpiration: 1 });
    });
    after(() => t.close());

    const keyFor = async (tenantIds: string[], expireTime = 0, userId?: string) => {
      const created = await ok(
        t.mgmt.management.accessKey.create(
          uid('key-'),
          expireTime,
          [],
          tenantIds.map((tenantId) => ({ tenantId, roleNames: [] })),
          userId,
        ),
      );
      return created.cleartext;
    };
    const exchange = async (cleartext: string, body: unknown = {}) => {
      const res = await call<Exchanged>(t.s, 'POST', '/v1/auth/accesskey/exchange', {
        auth: `Bearer ${t.s.projectId}:${cleartext}`,
        body,
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body;
    };
    const createTenantSettings = async (tenantId: string, settings: Record<string, unknown>) => {
      const res = await call(t.s, 'POST', '/v1/mgmt/tenant/settings', {
        auth: t.s.management,
        body: { tenantId, ...settings },
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
    };

    test('a key in a tenant with an enabled override gets the tenant lifetimes', async () => {
      const res = await exchange(await keyFor([strict]));
      assert.equal(lifetime(res.sessionJwt), 300);
      assert.equal(lifetime(res.refreshJwt), 7_200);
      assert.equal(res.expiration, claims(res.sessionJwt).exp);
    });

    test('the stricter tenant wins field by field, whichever tenant is selected', async () => {
      const cleartext = await keyFor([lax, strict, stricter]);
      for (const selectedTenant of [undefined, lax]) {
        const res = await exchange(cleartext, selectedTenant ? { loginOptions: { selectedTenant } } : {});
        assert.equal(lifetime(res.sessionJwt), 120);
        assert.equal(lifetime(res.refreshJwt), 7_200);
      }
    });

    test('no tenants, a disabled override, or a longer tenant value: the project lifetimes', async () => {
      for (const tenants of [[], [off], [lax]]) {
        const res = await exchange(await keyFor(tenants));
        assert.equal(lifetime(res.sessionJwt), PROJECT_SESSION, `tenants ${tenants.join(',')}`);
        assert.equal(lifetime(res.refreshJwt), PROJECT_REFRESH);
      }
    });

    test("a user key follows its bound user's tenants", async () => {
      const user = await createUser(t.s, [stricter]);
      const res = await exchange(await keyFor([], 0, user.userId));
      assert.equal(lifetime(res.sessionJwt), 120);
    });

    test('the key expiry still caps the tokens', async () => {
      const expireTime = Math.floor(Date.now() / 1000) + 90;
      const res = await exchange(await keyFor([strict], expireTime));
      assert.ok(lifetime(res.sessionJwt) <= 90, `session lifetime ${lifetime(res.sessionJwt)}`);
      assert.ok(lifetime(res.refreshJwt) <= 90);
    });

    test('through @descope/node-sdk exchangeAccessKey, and a policy change applies to the next exchange', async () => {
      const tenantId = await createTenant(t.s);
      const cleartext = await keyFor([tenantId]);
      const first = await t.auth.exchangeAccessKey(cleartext);
      assert.equal(Number(first.token.exp) - Number(first.token.iat), PROJECT_SESSION);
      await createTenantSettings(tenantId, { enabled: true, sessionTokenExpiration: 3 });
      const second = await t.auth.exchangeAccessKey(cleartext);
      assert.equal(Number(second.token.exp) - Number(second.token.iat), 180);
    });
  });
}
