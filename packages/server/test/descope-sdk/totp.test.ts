import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import DescopeClient from '@descope/node-sdk';
import { Secret, TOTP } from 'otpauth';
import { STORES } from '../support/server.ts';
import { disableRateLimits, fails, ok, type SdkServer, startSdkServer, uid } from './support.ts';

/** What an authenticator app shows for `key` (an independent RFC 6238 implementation, fed only the key). */
const codeFor = (key: string) => TOTP.generate({ secret: Secret.fromBase32(key) });

/** Leaves the last seconds of a 30-second step, so a computed code cannot go stale on its way. */
async function awayFromStepEdge(): Promise<void> {
  const left = 30_000 - (Date.now() % 30_000);
  if (left < 3_000) await new Promise((r) => setTimeout(r, left + 200));
}

// The TOTP suite (test/totp/descope-sdk.test.ts) covers the details; this is the journey an app takes.
for (const store of STORES) {
  describe(`Descope SDK: TOTP journey (${store})`, () => {
    let t: SdkServer;
    before(async () => {
      t = await startSdkServer(store);
      await disableRateLimits(t.s);
    });
    after(() => t.close());

    test('signUp → verify → me; update → only the new key works; removeTOTPSeed → no key works', async () => {
      await awayFromStepEdge();
      const loginId = `${uid('totp')}@example.com`;
      const enrolled = await ok(t.auth.totp.signUp(loginId, { name: 'Tot P', email: loginId }));
      assert.ok(enrolled.provisioningURL.startsWith('otpauth://totp/'));
      assert.equal(new URL(enrolled.provisioningURL).searchParams.get('secret'), enrolled.key);
      assert.ok(enrolled.image.length > 100);

      const res = await ok(t.auth.totp.verify(loginId, codeFor(enrolled.key)));
      assert.equal(res.firstSeen, true);
      assert.deepEqual((await t.auth.validateSession(res.sessionJwt)).token.amr, ['totp']);
      assert.equal((await ok(t.auth.me(res.refreshJwt))).email, loginId);

      const rotated = await ok(t.auth.totp.update(loginId, res.refreshJwt));
      assert.notEqual(rotated.key, enrolled.key);
      await fails(
        t.auth.totp.verify(loginId, codeFor(enrolled.key)),
        401,
        DescopeClient.DescopeErrors.wrongOTPCode,
      );
      await ok(t.auth.totp.verify(loginId, codeFor(rotated.key)));

      await ok(t.mgmt.management.user.removeTOTPSeed(loginId));
      // Latchkey sends `totp` lowercase (as Go reads it); the Node SDK's type spells it `TOTP` (reference §4.1).
      const user = (await ok(t.mgmt.management.user.load(loginId))) as unknown as Record<string, unknown>;
      assert.equal(user.totp, false);
      await fails(
        t.auth.totp.verify(loginId, codeFor(rotated.key)),
        401,
        DescopeClient.DescopeErrors.wrongOTPCode,
      );
    });
  });
}
