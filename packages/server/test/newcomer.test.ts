import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const cli = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../src/cli.ts');

/** A port the OS just handed out and released: far less likely to be taken than a random guess. */
async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/**
 * The newcomer's path: `latchkey start` on an empty folder, sign up by OTP, read the code on the dev outbox
 * page, sign in. Nothing else installed, no configuration.
 */
test('a newcomer signs in with an OTP read from the dev outbox page', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'latchkey-newcomer-'));
  const port = await freePort();
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', cli, 'start'], {
    env: {
      ...process.env,
      PORT: String(port),
      LATCHKEY_DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      LATCHKEY_MODE: '',
    },
    stdio: 'ignore',
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    for (let i = 0; ; i++) {
      try {
        if ((await fetch(`${url}/healthz`)).ok) break;
      } catch {}
      if (i > 400) throw new Error('server did not start');
      await new Promise((r) => setTimeout(r, 25));
    }
    const { projectId } = JSON.parse(fs.readFileSync(path.join(dataDir, 'credentials.json'), 'utf8')) as {
      projectId: string;
    };
    const headers = { authorization: `Bearer ${projectId}`, 'content-type': 'application/json' };
    const start = await fetch(`${url}/v1/auth/otp/signup-in/email`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ loginId: 'newcomer@example.com' }),
    });
    assert.equal(start.status, 200);

    const page = await fetch(`${url}/outbox/${projectId}`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /text\/html/);
    const html = await page.text();
    assert.ok(html.includes('newcomer@example.com'));
    const code = /Your code is (?:<[^>]+>)?(\d{6})/.exec(html)?.[1];
    assert.ok(code, 'the page shows the code');

    const verify = await fetch(`${url}/v1/auth/otp/verify/email`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ loginId: 'newcomer@example.com', code }),
    });
    assert.equal(verify.status, 200);
    const body = (await verify.json()) as { sessionJwt: string; user: { email: string } };
    assert.equal(body.user.email, 'newcomer@example.com');
    assert.ok(body.sessionJwt.split('.').length === 3);
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
