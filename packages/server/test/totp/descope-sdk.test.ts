import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { claims, fails, ok, PASSWORD, type SdkServer, startSdkServer, uid } from '../descope-sdk/support.ts';
import { STORES } from '../support/server.ts';
import { awayFromStepEdge, codeFor } from './support.ts';

/** The wire flag is lowercase `totp` (Go's tag); the Node SDK's type says `TOTP` but passes the JSON through. */
const totpFlag = (user: object | undefined) => (user as Record<string, unknown> | undefined)?.totp;

/** The drop-in proof for TOTP: only the official `@descope/node-sdk` talks to the server. */
for (const store of STORES) {
  describe(`Descope SDK: TOTP (${store})`, () => {
    let t: SdkServer;
    before(async () => {
      t = await startSdkServer(store);
    });
    after(() => t.close());

    test('signUp → verify with a code from the key signs in once and not twice', async () => {
      const loginId = `${uid('totp')}@example.com`;
      const enrolled = await ok(t.auth.totp.signUp(loginId, { name: 'Ada Lovelace' }));
      assert.ok(enrolled.provisioningURL.startsWith('otpauth://totp/'));
      assert.ok(enrolled.image.length > 200);
      assert.match(enrolled.key, /^[A-Z2-7]{32}$/);

      const code = codeFor(enrolled.key);
      const res = await ok(t.auth.totp.verify(loginId, code));
      assert.ok(res.refreshJwt);
      assert.equal(res.firstSeen, true);
      assert.equal(totpFlag(res.user), true);
      assert.equal(res.user?.name, 'Ada Lovelace');
      const info = await t.auth.validateSession(res.sessionJwt);
      assert.equal(info.token.sub, res.user?.userId);
      assert.deepEqual(info.token.amr, ['totp']);
      await t.auth.validateJwt(res.refreshJwt);

      await fails(t.auth.totp.verify(loginId, code), 401, 'E061102');
      const me = await ok(t.auth.me(res.refreshJwt));
      assert.equal(me.email, loginId);
    });

    test('update replaces the key: the new one works, the old one does not', async () => {
      await awayFromStepEdge();
      const loginId = `${uid('rotate')}@example.com`;
      const first = await ok(t.auth.totp.signUp(loginId));
      const session = await ok(t.auth.totp.verify(loginId, codeFor(first.key, -1)));
      const rotated = await ok(t.auth.totp.update(loginId, session.refreshJwt));
      assert.notEqual(rotated.key, first.key);
      await fails(t.auth.totp.verify(loginId, codeFor(first.key)), 401, 'E061102');
      await ok(t.auth.totp.verify(loginId, codeFor(rotated.key)));
      await fails(t.auth.totp.update(loginId), 401);
    });

    test('step-up keeps the password factor and adds totp', async () => {
      const loginId = `${uid('stepup')}@example.com`;
      const pwd = await ok(t.auth.password.signUp(loginId, PASSWORD));
      const added = await ok(t.auth.totp.update(loginId, pwd.refreshJwt));
      const raised = await ok(
        t.auth.totp.verify(loginId, codeFor(added.key), { stepup: true }, pwd.refreshJwt),
      );
      assert.deepEqual(claims(raised.sessionJwt).amr, ['pwd', 'totp']);
    });

    test('management removeTOTPSeed turns totp off and stops the codes', async () => {
      const loginId = `${uid('remove')}@example.com`;
      const enrolled = await ok(t.auth.totp.signUp(loginId));
      assert.equal(totpFlag(await ok(t.mgmt.management.user.load(loginId))), true);
      await ok(t.mgmt.management.user.removeTOTPSeed(loginId));
      const user = await ok(t.mgmt.management.user.load(loginId));
      assert.equal(totpFlag(user), false);
      await fails(t.auth.totp.verify(loginId, codeFor(enrolled.key)), 401, 'E061102');
      await fails(t.mgmt.management.user.removeTOTPSeed(`${uid('ghost')}@example.com`), 404, 'E112102');
    });

    test('signUp of an existing login id is refused with E062107', async () => {
      const loginId = `${uid('dup')}@example.com`;
      await ok(t.auth.totp.signUp(loginId));
      await fails(t.auth.totp.signUp(loginId), 400, 'E062107');
    });
  });
}
