import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { STORES } from '../support/server.ts';
import { claims, fails, ok, PASSWORD, type SdkServer, startSdkServer, uid } from './support.ts';

for (const store of STORES) {
  describe(`Descope SDK: password authentication (${store})`, () => {
    let t: SdkServer;
    before(async () => {
      t = await startSdkServer(store);
    });
    after(() => t.close());

    test('signUp returns a verifiable session, a refresh token and the new user', async () => {
      const loginId = `${uid('ada')}@example.com`;
      const res = await ok(
        t.auth.password.signUp(loginId, PASSWORD, {
          name: 'Ada Lovelace',
          givenName: 'Ada',
          familyName: 'Lovelace',
        }),
      );
      assert.equal(res.firstSeen, true);
      assert.ok(res.user);
      assert.deepEqual(res.user.loginIds, [loginId]);
      assert.equal(res.user.email, loginId, 'an email login id becomes the email');
      assert.equal(res.user.name, 'Ada Lovelace');
      assert.equal(res.user.givenName, 'Ada');
      assert.equal(res.user.familyName, 'Lovelace');
      assert.equal(res.user.password, true);
      assert.ok(res.refreshJwt);
      assert.ok(
        (res.cookies ?? []).some((c) => c.startsWith(`DSR=${res.refreshJwt}`)),
        'the SDK builds the DSR cookie',
      );
      assert.equal(res.cookiePath, '/');
      assert.ok((res.cookieMaxAge ?? 0) > 0);
      assert.ok((res.cookieExpiration ?? 0) > Date.now() / 1000);
      assert.ok(res.sessionExpiration > Date.now() / 1000);
      assert.ok(
        res.sessionExpiration <= (res.cookieExpiration ?? 0),
        'the session ends before the refresh token',
      );

      const info = await t.auth.validateSession(res.sessionJwt);
      assert.equal(info.token.sub, res.user.userId);
      assert.equal(info.token.iss, t.s.projectId, 'the SDK accepted the issuer as this project');
      assert.equal(claims(res.sessionJwt).drn, 'DS');
      assert.deepEqual(claims(res.sessionJwt).amr, ['pwd']);
      assert.equal(claims(res.refreshJwt).drn, 'DSR');
      await t.auth.validateJwt(res.refreshJwt);
    });

    test('signUp of an existing login id is refused with E062107', async () => {
      const loginId = `${uid('dup')}@example.com`;
      await ok(t.auth.password.signUp(loginId, PASSWORD));
      await fails(t.auth.password.signUp(loginId, PASSWORD), 400, 'E062107');
    });

    test('policy reports the project policy, and signUp enforces it', async () => {
      const policy = await ok(t.auth.password.policy());
      assert.deepEqual(policy, {
        minLength: 8,
        lowercase: true,
        uppercase: true,
        number: true,
        nonAlphanumeric: false,
      });
      const loginId = `${uid('weak')}@example.com`;
      await fails(t.auth.password.signUp(loginId, 'Sh0rt'), 400, 'E062902');
      await fails(t.auth.password.signUp(loginId, 'alllowercase1'), 400, 'E062902');
      await fails(t.auth.password.signUp(loginId, 'NoDigitsHere'), 400, 'E062902');
      await fails(t.mgmt.management.user.load(loginId), 404, 'E112102');
    });

    test('management password settings drive the policy and the lockout', async () => {
      const settings = t.mgmt.management.password;
      const current = await ok(settings.getSettings(''));
      assert.equal(current.enabled, true);
      assert.equal(current.minLength, 8);
      assert.equal(current.nonAlphaNumeric, false, "the Node SDK's spelling is answered");
      assert.equal((current as { nonAlphanumeric?: boolean }).nonAlphanumeric, false, "and the Go SDK's");
      assert.equal(current.lock, true);
      assert.equal(current.lockAttempts, 10);
      assert.equal(current.reuse, false);

      // A read-modify-write, as an app would do it: the changed field is the Node SDK's spelling.
      const strict = { ...current, minLength: 10, nonAlphaNumeric: true, lockAttempts: 3 };
      await fails(settings.configureSettings(uid('tenant-'), strict), 400, 'E011004');
      await fails(settings.configureSettings('', { ...strict, reuse: true, reuseAmount: 3 }), 400, 'E011004');
      assert.deepEqual(await ok(settings.getSettings('')), current, 'refused settings change nothing');
      try {
        await ok(settings.configureSettings('', strict));
        const now = await ok(settings.getSettings(''));
        assert.equal(now.minLength, 10);
        assert.equal(now.nonAlphaNumeric, true);
        assert.equal(now.lockAttempts, 3);
        // A partial change (Go omits empty fields; JS callers may too) changes only what it names.
        type Settings = Parameters<typeof settings.configureSettings>[1];
        await ok(settings.configureSettings('', { expirationWeeks: 30 } as Settings));
        assert.deepEqual(await ok(settings.getSettings('')), { ...now, expirationWeeks: 30 });
        assert.deepEqual(await ok(t.auth.password.policy()), {
          minLength: 10,
          lowercase: true,
          uppercase: true,
          number: true,
          nonAlphanumeric: true,
        });
        const loginId = `${uid('strict')}@example.com`;
        await fails(t.auth.password.signUp(loginId, 'NoSymbols123'), 400, 'E062902');
        await fails(t.auth.password.signUp(loginId, 'Sh0rt!'), 400, 'E062902');
        await ok(t.auth.password.signUp(loginId, 'With-Symbol-123'));

        for (let i = 0; i < 3; i++) await fails(t.auth.password.signIn(loginId, 'Wrong-Symbol-123'), 401);
        await fails(t.auth.password.signIn(loginId, 'With-Symbol-123'), 401, 'E062903');
        await ok(t.mgmt.management.user.activate(loginId));
        await ok(t.auth.password.signIn(loginId, 'With-Symbol-123'));
      } finally {
        await ok(settings.configureSettings('', current));
      }
      assert.deepEqual(await ok(settings.getSettings('')), current);
    });

    test('signIn with the right password succeeds; a wrong password or unknown user is 401', async () => {
      const loginId = `${uid('sign')}@example.com`;
      const up = await ok(t.auth.password.signUp(loginId, PASSWORD));
      const res = await ok(t.auth.password.signIn(loginId, PASSWORD));
      assert.equal(res.firstSeen, false);
      assert.equal(res.user?.userId, up.user?.userId);
      const info = await t.auth.validateSession(res.sessionJwt);
      assert.equal(info.token.sub, up.user?.userId);
      assert.notEqual(res.refreshJwt, up.refreshJwt, 'every sign-in is its own session');

      const wrong = await fails(t.auth.password.signIn(loginId, 'Wrong-Passw0rd'), 401);
      assert.match(String(wrong.errorMessage), /Invalid signin credentials/);
      const unknown = await fails(t.auth.password.signIn(`${uid('nobody')}@example.com`, PASSWORD), 401);
      assert.equal(unknown.errorCode, wrong.errorCode, 'an unknown user looks like a wrong password');
    });

    test('signIn carries loginOptions.customClaims into the issued JWTs (a client with authManagementKey)', async () => {
      const loginId = `${uid('claims')}@example.com`;
      await fails(
        t.auth.password.signUp(loginId, PASSWORD, undefined, { customClaims: { plan: 'gold' } }),
        401,
        'E011103',
      );
      const up = await ok(
        t.backend.password.signUp(loginId, PASSWORD, undefined, { customClaims: { plan: 'gold' } }),
      );
      assert.equal((await t.backend.validateSession(up.sessionJwt)).token.plan, 'gold');
      await fails(
        t.auth.password.signIn(loginId, PASSWORD, { customClaims: { plan: 'silver' } }),
        401,
        'E011103',
      );
      const res = await ok(
        t.backend.password.signIn(loginId, PASSWORD, { customClaims: { plan: 'silver', seats: 3 } }),
      );
      const info = await t.backend.validateSession(res.sessionJwt);
      assert.equal(info.token.plan, 'silver');
      assert.equal(info.token.seats, 3);
      const refreshed = await t.backend.refreshSession(res.refreshJwt!);
      assert.equal(refreshed.token.plan, 'silver', 'custom claims survive a refresh');
    });

    test('replace swaps the password and signs in; the old password stops working', async () => {
      const loginId = `${uid('replace')}@example.com`;
      await ok(t.auth.password.signUp(loginId, PASSWORD));
      await fails(t.auth.password.replace(loginId, 'Not-The-0ld-One', 'Brand-New-Pass1'), 401);
      const res = await ok(t.auth.password.replace(loginId, PASSWORD, 'Brand-New-Pass1'));
      const info = await t.auth.validateSession(res.sessionJwt);
      assert.equal(info.token.sub, res.user?.userId);
      assert.ok(res.refreshJwt);
      await fails(t.auth.password.signIn(loginId, PASSWORD), 401);
      await ok(t.auth.password.signIn(loginId, 'Brand-New-Pass1'));
      await fails(t.auth.password.replace(loginId, 'Brand-New-Pass1', 'weak'), 400, 'E062902');
    });

    test("update sets a new password with the user's own refresh token", async () => {
      const loginId = `${uid('update')}@example.com`;
      const other = `${uid('other')}@example.com`;
      const mine = await ok(t.auth.password.signUp(loginId, PASSWORD));
      const theirs = await ok(t.auth.password.signUp(other, PASSWORD));

      await fails(t.auth.password.update(loginId, 'Updated-Passw0rd'), 401);
      await fails(t.auth.password.update(loginId, 'Updated-Passw0rd', theirs.refreshJwt), 401);
      await fails(t.auth.password.update(loginId, 'weak', mine.refreshJwt), 400, 'E062902');
      const res = await t.auth.password.update(loginId, 'Updated-Passw0rd', mine.refreshJwt);
      assert.equal(res.ok, true, JSON.stringify(res.error));
      assert.deepEqual(res.data, {});

      await fails(t.auth.password.signIn(loginId, PASSWORD), 401);
      await ok(t.auth.password.signIn(loginId, 'Updated-Passw0rd'));
      await ok(t.auth.password.signIn(other, PASSWORD));
    });

    test('an expired password fails with E062909 until it is replaced', async () => {
      const loginId = `${uid('expired')}@example.com`;
      await ok(t.auth.password.signUp(loginId, PASSWORD));
      await ok(t.mgmt.management.user.expirePassword(loginId));
      const expired = await fails(t.auth.password.signIn(loginId, PASSWORD), 401, 'E062909');
      assert.ok(expired.errorDescription);
      await ok(t.auth.password.replace(loginId, PASSWORD, 'After-Expiry-1'));
      await ok(t.auth.password.signIn(loginId, 'After-Expiry-1'));
    });

    test('a temporary password fails with E062909; the old one is gone; replace makes it usable', async () => {
      const loginId = `${uid('temp')}@example.com`;
      await ok(t.auth.password.signUp(loginId, PASSWORD));
      await ok(t.mgmt.management.user.setTemporaryPassword(loginId, 'Temporary-Pass1'));
      await fails(t.auth.password.signIn(loginId, 'Temporary-Pass1'), 401, 'E062909');
      const old = await fails(t.auth.password.signIn(loginId, PASSWORD), 401);
      assert.match(String(old.errorMessage), /Invalid signin credentials/);
      await ok(t.auth.password.replace(loginId, 'Temporary-Pass1', 'Permanent-Pass1'));
      await ok(t.auth.password.signIn(loginId, 'Permanent-Pass1'));
      // The deprecated setPassword sets a temporary password too.
      await ok(t.mgmt.management.user.setPassword(loginId, 'Deprecated-Pass1'));
      await fails(t.auth.password.signIn(loginId, 'Deprecated-Pass1'), 401, 'E062909');
      await fails(t.mgmt.management.user.setTemporaryPassword(loginId, 'weak'), 400, 'E062902');
    });

    test('setActivePassword gives a management-created user a password to sign in with', async () => {
      const loginId = `${uid('active')}@example.com`;
      const created = await ok(t.mgmt.management.user.create(loginId, { email: loginId }));
      assert.equal(created.password, false);
      await fails(t.auth.password.signIn(loginId, 'Active-Passw0rd'), 401);
      await fails(t.mgmt.management.user.setActivePassword(loginId, 'weak'), 400, 'E062902');
      await fails(
        t.mgmt.management.user.setActivePassword(`${uid('ghost')}@example.com`, 'Active-Passw0rd'),
        404,
        'E112102',
      );
      await ok(t.mgmt.management.user.setActivePassword(loginId, 'Active-Passw0rd'));
      const res = await ok(t.auth.password.signIn(loginId, 'Active-Passw0rd'));
      assert.equal(res.user?.userId, created.userId);
      assert.equal(res.user?.password, true);
      assert.equal(res.user?.status, 'enabled', 'an invited user is enabled by the first sign-in');
    });
  });
}
