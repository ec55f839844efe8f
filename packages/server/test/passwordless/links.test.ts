import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { lastMessage, tokensIn } from '../support/outbox.ts';
import { call, mgmt, STORES, startTestServer, type TestServer } from '../support/server.ts';

type Jwt = {
  sessionJwt: string;
  refreshJwt: string;
  firstSeen: boolean;
  user: { userId: string; email: string; verifiedEmail: boolean };
};
const claims = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString());

for (const store of STORES) {
  describe(`magic and enchanted links (${store})`, () => {
    let s: TestServer;
    before(async () => {
      s = await startTestServer(store, { LATCHKEY_MODE: 'production' });
      await mgmt(s, 'POST', '/v1/mgmt/project/settings', {
        rateLimits: { enabled: false },
        passwordless: {
          defaultRedirectUrl: 'https://app.example.com/verify',
          allowedRedirectOrigins: ['https://other.example.com'],
        },
      });
      await mgmt(s, 'POST', '/v1/mgmt/delivery/settings', { outbox: { enabled: true } });
    });
    after(() => s.close());
    const post = <T = Record<string, unknown>>(path: string, body: unknown, auth = s.project) =>
      call<T>(s, 'POST', path, { auth, body });

    test('magic link sign-up: the link goes to the default redirect with ?t=, verifies once', async () => {
      const res = await post('/v1/auth/magiclink/signup/email', { loginId: 'ml@example.com' });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(res.body, { maskedEmail: 'm****@e****.com' });
      const message = await lastMessage(s, 'ml@example.com');
      assert.match(message!.text, /https:\/\/app\.example\.com\/verify\?t=[A-Za-z0-9]+/);
      const [token] = tokensIn(message);
      const ok = await post<Jwt>('/v1/auth/magiclink/verify', { token });
      assert.equal(ok.status, 200);
      assert.equal(ok.body.firstSeen, true);
      assert.equal(ok.body.user.verifiedEmail, true);
      const again = await post('/v1/auth/magiclink/verify', { token });
      assert.equal(again.status, 401);
      assert.equal(again.body.errorCode, 'E061104');
    });

    test("redirects: Ruby's redirectUrl and Node's URI are both honoured on allowed origins; others are refused and nothing is sent", async () => {
      await post('/v1/auth/magiclink/signin/email', {
        loginId: 'ml@example.com',
        redirectUrl: 'https://other.example.com/cb',
      });
      assert.match((await lastMessage(s, 'ml@example.com'))!.text, /https:\/\/other\.example\.com\/cb\?t=/);
      await post('/v1/auth/magiclink/signin/email', {
        loginId: 'ml@example.com',
        URI: 'https://app.example.com/x',
      });
      assert.match((await lastMessage(s, 'ml@example.com'))!.text, /https:\/\/app\.example\.com\/x\?t=/);
      const before = (await lastMessage(s, 'ml@example.com'))!.text;
      const evil = await post('/v1/auth/magiclink/signin/email', {
        loginId: 'ml@example.com',
        URI: 'https://evil.example.net/steal',
      });
      assert.equal(evil.status, 400);
      assert.equal(evil.body.errorCode, 'E011301');
      const local = await post('/v1/auth/magiclink/signin/email', {
        loginId: 'ml@example.com',
        URI: 'http://localhost:3000/v',
      });
      assert.equal(local.status, 400, 'localhost is only allowed in development mode');
      assert.equal((await lastMessage(s, 'ml@example.com'))!.text, before, 'nothing sent');
    });

    test('an expired magic link is refused', async () => {
      await post('/v1/auth/magiclink/signin/email', { loginId: 'ml@example.com' });
      const [token] = tokensIn(await lastMessage(s, 'ml@example.com'));
      await s.server.store.db
        .updateTable('one_time_secrets')
        .set({ expires_time: 1 })
        .where('project_id', '=', s.projectId)
        .where('kind', '=', 'magiclink')
        .execute();
      assert.equal((await post('/v1/auth/magiclink/verify', { token })).status, 401);
    });

    test('enchanted link: three links, only the one numbered like the screen signs in; polling returns the session once', async () => {
      const start = await post<{ linkId: string; pendingRef: string; maskedEmail: string }>(
        '/v1/auth/enchantedlink/signup-in/email',
        { loginId: 'el@example.com' },
      );
      assert.equal(start.status, 200, JSON.stringify(start.body));
      assert.match(start.body.linkId, /^\d{2}$/);
      assert.equal(start.body.maskedEmail, 'e****@e****.com');
      const message = await lastMessage(s, 'el@example.com');
      const links = [
        ...message!.text.matchAll(/https:\/\/app\.example\.com\/verify\?t=([A-Za-z0-9]+)&n=(\d{2})/g),
      ].map((m) => ({ token: m[1]!, n: m[2]! }));
      assert.equal(links.length, 3);
      assert.equal(new Set(links.map((l) => l.n)).size, 3);
      const pending = await post('/v1/auth/enchantedlink/pending-session', {
        pendingRef: start.body.pendingRef,
      });
      assert.equal(pending.status, 401);
      assert.equal(pending.body.errorCode, 'E062503');
      const right = links.find((l) => l.n === start.body.linkId)!;
      assert.deepEqual((await post('/v1/auth/enchantedlink/verify', { token: right.token })).body, {});
      const session = await post<Jwt>('/v1/auth/enchantedlink/pending-session', {
        pendingRef: start.body.pendingRef,
      });
      assert.equal(session.status, 200);
      assert.equal(session.body.user.email, 'el@example.com');
      assert.ok(claims(session.body.sessionJwt).sub);
      assert.equal(
        (await post('/v1/auth/enchantedlink/pending-session', { pendingRef: start.body.pendingRef })).status,
        401,
        'picked up once',
      );
    });

    test('enchanted link: a wrong link ends the attempt, even the right link stops working', async () => {
      const start = await post<{ linkId: string; pendingRef: string }>(
        '/v1/auth/enchantedlink/signin/email',
        { loginId: 'el@example.com' },
      );
      const links = [
        ...(await lastMessage(s, 'el@example.com'))!.text.matchAll(/\?t=([A-Za-z0-9]+)&n=(\d{2})/g),
      ].map((m) => ({ token: m[1]!, n: m[2]! }));
      const wrong = links.find((l) => l.n !== start.body.linkId)!;
      const right = links.find((l) => l.n === start.body.linkId)!;
      assert.equal((await post('/v1/auth/enchantedlink/verify', { token: wrong.token })).status, 401);
      assert.equal((await post('/v1/auth/enchantedlink/verify', { token: right.token })).status, 401);
      assert.equal(
        (await post('/v1/auth/enchantedlink/pending-session', { pendingRef: start.body.pendingRef })).status,
        401,
      );
    });

    test('magic link by SMS; voice is refused for links', async () => {
      const res = await post('/v1/auth/magiclink/signup-in/sms', { loginId: '+14155550199' });
      assert.equal(res.status, 200);
      const [token] = tokensIn(await lastMessage(s, '+14155550199'));
      assert.equal((await post('/v1/auth/magiclink/verify', { token })).status, 200);
      assert.equal((await post('/v1/auth/magiclink/signin/voice', { loginId: '+14155550199' })).status, 400);
    });

    test('update email by magic link and by enchanted link', async () => {
      await post('/v1/auth/magiclink/signup-in/email', { loginId: 'upd-ml@example.com' });
      const session = await post<Jwt>('/v1/auth/magiclink/verify', {
        token: tokensIn(await lastMessage(s, 'upd-ml@example.com'))[0],
      });
      const auth = `${s.project}:${session.body.refreshJwt}`;
      assert.equal(
        (
          await post(
            '/v1/auth/magiclink/update/email',
            { loginId: 'upd-ml@example.com', email: 'new-ml@example.com' },
            auth,
          )
        ).status,
        200,
      );
      const updated = await post<Jwt>('/v1/auth/magiclink/verify', {
        token: tokensIn(await lastMessage(s, 'new-ml@example.com'))[0],
      });
      assert.equal(updated.body.user.email, 'new-ml@example.com');
      const start = await post<{ linkId: string; pendingRef: string }>(
        '/v1/auth/enchantedlink/update/email',
        { loginId: 'upd-ml@example.com', email: 'third-ml@example.com', addToLoginIds: true },
        auth,
      );
      assert.equal(start.status, 200);
      const links = [
        ...(await lastMessage(s, 'third-ml@example.com'))!.text.matchAll(/\?t=([A-Za-z0-9]+)&n=(\d{2})/g),
      ].map((m) => ({ token: m[1]!, n: m[2]! }));
      await post('/v1/auth/enchantedlink/verify', {
        token: links.find((l) => l.n === start.body.linkId)!.token,
      });
      const done = await post<Jwt & { user: { loginIds: string[] } }>(
        '/v1/auth/enchantedlink/pending-session',
        { pendingRef: start.body.pendingRef },
      );
      assert.equal(done.body.user.email, 'third-ml@example.com');
      assert.deepEqual(done.body.user.loginIds, ['upd-ml@example.com', 'third-ml@example.com']);
    });
  });
}
