import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { call, mgmt, STORES, startTestServer, type TestServer } from './support/server.ts';

type Jwt = { sessionJwt: string; refreshJwt: string };

for (const store of STORES) {
  describe(`signing algorithms (${store})`, () => {
    let s: TestServer;
    before(async () => {
      s = await startTestServer(store);
    });
    after(() => s.close());

    const jwks = async () =>
      (
        await call<{ keys: { alg: string; kty: string; kid: string; crv?: string }[] }>(
          s,
          'GET',
          `/v2/keys/${s.projectId}`,
        )
      ).body;

    test('switching RS256 → ES256 → EdDSA signs new tokens with the new algorithm; old tokens keep verifying and refreshing', async () => {
      const first = await call<Jwt>(s, 'POST', '/v1/auth/password/signup', {
        auth: s.project,
        body: { loginId: 'alg@x.test', password: 'Alg0rithms' },
      });
      assert.equal(decodeProtectedHeader(first.body.sessionJwt).alg, 'RS256');
      const issued: string[] = [first.body.sessionJwt];
      for (const [alg, kty] of [
        ['ES256', 'EC'],
        ['EdDSA', 'OKP'],
      ] as const) {
        assert.equal(
          (await mgmt(s, 'POST', '/v1/mgmt/project/settings', { signingAlgorithm: alg })).status,
          200,
        );
        const res = await call<Jwt>(s, 'POST', '/v1/auth/password/signin', {
          auth: s.project,
          body: { loginId: 'alg@x.test', password: 'Alg0rithms' },
        });
        assert.equal(decodeProtectedHeader(res.body.sessionJwt).alg, alg);
        const set = await jwks();
        assert.ok(
          set.keys.some((k) => k.alg === alg && k.kty === kty),
          `${alg} key published`,
        );
        issued.push(res.body.sessionJwt);
      }
      const set = createLocalJWKSet((await jwks()) as never);
      for (const token of issued) await jwtVerify(token, set);
      const old = await call(s, 'POST', '/v1/auth/refresh', {
        auth: `${s.project}:${first.body.refreshJwt}`,
      });
      assert.equal(old.status, 200, 'a refresh token signed before the switch still refreshes');
    });

    test('an unknown algorithm is refused and changes nothing', async () => {
      const res = await mgmt(s, 'POST', '/v1/mgmt/project/settings', { signingAlgorithm: 'HS256' });
      assert.equal(res.status, 400);
      const settings = await mgmt<{ signingAlgorithm: string }>(s, 'GET', '/v1/mgmt/project/settings');
      assert.equal(settings.body.signingAlgorithm, 'EdDSA');
    });
  });
}
