import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ERROR_CODES, LatchkeyApiError } from '../src/index.ts';
import { type Harness, outbox, rejection, STORES, startHarness, uniqueLogin } from './support/sdk.ts';

const REDIRECT = 'http://localhost:3001/verify';
const tokenOf = (link: string) => new URL(link).searchParams.get('t')!;

for (const store of STORES) {
  describe(`test-user codes and links, embedded links through the SDK (${store})`, () => {
    let h: Harness;
    let tester: string;
    const testUsers = () => h.client.management.testUsers;
    before(async () => {
      h = await startHarness(store);
      tester = uniqueLogin('tester');
      await h.client.management.user.createTestUser(tester, { email: tester, displayName: 'Tess Ter' });
    });
    after(() => h.close());

    test('generateOtp: nothing is sent; the code verifies once with otp.verify, custom claims included', async () => {
      const { loginId, code } = await testUsers().generateOtp('email', tester, {
        customClaims: { suite: 'e2e' },
      });
      assert.equal(loginId, tester);
      assert.match(code, /^\d{6}$/);
      assert.equal((await outbox(h.server, tester)).length, 0, 'nothing sent');
      const res = await h.client.otp.verify('email', tester, code);
      assert.equal(res.user?.test, true);
      const { token } = await h.client.validateSession(res.sessionJwt);
      assert.equal(token.suite, 'e2e');
      assert.deepEqual(token.amr, ['email']);
      const again = await rejection(h.client.otp.verify('email', tester, code), LatchkeyApiError);
      assert.equal(again.errorCode, ERROR_CODES.wrongCode);
    });

    test("an 'Embedded' code verifies on any method; a newer code retires the older one", async () => {
      const older = await testUsers().generateOtp('Embedded', tester);
      const newer = await testUsers().generateOtp('Embedded', tester);
      if (older.code !== newer.code)
        await rejection(h.client.otp.verify('sms', tester, older.code), LatchkeyApiError);
      assert.equal((await h.client.otp.verify('sms', tester, newer.code)).user?.email, tester);
    });

    test('generateMagicLink: a link to the redirect URL, verified once with magicLink.verify', async () => {
      const { link } = await testUsers().generateMagicLink('email', tester, REDIRECT, {
        customClaims: { run: 7 },
      });
      assert.ok(link.startsWith(`${REDIRECT}?t=`), link);
      const res = await h.client.magicLink.verify(tokenOf(link));
      assert.equal((await h.client.validateSession(res.sessionJwt)).token.run, 7);
      await rejection(h.client.magicLink.verify(tokenOf(link)), LatchkeyApiError);
    });

    test('generateEnchantedLink: verify the link, then the pendingRef yields the session once', async () => {
      const { link, pendingRef } = await testUsers().generateEnchantedLink(tester, REDIRECT);
      assert.ok(link.startsWith(`${REDIRECT}?t=`), link);
      const pending = await rejection(h.client.enchantedLink.getSession(pendingRef), LatchkeyApiError);
      assert.equal(pending.errorCode, ERROR_CODES.enchantedLinkPending);
      const waiting = h.client.enchantedLink.waitForSession(pendingRef, {
        intervalMs: 100,
        timeoutMs: 10_000,
      });
      await h.client.enchantedLink.verify(tokenOf(link));
      assert.equal((await waiting).user?.email, tester);
      await rejection(h.client.enchantedLink.getSession(pendingRef), LatchkeyApiError);
    });

    test('generators refuse real users (400) and unknown ones (404), and need the management key', async () => {
      const real = uniqueLogin('real');
      await h.client.management.user.create(real, { email: real });
      const notTest = await rejection(testUsers().generateOtp('email', real), LatchkeyApiError);
      assert.equal(notTest.status, 400);
      assert.equal(notTest.errorCode, ERROR_CODES.invalidArguments);
      const unknown = await rejection(
        testUsers().generateMagicLink('email', uniqueLogin('ghost'), REDIRECT),
        LatchkeyApiError,
      );
      assert.equal(unknown.status, 404);
      assert.equal(unknown.errorCode, ERROR_CODES.managementUserNotFound);
      const noKey = h.newClient({ managementKey: undefined });
      await rejection(noKey.management.testUsers.generateEnchantedLink(tester), TypeError);
    });

    test('generateEmbeddedLink: a token for any user, redeemed once by magicLink.verify, claims in the session', async () => {
      const loginId = uniqueLogin('embedded');
      await h.client.management.user.create(loginId, { email: loginId });
      const token = await h.client.management.user.generateEmbeddedLink(
        loginId,
        { org: 'acme', level: 3 },
        120,
      );
      assert.equal(typeof token, 'string');
      const res = await h.client.magicLink.verify(token);
      assert.equal(res.user?.email, loginId);
      const { token: claims } = await h.client.validateSession(res.sessionJwt);
      assert.equal(claims.org, 'acme');
      assert.equal(claims.level, 3);
      const refreshed = await h.client.refreshSession(res.refreshJwt);
      assert.equal(refreshed.token.org, 'acme', 'the claims survive a refresh');
      const again = await rejection(h.client.magicLink.verify(token), LatchkeyApiError);
      assert.equal(again.errorCode, ERROR_CODES.invalidLink);
      const forged = await rejection(
        h.client.management.user.generateEmbeddedLink(loginId, { roles: ['admin'] }),
        LatchkeyApiError,
      );
      assert.equal(forged.status, 400, 'custom claims cannot set roles');
      const ghost = await rejection(
        h.client.management.user.generateEmbeddedLink(uniqueLogin('ghost')),
        LatchkeyApiError,
      );
      assert.equal(ghost.errorCode, ERROR_CODES.managementUserNotFound);
    });

    test('generateSignUpEmbeddedLink: the user is created on redemption, with the vouched-for email', async () => {
      const loginId = uniqueLogin('embedded-new');
      const token = await h.client.management.user.generateSignUpEmbeddedLink(
        loginId,
        { name: 'Em Bed', email: loginId },
        { emailVerified: true, loginOptions: { customClaims: { source: 'invite' } } },
      );
      await rejection(h.client.management.user.load(loginId), LatchkeyApiError);
      const res = await h.client.magicLink.verify(token);
      assert.equal(res.firstSeen, true);
      assert.equal(res.user?.name, 'Em Bed');
      assert.equal(res.user?.verifiedEmail, true);
      assert.equal((await h.client.validateSession(res.sessionJwt)).token.source, 'invite');
      const dupe = await rejection(
        h.client.management.user.generateSignUpEmbeddedLink(loginId),
        LatchkeyApiError,
      );
      assert.equal(dupe.errorCode, ERROR_CODES.managementUserExists);
    });
  });
}
