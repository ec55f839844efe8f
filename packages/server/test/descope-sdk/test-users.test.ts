import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import DescopeClient from '@descope/node-sdk';
import { STORES } from '../support/server.ts';
import {
  claims,
  disableRateLimits,
  fails,
  inbox,
  ok,
  type SdkServer,
  startSdkServer,
  uid,
} from './support.ts';

const { wrongOTPCode } = DescopeClient.DescopeErrors;
const URI = 'http://localhost:3001/verify';
const tokenOf = (link: string) => new URL(link).searchParams.get('t')!;

for (const store of STORES) {
  describe(`Descope SDK: test-user codes and links, embedded links (${store})`, () => {
    let t: SdkServer;
    let tester: string;
    const users = () => t.mgmt.management.user;
    before(async () => {
      t = await startSdkServer(store);
      await disableRateLimits(t.s);
      tester = `${uid('tester')}@example.com`;
      await ok(users().createTestUser(tester, { email: tester, displayName: 'Tess Ter' }));
    });
    after(() => t.close());

    test('generateOTPForTestUser → otp.verify.email: nothing sent, single use, custom claims in the JWT', async () => {
      const generated = await ok(
        users().generateOTPForTestUser('email', tester, { customClaims: { suite: 'e2e' } }),
      );
      assert.equal(generated.loginId, tester);
      assert.match(generated.code, /^\d{6}$/);
      assert.equal((await inbox(t.s, tester)).length, 0, 'nothing sent');
      const res = await ok(t.auth.otp.verify.email(tester, generated.code));
      assert.equal(res.user?.test, true);
      const info = await t.auth.validateSession(res.sessionJwt);
      assert.equal(info.token.suite, 'e2e');
      assert.equal(claims(res.refreshJwt!).suite, 'e2e');
      await fails(t.auth.otp.verify.email(tester, generated.code), 401, wrongOTPCode);
    });

    test("generateOTPForTestUser('Embedded') verifies through otp.verify.sms", async () => {
      const { code } = await ok(users().generateOTPForTestUser('Embedded', tester));
      assert.equal((await ok(t.auth.otp.verify.sms(tester, code))).user?.email, tester);
    });

    test('generateMagicLinkForTestUser → magicLink.verify: the link starts with the URI, works once, carries claims', async () => {
      const { link } = await ok(
        users().generateMagicLinkForTestUser('email', tester, URI, { customClaims: { run: 7 } }),
      );
      assert.ok(link.startsWith(`${URI}?t=`), link);
      const res = await ok(t.auth.magicLink.verify(tokenOf(link)));
      assert.equal((await t.auth.validateSession(res.sessionJwt)).token.run, 7);
      await fails(t.auth.magicLink.verify(tokenOf(link)), 401, 'E061104');
    });

    test("generateEnchantedLinkForTestUser → enchantedLink.verify; the SDK's waitForSession gets the session", async () => {
      const generated = await ok(
        users().generateEnchantedLinkForTestUser(tester, URI, { customClaims: { via: 'el' } }),
      );
      assert.ok(generated.link.startsWith(`${URI}?t=`), generated.link);
      const waiting = t.auth.enchantedLink.waitForSession(generated.pendingRef, {
        pollingIntervalMs: 1000,
        timeoutMs: 10_000,
      });
      await ok(t.auth.enchantedLink.verify(tokenOf(generated.link)));
      const res = await ok(waiting);
      assert.equal(res.user?.email, tester);
      assert.equal((await t.auth.validateSession(res.sessionJwt)).token.via, 'el');
    });

    test('generators are for test users only: a real user is 400, an unknown one 404 E112102', async () => {
      const real = `${uid('real')}@example.com`;
      await ok(users().create(real, { email: real }));
      await fails(users().generateOTPForTestUser('email', real), 400);
      await fails(users().generateMagicLinkForTestUser('email', real, URI), 400);
      await fails(
        users().generateEnchantedLinkForTestUser(`${uid('ghost')}@example.com`, URI),
        404,
        'E112102',
      );
      await fails(t.auth.management.user.generateOTPForTestUser('email', tester), 401);
    });

    test('generateEmbeddedLink → magicLink.verify: any user, custom claims in the JWT and after refresh, single use', async () => {
      const loginId = `${uid('embedded')}@example.com`;
      await ok(users().create(loginId, { email: loginId }));
      const { token } = await ok(users().generateEmbeddedLink(loginId, { org: 'acme', level: 3 }, 120));
      const res = await ok(t.auth.magicLink.verify(token));
      assert.equal(res.user?.email, loginId);
      const info = await t.auth.validateSession(res.sessionJwt);
      assert.equal(info.token.org, 'acme');
      assert.equal(info.token.level, 3);
      const refreshed = await t.auth.refreshSession(res.refreshJwt!);
      assert.equal(refreshed.token.org, 'acme');
      await fails(t.auth.magicLink.verify(token), 401, 'E061104');
      await fails(users().generateEmbeddedLink(`${uid('ghost')}@example.com`), 404, 'E112102');
    });

    test('generateSignUpEmbeddedLink → magicLink.verify creates the user, with the vouched-for email and the claims', async () => {
      const loginId = `${uid('embedded-new')}@example.com`;
      const { token } = await ok(
        users().generateSignUpEmbeddedLink(loginId, { name: 'Em Bed', email: loginId }, true, false, {
          customClaims: { source: 'invite' },
        }),
      );
      await fails(users().load(loginId), 404, 'E112102');
      const res = await ok(t.auth.magicLink.verify(token));
      assert.equal(res.firstSeen, true);
      assert.equal(res.user?.name, 'Em Bed');
      assert.equal(res.user?.verifiedEmail, true);
      assert.equal((await t.auth.validateSession(res.sessionJwt)).token.source, 'invite');
      await fails(users().generateSignUpEmbeddedLink(loginId), 400, 'E112103');
    });
  });
}
