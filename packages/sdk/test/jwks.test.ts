import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { decodeJwt, decodeProtectedHeader, generateKeyPair, SignJWT } from 'jose';
import { createLatchkeyClient, LatchkeySessionError, type SessionErrorReason } from '../src/index.ts';
import { type Harness, rejection, STORES, startHarness, strongPassword, uniqueLogin } from './support/sdk.ts';

const { privateKey: foreignKey } = await generateKeyPair('RS256');

async function reason(promise: Promise<unknown>): Promise<SessionErrorReason> {
  return (await rejection(promise, LatchkeySessionError)).reason;
}

for (const store of STORES) {
  describe(`local session validation against the server's JWKS (${store})`, () => {
    let h: Harness;
    let other: Harness;
    let jwksPath: string;
    const signIn = async () => {
      const loginId = uniqueLogin('jwks');
      return h.client.password.signUp(loginId, strongPassword);
    };
    /** A token with the project's claims, signed by a key the project never had. */
    const forged = (kid: string) =>
      new SignJWT({ sub: 'U1', drn: 'DS', iss: `${h.server.url}/${h.server.projectId}` })
        .setProtectedHeader({ alg: 'RS256', kid })
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(foreignKey);

    before(async () => {
      // Unknown kids wait for the cooldown; keep it short where a test is not about the cooldown.
      h = await startHarness(store, { jwksCooldownSeconds: 0.1 });
      other = await startHarness(store);
      jwksPath = `/v2/keys/${h.server.projectId}`;
    });
    after(async () => {
      await h.close();
      await other.close();
    });

    test('the JWKS is fetched once for many validations', async () => {
      const client = h.newClient();
      const tokens = await Promise.all([signIn(), signIn(), signIn()]);
      await Promise.all(
        tokens.flatMap((t) => Array.from({ length: 10 }, () => client.validateSession(t.sessionJwt))),
      );
      for (const t of tokens) await client.validateSession(t.sessionJwt);
      assert.equal(client.wire.count(jwksPath), 1);
    });

    test('a token signed with a newly rotated key triggers one refetch, even inside the cooldown', async () => {
      const client = h.newClient({ jwksCooldownSeconds: 1 });
      const before = await signIn();
      await client.validateSession(before.sessionJwt);
      assert.equal(client.wire.count(jwksPath), 1);
      await h.client.management.project.configureSettings({ signingAlgorithm: 'ES256' });
      try {
        const after = await signIn();
        const oldKid = decodeProtectedHeader(before.sessionJwt).kid;
        const newKid = decodeProtectedHeader(after.sessionJwt).kid;
        assert.notEqual(newKid, oldKid, 'the server rotated its signing key');
        const info = await client.validateSession(after.sessionJwt);
        assert.equal(info.token.sub, after.user?.userId);
        assert.equal(client.wire.count(jwksPath), 2, 'refetched once for the unknown kid');
        await client.validateSession(after.sessionJwt);
        await client.validateSession(before.sessionJwt);
        assert.equal(
          client.wire.count(jwksPath),
          2,
          'both keys now cached; the retired key is still published',
        );
      } finally {
        await h.client.management.project.configureSettings({ signingAlgorithm: 'RS256' });
      }
    });

    test('a flood of unknown kids costs one JWKS fetch per cooldown', async () => {
      const client = h.newClient({ jwksCooldownSeconds: 1 });
      await client.validateSession((await signIn()).sessionJwt);
      for (let burst = 0; burst < 2; burst++) {
        const bogus = await Promise.all(Array.from({ length: 25 }, () => forged(randomUUID())));
        const reasons = await Promise.all(bogus.map((t) => reason(client.validateSession(t))));
        assert.ok(reasons.every((r) => r === 'unknown-key'));
      }
      const fetches = client.wire.calls.filter((c) => c.path === jwksPath);
      assert.equal(fetches.length, 3, 'the first fetch plus one per burst');
      for (let i = 1; i < fetches.length; i++) {
        assert.ok(fetches[i]!.at - fetches[i - 1]!.at >= 950, 'fetches are at least a cooldown apart');
      }
    });

    test("another project's token, and a forged signature on this project's kid, are refused", async () => {
      const foreign = await other.client.password.signUp(uniqueLogin('foreign'), strongPassword);
      assert.ok(await other.client.validateSession(foreign.sessionJwt), 'valid for its own project');
      assert.equal(await reason(h.client.validateSession(foreign.sessionJwt)), 'unknown-key');
      assert.equal(await reason(h.client.refreshSession(foreign.refreshJwt)), 'unknown-key');
      const realKid = decodeProtectedHeader((await signIn()).sessionJwt).kid!;
      assert.equal(await reason(h.client.validateSession(await forged(realKid))), 'invalid-signature');
    });

    test('expiry is checked with the 5 s leeway, and an expired session is refreshed', async (t) => {
      await h.client.management.project.configureSettings({ sessionTokenExpiration: 60 });
      const res = await signIn();
      await h.client.management.project.configureSettings({ sessionTokenExpiration: 600 });
      const strict = h.newClient({ clockToleranceSeconds: 0 });
      await h.client.validateSession(res.sessionJwt);
      await strict.validateSession(res.sessionJwt);
      const { exp } = decodeJwt(res.sessionJwt);
      assert.ok(exp);

      t.mock.timers.enable({ apis: ['Date'], now: Date.now() });
      t.mock.timers.setTime((exp + 3) * 1000);
      assert.ok(await h.client.validateSession(res.sessionJwt), 'inside the leeway');
      assert.equal(await reason(strict.validateSession(res.sessionJwt)), 'expired');
      t.mock.timers.setTime((exp + 6) * 1000);
      assert.equal(await reason(h.client.validateSession(res.sessionJwt)), 'expired');
      const refreshed = await h.client.validateAndRefreshSession(res.sessionJwt, res.refreshJwt);
      assert.ok(refreshed.response, 'the expired session was refreshed');
      assert.ok((refreshed.token.exp as number) > exp + 6);
    });

    test('audience: a configured audience must be in the token', async () => {
      const client = h.newClient({ audience: 'billing-api' });
      assert.equal(await reason(client.validateSession((await signIn()).sessionJwt)), 'wrong-audience');
    });

    test('an unreachable JWKS is reported as keys-unavailable', async () => {
      const client = createLatchkeyClient({
        projectId: h.server.projectId,
        baseUrl: 'http://127.0.0.1:9',
        timeoutMs: 2000,
      });
      assert.equal(await reason(client.validateSession((await signIn()).sessionJwt)), 'keys-unavailable');
    });
  });
}
