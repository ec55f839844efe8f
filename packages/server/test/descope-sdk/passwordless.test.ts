import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import DescopeClient from '@descope/node-sdk';
import { codeIn } from '../support/outbox.ts';
import { STORES } from '../support/server.ts';
import {
  claims,
  disableRateLimits,
  fails,
  inbox,
  linksIn,
  newestMessage,
  ok,
  PASSWORD,
  type SdkServer,
  startSdkServer,
  uid,
} from './support.ts';

/** The SDK's own names for the codes (`DescopeClient.DescopeErrors`): the server must send exactly these. */
const { wrongOTPCode, tooManyOTPAttempts, userNotFound } = DescopeClient.DescopeErrors;
const URI = 'http://localhost:3000/verify';

let phoneCounter = 0;
const newPhone = () => `+1415555${String(2000 + ++phoneCounter)}`;
const maskedPhone = (phone: string) => `+1${'*'.repeat(phone.length - 5)}${phone.slice(-3)}`;

for (const store of STORES) {
  describe(`Descope SDK: OTP (${store})`, () => {
    let t: SdkServer;
    before(async () => {
      t = await startSdkServer(store);
      await disableRateLimits(t.s);
    });
    after(() => t.close());

    test('newcomer: the code from the dev outbox signs the user in, with a session the SDK validates', async () => {
      const loginId = `${uid('newcomer')}@example.com`;
      const sent = await ok(t.auth.otp.signUpOrIn.email(loginId));
      assert.deepEqual(sent, { maskedEmail: 'n****@e****.com' });
      const message = await newestMessage(t.s, loginId);
      assert.equal(message.kind, 'otp');
      const res = await ok(t.auth.otp.verify.email(loginId, codeIn(message)));
      assert.equal(res.firstSeen, true);
      assert.ok(res.refreshJwt);
      assert.ok(
        (res.cookies ?? []).some((c) => c.startsWith(`DSR=${res.refreshJwt}`)),
        'the SDK builds the DSR cookie',
      );
      const info = await t.auth.validateSession(res.sessionJwt);
      assert.equal(info.token.sub, res.user?.userId);
      assert.deepEqual(info.token.amr, ['email']);
      assert.equal((await ok(t.auth.me(res.refreshJwt))).email, loginId);
    });

    test("email signUp → verify: single use; wrong codes and too many attempts use the SDK's error codes", async () => {
      const loginId = `${uid('otp')}@example.com`;
      await ok(t.auth.otp.signUp.email(loginId, { name: 'Otto Code' }));
      await fails(t.mgmt.management.user.load(loginId), 404, 'E112102'); // not before the code
      const code = codeIn(await newestMessage(t.s, loginId));
      const wrong = code === '000000' ? '111111' : '000000';
      await fails(t.auth.otp.verify.email(loginId, wrong), 401, wrongOTPCode);
      const res = await ok(t.auth.otp.verify.email(loginId, code));
      assert.equal(res.user?.name, 'Otto Code');
      assert.equal(res.user?.verifiedEmail, true);
      await fails(t.auth.otp.verify.email(loginId, code), 401, wrongOTPCode);

      await ok(t.auth.otp.signIn.email(loginId));
      const fresh = codeIn(await newestMessage(t.s, loginId));
      const guess = fresh === '000000' ? '111111' : '000000';
      for (let i = 0; i < 4; i++) await fails(t.auth.otp.verify.email(loginId, guess), 401, wrongOTPCode);
      await fails(t.auth.otp.verify.email(loginId, guess), 401, tooManyOTPAttempts);
      await fails(t.auth.otp.verify.email(loginId, fresh), 401, wrongOTPCode);
    });

    test("signUp of an existing user is E062107, signIn of an unknown one the SDK's userNotFound; nothing sent", async () => {
      const loginId = `${uid('dupe')}@example.com`;
      await ok(t.auth.otp.signUp.email(loginId));
      await ok(t.auth.otp.verify.email(loginId, codeIn(await newestMessage(t.s, loginId))));
      const count = (await inbox(t.s, loginId)).length;
      await fails(t.auth.otp.signUp.email(loginId), 400, 'E062107');
      const ghost = `${uid('ghost')}@example.com`;
      await fails(t.auth.otp.signIn.email(ghost), 404, userNotFound);
      assert.equal((await inbox(t.s, loginId)).length, count);
      assert.equal((await inbox(t.s, ghost)).length, 0);
    });

    test('SMS: signUp, signIn and signUpOrIn send masked codes to the phone; verify.sms signs in', async () => {
      const phone = newPhone();
      const sent = await ok(t.auth.otp.signUp.sms(phone, { name: 'Sam Ess' }));
      assert.deepEqual(sent, { maskedPhone: maskedPhone(phone) });
      const message = await newestMessage(t.s, phone);
      assert.equal(message.channel, 'sms');
      const first = await ok(t.auth.otp.verify.sms(phone, codeIn(message)));
      assert.equal(first.user?.phone, phone);
      assert.equal(first.user?.verifiedPhone, true);
      assert.deepEqual(claims(first.sessionJwt).amr, ['sms']);

      await ok(t.auth.otp.signIn.sms(phone));
      const code = codeIn(await newestMessage(t.s, phone));
      await fails(t.auth.otp.verify.email(phone, code), 401, wrongOTPCode); // an SMS code is for verify.sms
      const second = await ok(t.auth.otp.verify.sms(phone, code));
      assert.equal(second.firstSeen, false);
      assert.equal(second.user?.userId, first.user?.userId);

      await ok(t.auth.otp.signUpOrIn.sms(phone));
      assert.equal(
        (await ok(t.auth.otp.verify.sms(phone, codeIn(await newestMessage(t.s, phone))))).user?.userId,
        first.user?.userId,
      );
    });

    test('signIn with custom claims (a client with authManagementKey), and step-up on a password session (the SDK passes the refresh token)', async () => {
      const loginId = `${uid('stepup')}@example.com`;
      const pwd = await ok(t.auth.password.signUp(loginId, PASSWORD));
      const count = (await inbox(t.s, loginId)).length;
      await fails(t.auth.otp.signIn.email(loginId, { customClaims: { plan: 'pro' } }), 401, 'E011103');
      assert.equal((await inbox(t.s, loginId)).length, count, 'nothing sent without a key');
      await ok(t.backend.otp.signIn.email(loginId, { customClaims: { plan: 'pro' } }));
      const plain = await ok(t.auth.otp.verify.email(loginId, codeIn(await newestMessage(t.s, loginId))));
      assert.equal((await t.auth.validateSession(plain.sessionJwt)).token.plan, 'pro');

      await fails(t.auth.otp.signIn.email(loginId, { stepup: true }), 401);
      await ok(t.auth.otp.signIn.email(loginId, { stepup: true }, pwd.refreshJwt));
      const raised = await ok(t.auth.otp.verify.email(loginId, codeIn(await newestMessage(t.s, loginId))));
      assert.deepEqual((await t.auth.validateSession(raised.sessionJwt)).token.amr, ['pwd', 'email']);
    });

    test('update.email and update.phone.sms: the new address gets the code and is applied once it is verified', async () => {
      const loginId = `${uid('mover')}@example.com`;
      await ok(t.auth.otp.signUpOrIn.email(loginId));
      const session = await ok(t.auth.otp.verify.email(loginId, codeIn(await newestMessage(t.s, loginId))));
      const newEmail = `${uid('moved')}@example.com`;
      await fails(t.auth.otp.update.email(loginId, newEmail), 401);
      const sent = await ok(
        t.auth.otp.update.email(loginId, newEmail, session.refreshJwt, { addToLoginIDs: true }),
      );
      assert.deepEqual(sent, { maskedEmail: 'm****@e****.com' });
      assert.equal(
        (await ok(t.mgmt.management.user.load(loginId))).email,
        loginId,
        'unchanged before the code',
      );
      const moved = await ok(t.auth.otp.verify.email(loginId, codeIn(await newestMessage(t.s, newEmail))));
      assert.equal(moved.user?.email, newEmail);
      assert.deepEqual(moved.user?.loginIds, [loginId, newEmail]);

      const phone = newPhone();
      const phoneSent = await ok(t.auth.otp.update.phone.sms(loginId, phone, moved.refreshJwt));
      assert.deepEqual(phoneSent, { maskedPhone: maskedPhone(phone) });
      const withPhone = await ok(t.auth.otp.verify.sms(loginId, codeIn(await newestMessage(t.s, phone))));
      assert.equal(withPhone.user?.phone, phone);
      assert.equal(withPhone.user?.verifiedPhone, true);
      assert.equal((await ok(t.mgmt.management.user.load(loginId))).phone, phone);
    });
  });

  describe(`Descope SDK: magic link (${store})`, () => {
    let t: SdkServer;
    before(async () => {
      t = await startSdkServer(store);
      await disableRateLimits(t.s);
    });
    after(() => t.close());

    test('signUp.email → the link is URI?t=…; verify signs up once; a used link is E061104', async () => {
      const loginId = `${uid('ml')}@example.com`;
      const sent = await ok(t.auth.magicLink.signUp.email(loginId, URI, { name: 'Mag Link' }));
      assert.deepEqual(sent, { maskedEmail: 'm****@e****.com' });
      const [link] = linksIn(await newestMessage(t.s, loginId));
      assert.ok(link?.url.startsWith(`${URI}?t=`), link?.url);
      const res = await ok(t.auth.magicLink.verify(link.token));
      assert.equal(res.firstSeen, true);
      assert.equal(res.user?.name, 'Mag Link');
      assert.equal(res.user?.verifiedEmail, true);
      assert.ok((res.cookies ?? []).some((c) => c.startsWith('DSR=')));
      assert.equal((await t.auth.validateSession(res.sessionJwt)).token.sub, res.user?.userId);
      await fails(t.auth.magicLink.verify(link.token), 401, 'E061104');
    });

    test('signIn.email with custom claims (authManagementKey only); signUpOrIn.sms; a foreign redirect URL is E011301', async () => {
      const loginId = `${uid('ml-in')}@example.com`;
      await ok(t.auth.magicLink.signUpOrIn.email(loginId, URI));
      const first = await ok(t.auth.magicLink.verify(linksIn(await newestMessage(t.s, loginId))[0]!.token));
      await fails(
        t.auth.magicLink.signIn.email(loginId, URI, { customClaims: { team: 'blue' } }),
        401,
        'E011103',
      );
      await ok(t.backend.magicLink.signIn.email(loginId, URI, { customClaims: { team: 'blue' } }));
      const res = await ok(t.auth.magicLink.verify(linksIn(await newestMessage(t.s, loginId))[0]!.token));
      assert.equal(res.firstSeen, false);
      assert.equal(res.user?.userId, first.user?.userId);
      assert.equal((await t.auth.validateSession(res.sessionJwt)).token.team, 'blue');

      const phone = newPhone();
      assert.deepEqual(await ok(t.auth.magicLink.signUpOrIn.sms(phone, URI)), {
        maskedPhone: maskedPhone(phone),
      });
      const byPhone = await ok(t.auth.magicLink.verify(linksIn(await newestMessage(t.s, phone))[0]!.token));
      assert.equal(byPhone.user?.verifiedPhone, true);

      const count = (await inbox(t.s, loginId)).length;
      await fails(t.auth.magicLink.signIn.email(loginId, 'https://evil.example.net/steal'), 400, 'E011301');
      assert.equal((await inbox(t.s, loginId)).length, count, 'nothing sent');
    });

    test('update.email: the link to the new address applies it', async () => {
      const loginId = `${uid('ml-mover')}@example.com`;
      const session = await ok(t.auth.password.signUp(loginId, PASSWORD));
      const newEmail = `${uid('ml-moved')}@example.com`;
      const sent = await ok(
        t.auth.magicLink.update.email(loginId, newEmail, URI, session.refreshJwt, { addToLoginIDs: true }),
      );
      assert.deepEqual(sent, { maskedEmail: 'm****@e****.com' });
      assert.equal((await ok(t.mgmt.management.user.load(loginId))).email, loginId);
      const res = await ok(t.auth.magicLink.verify(linksIn(await newestMessage(t.s, newEmail))[0]!.token));
      assert.equal(res.user?.email, newEmail);
      assert.deepEqual(res.user?.loginIds, [loginId, newEmail]);
      await fails(t.auth.magicLink.update.email(loginId, `${uid('x')}@example.com`, URI), 401);
    });
  });
}
