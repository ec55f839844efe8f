import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  buildLogoutCookies,
  buildSessionCookies,
  createLatchkeyClient,
  readSessionCookies,
} from '../src/index.ts';
import { type Harness, STORES, startHarness, strongPassword, uniqueLogin } from './support/sdk.ts';

/** What a browser sends back for a list of Set-Cookie values. */
const cookieHeader = (setCookies: string[]) => setCookies.map((c) => c.split(';')[0]).join('; ');

for (const store of STORES) {
  describe(`cookies with a real server (${store})`, () => {
    let h: Harness;
    before(async () => {
      h = await startHarness(store);
    });
    after(() => h.close());

    test('sign-in → Set-Cookie → Cookie header → validated session', async () => {
      const res = await h.client.password.signUp(uniqueLogin('cookie'), strongPassword);
      const setCookies = buildSessionCookies(res);
      assert.ok(
        setCookies.every(
          (c) => c.includes(`Max-Age=${res.cookieMaxAge}`) && c.includes('Path=/') && c.includes('HttpOnly'),
        ),
      );
      const { sessionJwt, refreshJwt } = readSessionCookies(`theme=dark; ${cookieHeader(setCookies)}`);
      assert.equal(sessionJwt, res.sessionJwt);
      assert.equal(refreshJwt, res.refreshJwt);
      const info = await h.client.validateAndRefreshSession(sessionJwt, refreshJwt);
      assert.equal(info.token.sub, res.user?.userId);

      // Only the refresh cookie left (the session cookie expired in the browser): refresh, then re-set cookies.
      const refreshed = await h.client.validateAndRefreshSession(
        undefined,
        readSessionCookies(cookieHeader(setCookies.slice(1))).refreshJwt,
      );
      assert.ok(refreshed.response);
      const again = readSessionCookies(cookieHeader(buildSessionCookies(refreshed.response)));
      assert.equal((await h.client.validateSession(again.sessionJwt)).token.sub, res.user?.userId);

      await h.client.logout(refreshJwt!);
      assert.deepEqual(readSessionCookies(cookieHeader(buildLogoutCookies())), {
        sessionJwt: undefined,
        refreshJwt: undefined,
      });
    });

    test("the server's own Set-Cookie headers carry the same tokens as the body", async () => {
      const loginId = uniqueLogin('server-cookie');
      await h.client.password.signUp(loginId, strongPassword);
      const raw = await fetch(`${h.server.url}/v1/auth/password/signin`, {
        method: 'POST',
        headers: { authorization: `Bearer ${h.server.projectId}`, 'content-type': 'application/json' },
        body: JSON.stringify({ loginId, password: strongPassword }),
      });
      const body = (await raw.json()) as { sessionJwt: string; refreshJwt: string };
      assert.deepEqual(readSessionCookies(cookieHeader(raw.headers.getSetCookie())), {
        sessionJwt: body.sessionJwt,
        refreshJwt: body.refreshJwt,
      });
    });

    test('tokens delivered only as cookies (Descope "cookie" mode) are picked up from Set-Cookie', async () => {
      // A real server behind a proxy that moves the tokens out of the JSON body, as Descope does in cookie mode.
      const cookieMode = (async (input: string | URL | Request, init?: RequestInit) => {
        const res = await fetch(input, init);
        const text = await res.text();
        const body = text ? JSON.parse(text) : {};
        if (body.sessionJwt) {
          delete body.sessionJwt;
          delete body.refreshJwt;
        }
        return new Response(JSON.stringify(body), { status: res.status, headers: res.headers });
      }) as typeof fetch;
      const client = createLatchkeyClient({
        projectId: h.server.projectId,
        baseUrl: h.server.url,
        fetch: cookieMode,
      });
      const res = await client.password.signUp(uniqueLogin('cookie-mode'), strongPassword);
      assert.ok(res.sessionJwt && res.refreshJwt);
      const refreshed = await client.refreshSession(res.refreshJwt);
      assert.equal(refreshed.token.sub, res.user?.userId);
    });
  });
}
