import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type SdkServer, startSdkServer, uid } from '../descope-sdk/support.ts';
import { STORES } from '../support/server.ts';
import { setRateLimits } from './support.ts';

/** The official Node SDK surfaces a 429 as `error.retryAfter` (reference §5.2), read from `Retry-After`. */
for (const store of STORES) {
  describe(`rate limits through @descope/node-sdk (${store})`, () => {
    let d: SdkServer;
    before(async () => {
      d = await startSdkServer(store);
      await setRateLimits(d.s, { signInPerLoginId: { max: 3, windowSeconds: 120 } });
    });
    after(() => d.close());

    test('password.signIn past the limit fails with code 429, E130429 and error.retryAfter in seconds', async () => {
      const loginId = `${uid('burst')}@example.com`;
      for (let i = 0; i < 3; i++) {
        const res = await d.auth.password.signIn(loginId, 'Wr0ng-password');
        assert.equal(res.code, 401);
      }
      const res = await d.auth.password.signIn(loginId, 'Wr0ng-password');
      assert.equal(res.ok, false);
      assert.equal(res.code, 429);
      const error = res.error as { errorCode: string; errorDescription: string; retryAfter?: number };
      assert.equal(error.errorCode, 'E130429');
      assert.ok(error.errorDescription);
      const wire = d.calls.at(-1)!;
      assert.equal(wire.status, 429);
      assert.equal(error.retryAfter, Number(wire.responseHeaders.get('retry-after')));
      assert.ok(Number.isInteger(error.retryAfter) && error.retryAfter! > 60 && error.retryAfter! <= 120);
    });

    test('password.signUp for a login id over the limit is refused the same way', async () => {
      const loginId = `${uid('signup')}@example.com`;
      for (let i = 0; i < 3; i++) await d.auth.password.signIn(loginId, 'Wr0ng-password');
      const res = await d.auth.password.signUp(loginId, 'Corr3ct-Horse-Battery');
      assert.equal(res.code, 429);
      assert.ok((res.error as { retryAfter?: number }).retryAfter! > 0);
    });
  });
}
