import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { codeIn, lastMessage, messagesTo } from '../support/outbox.ts';
import { call, mgmt, STORES, startTestServer, type TestServer } from '../support/server.ts';

type Jwt = {
  sessionJwt: string;
  refreshJwt: string;
  firstSeen: boolean;
  user: {
    userId: string;
    email: string;
    phone: string;
    verifiedEmail: boolean;
    verifiedPhone: boolean;
    loginIds: string[];
    status: string;
  };
};
const claims = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString());

for (const store of STORES) {
  describe(`OTP (${store})`, () => {
    let s: TestServer;
    before(async () => {
      s = await startTestServer(store);
      await mgmt(s, 'POST', '/v1/mgmt/project/settings', { rateLimits: { enabled: false } });
    });
    after(() => s.close());
    const post = <T = Record<string, unknown>>(path: string, body: unknown, auth = s.project) =>
      call<T>(s, 'POST', path, { auth, body });

    test('email sign-up: masked address, a code in the message, verify creates the user with a verified email', async () => {
      const res = await post('/v1/auth/otp/signup/email', {
        loginId: 'otp-user@example.com',
        user: { name: 'Otto' },
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(res.body, { maskedEmail: 'o****@e****.com' });
      const message = await lastMessage(s, 'otp-user@example.com');
      assert.equal(message?.kind, 'otp');
      assert.match(message!.text, /Otto/);
      const code = codeIn(message);
      assert.equal(
        (await mgmt(s, 'GET', '/v1/mgmt/user?loginId=otp-user@example.com')).status,
        404,
        'no user before verification',
      );
      const verified = await post<Jwt>('/v1/auth/otp/verify/email', {
        loginId: 'otp-user@example.com',
        code,
      });
      assert.equal(verified.status, 200);
      assert.equal(verified.body.firstSeen, true);
      assert.equal(verified.body.user.verifiedEmail, true);
      assert.equal(verified.body.user.email, 'otp-user@example.com');
      assert.deepEqual(claims(verified.body.sessionJwt).amr, ['email']);
    });

    test('a code works once; a wrong code is E061102; too many wrong guesses burn the code (E061103)', async () => {
      await post('/v1/auth/otp/signin/email', { loginId: 'otp-user@example.com' });
      const code = codeIn(await lastMessage(s, 'otp-user@example.com'));
      const wrong = code === '000000' ? '111111' : '000000';
      const bad = await post('/v1/auth/otp/verify/email', { loginId: 'otp-user@example.com', code: wrong });
      assert.equal(bad.status, 401);
      assert.equal(bad.body.errorCode, 'E061102');
      const ok = await post<Jwt>('/v1/auth/otp/verify/email', { loginId: 'otp-user@example.com', code });
      assert.equal(ok.status, 200);
      assert.equal(ok.body.firstSeen, false);
      const again = await post('/v1/auth/otp/verify/email', { loginId: 'otp-user@example.com', code });
      assert.equal(again.status, 401, 'single use');

      await post('/v1/auth/otp/signin/email', { loginId: 'otp-user@example.com' });
      const fresh = codeIn(await lastMessage(s, 'otp-user@example.com'));
      const guess = fresh === '000000' ? '111111' : '000000';
      const results = [];
      for (let i = 0; i < 5; i++)
        results.push(
          (await post('/v1/auth/otp/verify/email', { loginId: 'otp-user@example.com', code: guess })).body
            .errorCode,
        );
      assert.deepEqual(results, ['E061102', 'E061102', 'E061102', 'E061102', 'E061103']);
      const burned = await post('/v1/auth/otp/verify/email', {
        loginId: 'otp-user@example.com',
        code: fresh,
      });
      assert.equal(burned.status, 401, 'the right code no longer works once burned');
    });

    test('a new code retires the previous one', async () => {
      await post('/v1/auth/otp/signin/email', { loginId: 'otp-user@example.com' });
      const first = codeIn(await lastMessage(s, 'otp-user@example.com'));
      await post('/v1/auth/otp/signin/email', { loginId: 'otp-user@example.com' });
      const second = codeIn(await lastMessage(s, 'otp-user@example.com'));
      if (first !== second)
        assert.equal(
          (await post('/v1/auth/otp/verify/email', { loginId: 'otp-user@example.com', code: first })).status,
          401,
        );
      assert.equal(
        (await post('/v1/auth/otp/verify/email', { loginId: 'otp-user@example.com', code: second })).status,
        200,
      );
    });

    test('an expired code is refused', async () => {
      await mgmt(s, 'POST', '/v1/mgmt/project/settings', { passwordless: { otpExpirationSeconds: 30 } });
      await post('/v1/auth/otp/signin/email', { loginId: 'otp-user@example.com' });
      const code = codeIn(await lastMessage(s, 'otp-user@example.com'));
      await s.server.store.db
        .updateTable('one_time_secrets')
        .set({ expires_time: 1 })
        .where('project_id', '=', s.projectId)
        .where('kind', '=', 'otp')
        .execute();
      const res = await post('/v1/auth/otp/verify/email', { loginId: 'otp-user@example.com', code });
      assert.equal(res.status, 401);
      await mgmt(s, 'POST', '/v1/mgmt/project/settings', { passwordless: { otpExpirationSeconds: 300 } });
    });

    test('SMS, voice and WhatsApp sign-up-or-in go to the phone, masked', async () => {
      for (const method of ['sms', 'voice', 'whatsapp']) {
        const phone = `+1415555${method === 'sms' ? '0101' : method === 'voice' ? '0102' : '0103'}`;
        const res = await post(`/v1/auth/otp/signup-in/${method}`, { loginId: phone });
        assert.equal(res.status, 200, JSON.stringify(res.body));
        assert.equal(res.body.maskedPhone, `+1${'*'.repeat(phone.length - 5)}${phone.slice(-3)}`);
        const message = await lastMessage(s, phone);
        assert.equal(message?.channel, method);
        const ok = await post<Jwt>(`/v1/auth/otp/verify/${method}`, {
          loginId: phone,
          code: codeIn(message),
        });
        assert.equal(ok.status, 200);
        assert.equal(ok.body.user.phone, phone);
        assert.equal(ok.body.user.verifiedPhone, true);
      }
    });

    test('a code sent by SMS does not verify on the email path', async () => {
      await post('/v1/auth/otp/signin/sms', { loginId: '+14155550101' });
      const code = codeIn(await lastMessage(s, '+14155550101'));
      assert.equal((await post('/v1/auth/otp/verify/email', { loginId: '+14155550101', code })).status, 401);
    });

    test('bad input: unknown method, invalid phone or email, missing login id — 400 and nothing sent', async () => {
      const before = await messagesTo(s, 'not-an-email');
      for (const [path, body] of [
        ['/v1/auth/otp/signup/pigeon', { loginId: 'x@example.com' }],
        ['/v1/auth/otp/signup/sms', { loginId: '555-1234' }],
        ['/v1/auth/otp/signup/email', { loginId: 'someone', email: 'not-an-email' }],
        ['/v1/auth/otp/signup/email', { user: { name: 'no login id' } }],
        ['/v1/auth/otp/verify/email', { loginId: 'otp-user@example.com', code: 'abc' }],
      ] as const) {
        const res = await post(path, body);
        assert.equal(res.status, 400, `${path} ${JSON.stringify(body)} → ${res.status}`);
        assert.match(String(res.body.errorCode), /^E0\d{5}$/);
      }
      assert.equal(await messagesTo(s, 'not-an-email'), before);
      assert.equal(await messagesTo(s, '555-1234'), 0);
    });

    test('sign-up on an existing login id is E062107; sign-in of an unknown one is E062108', async () => {
      assert.equal(
        (await post('/v1/auth/otp/signup/email', { loginId: 'otp-user@example.com' })).body.errorCode,
        'E062107',
      );
      assert.equal(
        (await post('/v1/auth/otp/signin/email', { loginId: 'ghost@example.com' })).body.errorCode,
        'E062108',
      );
    });

    test('update email by OTP: authorized by the refresh token, applied after the code, optionally added as a login id', async () => {
      await post('/v1/auth/otp/signup-in/email', { loginId: 'mover@example.com' });
      const session = await post<Jwt>('/v1/auth/otp/verify/email', {
        loginId: 'mover@example.com',
        code: codeIn(await lastMessage(s, 'mover@example.com')),
      });
      const noToken = await post('/v1/auth/otp/update/email', {
        loginId: 'mover@example.com',
        email: 'moved@example.com',
      });
      assert.equal(noToken.status, 401);
      const sent = await post(
        '/v1/auth/otp/update/email',
        { loginId: 'mover@example.com', email: 'moved@example.com', addToLoginIDs: true },
        `${s.project}:${session.body.refreshJwt}`,
      );
      assert.deepEqual(sent.body, { maskedEmail: 'm****@e****.com' });
      const before = await mgmt<{ user: { email: string } }>(
        s,
        'GET',
        '/v1/mgmt/user?loginId=mover@example.com',
      );
      assert.equal(
        before.body.user.email,
        'mover@example.com',
        'nothing changes before the code is verified',
      );
      const done = await post<Jwt>('/v1/auth/otp/verify/email', {
        loginId: 'mover@example.com',
        code: codeIn(await lastMessage(s, 'moved@example.com')),
      });
      assert.equal(done.status, 200);
      assert.equal(done.body.user.email, 'moved@example.com');
      assert.deepEqual(done.body.user.loginIds, ['mover@example.com', 'moved@example.com']);
    });

    test('step-up needs the current refresh token and keeps its factors', async () => {
      await call(s, 'POST', '/v1/auth/password/signup', {
        auth: s.project,
        body: { loginId: 'stepper@example.com', password: 'Passw0rdXyz' },
      });
      const pwd = await call<Jwt>(s, 'POST', '/v1/auth/password/signin', {
        auth: s.project,
        body: { loginId: 'stepper@example.com', password: 'Passw0rdXyz' },
      });
      const without = await post('/v1/auth/otp/signin/email', {
        loginId: 'stepper@example.com',
        loginOptions: { stepup: true },
      });
      assert.equal(without.status, 401);
      await post(
        '/v1/auth/otp/signin/email',
        { loginId: 'stepper@example.com', loginOptions: { stepup: true } },
        `${s.project}:${pwd.body.refreshJwt}`,
      );
      const stepped = await post<Jwt>('/v1/auth/otp/verify/email', {
        loginId: 'stepper@example.com',
        code: codeIn(await lastMessage(s, 'stepper@example.com')),
      });
      assert.deepEqual(claims(stepped.body.sessionJwt).amr, ['pwd', 'email']);
    });
  });
}
