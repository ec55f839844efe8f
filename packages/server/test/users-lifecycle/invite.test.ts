import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type SmtpReceiver, startSmtpReceiver, until } from '../delivery/support.ts';
import { disableRateLimits, inbox, ok, type SdkServer, startSdkServer, uid } from '../descope-sdk/support.ts';
import { mgmt, STORES } from '../support/server.ts';

type Invited = { user: { status: string; loginIds: string[] } };

/** Invitations: the user is created `invited` and an `invite` message with the invite URL is delivered. */
for (const store of STORES) {
  describe(`user invitations (${store})`, () => {
    let t: SdkServer;
    let smtp: SmtpReceiver;
    const users = () => t.mgmt.management.user;
    before(async () => {
      smtp = await startSmtpReceiver();
      t = await startSdkServer(store);
      await disableRateLimits(t.s);
    });
    after(async () => {
      await t.close();
      await smtp.close();
    });

    test('dev outbox: invite (Descope SDK) creates an invited user and an email with the invite URL', async () => {
      const email = `${uid('outbox-')}@example.test`;
      const user = await ok(
        users().invite(email, { email, displayName: 'Grace', inviteUrl: 'https://app.example.test/welcome' }),
      );
      assert.equal(user.status, 'invited');
      const [message] = await inbox(t.s, email);
      assert.ok(message, 'an invite message is in the outbox');
      assert.equal(message.kind, 'invite');
      assert.equal(message.channel, 'email');
      assert.match(message.text, /Hello Grace/);
      assert.ok(message.text.includes('https://app.example.test/welcome'), message.text);

      // sendSMS texts the phone too
      const phone = `+1415555${String(Math.floor(Math.random() * 10_000)).padStart(4, '0')}`;
      const texted = `${uid('sms-')}@example.test`;
      await ok(
        users().invite(texted, {
          email: texted,
          phone,
          inviteUrl: 'https://app.example.test/sms',
          sendSMS: true,
          sendMail: false,
        }),
      );
      const [sms] = await inbox(t.s, phone);
      assert.equal(sms?.channel, 'sms');
      assert.ok(sms?.text.includes('https://app.example.test/sms'));
      assert.deepEqual(await inbox(t.s, texted), [], 'sendMail: false');
    });

    test('SMTP: invite and inviteBatch deliver to the real SMTP receiver; sendMail false sends nothing', async () => {
      const saved = await mgmt(t.s, 'POST', '/v1/mgmt/delivery/settings', {
        email: {
          provider: 'smtp',
          smtp: { host: '127.0.0.1', port: smtp.port, from: 'Acme <no-reply@acme.test>' },
        },
      });
      assert.equal(saved.status, 200, JSON.stringify(saved.body));
      const email = `${uid('smtp-')}@example.test`;
      const res = await mgmt<Invited>(t.s, 'POST', '/v1/mgmt/user/create', {
        loginId: email,
        email,
        name: 'Ada',
        invite: true,
        inviteUrl: 'https://app.example.test/join',
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.user.status, 'invited');
      const mail = await until(() => smtp.mails.find((m) => m.to.includes(email)), 'the invite email');
      assert.equal(mail.subject, 'You are invited');
      assert.match(mail.text, /Hello Ada,[\s\S]*https:\/\/app\.example\.test\/join/);

      const [b1, b2, quiet] = [uid('b1-'), uid('b2-'), uid('quiet-')].map((p) => `${p}@example.test`) as [
        string,
        string,
        string,
      ];
      const batch = await ok(
        users().inviteBatch(
          [
            { loginIdOrUserId: b1, email: b1 },
            { loginIdOrUserId: b2, email: b2 },
          ],
          'https://app.example.test/batch',
          true,
        ),
      );
      assert.equal(batch.createdUsers.length, 2);
      assert.deepEqual(batch.failedUsers, []);
      for (const to of [b1, b2]) {
        const m = await until(() => smtp.mails.find((x) => x.to.includes(to)), `the invite to ${to}`);
        assert.ok(m.text.includes('https://app.example.test/batch'));
      }
      const count = smtp.mails.length;
      await ok(
        users().invite(quiet, { email: quiet, inviteUrl: 'https://app.example.test/x', sendMail: false }),
      );
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(smtp.mails.length, count, 'sendMail: false sends no email');
      assert.equal((await ok(users().load(quiet))).status, 'invited');
    });

    test('inviting by user id re-sends the invitation to the existing user (no new user)', async () => {
      const email = `${uid('again-')}@example.test`;
      const user = await ok(users().create(email, { email }));
      const res = await mgmt<Invited>(t.s, 'POST', '/v1/mgmt/user/create', {
        loginId: user.userId,
        invite: true,
        inviteUrl: 'https://app.example.test/again',
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(res.body.user.loginIds, [email]);
      const mail = await until(() => smtp.mails.find((m) => m.to.includes(email)), 'the re-invite');
      assert.ok(mail.text.includes('https://app.example.test/again'));
      const found = await ok(users().search({ emails: [email] }));
      assert.equal(found.users.length, 1);
    });

    test('an invite without any invite URL is refused with 400 and creates nothing', async () => {
      const email = `${uid('nourl-')}@example.test`;
      const res = await mgmt(t.s, 'POST', '/v1/mgmt/user/create', { loginId: email, email, invite: true });
      assert.equal(res.status, 400);
      assert.equal(res.body.errorCode, 'E011004');
      assert.equal(
        (await mgmt(t.s, 'GET', `/v1/mgmt/user?loginId=${encodeURIComponent(email)}`)).status,
        404,
      );
      const bad = await mgmt(t.s, 'POST', '/v1/mgmt/user/create', {
        loginId: email,
        email,
        invite: true,
        inviteUrl: 'not a url',
      });
      assert.equal(bad.status, 400);
    });
  });
}
