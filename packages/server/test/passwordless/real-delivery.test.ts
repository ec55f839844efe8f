import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  type HttpReceiver,
  type SmtpReceiver,
  startHttpReceiver,
  startSmtpReceiver,
  until,
} from '../delivery/support.ts';
import { call, mgmt, STORES, startTestServer, type TestServer } from '../support/server.ts';

type Jwt = { sessionJwt: string; user: { email: string; phone: string; verifiedEmail: boolean } };

/** The "done when": a real email reaches a real SMTP receiver with a code that signs the user in. */
for (const store of STORES) {
  describe(`passwordless over real providers (${store})`, () => {
    let s: TestServer;
    let smtp: SmtpReceiver;
    let sms: HttpReceiver;
    before(async () => {
      smtp = await startSmtpReceiver({ user: 'mailer', password: 'smtp-pass-Qe72' });
      sms = await startHttpReceiver();
      s = await startTestServer(store, { LATCHKEY_MODE: 'production' });
      const saved = await mgmt(s, 'POST', '/v1/mgmt/delivery/settings', {
        email: {
          provider: 'smtp',
          smtp: {
            host: '127.0.0.1',
            port: smtp.port,
            user: 'mailer',
            password: 'smtp-pass-Qe72',
            from: 'Latchkey <auth@latchkey.test>',
          },
        },
        text: {
          provider: 'webhook',
          webhook: { url: `${sms.url}/sms`, headers: { authorization: 'Bearer hook-secret' } },
        },
      });
      assert.equal(saved.status, 200, JSON.stringify(saved.body));
      await mgmt(s, 'POST', '/v1/mgmt/project/settings', {
        passwordless: { allowedRedirectOrigins: ['https://app.latchkey.test'] },
      });
    });
    after(async () => {
      await s.close();
      await smtp.close();
      await sms.close();
    });

    test('OTP by email: the code in the SMTP message signs the user in, once', async () => {
      const start = await call(s, 'POST', '/v1/auth/otp/signup-in/email', {
        auth: s.project,
        body: { loginId: 'smtp-user@example.com', user: { name: 'Mail Reader' } },
      });
      assert.equal(start.status, 200, JSON.stringify(start.body));
      const mail = await until(
        () => smtp.mails.find((m) => m.to.includes('smtp-user@example.com')),
        'the OTP email',
      );
      assert.match(mail.text, /Hello Mail Reader/);
      const code = /Your code is (\d{6})/.exec(mail.text)?.[1];
      assert.ok(code, mail.text);
      const verified = await call<Jwt>(s, 'POST', '/v1/auth/otp/verify/email', {
        auth: s.project,
        body: { loginId: 'smtp-user@example.com', code },
      });
      assert.equal(verified.status, 200);
      assert.equal(verified.body.user.verifiedEmail, true);
      assert.equal(
        (
          await call(s, 'POST', '/v1/auth/otp/verify/email', {
            auth: s.project,
            body: { loginId: 'smtp-user@example.com', code },
          })
        ).status,
        401,
      );
    });

    test('magic link by email: the link in the SMTP message signs in', async () => {
      await call(s, 'POST', '/v1/auth/magiclink/signin/email', {
        auth: s.project,
        body: { loginId: 'smtp-user@example.com', URI: 'https://app.latchkey.test/verify' },
      });
      const mail = await until(
        () => smtp.mails.filter((m) => m.to.includes('smtp-user@example.com')).at(1),
        'the link email',
      );
      const token = /https:\/\/app\.latchkey\.test\/verify\?t=([A-Za-z0-9]+)/.exec(mail.text)?.[1];
      assert.ok(token, mail.text);
      assert.equal(
        (await call(s, 'POST', '/v1/auth/magiclink/verify', { auth: s.project, body: { token } })).status,
        200,
      );
    });

    test('OTP by SMS: the code reaches the webhook receiver and signs in', async () => {
      await call(s, 'POST', '/v1/auth/otp/signup-in/sms', {
        auth: s.project,
        body: { loginId: '+14155550142' },
      });
      const request = await until(() => sms.requests.find((r) => r.path === '/sms'), 'the SMS webhook call');
      assert.equal(request.headers.authorization, 'Bearer hook-secret');
      const body = JSON.parse(request.body) as { to: string; body: string; channel: string };
      assert.equal(body.to, '+14155550142');
      assert.equal(body.channel, 'sms');
      const code = /(\d{6})/.exec(body.body)?.[1];
      const verified = await call<Jwt>(s, 'POST', '/v1/auth/otp/verify/sms', {
        auth: s.project,
        body: { loginId: '+14155550142', code },
      });
      assert.equal(verified.status, 200);
      assert.equal(verified.body.user.phone, '+14155550142');
    });

    test('production mode with a provider keeps nothing in the outbox', async () => {
      const outbox = await mgmt<{ messages: unknown[] }>(s, 'GET', '/v1/mgmt/outbox');
      assert.equal(outbox.status, 200);
      assert.deepEqual(outbox.body.messages, []);
    });
  });
}
