import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ERROR_CODES, LatchkeyApiError } from '../src/index.ts';
import {
  codeIn,
  type Harness,
  lastMessage,
  outbox,
  rejection,
  STORES,
  startHarness,
  strongPassword,
  uniqueLogin,
} from './support/sdk.ts';

let phones = 0;
/** A fresh E.164 number per test (the store is fresh per suite, the counter keeps tests apart). */
const uniquePhone = () => `+1415555${String(1000 + ++phones).slice(-4)}`;
const other = (code: string) => (code === '000000' ? '111111' : '000000');

for (const store of STORES) {
  describe(`OTP through the SDK (${store})`, () => {
    let h: Harness;
    before(async () => {
      h = await startHarness(store);
      await h.client.management.project.configureSettings({ rateLimits: { enabled: false } });
    });
    after(() => h.close());

    test('email sign-up: masked address, the code from the message signs up once, with a verified email', async () => {
      const loginId = uniqueLogin('otp');
      const sent = await h.client.otp.signUp('email', loginId, { name: 'Otto Code' });
      assert.deepEqual(sent, { maskedEmail: `o****@e****.com` });
      const message = await lastMessage(h.server, loginId);
      assert.equal(message.channel, 'email');
      assert.equal(message.kind, 'otp');
      await rejection(h.client.management.user.load(loginId), LatchkeyApiError); // not before the code
      const code = codeIn(message);

      const res = await h.client.otp.verify('email', loginId, code);
      assert.equal(res.firstSeen, true);
      assert.equal(res.user?.email, loginId);
      assert.equal(res.user?.name, 'Otto Code');
      assert.equal(res.user?.verifiedEmail, true);
      const { token } = await h.client.validateSession(res.sessionJwt);
      assert.equal(token.sub, res.user?.userId);
      assert.deepEqual(token.amr, ['email']);
      assert.ok(res.refreshJwt);
      assert.equal((await h.client.me(res.refreshJwt)).email, loginId);

      const again = await rejection(h.client.otp.verify('email', loginId, code), LatchkeyApiError);
      assert.equal(again.status, 401);
      assert.equal(again.errorCode, ERROR_CODES.wrongCode);
    });

    test('sign-in: wrong codes are E061102, the right one works; too many wrong ones burn the code (E061103)', async () => {
      const loginId = uniqueLogin('otp-in');
      await h.client.otp.signUpOrIn('email', loginId);
      await h.client.otp.verify('email', loginId, codeIn(await lastMessage(h.server, loginId)));

      await h.backend.otp.signIn('email', loginId, { customClaims: { plan: 'pro' } });
      const code = codeIn(await lastMessage(h.server, loginId));
      const wrong = await rejection(h.client.otp.verify('email', loginId, other(code)), LatchkeyApiError);
      assert.equal(wrong.status, 401);
      assert.equal(wrong.errorCode, 'E061102');
      const res = await h.client.otp.verify('email', loginId, code);
      assert.equal(res.firstSeen, false);
      assert.equal((await h.client.validateSession(res.sessionJwt)).token.plan, 'pro');

      await h.client.otp.signIn('email', loginId);
      const fresh = codeIn(await lastMessage(h.server, loginId));
      const codes: string[] = [];
      for (let i = 0; i < 5; i++) {
        const err = await rejection(h.client.otp.verify('email', loginId, other(fresh)), LatchkeyApiError);
        codes.push(err.errorCode);
      }
      assert.deepEqual(codes, ['E061102', 'E061102', 'E061102', 'E061102', ERROR_CODES.tooManyAttempts]);
      await rejection(h.client.otp.verify('email', loginId, fresh), LatchkeyApiError);
    });

    test('sign-up of an existing login id is E062107, sign-in of an unknown one E062108, nothing is sent', async () => {
      const loginId = uniqueLogin('otp-dupe');
      await h.client.otp.signUp('email', loginId);
      await h.client.otp.verify('email', loginId, codeIn(await lastMessage(h.server, loginId)));
      const sentBefore = (await outbox(h.server, loginId)).length;
      const dupe = await rejection(h.client.otp.signUp('email', loginId), LatchkeyApiError);
      assert.equal(dupe.status, 400);
      assert.equal(dupe.errorCode, ERROR_CODES.userAlreadyExists);
      const ghost = uniqueLogin('ghost');
      const unknown = await rejection(h.client.otp.signIn('email', ghost), LatchkeyApiError);
      assert.equal(unknown.status, 404);
      assert.equal(unknown.errorCode, ERROR_CODES.authUserNotFound);
      assert.equal((await outbox(h.server, loginId)).length, sentBefore);
      assert.equal((await outbox(h.server, ghost)).length, 0);
    });

    test('SMS, voice and WhatsApp: the code goes to the phone by that channel and verifies on that method only', async () => {
      for (const method of ['sms', 'voice', 'whatsapp'] as const) {
        const phone = uniquePhone();
        const sent = await h.client.otp.signUpOrIn(method, phone);
        assert.deepEqual(sent, { maskedPhone: `+1*******${phone.slice(-3)}` });
        const message = await lastMessage(h.server, phone);
        assert.equal(message.channel, method);
        const code = codeIn(message);
        const elsewhere = method === 'sms' ? 'whatsapp' : 'sms';
        await rejection(h.client.otp.verify(elsewhere, phone, code), LatchkeyApiError);
        // the failed attempt above did not burn the code
        const res = await h.client.otp.verify(method, phone, code);
        assert.equal(res.user?.phone, phone);
        assert.equal(res.user?.verifiedPhone, true);
        assert.deepEqual((await h.client.validateSession(res.sessionJwt)).token.amr, [method]);
      }
    });

    test('step-up: needs the refresh JWT of the same user, and the session keeps the password factor', async () => {
      const loginId = uniqueLogin('otp-stepup');
      const pwd = await h.client.password.signUp(loginId, strongPassword);
      const without = await rejection(
        h.client.otp.signIn('email', loginId, { stepup: true }),
        LatchkeyApiError,
      );
      assert.equal(without.status, 401);
      assert.equal(without.errorCode, ERROR_CODES.missingRefreshToken);
      const stranger = await h.client.password.signUp(uniqueLogin('stranger'), strongPassword);
      await rejection(
        h.client.otp.signIn('email', loginId, { stepup: true }, stranger.refreshJwt),
        LatchkeyApiError,
      );
      await h.client.otp.signIn('email', loginId, { stepup: true }, pwd.refreshJwt);
      const raised = await h.client.otp.verify(
        'email',
        loginId,
        codeIn(await lastMessage(h.server, loginId)),
      );
      assert.deepEqual((await h.client.validateSession(raised.sessionJwt)).token.amr, ['pwd', 'email']);
    });

    test('updateEmail: authorized by the refresh JWT, applied only once the code from the new address is verified', async () => {
      const loginId = uniqueLogin('otp-mover');
      await h.client.otp.signUpOrIn('email', loginId);
      const session = await h.client.otp.verify(
        'email',
        loginId,
        codeIn(await lastMessage(h.server, loginId)),
      );
      const newEmail = uniqueLogin('otp-moved');
      const sent = await h.client.otp.updateEmail(loginId, newEmail, session.refreshJwt!, {
        addToLoginIDs: true,
      });
      assert.match(sent.maskedEmail, /^o\*\*\*\*@e\*\*\*\*\.com$/);
      assert.equal(
        (await h.client.management.user.load(loginId)).email,
        loginId,
        'unchanged before the code',
      );
      const code = codeIn(await lastMessage(h.server, newEmail));
      const res = await h.client.otp.verify('email', loginId, code);
      assert.equal(res.user?.email, newEmail);
      assert.deepEqual(res.user?.loginIds, [loginId, newEmail]);
      assert.equal((await h.client.management.user.load(newEmail)).userId, res.user?.userId);

      const stranger = await h.client.password.signUp(uniqueLogin('other'), strongPassword);
      const denied = await rejection(
        h.client.otp.updateEmail(loginId, uniqueLogin('hijack'), stranger.refreshJwt!),
        LatchkeyApiError,
      );
      assert.equal(denied.status, 401);
    });

    test('updatePhone: the code goes to the new number by the chosen channel; verifying sets a verified phone', async () => {
      const loginId = uniqueLogin('otp-phone');
      const session = await h.client.password.signUp(loginId, strongPassword);
      const phone = uniquePhone();
      const sent = await h.client.otp.updatePhone('whatsapp', loginId, phone, session.refreshJwt!);
      assert.deepEqual(sent, { maskedPhone: `+1*******${phone.slice(-3)}` });
      const message = await lastMessage(h.server, phone);
      assert.equal(message.channel, 'whatsapp');
      const res = await h.client.otp.verify('whatsapp', loginId, codeIn(message));
      assert.equal(res.user?.phone, phone);
      assert.equal(res.user?.verifiedPhone, true);
      assert.deepEqual(res.user?.loginIds, [loginId], 'not added as a login id unless asked');
      const invalid = await rejection(
        h.client.otp.updatePhone('sms', loginId, '555-0100', session.refreshJwt!),
        LatchkeyApiError,
      );
      assert.equal(invalid.status, 400);
    });

    test('custom claims may not set reserved claims, even with a key: refused up front (400 E011004), nothing is sent', async () => {
      const loginId = uniqueLogin('otp-forge');
      await h.client.otp.signUpOrIn('email', loginId);
      await h.client.otp.verify('email', loginId, codeIn(await lastMessage(h.server, loginId)));
      const sent = (await outbox(h.server, loginId)).length;
      for (const customClaims of [{ roles: ['admin'] }, { sub: 'someone-else' }]) {
        const starts = [
          h.backend.otp.signIn('email', loginId, { customClaims }),
          h.backend.magicLink.signIn('email', loginId, 'http://localhost:3000/verify', { customClaims }),
          h.backend.enchantedLink.signUpOrIn(loginId, undefined, { customClaims }),
        ];
        for (const start of starts) {
          const refused = await rejection(start, LatchkeyApiError);
          assert.equal(refused.status, 400, refused.message);
          assert.equal(refused.errorCode, ERROR_CODES.invalidArguments);
        }
      }
      assert.equal((await outbox(h.server, loginId)).length, sent);
    });

    test('an unknown delivery method is a TypeError before anything is sent', async () => {
      const client = h.newClient();
      await rejection(client.otp.signIn('pigeon' as 'email', uniqueLogin('x')), TypeError);
      await rejection(client.otp.verify('../../mgmt/user' as 'email', 'x', '123456'), TypeError);
      await rejection(
        client.otp.updatePhone('email' as 'sms', 'x', '+14155550100', 'refresh-token'),
        TypeError,
      );
      assert.equal(client.wire.calls.length, 0);
    });
  });
}
