import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { call, mgmt, STORES, startTestServer, type TestServer } from '../support/server.ts';
import { assertRateLimited, PASSWORD, setRateLimits, signIn, signUp, statuses } from './support.ts';

/**
 * Brute-force protection on the password calls (docs/rate-limits.md). Every test gets a fresh server: the
 * per-address counters would otherwise carry over from one test to the next (all calls come from 127.0.0.1).
 */
for (const store of STORES) {
  describe(`rate limits on password calls (${store})`, () => {
    let s: TestServer;
    const extra: TestServer[] = [];
    beforeEach(async () => {
      s = await startTestServer(store);
    });
    afterEach(async () => {
      for (const x of extra.splice(0)) await x.close();
      await s.close();
    });

    test('a burst of sign-ins for one login id: the 11th is 429 E130429 with Retry-After (default 10/60 s)', async () => {
      const first = await statuses(10, () => signIn(s, 'victim@example.com', 'Guess1ng-pw'));
      assert.deepEqual(first, Array(10).fill(401));
      const res = await signIn(s, 'victim@example.com', 'Guess1ng-pw');
      assertRateLimited(res, 60);
      const raw = await fetch(`${s.url}/v1/auth/password/signin`, {
        method: 'POST',
        headers: { authorization: s.project, 'content-type': 'application/json' },
        body: JSON.stringify({ loginId: 'VICTIM@example.com', password: 'x' }),
      });
      assert.equal(raw.status, 429, 'login ids are counted case-insensitively');
      assert.match(
        await raw.text(),
        /^\{"errorCode":"E130429","errorDescription":"[^"]+","errorMessage":"[^"]+"\}$/,
      );
      const other = await signIn(s, 'someone-else@example.com', 'Guess1ng-pw');
      assert.equal(other.status, 401, 'other login ids are not affected');
    });

    test('over the limit even the right password is refused, until Retry-After has passed', async () => {
      const created = await mgmt(s, 'POST', '/v1/mgmt/user/create', {
        loginId: 'ada@example.com',
        password: PASSWORD,
      });
      assert.equal(created.status, 200, JSON.stringify(created.body));
      await setRateLimits(s, { signInPerLoginId: { max: 2, windowSeconds: 3 } });
      assert.deepEqual(await statuses(2, () => signIn(s, 'ada@example.com')), [200, 200]);
      const retryAfter = assertRateLimited(await signIn(s, 'ada@example.com'), 3);
      await new Promise((r) => setTimeout(r, retryAfter * 1000));
      assert.equal((await signIn(s, 'ada@example.com')).status, 200);
    });

    test('the per-address limit counts sign-ins for every login id from one client', async () => {
      await setRateLimits(s, { signInPerIp: { max: 5, windowSeconds: 60 } });
      const first = await statuses(5, (i) => signIn(s, `user${i}@example.com`, 'Guess1ng-pw'));
      assert.deepEqual(first, Array(5).fill(401));
      assertRateLimited(await signIn(s, 'fresh@example.com', 'Guess1ng-pw'), 60);
    });

    test('limits are per project and configurable: window and maximum apply as set', async () => {
      await setRateLimits(s, { signInPerLoginId: { max: 3, windowSeconds: 600 } });
      assert.deepEqual(await statuses(3, () => signIn(s, 'ada@example.com', 'Guess1ng-pw')), [401, 401, 401]);
      const retryAfter = assertRateLimited(await signIn(s, 'ada@example.com', 'Guess1ng-pw'), 600);
      assert.ok(retryAfter > 590, `Retry-After ${retryAfter} follows the 600 s window`);
      // A second project on the same store, served by this same instance, has counters of its own.
      const other = await startTestServer(store, {}, s.shared);
      extra.push(other);
      const res = await signIn(s, 'ada@example.com', 'Guess1ng-pw', other.project);
      assert.equal(res.status, 401);
    });

    test('enabled: false turns the limits off; turning them on again restores them', async () => {
      await setRateLimits(s, { enabled: false, signInPerLoginId: { max: 2 } });
      const open = await statuses(15, () => signIn(s, 'ada@example.com', 'Guess1ng-pw'));
      assert.deepEqual(open, Array(15).fill(401));
      await setRateLimits(s, { enabled: true });
      assert.deepEqual(await statuses(2, () => signIn(s, 'ada@example.com', 'Guess1ng-pw')), [401, 401]);
      assertRateLimited(await signIn(s, 'ada@example.com', 'Guess1ng-pw'), 60);
    });

    test('sign-up, sign-in and replace share the sign-in counter of a login id', async () => {
      await setRateLimits(s, { signInPerLoginId: { max: 3, windowSeconds: 60 } });
      await signUp(s, 'rep@example.com');
      const replace = () =>
        call(s, 'POST', '/v1/auth/password/replace', {
          auth: s.project,
          body: { loginId: 'rep@example.com', oldPassword: 'Wr0ng-password', newPassword: 'N3w-password!' },
        });
      assert.equal((await replace()).status, 401);
      assert.equal((await signIn(s, 'rep@example.com')).status, 200);
      assertRateLimited(await replace(), 60);
      const signup = await call(s, 'POST', '/v1/auth/password/signup', {
        auth: s.project,
        body: { loginId: 'rep@example.com', password: PASSWORD },
      });
      assertRateLimited(signup, 60);
    });

    test('password reset counts as a send, password update as a verify', async () => {
      await setRateLimits(s, {
        sendPerLoginId: { max: 2, windowSeconds: 60 },
        verifyPerLoginId: { max: 2, windowSeconds: 60 },
      });
      const { refreshJwt } = await signUp(s, 'reset@example.com');
      const reset = () =>
        call(s, 'POST', '/v1/auth/password/reset', {
          auth: s.project,
          body: { loginId: 'reset@example.com' },
        });
      for (let i = 0; i < 2; i++) assert.notEqual((await reset()).status, 429);
      assertRateLimited(await reset(), 60);
      const update = (n: number) =>
        call(s, 'POST', '/v1/auth/password/update', {
          auth: `${s.project}:${refreshJwt}`,
          body: { loginId: 'reset@example.com', newPassword: `N3w-password-${n}` },
        });
      assert.deepEqual([(await update(1)).status, (await update(2)).status], [200, 200]);
      assertRateLimited(await update(3), 60);
      assert.equal((await signIn(s, 'reset@example.com', 'N3w-password-2')).status, 200);
    });

    test('a request refused for bad input or a bad project is not counted and never answers 429', async () => {
      await setRateLimits(s, { signInPerLoginId: { max: 1, windowSeconds: 60 } });
      for (let i = 0; i < 3; i++) {
        const bad = await call(s, 'POST', '/v1/auth/password/signin', {
          auth: s.project,
          body: { loginId: 'ada@example.com' },
        });
        assert.equal(bad.status, 400);
        const unknownProject = await signIn(
          s,
          'ada@example.com',
          'Guess1ng-pw',
          'Bearer P0000000000000000000000000000',
        );
        assert.equal(unknownProject.status, 401);
      }
      assert.equal((await signIn(s, 'ada@example.com', 'Guess1ng-pw')).status, 401);
      assertRateLimited(await signIn(s, 'ada@example.com', 'Guess1ng-pw'), 60);
    });
  });
}
