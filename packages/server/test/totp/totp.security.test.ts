import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import { startServer } from '../../src/main.ts';
import { codeFor } from './support.ts';

test('TOTP seeds and codes never reach the logs, even at trace level', async () => {
  let logged = '';
  const sink = new Writable({
    write(chunk, _enc, done) {
      logged += chunk.toString();
      done();
    },
  });
  const projectId = 'Ptotplogtest0000000000000000';
  const managementKey = 'Ktotplogsecretmanagementkey0001';
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'latchkey-totp-log-'));
  const config = loadConfig({
    PORT: '0',
    LATCHKEY_DATA_DIR: dataDir,
    LATCHKEY_PROJECT_ID: projectId,
    LATCHKEY_MANAGEMENT_KEY: managementKey,
    LOG_LEVEL: 'trace',
  });
  const server = await startServer(config, { logger: createLogger('trace', sink) });
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
    assert.ok(logged.includes('request completed'), 'requests are logged');
    // the code as a JSON string: six bare digits may well occur inside a timestamp
    for (const secret of [enrolled.key!, rotated.key!, `"${code}"`, session.refreshJwt!]) {
      assert.ok(!logged.includes(secret), `a secret reached the log: ${secret.slice(0, 4)}…`);
    }
  } finally {
    await server.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
