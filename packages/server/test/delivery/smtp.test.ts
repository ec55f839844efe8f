import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { mgmt, STORES, startTestServer, type TestServer } from '../support/server.ts';
import { type SmtpReceiver, selfSignedCertificate, startSmtpReceiver, until } from './support.ts';

type Settings = { email: { provider: string; smtp?: Record<string, unknown> } };

for (const store of STORES) {
  describe(`email through SMTP (${store})`, () => {
    let s: TestServer;
    let smtp: SmtpReceiver;
    const tls = selfSignedCertificate();
    const configure = (smtpSettings: Record<string, unknown>) =>
      mgmt<Settings>(s, 'POST', '/v1/mgmt/delivery/settings', {
        email: { provider: 'smtp', smtp: smtpSettings },
      });
    const sendTest = (body: Record<string, unknown>) =>
      mgmt(s, 'POST', '/v1/mgmt/delivery/test', { channel: 'email', to: 'ada@example.test', ...body });

    before(async () => {
      smtp = await startSmtpReceiver({ user: 'mailer', password: 'smtp-pass-Zq81' });
      s = await startTestServer(store);
    });
    after(async () => {
      // Latchkey first: its pooled SMTP connections close with it.
      await s.close();
      await smtp.close();
    });

    test('an OTP email arrives with the code, the name and the sender, authenticated', async () => {
      const saved = await configure({
        host: '127.0.0.1',
        port: smtp.port,
        user: 'mailer',
        password: 'smtp-pass-Zq81',
        from: 'Acme <no-reply@acme.test>',
      });
      assert.equal(saved.status, 200, JSON.stringify(saved.body));
      const res = await sendTest({ kind: 'otp', vars: { code: '735921', name: 'Ada Lovelace' } });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.provider, 'smtp');
      const mail = await until(() => smtp.mails.at(-1), 'the email');
      assert.deepEqual(mail.to, ['ada@example.test']);
      assert.equal(mail.from, 'no-reply@acme.test');
      assert.equal(mail.user, 'mailer');
      assert.match(mail.headers.from ?? '', /Acme <no-reply@acme\.test>/);
      assert.equal(mail.subject, 'Your sign-in code: 735921');
      assert.match(mail.text, /Hello Ada Lovelace,[\s\S]*Your code is 735921\. It expires in 5 minutes/);
      assert.match(mail.html, /<strong>735921<\/strong>/);
      assert.match(mail.html, /Hello Ada Lovelace/);
    });

    test('a magic link email carries a clickable link; names are escaped in HTML', async () => {
      const before = smtp.mails.length;
      const link = 'https://app.acme.test/verify?t=Tk123&r=%2Fhome';
      const res = await sendTest({ kind: 'magiclink', vars: { link, name: 'Zoë <b>' } });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const mail = await until(() => smtp.mails[before], 'the email');
      assert.equal(mail.subject, 'Your sign-in link');
      assert.ok(mail.text.includes(`Sign in with this link: ${link}`), mail.text);
      assert.ok(
        mail.html.includes('<a href="https://app.acme.test/verify?t=Tk123&amp;r=%2Fhome">'),
        mail.html,
      );
      assert.ok(mail.html.includes('Hello Zoë &lt;b&gt;,'), mail.html);
    });

    test("the project's own templates replace the built-in ones", async () => {
      const saved = await mgmt(s, 'POST', '/v1/mgmt/delivery/settings', {
        templates: {
          email: {
            otp: {
              subject: '{{appName}} code for {{name}}',
              text: 'Code: {{code}} ({{expiresInMinutes}} min)',
              html: '<h1>{{code}}</h1><p>{{name}}</p>',
            },
          },
        },
      });
      assert.equal(saved.status, 200, JSON.stringify(saved.body));
      const before = smtp.mails.length;
      const res = await sendTest({
        kind: 'otp',
        vars: { code: '246810', name: 'Grace' },
        templateOptions: { appName: 'Acme', code: '000000' },
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const mail = await until(() => smtp.mails[before], 'the email');
      assert.equal(mail.subject, 'Acme code for Grace');
      assert.equal(mail.text, 'Code: 246810 (5 min)');
      assert.equal(mail.html, '<h1>246810</h1><p>Grace</p>');
      // Other kinds keep the built-in template.
      const invite = await sendTest({
        kind: 'invite',
        vars: { link: 'https://acme.test/i?t=1', name: 'Grace' },
      });
      assert.equal(invite.status, 200);
      const inviteMail = await until(() => smtp.mails[before + 1], 'the invite');
      assert.equal(inviteMail.subject, 'You are invited');
      // null removes the override again.
      await mgmt(s, 'POST', '/v1/mgmt/delivery/settings', { templates: { email: { otp: null } } });
      await sendTest({ kind: 'otp', vars: { code: '135791' } });
      const plain = await until(() => smtp.mails[before + 2], 'the email');
      assert.equal(plain.subject, 'Your sign-in code: 135791');
    });

    test('reads mask the password; sending the mask back keeps it', async () => {
      const read = await mgmt<Settings>(s, 'GET', '/v1/mgmt/delivery/settings');
      assert.equal(read.status, 200);
      assert.equal(read.body.email.smtp?.password, '********');
      assert.equal(read.body.email.smtp?.user, 'mailer');
      assert.ok(!JSON.stringify(read.body).includes('smtp-pass-Zq81'));
      const back = await mgmt(s, 'POST', '/v1/mgmt/delivery/settings', read.body);
      assert.equal(back.status, 200, JSON.stringify(back.body));
      const before = smtp.mails.length;
      const res = await sendTest({ vars: { code: '112233' } });
      assert.equal(res.status, 200, 'the stored password still authenticates');
      await until(() => smtp.mails[before], 'the email');
    });

    test('a refused login is a 502 E011202 that names neither the password nor the reply', async () => {
      await configure({ password: 'wrong-pass-Yx72' });
      const res = await sendTest({ vars: { code: '999111' } });
      assert.equal(res.status, 502, JSON.stringify(res.body));
      assert.equal(res.body.errorCode, 'E011202');
      assert.match(String(res.body.errorMessage), /refused the credentials/);
      assert.ok(!JSON.stringify(res.body).includes('wrong-pass-Yx72'));
      await configure({ password: 'smtp-pass-Zq81' });
    });

    test('an unreachable server is a 502 E011202', async () => {
      const closed = await startSmtpReceiver();
      const port = closed.port;
      await closed.close();
      await configure({ port });
      const res = await sendTest({});
      assert.equal(res.status, 502);
      assert.equal(res.body.errorCode, 'E011202');
      await configure({ port: smtp.port });
    });

    test('implicit TLS: verified against the configured certificate, refused without it', async () => {
      const secure = await startSmtpReceiver({
        secure: true,
        tls,
        user: 'tls-user',
        password: 'tls-pass-Kw55',
      });
      try {
        const base = {
          host: '127.0.0.1',
          port: secure.port,
          secure: true,
          user: 'tls-user',
          from: 'a@acme.test',
        };
        await configure({ ...base, password: 'tls-pass-Kw55' });
        const untrusted = await sendTest({});
        assert.equal(untrusted.status, 502, 'a self-signed certificate is not trusted by default');
        assert.equal(untrusted.body.errorCode, 'E011202');
        const saved = await configure({ ca: tls.cert });
        assert.equal(saved.status, 200, JSON.stringify(saved.body));
        const res = await sendTest({ vars: { code: '424242' } });
        assert.equal(res.status, 200, JSON.stringify(res.body));
        const mail = await until(() => secure.mails[0], 'the email');
        assert.equal(mail.secure, true);
        assert.equal(mail.user, 'tls-user');
        assert.match(mail.text, /424242/);
      } finally {
        await configure({
          host: '127.0.0.1',
          port: smtp.port,
          secure: null,
          ca: null,
          user: 'mailer',
          password: 'smtp-pass-Zq81',
        });
        await secure.close();
      }
    });

    test('STARTTLS required: the message only leaves over TLS', async () => {
      const starttls = await startSmtpReceiver({ tls });
      const plain = await startSmtpReceiver();
      try {
        await configure({ port: starttls.port, requireTLS: true, ca: tls.cert, user: null, password: null });
        const res = await sendTest({ vars: { code: '868686' } });
        assert.equal(res.status, 200, JSON.stringify(res.body));
        const mail = await until(() => starttls.mails[0], 'the email');
        assert.equal(mail.secure, true);
        // A server that offers no STARTTLS is refused rather than sent to in clear.
        await configure({ port: plain.port });
        const refused = await sendTest({});
        assert.equal(refused.status, 502);
        assert.equal(plain.mails.length, 0);
      } finally {
        await configure({
          port: smtp.port,
          requireTLS: null,
          ca: null,
          user: 'mailer',
          password: 'smtp-pass-Zq81',
        });
        await starttls.close();
        await plain.close();
      }
    });
  });
}
