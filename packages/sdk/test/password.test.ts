import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ERROR_CODES, LatchkeyApiError } from '../src/index.ts';
import {
  type Harness,
  lastMessage,
  linksIn,
  rejection,
  STORES,
  startHarness,
  strongPassword,
  uniqueLogin,
} from './support/sdk.ts';

for (const store of STORES) {
  describe(`password authentication through the SDK (${store})`, () => {
    let h: Harness;
    before(async () => {
      h = await startHarness(store);
    });
    after(() => h.close());

    test('sign-up returns tokens that validate locally, with the new user', async () => {
      const loginId = uniqueLogin('signup');
      const res = await h.client.password.signUp(loginId, strongPassword, { name: 'Ada Lovelace' });
      assert.equal(res.firstSeen, true);
      assert.equal(res.user?.email, loginId);
      assert.equal(res.user?.name, 'Ada Lovelace');
      assert.ok(res.refreshJwt);
      const { token } = await h.client.validateSession(res.sessionJwt);
      assert.equal(token.sub, res.user?.userId);
      assert.equal(token.drn, 'DS');
      assert.deepEqual(token.amr, ['pwd']);
      assert.ok(res.cookieMaxAge && res.cookieMaxAge > 0);
    });

    test('sign-up refusals carry the server error codes', async () => {
      const loginId = uniqueLogin('dupe');
      await h.client.password.signUp(loginId, strongPassword);
      const dupe = await rejection(h.client.password.signUp(loginId, strongPassword), LatchkeyApiError);
      assert.equal(dupe.status, 400);
      assert.equal(dupe.errorCode, ERROR_CODES.userAlreadyExists);
      const weak = await rejection(h.client.password.signUp(uniqueLogin('weak'), 'short'), LatchkeyApiError);
      assert.equal(weak.errorCode, 'E062902');
    });

    test('sign-in: right password works, a wrong one is 401 E062901 "Invalid signin credentials"', async () => {
      const loginId = uniqueLogin('signin');
      await h.client.password.signUp(loginId, strongPassword);
      const ok = await h.client.password.signIn(loginId, strongPassword);
      assert.equal(ok.firstSeen, false);
      assert.equal((await h.client.validateSession(ok.sessionJwt)).token.sub, ok.user?.userId);
      const bad = await rejection(h.client.password.signIn(loginId, 'Wr0ng-Passw0rd'), LatchkeyApiError);
      assert.equal(bad.status, 401);
      assert.equal(bad.errorCode, 'E062901');
      assert.match(bad.errorMessage, /Invalid signin credentials/);
      assert.match(bad.message, /E062901/);
    });

    test('custom claims from loginOptions end up in the validated session (a client with authManagementKey)', async () => {
      const loginId = uniqueLogin('claims');
      await h.client.password.signUp(loginId, strongPassword);
      const res = await h.backend.password.signIn(loginId, strongPassword, {
        customClaims: { plan: 'pro', seats: 3 },
      });
      const { token } = await h.client.validateSession(res.sessionJwt);
      assert.equal(token.plan, 'pro');
      assert.equal(token.seats, 3);
    });

    test('replace: the old password stops working, the new one signs in', async () => {
      const loginId = uniqueLogin('replace');
      await h.client.password.signUp(loginId, strongPassword);
      const res = await h.client.password.replace(loginId, strongPassword, 'N3w-Passw0rd');
      await h.client.validateSession(res.sessionJwt);
      await rejection(h.client.password.signIn(loginId, strongPassword), LatchkeyApiError);
      assert.ok((await h.client.password.signIn(loginId, 'N3w-Passw0rd')).sessionJwt);
    });

    test("update is authorized by the user's own refresh token only", async () => {
      const loginId = uniqueLogin('update');
      const mine = await h.client.password.signUp(loginId, strongPassword);
      const other = await h.client.password.signUp(uniqueLogin('other'), strongPassword);
      const wrongUser = await rejection(
        h.client.password.update(loginId, 'Upd4ted-Passw0rd', other.refreshJwt!),
        LatchkeyApiError,
      );
      assert.equal(wrongUser.status, 401);
      await h.client.password.update(loginId, 'Upd4ted-Passw0rd', mine.refreshJwt!);
      assert.ok((await h.client.password.signIn(loginId, 'Upd4ted-Passw0rd')).sessionJwt);
      await rejection(h.client.password.signIn(loginId, strongPassword), LatchkeyApiError);
    });

    test('policy follows the management password settings', async () => {
      const before = await h.client.password.policy();
      assert.deepEqual(before, {
        minLength: 8,
        lowercase: true,
        uppercase: true,
        number: true,
        nonAlphanumeric: false,
      });
      await h.client.management.password.configureSettings({ minLength: 12, nonAlphanumeric: true });
      assert.deepEqual(await h.client.password.policy(), { ...before, minLength: 12, nonAlphanumeric: true });
      const err = await rejection(
        h.client.password.signUp(uniqueLogin('policy'), 'Sh0rt-pass'),
        LatchkeyApiError,
      );
      assert.equal(err.errorCode, ERROR_CODES.passwordPolicy);
      await h.client.management.password.configureSettings({ minLength: 8, nonAlphanumeric: false });
    });

    test('sendReset: the reset link signs in, then update sets the new password', async () => {
      const loginId = uniqueLogin('reset');
      await h.client.password.signUp(loginId, strongPassword);
      const sent = await h.client.password.sendReset(loginId, 'http://localhost:3000/reset');
      assert.equal(sent.resetMethod, 'magiclink');
      assert.match(String(sent.maskedEmail), /^r\*{4}@e\*{4}\.com$/);
      const [link] = linksIn(await lastMessage(h.server, loginId));
      const session = await h.client.magicLink.verify(link!.token);
      await h.client.password.update(loginId, 'N3w-Passw0rd!', session.refreshJwt!);
      assert.ok((await h.client.password.signIn(loginId, 'N3w-Passw0rd!')).sessionJwt);
      const old = await rejection(h.client.password.signIn(loginId, strongPassword), LatchkeyApiError);
      assert.equal(old.status, 401);
      const foreign = await rejection(
        h.client.password.sendReset(loginId, 'https://evil.example.net/x'),
        LatchkeyApiError,
      );
      assert.equal(foreign.errorCode, ERROR_CODES.redirectNotAllowed);
    });

    test('an expired or temporary password fails with E062909 until replaced', async () => {
      const loginId = uniqueLogin('expire');
      await h.client.management.user.create(loginId, { password: strongPassword });
      assert.ok((await h.client.password.signIn(loginId, strongPassword)).sessionJwt);
      await h.client.management.user.expirePassword(loginId);
      assert.equal(
        (await rejection(h.client.password.signIn(loginId, strongPassword), LatchkeyApiError)).errorCode,
        'E062909',
      );
      await h.client.management.user.setTemporaryPassword(loginId, 'T3mporary-pw');
      assert.equal(
        (await rejection(h.client.password.signIn(loginId, 'T3mporary-pw'), LatchkeyApiError)).errorCode,
        'E062909',
      );
      await h.client.password.replace(loginId, 'T3mporary-pw', 'Perm4nent-pw');
      assert.ok((await h.client.password.signIn(loginId, 'Perm4nent-pw')).sessionJwt);
      await h.client.management.user.setActivePassword(loginId, 'Act1ve-Passw0rd');
      assert.ok((await h.client.password.signIn(loginId, 'Act1ve-Passw0rd')).sessionJwt);
    });
  });
}
