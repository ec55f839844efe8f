import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ERROR_CODES, LatchkeyApiError } from '../src/index.ts';
import {
  awayFromTotpStepEdge,
  type Harness,
  rejection,
  STORES,
  startHarness,
  strongPassword,
  totpCode,
  uniqueLogin,
} from './support/sdk.ts';

for (const store of STORES) {
  describe(`TOTP through the SDK (${store})`, () => {
    let h: Harness;
    before(async () => {
      h = await startHarness(store);
      await h.client.management.project.configureSettings({ rateLimits: { enabled: false } });
    });
    after(() => h.close());

    test('signUp answers the key three ways; a code computed from the key signs in once', async () => {
      await awayFromTotpStepEdge();
      const loginId = uniqueLogin('totp');
      const enrolled = await h.client.totp.signUp(loginId, { name: 'Tot P' });
      assert.match(enrolled.key, /^[A-Z2-7]+=*$/);
      const url = new URL(enrolled.provisioningURL);
      assert.equal(url.protocol, 'otpauth:');
      assert.equal(url.searchParams.get('secret'), enrolled.key);
      assert.ok(Buffer.from(enrolled.image, 'base64').subarray(1, 4).equals(Buffer.from('PNG')), 'a PNG');

      const code = totpCode(enrolled.key);
      const res = await h.client.totp.verify(loginId, code);
      assert.equal(res.firstSeen, true);
      assert.equal(res.user?.totp, true);
      assert.equal(res.user?.name, 'Tot P');
      assert.deepEqual((await h.client.validateSession(res.sessionJwt)).token.amr, ['totp']);
      const replay = await rejection(h.client.totp.verify(loginId, code), LatchkeyApiError);
      assert.equal(replay.status, 401);
      assert.equal(replay.errorCode, ERROR_CODES.wrongCode);
      const dupe = await rejection(h.client.totp.signUp(loginId), LatchkeyApiError);
      assert.equal(dupe.errorCode, ERROR_CODES.userAlreadyExists);
    });

    test('update replaces the key (the old one stops working) and needs the refresh JWT', async () => {
      await awayFromTotpStepEdge();
      const loginId = uniqueLogin('totp-rotate');
      const first = await h.client.totp.signUp(loginId);
      const session = await h.client.totp.verify(loginId, totpCode(first.key));
      const rotated = await h.client.totp.update(loginId, session.refreshJwt!);
      assert.notEqual(rotated.key, first.key);
      await rejection(h.client.totp.verify(loginId, totpCode(first.key)), LatchkeyApiError);
      assert.ok((await h.client.totp.verify(loginId, totpCode(rotated.key))).sessionJwt);
      const denied = await rejection(h.client.totp.update(loginId, 'not-a-refresh-jwt'), LatchkeyApiError);
      assert.equal(denied.status, 401);
    });

    test('step-up: an authenticator added to a password account raises the session to pwd + totp', async () => {
      await awayFromTotpStepEdge();
      const loginId = uniqueLogin('totp-stepup');
      const pwd = await h.client.password.signUp(loginId, strongPassword);
      const added = await h.client.totp.update(loginId, pwd.refreshJwt!);
      const raised = await h.client.totp.verify(
        loginId,
        totpCode(added.key),
        { stepup: true },
        pwd.refreshJwt,
      );
      assert.deepEqual((await h.client.validateSession(raised.sessionJwt)).token.amr, ['pwd', 'totp']);
    });

    test('management removeTotpSeed: totp is off and codes stop working; unknown users are 404', async () => {
      await awayFromTotpStepEdge();
      const loginId = uniqueLogin('totp-remove');
      const enrolled = await h.client.totp.signUp(loginId);
      assert.equal((await h.client.management.user.load(loginId)).totp, true);
      await h.client.management.user.removeTotpSeed(loginId);
      assert.equal((await h.client.management.user.load(loginId)).totp, false);
      const err = await rejection(h.client.totp.verify(loginId, totpCode(enrolled.key)), LatchkeyApiError);
      assert.equal(err.errorCode, ERROR_CODES.wrongCode);
      const ghost = await rejection(
        h.client.management.user.removeTotpSeed(uniqueLogin('ghost')),
        LatchkeyApiError,
      );
      assert.equal(ghost.errorCode, ERROR_CODES.managementUserNotFound);
    });
  });
}
