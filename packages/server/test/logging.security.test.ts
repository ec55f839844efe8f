import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startTestServer } from './support/server.ts';

test('secrets never reach the logs: passwords, tokens, management keys, query strings', async () => {
  const s = await startTestServer(
    'sqlite',
    {
      LATCHKEY_PROJECT_ID: 'Plogsecrettest00000000000000',
      LATCHKEY_MANAGEMENT_KEY: 'Ksupersecretmanagementkey000001',
    },
    undefined,
    {
      logLevel: 'trace',
    },
  );
  const { projectId, managementKey, server } = s;
  try {
    const password = 'V3ryS3cretPassw0rd';
    const post = (p: string, auth: string, body: unknown) =>
      fetch(`${server.url}${p}`, {
        method: 'POST',
        headers: { authorization: auth, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const signup = (await (
      await post('/v1/auth/password/signup', `Bearer ${projectId}`, { loginId: 'log@x.test', password })
    ).json()) as {
      refreshJwt: string;
      sessionJwt: string;
    };
    await post('/v1/auth/password/signin', `Bearer ${projectId}`, {
      loginId: 'log@x.test',
      password: 'Wr0ngPassw0rdXX',
    });
    await post('/v1/auth/refresh', `Bearer ${projectId}:${signup.refreshJwt}`, {});
    await post('/v1/mgmt/user/password/set/active', `Bearer ${projectId}:${managementKey}`, {
      loginId: 'log@x.test',
      password: 'An0therSecretPw',
    });
    await fetch(`${server.url}/v1/mgmt/user?loginId=log@x.test&t=querytokensecret`, {
      headers: { authorization: `Bearer ${projectId}:${managementKey}` },
    });
    await post('/v1/mgmt/tenant/create', `Bearer ${projectId}:${managementKey}`, '{not json');
    // One-time codes, links and embedded tokens.
    await post('/v1/auth/otp/signup-in/email', `Bearer ${projectId}`, { loginId: 'otp-log@x.test' });
    const message = await server.store.db
      .selectFrom('outbox_messages')
      .select('text_body')
      .where('recipient', '=', 'otp-log@x.test')
      .executeTakeFirstOrThrow();
    const code = /(\d{6})/.exec(message.text_body)![1]!;
    await post('/v1/auth/otp/verify/email', `Bearer ${projectId}`, {
      loginId: 'otp-log@x.test',
      code: code === '000000' ? '111111' : '000000',
    });
    await post('/v1/auth/otp/verify/email', `Bearer ${projectId}`, { loginId: 'otp-log@x.test', code });
    const embedded = (await (
      await post('/v1/mgmt/user/signin/embeddedlink', `Bearer ${projectId}:${managementKey}`, {
        loginId: 'otp-log@x.test',
      })
    ).json()) as { token: string };
    await post('/v1/auth/magiclink/verify', `Bearer ${projectId}`, { token: embedded.token });
    await post('/v1/auth/magiclink/verify', `Bearer ${projectId}`, { token: embedded.token });
    assert.ok(s.logs().includes('request completed'), 'requests are logged');
    // The code is checked as a whole number: log timestamps are long digit runs that may contain it.
    assert.ok(!new RegExp(`(?<!\\d)${code}(?!\\d)`).test(s.logs()), 'a one-time code reached the log');
    assert.ok(!s.logs().includes(embedded.token), 'an embedded-link token reached the log');
    for (const secret of [
      password,
      'Wr0ngPassw0rdXX',
      'An0therSecretPw',
      managementKey,
      signup.refreshJwt,
      signup.sessionJwt,
      'querytokensecret',
    ]) {
      assert.ok(!s.logs().includes(secret), `a secret reached the log: ${secret.slice(0, 8)}…`);
    }
  } finally {
    await s.close();
  }
});
