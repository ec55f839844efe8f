import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import DescopeClient from '@descope/node-sdk';
import { STORES } from '../support/server.ts';
import {
  disableRateLimits,
  fails,
  linksIn,
  newestMessage,
  ok,
  PASSWORD,
  type SdkServer,
  startSdkServer,
  uid,
} from './support.ts';

const { enchantedLinkPending } = DescopeClient.DescopeErrors;
const URI = 'http://localhost:3000/verify';
const PENDING_SESSION = '/v1/auth/enchantedlink/pending-session';

/** 'pending' while the promise has not settled. */
const stateOf = (p: Promise<unknown>) =>
  Promise.race([p.then(() => 'settled'), new Promise((r) => setTimeout(() => r('pending'), 0))]);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

for (const store of STORES) {
  describe(`Descope SDK: enchanted link (${store})`, () => {
    let t: SdkServer;
    before(async () => {
      t = await startSdkServer(store);
      await disableRateLimits(t.s);
    });
    after(() => t.close());

    const linksTo = async (to: string) => {
      const links = linksIn(await newestMessage(t.s, to));
      assert.equal(links.length, 3, 'three links');
      assert.equal(new Set(links.map((l) => l.n)).size, 3, 'numbered differently');
      return links;
    };
    const pendingPolls = () => t.calls.filter((c) => c.path === PENDING_SESSION);

    test("signUpOrIn → the SDK's waitForSession keeps polling and resolves only after the right link is verified", async () => {
      const loginId = `${uid('el')}@example.com`;
      const started = await ok(t.auth.enchantedLink.signUpOrIn(loginId, URI));
      assert.match(started.linkId, /^\d{2}$/);
      assert.equal(started.maskedEmail, 'e****@e****.com');
      const links = await linksTo(loginId);
      assert.ok(links.every((l) => l.url.startsWith(`${URI}?t=`)));

      const before = pendingPolls().length;
      const waiting = t.auth.enchantedLink.waitForSession(started.pendingRef, {
        pollingIntervalMs: 1000,
        timeoutMs: 20_000,
      });
      await sleep(2_300);
      assert.equal(await stateOf(waiting), 'pending');
      const polls = pendingPolls().slice(before);
      assert.ok(polls.length >= 2, `polled ${polls.length} times`);
      for (const poll of polls) {
        assert.equal(poll.status, 401);
        assert.equal(JSON.parse(poll.responseText).errorCode, enchantedLinkPending);
      }

      await ok(t.auth.enchantedLink.verify(links.find((l) => l.n === started.linkId)!.token));
      const res = await ok(waiting);
      assert.equal(res.firstSeen, true);
      assert.equal(res.user?.email, loginId);
      assert.equal(res.user?.verifiedEmail, true);
      assert.ok(res.refreshJwt);
      const info = await t.auth.validateSession(res.sessionJwt);
      assert.equal(info.token.sub, res.user?.userId);
      assert.equal((await ok(t.auth.me(res.refreshJwt))).email, loginId);
      assert.equal(pendingPolls().at(-1)?.status, 200);

      const again = await t.auth.enchantedLink.waitForSession(started.pendingRef, {
        pollingIntervalMs: 1000,
        timeoutMs: 1_500,
      });
      assert.equal(again.ok, false, 'the session is handed out once');
      assert.equal(pendingPolls().at(-1)?.status, 401);
    });

    test('a wrong link ends the attempt: verify is E061104 for it and then for the right one; polling times out', async () => {
      const loginId = `${uid('el-wrong')}@example.com`;
      const signUp = await ok(t.auth.enchantedLink.signUp(loginId, URI, { name: 'Wrong Click' }));
      const waitingSignUp = t.auth.enchantedLink.waitForSession(signUp.pendingRef, {
        pollingIntervalMs: 1000,
        timeoutMs: 10_000,
      });
      await ok(
        t.auth.enchantedLink.verify((await linksTo(loginId)).find((l) => l.n === signUp.linkId)!.token),
      );
      assert.equal((await ok(waitingSignUp)).user?.name, 'Wrong Click');

      const { linkId, pendingRef } = await ok(t.auth.enchantedLink.signIn(loginId, URI));
      const links = await linksTo(loginId);
      await fails(t.auth.enchantedLink.verify(links.find((l) => l.n !== linkId)!.token), 401, 'E061104');
      await fails(t.auth.enchantedLink.verify(links.find((l) => l.n === linkId)!.token), 401, 'E061104');
      const timedOut = await t.auth.enchantedLink.waitForSession(pendingRef, {
        pollingIntervalMs: 1000,
        timeoutMs: 2_500,
      });
      assert.equal(timedOut.ok, false);
      assert.match(timedOut.error?.errorDescription ?? '', /timeout/i);
    });

    test('update.email: the poller gets a session carrying the new, verified address', async () => {
      const loginId = `${uid('el-mover')}@example.com`;
      const session = await ok(t.auth.password.signUp(loginId, PASSWORD));
      const newEmail = `${uid('el-moved')}@example.com`;
      await fails(t.auth.enchantedLink.update.email(loginId, newEmail, URI), 401);
      const started = await ok(t.auth.enchantedLink.update.email(loginId, newEmail, URI, session.refreshJwt));
      assert.equal(started.maskedEmail, 'e****@e****.com');
      const waiting = t.auth.enchantedLink.waitForSession(started.pendingRef, {
        pollingIntervalMs: 1000,
        timeoutMs: 10_000,
      });
      await ok(
        t.auth.enchantedLink.verify((await linksTo(newEmail)).find((l) => l.n === started.linkId)!.token),
      );
      const res = await ok(waiting);
      assert.equal(res.user?.userId, session.user?.userId);
      assert.equal(res.user?.email, newEmail);
      assert.equal(res.user?.verifiedEmail, true);
    });
  });
}
