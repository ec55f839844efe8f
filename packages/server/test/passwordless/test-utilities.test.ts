import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { messagesTo } from '../support/outbox.ts';
import { call, mgmt, STORES, startTestServer, type TestServer } from '../support/server.ts';

type Jwt = {
  sessionJwt: string;
  refreshJwt: string;
  firstSeen: boolean;
  user: { userId: string; email: string; verifiedEmail: boolean; test: boolean };
};
const claims = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString());

for (const store of STORES) {
  describe(`test-user utilities and embedded links (${store})`, () => {
    let s: TestServer;
    before(async () => {
      s = await startTestServer(store);
      await mgmt(s, 'POST', '/v1/mgmt/user/create/test', {
        loginId: 'tester@example.com',
        email: 'tester@example.com',
      });
      await mgmt(s, 'POST', '/v1/mgmt/user/create', {
        loginId: 'real@example.com',
        email: 'real@example.com',
      });
    });
    after(() => s.close());
    const post = <T = Record<string, unknown>>(path: string, body: unknown, auth = s.project) =>
      call<T>(s, 'POST', path, { auth, body });

    test('generated OTP: nothing is sent, the code verifies exactly once with the normal verify call', async () => {
      const gen = await mgmt<{ loginId: string; code: string }>(s, 'POST', '/v1/mgmt/tests/generate/otp', {
        loginId: 'tester@example.com',
        deliveryMethod: 'email',
      });
      assert.equal(gen.status, 200, JSON.stringify(gen.body));
      assert.equal(gen.body.loginId, 'tester@example.com');
      assert.match(gen.body.code, /^\d{6}$/);
      assert.equal(await messagesTo(s, 'tester@example.com'), 0, 'nothing sent');
      const ok = await post<Jwt>('/v1/auth/otp/verify/email', {
        loginId: 'tester@example.com',
        code: gen.body.code,
      });
      assert.equal(ok.status, 200);
      assert.equal(ok.body.user.test, true);
      assert.equal(
        (await post('/v1/auth/otp/verify/email', { loginId: 'tester@example.com', code: gen.body.code }))
          .status,
        401,
      );
    });

    test('"Embedded" codes verify on any method path', async () => {
      const gen = await mgmt<{ code: string }>(s, 'POST', '/v1/mgmt/tests/generate/otp', {
        loginId: 'tester@example.com',
        deliveryMethod: 'Embedded',
      });
      assert.equal(
        (await post('/v1/auth/otp/verify/sms', { loginId: 'tester@example.com', code: gen.body.code }))
          .status,
        200,
      );
    });

    test('generated magic link starts with the URI and works once', async () => {
      const gen = await mgmt<{ link: string }>(s, 'POST', '/v1/mgmt/tests/generate/magiclink', {
        loginId: 'tester@example.com',
        deliveryMethod: 'email',
        URI: 'http://localhost:3001/verify',
        loginOptions: { customClaims: { suite: 'e2e' } },
      });
      assert.match(gen.body.link, /^http:\/\/localhost:3001\/verify\?t=/);
      const token = new URL(gen.body.link).searchParams.get('t');
      const ok = await post<Jwt>('/v1/auth/magiclink/verify', { token });
      assert.equal(ok.status, 200);
      assert.equal(claims(ok.body.sessionJwt).suite, 'e2e');
      assert.equal((await post('/v1/auth/magiclink/verify', { token })).status, 401);
    });

    test('generated enchanted link: verify, then pending-session yields the session once', async () => {
      const gen = await mgmt<{ link: string; pendingRef: string }>(
        s,
        'POST',
        '/v1/mgmt/tests/generate/enchantedlink',
        {
          loginId: 'tester@example.com',
          URI: 'http://localhost:3001/verify',
        },
      );
      assert.equal(gen.status, 200, JSON.stringify(gen.body));
      assert.equal(
        (await post('/v1/auth/enchantedlink/pending-session', { pendingRef: gen.body.pendingRef })).status,
        401,
      );
      await post('/v1/auth/enchantedlink/verify', { token: new URL(gen.body.link).searchParams.get('t') });
      assert.equal(
        (await post('/v1/auth/enchantedlink/pending-session', { pendingRef: gen.body.pendingRef })).status,
        200,
      );
      assert.equal(
        (await post('/v1/auth/enchantedlink/pending-session', { pendingRef: gen.body.pendingRef })).status,
        401,
      );
    });

    test('generators refuse users that are not test users, and unknown users', async () => {
      const real = await mgmt(s, 'POST', '/v1/mgmt/tests/generate/otp', {
        loginId: 'real@example.com',
        deliveryMethod: 'email',
      });
      assert.equal(real.status, 400);
      const ghost = await mgmt(s, 'POST', '/v1/mgmt/tests/generate/otp', {
        loginId: 'ghost@example.com',
        deliveryMethod: 'email',
      });
      assert.equal(ghost.status, 404);
      const badMethod = await mgmt(s, 'POST', '/v1/mgmt/tests/generate/otp', {
        loginId: 'tester@example.com',
        deliveryMethod: 'fax',
      });
      assert.equal(badMethod.status, 400);
      const noKey = await call(s, 'POST', '/v1/mgmt/tests/generate/otp', {
        auth: s.project,
        body: { loginId: 'tester@example.com', deliveryMethod: 'email' },
      });
      assert.equal(noKey.status, 401);
    });

    test('embedded sign-in link: any user, custom claims in the session, single use, expires', async () => {
      const gen = await mgmt<{ token: string }>(s, 'POST', '/v1/mgmt/user/signin/embeddedlink', {
        loginId: 'real@example.com',
        customClaims: { org: 'acme', level: 3 },
      });
      assert.equal(gen.status, 200);
      const ok = await post<Jwt>('/v1/auth/magiclink/verify', { token: gen.body.token });
      assert.equal(ok.status, 200);
      const c = claims(ok.body.sessionJwt);
      assert.equal(c.org, 'acme');
      assert.equal(c.level, 3);
      assert.equal(
        claims(
          (await post<Jwt>('/v1/auth/refresh', {}, `${s.project}:${ok.body.refreshJwt}`)).body.sessionJwt,
        ).org,
        'acme',
      );
      assert.equal((await post('/v1/auth/magiclink/verify', { token: gen.body.token })).status, 401);
      const reserved = await mgmt(s, 'POST', '/v1/mgmt/user/signin/embeddedlink', {
        loginId: 'real@example.com',
        customClaims: { roles: ['admin'] },
      });
      assert.equal(reserved.status, 400, 'custom claims cannot forge roles');
      const expiring = await mgmt<{ token: string }>(s, 'POST', '/v1/mgmt/user/signin/embeddedlink', {
        loginId: 'real@example.com',
        timeout: 1,
      });
      await s.server.store.db
        .updateTable('one_time_secrets')
        .set({ expires_time: 1 })
        .where('project_id', '=', s.projectId)
        .where('kind', '=', 'embedded')
        .execute();
      assert.equal((await post('/v1/auth/magiclink/verify', { token: expiring.body.token })).status, 401);
    });

    test('embedded sign-up link creates the user on redemption with the vouched-for email', async () => {
      const gen = await mgmt<{ token: string }>(s, 'POST', '/v1/mgmt/user/signup/embeddedlink', {
        loginId: 'embedded-new@example.com',
        user: { name: 'Em Bed', email: 'embedded-new@example.com' },
        emailVerified: true,
        loginOptions: { customClaims: { source: 'invite' } },
      });
      assert.equal(gen.status, 200);
      assert.equal((await mgmt(s, 'GET', '/v1/mgmt/user?loginId=embedded-new@example.com')).status, 404);
      const ok = await post<Jwt>('/v1/auth/magiclink/verify', { token: gen.body.token });
      assert.equal(ok.status, 200);
      assert.equal(ok.body.firstSeen, true);
      assert.equal(ok.body.user.verifiedEmail, true);
      assert.equal(claims(ok.body.sessionJwt).source, 'invite');
      const dup = await mgmt(s, 'POST', '/v1/mgmt/user/signup/embeddedlink', {
        loginId: 'embedded-new@example.com',
      });
      assert.equal(dup.status, 400);
    });
  });
}
