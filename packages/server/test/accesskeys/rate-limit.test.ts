import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertRateLimited, setRateLimits } from '../rate-limits/support.ts';
import { call, mgmt, STORES, startTestServer, type TestServer } from '../support/server.ts';

/** The exchange counts against the project's sign-in limit per client address, so keys cannot be guessed at speed. */
for (const store of STORES) {
  describe(`access-key exchange rate limit (${store})`, () => {
    let s: TestServer;
    before(async () => {
      s = await startTestServer(store);
    });
    after(() => s.close());

    test('over signInPerIp: 429 E130429 with Retry-After, wrong guesses included', async () => {
      const created = await mgmt<{ cleartext: string }>(s, 'POST', '/v1/mgmt/accesskey/create', {
        name: 'rl',
      });
      assert.equal(created.status, 200);
      await setRateLimits(s, { signInPerIp: { max: 3, windowSeconds: 60 } });
      const exchange = (key: string) =>
        call(s, 'POST', '/v1/auth/accesskey/exchange', { auth: `Bearer ${s.projectId}:${key}`, body: {} });
      assert.equal((await exchange('wrongGuess1')).status, 401);
      assert.equal((await exchange('wrongGuess2')).status, 401);
      assert.equal((await exchange(created.body.cleartext)).status, 200);
      assertRateLimited(await exchange(created.body.cleartext), 60);
      assertRateLimited(await exchange('wrongGuess3'), 60);
    });
  });
}
