import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ERROR_CODES, type JwtResponse, LatchkeyApiError } from '../src/index.ts';
import {
  type Harness,
  lastMessage,
  linksIn,
  outbox,
  rejection,
  STORES,
  startHarness,
  strongPassword,
  uniqueLogin,
} from './support/sdk.ts';

const REDIRECT = 'http://localhost:3000/verify';

/** Settles to 'pending' while the promise has not settled yet. */
const stateOf = (p: Promise<unknown>) =>
  Promise.race([
    p.then(
      () => 'resolved',
      () => 'rejected',
    ),
    new Promise((r) => setTimeout(() => r('pending'), 0)),
  ]);

for (const store of STORES) {
  describe(`magic links through the SDK (${store})`, () => {
    let h: Harness;
    before(async () => {
      h = await startHarness(store);
      await h.client.management.project.configureSettings({ rateLimits: { enabled: false } });
    });
    after(() => h.close());

    test('sign-up: the link points at the redirect URL with ?t=, verifies once, and creates a verified user', async () => {
      const loginId = uniqueLogin('ml');
      const sent = await h.client.magicLink.signUp('email', loginId, REDIRECT, { name: 'Mag Link' });
      assert.deepEqual(sent, { maskedEmail: 'm****@e****.com' });
      const message = await lastMessage(h.server, loginId);
      assert.equal(message.kind, 'magiclink');
      const [link] = linksIn(message);
      assert.ok(link?.url.startsWith(`${REDIRECT}?t=`), link?.url);

      const res = await h.client.magicLink.verify(link.token);
      assert.equal(res.firstSeen, true);
      assert.equal(res.user?.name, 'Mag Link');
      assert.equal(res.user?.verifiedEmail, true);
      assert.deepEqual((await h.client.validateSession(res.sessionJwt)).token.amr, ['email']);

      const again = await rejection(h.client.magicLink.verify(link.token), LatchkeyApiError);
      assert.equal(again.status, 401);
      assert.equal(again.errorCode, ERROR_CODES.invalidLink);
    });

    test('sign-in and sign-up-or-in; custom claims reach the session; a made-up token is refused', async () => {
      const loginId = uniqueLogin('ml-in');
      await h.client.magicLink.signUpOrIn('email', loginId, REDIRECT);
      const first = await h.client.magicLink.verify(linksIn(await lastMessage(h.server, loginId))[0]!.token);
      assert.equal(first.firstSeen, true);
      await h.backend.magicLink.signIn('email', loginId, REDIRECT, { customClaims: { team: 'blue' } });
      const res = await h.client.magicLink.verify(linksIn(await lastMessage(h.server, loginId))[0]!.token);
      assert.equal(res.firstSeen, false);
      assert.equal(res.user?.userId, first.user?.userId);
      assert.equal((await h.client.validateSession(res.sessionJwt)).token.team, 'blue');
      const forged = await rejection(h.client.magicLink.verify('A'.repeat(43)), LatchkeyApiError);
      assert.equal(forged.errorCode, ERROR_CODES.invalidLink);
      const unknown = await rejection(
        h.client.magicLink.signIn('email', uniqueLogin('ghost'), REDIRECT),
        LatchkeyApiError,
      );
      assert.equal(unknown.errorCode, ERROR_CODES.authUserNotFound);
    });

    test('by SMS and WhatsApp; a redirect URL outside the allowed origins is E011301 and nothing is sent', async () => {
      const phone = '+14155557001';
      const sent = await h.client.magicLink.signUpOrIn('sms', phone, REDIRECT);
      assert.deepEqual(sent, { maskedPhone: '+1*******001' });
      const message = await lastMessage(h.server, phone);
      assert.equal(message.channel, 'sms');
      const res = await h.client.magicLink.verify(linksIn(message)[0]!.token);
      assert.equal(res.user?.phone, phone);
      assert.equal(res.user?.verifiedPhone, true);
      await h.client.magicLink.signIn('whatsapp', phone, REDIRECT);
      assert.equal((await lastMessage(h.server, phone)).channel, 'whatsapp');

      const count = (await outbox(h.server, phone)).length;
      const refused = await rejection(
        h.client.magicLink.signIn('sms', phone, 'https://evil.example.net/steal'),
        LatchkeyApiError,
      );
      assert.equal(refused.status, 400);
      assert.equal(refused.errorCode, ERROR_CODES.redirectNotAllowed);
      assert.equal((await outbox(h.server, phone)).length, count);
      await rejection(h.client.magicLink.signIn('voice' as 'sms', phone, REDIRECT), TypeError);
    });

    test('the project default redirect URL is used when none is given', async () => {
      await h.client.management.project.configureSettings({
        passwordless: { defaultRedirectUrl: 'https://app.example.com/magic' },
      });
      const loginId = uniqueLogin('ml-default');
      await h.client.magicLink.signUp('email', loginId);
      const [link] = linksIn(await lastMessage(h.server, loginId));
      assert.ok(link?.url.startsWith('https://app.example.com/magic?t='), link?.url);
      assert.equal((await h.client.magicLink.verify(link.token)).user?.email, loginId);
    });

    test('updateEmail and updatePhone by magic link: applied when the new address proves itself', async () => {
      const loginId = uniqueLogin('ml-mover');
      const session = await h.client.password.signUp(loginId, strongPassword);
      const newEmail = uniqueLogin('ml-moved');
      const sent = await h.client.magicLink.updateEmail(loginId, newEmail, session.refreshJwt!, REDIRECT, {
        addToLoginIDs: true,
      });
      assert.deepEqual(sent, { maskedEmail: 'm****@e****.com' });
      assert.equal((await h.client.management.user.load(loginId)).email, loginId);
      const res = await h.client.magicLink.verify(linksIn(await lastMessage(h.server, newEmail))[0]!.token);
      assert.equal(res.user?.email, newEmail);
      assert.equal(res.user?.verifiedEmail, true);
      assert.deepEqual(res.user?.loginIds, [loginId, newEmail]);

      const phone = '+14155557002';
      const phoneSent = await h.client.magicLink.updatePhone(
        'sms',
        loginId,
        phone,
        res.refreshJwt!,
        REDIRECT,
      );
      assert.deepEqual(phoneSent, { maskedPhone: '+1*******002' });
      const updated = await h.client.magicLink.verify(linksIn(await lastMessage(h.server, phone))[0]!.token);
      assert.equal(updated.user?.phone, phone);
      assert.equal(updated.user?.verifiedPhone, true);
      const noToken = await rejection(
        h.client.magicLink.updateEmail(loginId, uniqueLogin('x'), 'not-a-refresh-jwt'),
        LatchkeyApiError,
      );
      assert.equal(noToken.status, 401);
    });
  });

  describe(`enchanted links through the SDK (${store})`, () => {
    let h: Harness;
    before(async () => {
      h = await startHarness(store);
      await h.client.management.project.configureSettings({ rateLimits: { enabled: false } });
    });
    after(() => h.close());

    const linksOf = async (to: string) => {
      const links = linksIn(await lastMessage(h.server, to));
      assert.equal(links.length, 3);
      return links;
    };

    test('waitForSession resolves only once the link with the shown number is verified, and only once', async () => {
      const loginId = uniqueLogin('el');
      const started = await h.client.enchantedLink.signUpOrIn(loginId, REDIRECT);
      assert.match(started.linkId, /^\d{2}$/);
      assert.equal(started.maskedEmail, 'e****@e****.com');
      assert.ok(started.pendingRef.length >= 20);
      const links = await linksOf(loginId);
      assert.deepEqual(new Set(links.map((l) => l.n)).size, 3);
      assert.ok(links.every((l) => l.url.startsWith(`${REDIRECT}?t=`)));

      const client = h.newClient();
      const waiting = client.enchantedLink.waitForSession(started.pendingRef, {
        intervalMs: 100,
        timeoutMs: 20_000,
      });
      await new Promise((r) => setTimeout(r, 450));
      assert.equal(await stateOf(waiting), 'pending');
      const polls = client.wire.count('/v1/auth/enchantedlink/pending-session');
      assert.ok(polls >= 3, `polled ${polls} times while pending`);

      await h.client.enchantedLink.verify(links.find((l) => l.n === started.linkId)!.token);
      const res: JwtResponse = await waiting;
      assert.equal(res.firstSeen, true);
      assert.equal(res.user?.email, loginId);
      assert.equal(res.user?.verifiedEmail, true);
      assert.equal((await h.client.validateSession(res.sessionJwt)).token.sub, res.user?.userId);

      const twice = await rejection(h.client.enchantedLink.getSession(started.pendingRef), LatchkeyApiError);
      assert.equal(twice.status, 401);
      assert.equal(twice.errorCode, ERROR_CODES.enchantedLinkPending);
    });

    test('a wrong link ends the attempt: the right one then fails too and the poller times out', async () => {
      const loginId = uniqueLogin('el-wrong');
      const signUp = await h.client.enchantedLink.signUp(loginId, REDIRECT, { name: 'Wrong Click' });
      await h.client.enchantedLink.verify((await linksOf(loginId)).find((l) => l.n === signUp.linkId)!.token);
      assert.equal((await h.client.enchantedLink.getSession(signUp.pendingRef)).user?.name, 'Wrong Click');
      const { linkId, pendingRef } = await h.client.enchantedLink.signIn(loginId, REDIRECT);
      const links = await linksOf(loginId);
      const wrong = await rejection(
        h.client.enchantedLink.verify(links.find((l) => l.n !== linkId)!.token),
        LatchkeyApiError,
      );
      assert.equal(wrong.status, 401);
      assert.equal(wrong.errorCode, ERROR_CODES.invalidLink);
      await rejection(
        h.client.enchantedLink.verify(links.find((l) => l.n === linkId)!.token),
        LatchkeyApiError,
      );
      const timedOut = await rejection(
        h.client.enchantedLink.waitForSession(pendingRef, { intervalMs: 100, timeoutMs: 400 }),
        DOMException,
      );
      assert.equal(timedOut.name, 'TimeoutError');
    });

    test('waitForSession stops when its signal aborts, and refuses bad options; other errors are thrown at once', async () => {
      const loginId = uniqueLogin('el-abort');
      const { pendingRef } = await h.client.enchantedLink.signUpOrIn(loginId, REDIRECT);
      const controller = new AbortController();
      const waiting = h.client.enchantedLink.waitForSession(pendingRef, {
        intervalMs: 100,
        signal: controller.signal,
      });
      setTimeout(() => controller.abort(new Error('user went away')), 250);
      assert.equal((await rejection<Error>(waiting)).message, 'user went away');
      await rejection(h.client.enchantedLink.waitForSession(pendingRef, { intervalMs: 5 }), TypeError);
      await rejection(h.client.enchantedLink.waitForSession(pendingRef, { timeoutMs: -1 }), TypeError);

      const unknownProject = h.newClient({ projectId: 'P2nosuchproject0000000000000' });
      const err = await rejection(
        unknownProject.enchantedLink.waitForSession(pendingRef, { intervalMs: 100, timeoutMs: 5_000 }),
        LatchkeyApiError,
      );
      assert.equal(err.errorCode, ERROR_CODES.unknownProject);
      assert.equal(unknownProject.wire.count('/v1/auth/enchantedlink/pending-session'), 1);
    });

    test('updateEmail by enchanted link: the poller gets a session with the new, verified address', async () => {
      const loginId = uniqueLogin('el-mover');
      const session = await h.client.password.signUp(loginId, strongPassword);
      const newEmail = uniqueLogin('el-moved');
      const started = await h.client.enchantedLink.updateEmail(
        loginId,
        newEmail,
        session.refreshJwt!,
        REDIRECT,
      );
      assert.equal(started.maskedEmail, 'e****@e****.com');
      const waiting = h.client.enchantedLink.waitForSession(started.pendingRef, {
        intervalMs: 100,
        timeoutMs: 20_000,
      });
      const links = await linksOf(newEmail);
      await h.client.enchantedLink.verify(links.find((l) => l.n === started.linkId)!.token);
      const res = await waiting;
      assert.equal(res.user?.email, newEmail);
      assert.equal(res.user?.verifiedEmail, true);
      assert.equal(res.user?.userId, session.user?.userId);
    });
  });
}
