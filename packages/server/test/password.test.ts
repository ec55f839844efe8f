import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { codeIn, lastMessage, tokensIn } from './support/outbox.ts';
import { call, mgmt, STORES, startTestServer, type TestServer } from './support/server.ts';

type Jwt = {
  sessionJwt: string;
  refreshJwt: string;
  user: { userId: string; email: string; status: string };
  firstSeen: boolean;
};
const claims = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString());

for (const store of STORES) {
  describe(`password authentication (${store})`, () => {
    let s: TestServer;
    before(async () => {
      s = await startTestServer(store);
    });
    after(() => s.close());

    test('sign-up returns a JWT response with DS/DSR claims, cookies and the new user', async () => {
      const res = await call<Jwt>(s, 'POST', '/v1/auth/password/signup', {
        auth: s.project,
        body: { loginId: 'ada@example.com', password: 'Str0ngPassword', user: { name: 'Ada' } },
      });
      assert.equal(res.status, 200);
      assert.equal(res.body.firstSeen, true);
      assert.equal(res.body.user.email, 'ada@example.com');
      assert.equal(res.body.user.status, 'enabled');
      const session = claims(res.body.sessionJwt);
      const refresh = claims(res.body.refreshJwt);
      assert.equal(session.drn, 'DS');
      assert.equal(refresh.drn, 'DSR');
      assert.equal(session.sub, res.body.user.userId);
      assert.deepEqual(session.amr, ['pwd']);
      assert.ok(session.iss.endsWith(`/${s.projectId}`));
      const cookies = res.headers.getSetCookie();
      assert.ok(cookies.some((c) => c.startsWith('DS=')));
      assert.ok(cookies.some((c) => c.startsWith('DSR=') && c.includes('HttpOnly')));
    });

    test('signing up the same login id twice is refused', async () => {
      const res = await call(s, 'POST', '/v1/auth/password/signup', {
        auth: s.project,
        body: { loginId: 'ada@example.com', password: 'Str0ngPassword' },
      });
      assert.equal(res.status, 400);
      assert.equal(res.body.errorCode, 'E062107');
    });

    test('a weak password is refused by policy and no user is created', async () => {
      const res = await call(s, 'POST', '/v1/auth/password/signup', {
        auth: s.project,
        body: { loginId: 'weak@example.com', password: 'short' },
      });
      assert.equal(res.status, 400);
      assert.equal(res.body.errorCode, 'E062902');
      const load = await mgmt(s, 'GET', '/v1/mgmt/user?loginId=weak@example.com');
      assert.equal(load.status, 404);
    });

    test('sign-in with the right password succeeds; a wrong one is 401 "Invalid signin credentials"', async () => {
      const ok = await call<Jwt>(s, 'POST', '/v1/auth/password/signin', {
        auth: s.project,
        body: { loginId: 'ada@example.com', password: 'Str0ngPassword' },
      });
      assert.equal(ok.status, 200);
      assert.equal(ok.body.firstSeen, false);
      const bad = await call(s, 'POST', '/v1/auth/password/signin', {
        auth: s.project,
        body: { loginId: 'ada@example.com', password: 'WrongPassword1' },
      });
      assert.equal(bad.status, 401);
      assert.match(JSON.stringify(bad.body), /"errorCode":"E062901"/);
      assert.match(String(bad.body.errorMessage), /Invalid signin credentials/);
      const unknown = await call(s, 'POST', '/v1/auth/password/signin', {
        auth: s.project,
        body: { loginId: 'nobody@example.com', password: 'WrongPassword1' },
      });
      assert.equal(unknown.status, 401);
      assert.equal(unknown.body.errorCode, bad.body.errorCode, 'unknown users look like wrong passwords');
    });

    test('login ids are case-insensitive: sign-in and duplicate checks ignore case', async () => {
      const up = await call<Jwt & { user: { loginIds: string[] } }>(s, 'POST', '/v1/auth/password/signup', {
        auth: s.project,
        body: { loginId: 'Grace@Example.COM', password: 'Str0ngPassword' },
      });
      assert.equal(up.status, 200);
      assert.deepEqual(up.body.user.loginIds, ['grace@example.com']);
      const signin = await call(s, 'POST', '/v1/auth/password/signin', {
        auth: s.project,
        body: { loginId: 'grace@EXAMPLE.com', password: 'Str0ngPassword' },
      });
      assert.equal(signin.status, 200);
      const again = await call(s, 'POST', '/v1/auth/password/signup', {
        auth: s.project,
        body: { loginId: 'GRACE@example.com', password: 'Str0ngPassword' },
      });
      assert.equal(again.body.errorCode, 'E062107');
      const load = await mgmt(s, 'GET', '/v1/mgmt/user?loginId=GRACE@EXAMPLE.COM');
      assert.equal(load.status, 200);
    });

    test('the policy endpoint reports the project policy', async () => {
      const res = await call(s, 'GET', '/v1/auth/password/policy', { auth: s.project });
      assert.deepEqual(res.body, {
        minLength: 8,
        lowercase: true,
        uppercase: true,
        number: true,
        nonAlphanumeric: false,
      });
    });

    test('replace sets a new password and signs in; the old one stops working', async () => {
      await call(s, 'POST', '/v1/auth/password/signup', {
        auth: s.project,
        body: { loginId: 'rep@example.com', password: 'Original1pw' },
      });
      const res = await call<Jwt>(s, 'POST', '/v1/auth/password/replace', {
        auth: s.project,
        body: { loginId: 'rep@example.com', oldPassword: 'Original1pw', newPassword: 'Replaced1pw' },
      });
      assert.equal(res.status, 200);
      assert.ok(res.body.sessionJwt);
      const old = await call(s, 'POST', '/v1/auth/password/signin', {
        auth: s.project,
        body: { loginId: 'rep@example.com', password: 'Original1pw' },
      });
      assert.equal(old.status, 401);
      const fresh = await call(s, 'POST', '/v1/auth/password/signin', {
        auth: s.project,
        body: { loginId: 'rep@example.com', password: 'Replaced1pw' },
      });
      assert.equal(fresh.status, 200);
    });

    test("update needs the user's own refresh token", async () => {
      const a = await call<Jwt>(s, 'POST', '/v1/auth/password/signup', {
        auth: s.project,
        body: { loginId: 'upd@example.com', password: 'Original1pw' },
      });
      const other = await call<Jwt>(s, 'POST', '/v1/auth/password/signup', {
        auth: s.project,
        body: { loginId: 'upd2@example.com', password: 'Original1pw' },
      });
      const noToken = await call(s, 'POST', '/v1/auth/password/update', {
        auth: s.project,
        body: { loginId: 'upd@example.com', newPassword: 'Updated1pw' },
      });
      assert.equal(noToken.status, 401);
      const mgmtKey = await call(s, 'POST', '/v1/auth/password/update', {
        auth: s.management,
        body: { loginId: 'upd@example.com', newPassword: 'Updated1pw' },
      });
      assert.equal(mgmtKey.status, 401, 'a management key never authorizes an auth call');
      const wrongUser = await call(s, 'POST', '/v1/auth/password/update', {
        auth: `${s.project}:${other.body.refreshJwt}`,
        body: { loginId: 'upd@example.com', newPassword: 'Updated1pw' },
      });
      assert.equal(wrongUser.status, 401);
      const ok = await call(s, 'POST', '/v1/auth/password/update', {
        auth: `${s.project}:${a.body.refreshJwt}`,
        body: { loginId: 'upd@example.com', newPassword: 'Updated1pw' },
      });
      assert.equal(ok.status, 200);
      assert.deepEqual(ok.body, {});
      const signin = await call(s, 'POST', '/v1/auth/password/signin', {
        auth: s.project,
        body: { loginId: 'upd@example.com', password: 'Updated1pw' },
      });
      assert.equal(signin.status, 200);
    });

    test('expired and temporary passwords fail with E062909 until replaced', async () => {
      await mgmt(s, 'POST', '/v1/mgmt/user/create', { loginId: 'temp@example.com', password: 'Initial1pw' });
      const first = await call(s, 'POST', '/v1/auth/password/signin', {
        auth: s.project,
        body: { loginId: 'temp@example.com', password: 'Initial1pw' },
      });
      assert.equal(first.status, 200, 'a password set at creation signs in');
      assert.equal(
        (await mgmt(s, 'POST', '/v1/mgmt/user/password/expire', { loginId: 'temp@example.com' })).status,
        200,
      );
      const expired = await call(s, 'POST', '/v1/auth/password/signin', {
        auth: s.project,
        body: { loginId: 'temp@example.com', password: 'Initial1pw' },
      });
      assert.equal(expired.status, 401);
      assert.equal(expired.body.errorCode, 'E062909');
      await mgmt(s, 'POST', '/v1/mgmt/user/password/set/temporary', {
        loginId: 'temp@example.com',
        password: 'Temporary1pw',
      });
      const temporary = await call(s, 'POST', '/v1/auth/password/signin', {
        auth: s.project,
        body: { loginId: 'temp@example.com', password: 'Temporary1pw' },
      });
      assert.equal(temporary.status, 401);
      assert.equal(temporary.body.errorCode, 'E062909');
      const oldFails = await call(s, 'POST', '/v1/auth/password/signin', {
        auth: s.project,
        body: { loginId: 'temp@example.com', password: 'Initial1pw' },
      });
      assert.equal(oldFails.status, 401);
      assert.match(String(oldFails.body.errorMessage), /Invalid signin credentials/);
      const replaced = await call(s, 'POST', '/v1/auth/password/replace', {
        auth: s.project,
        body: { loginId: 'temp@example.com', oldPassword: 'Temporary1pw', newPassword: 'Permanent1pw' },
      });
      assert.equal(replaced.status, 200);
      const signin = await call(s, 'POST', '/v1/auth/password/signin', {
        auth: s.project,
        body: { loginId: 'temp@example.com', password: 'Permanent1pw' },
      });
      assert.equal(signin.status, 200);
    });

    test('lockout after the configured number of failures; enabling the user unlocks', async () => {
      await mgmt(s, 'POST', '/v1/mgmt/password/settings', { lock: true, lockAttempts: 3 });
      await call(s, 'POST', '/v1/auth/password/signup', {
        auth: s.project,
        body: { loginId: 'lock@example.com', password: 'Correct1pw' },
      });
      for (let i = 0; i < 3; i++) {
        const r = await call(s, 'POST', '/v1/auth/password/signin', {
          auth: s.project,
          body: { loginId: 'lock@example.com', password: 'Wrong1pwxx' },
        });
        assert.equal(r.status, 401);
      }
      const locked = await call(s, 'POST', '/v1/auth/password/signin', {
        auth: s.project,
        body: { loginId: 'lock@example.com', password: 'Correct1pw' },
      });
      assert.equal(locked.status, 401);
      assert.equal(locked.body.errorCode, 'E062903');
      await mgmt(s, 'POST', '/v1/mgmt/user/update/status', {
        loginId: 'lock@example.com',
        status: 'enabled',
      });
      const unlocked = await call(s, 'POST', '/v1/auth/password/signin', {
        auth: s.project,
        body: { loginId: 'lock@example.com', password: 'Correct1pw' },
      });
      assert.equal(unlocked.status, 200);
      await mgmt(s, 'POST', '/v1/mgmt/password/settings', { lock: true, lockAttempts: 10 });
    });

    test('password reset by magic link: the link signs in, update sets the new password', async () => {
      await call(s, 'POST', '/v1/auth/password/signup', {
        auth: s.project,
        body: { loginId: 'forgetful@example.com', password: 'Original1pw' },
      });
      const res = await call(s, 'POST', '/v1/auth/password/reset', {
        auth: s.project,
        body: { loginId: 'forgetful@example.com', redirectUrl: 'http://localhost:3000/reset' },
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(res.body, { resetMethod: 'magiclink', maskedEmail: 'f****@e****.com' });
      const message = await lastMessage(s, 'forgetful@example.com');
      assert.equal(message?.kind, 'reset');
      const [token] = tokensIn(message);
      const session = await call<Jwt>(s, 'POST', '/v1/auth/magiclink/verify', {
        auth: s.project,
        body: { token },
      });
      assert.equal(session.status, 200);
      const update = await call(s, 'POST', '/v1/auth/password/update', {
        auth: `${s.project}:${session.body.refreshJwt}`,
        body: { loginId: 'forgetful@example.com', newPassword: 'Remembered1pw' },
      });
      assert.equal(update.status, 200);
      const old = await call(s, 'POST', '/v1/auth/password/signin', {
        auth: s.project,
        body: { loginId: 'forgetful@example.com', password: 'Original1pw' },
      });
      assert.equal(old.status, 401);
      const fresh = await call(s, 'POST', '/v1/auth/password/signin', {
        auth: s.project,
        body: { loginId: 'forgetful@example.com', password: 'Remembered1pw' },
      });
      assert.equal(fresh.status, 200);
      assert.equal(
        (await call(s, 'POST', '/v1/auth/magiclink/verify', { auth: s.project, body: { token } })).status,
        401,
        'single use',
      );
    });

    test('password reset by code when the project says so; unknown users are E062108', async () => {
      await mgmt(s, 'POST', '/v1/mgmt/project/settings', { passwordless: { passwordResetMethod: 'otp' } });
      try {
        const res = await call(s, 'POST', '/v1/auth/password/reset', {
          auth: s.project,
          body: { loginId: 'forgetful@example.com' },
        });
        assert.deepEqual(res.body, { resetMethod: 'otp', maskedEmail: 'f****@e****.com' });
        const code = codeIn(await lastMessage(s, 'forgetful@example.com'));
        const session = await call<Jwt>(s, 'POST', '/v1/auth/otp/verify/email', {
          auth: s.project,
          body: { loginId: 'forgetful@example.com', code },
        });
        assert.equal(session.status, 200);
        const unknown = await call(s, 'POST', '/v1/auth/password/reset', {
          auth: s.project,
          body: { loginId: 'nobody@example.com' },
        });
        assert.equal(unknown.status, 404);
        assert.equal(unknown.body.errorCode, 'E062108');
      } finally {
        await mgmt(s, 'POST', '/v1/mgmt/project/settings', {
          passwordless: { passwordResetMethod: 'magiclink' },
        });
      }
    });

    test('a disabled user cannot sign in', async () => {
      await call(s, 'POST', '/v1/auth/password/signup', {
        auth: s.project,
        body: { loginId: 'dis@example.com', password: 'Correct1pw' },
      });
      await mgmt(s, 'POST', '/v1/mgmt/user/update/status', {
        loginId: 'dis@example.com',
        status: 'disabled',
      });
      const res = await call(s, 'POST', '/v1/auth/password/signin', {
        auth: s.project,
        body: { loginId: 'dis@example.com', password: 'Correct1pw' },
      });
      assert.equal(res.status, 403);
      assert.equal(res.body.errorCode, 'E062904');
    });
  });
}
