import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startTestServer } from '../support/server.ts';
import { codeFor } from './support.ts';

test('TOTP seeds and codes never reach the logs, even at trace level', async () => {
  const s = await startTestServer(
    'sqlite',
    {
      LATCHKEY_PROJECT_ID: 'Ptotplogtest0000000000000000',
      LATCHKEY_MANAGEMENT_KEY: 'Ktotplogsecretmanagementkey0001',
    },
    undefined,
    {
      logLevel: 'trace',
    },
  );
  const { projectId, server } = s;
  try {
    const post = async (p: string, auth: string, body: unknown) =>
      (await fetch(`${server.url}${p}`, {
        method: 'POST',
        headers: { authorization: auth, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }).then((r) => r.json())) as Record<string, string>;
    const enrolled = await post('/v1/auth/totp/signup', `Bearer ${projectId}`, { loginId: 'log@x.test' });
    const code = codeFor(enrolled.key!);
    const session = await post('/v1/auth/totp/verify', `Bearer ${projectId}`, {
      loginId: 'log@x.test',
      code,
    });
    const rotated = await post('/v1/auth/totp/update', `Bearer ${projectId}:${session.refreshJwt}`, {
      loginId: 'log@x.test',
    });
    assert.ok(session.sessionJwt && rotated.key, 'the calls succeeded');
    assert.ok(s.logs().includes('request completed'), 'requests are logged');
    // the code as a JSON string: six bare digits may well occur inside a timestamp
    for (const secret of [enrolled.key!, rotated.key!, `"${code}"`, session.refreshJwt!]) {
      assert.ok(!s.logs().includes(secret), `a secret reached the log: ${secret.slice(0, 4)}…`);
    }
  } finally {
    await s.close();
  }
});
