import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { migrationNames } from '../src/store/migrations.ts';
import { createPostgresDatabase, STORES, startTestServer } from './support/server.ts';

const run = promisify(execFile);
const serverDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = ['--disable-warning=ExperimentalWarning', path.join(serverDir, 'src/cli.ts')];

type Started = { child: ChildProcess; url: string; output: () => string };

/** Starts `latchkey start` as a real process on a port the OS picks, and waits until /healthz answers. */
async function startProcess(env: Record<string, string>): Promise<Started> {
  // PORT=0: a port chosen here could be taken by another process before the server binds it.
  const child = spawn(process.execPath, [...cli, 'start'], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${out}`);
    const port = /"msg":"latchkey listening"/.test(out)
      ? /"url":"http:\/\/127\.0\.0\.1:(\d+)"/.exec(out)?.[1]
      : undefined;
    if (port) {
      const url = `http://127.0.0.1:${port}`;
      try {
        if ((await fetch(`${url}/healthz`)).ok) return { child, url, output: () => out };
      } catch {}
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`server did not start:\n${out}`);
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

describe('the latchkey command', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'latchkey-cli-'));
    dirs.push(d);
    return d;
  };
  after(() => {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  test('first start on an empty store creates a project and key, prints them once and saves them 0600', async () => {
    const dataDir = tempDir();
    const first = await startProcess({ LATCHKEY_DATA_DIR: dataDir });
    const file = path.join(dataDir, 'credentials.json');
    const creds = JSON.parse(fs.readFileSync(file, 'utf8'));
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    assert.match(creds.projectId, /^P[A-Za-z0-9]{27}$/);
    assert.ok(first.output().includes(creds.managementKey), 'the key is shown on the console once');
    const tenants = await fetch(`${first.url}/v1/mgmt/tenant/all`, {
      headers: { authorization: `Bearer ${creds.projectId}:${creds.managementKey}` },
    });
    assert.equal(tenants.status, 200);
    const ready = await fetch(`${first.url}/readyz`);
    assert.deepEqual(await ready.json(), { status: 'ready', store: 'sqlite' });
    first.child.kill('SIGTERM');
    assert.equal(await exited(first.child), 0);

    const second = await startProcess({ LATCHKEY_DATA_DIR: dataDir });
    assert.ok(!second.output().includes(creds.managementKey), 'a restart creates nothing and prints no key');
    assert.deepEqual(JSON.parse(fs.readFileSync(file, 'utf8')), creds);
    second.child.kill('SIGINT');
    assert.equal(await exited(second.child), 0);
  });

  test('SIGTERM lets in-flight requests finish before exiting 0', async () => {
    const projectId = 'Pgracefulshutdowntest0000000';
    const child = await startProcess({ LATCHKEY_DATA_DIR: tempDir(), LATCHKEY_PROJECT_ID: projectId });
    const requests = Array.from({ length: 8 }, (_, i) =>
      fetch(`${child.url}/v1/auth/password/signup`, {
        method: 'POST',
        headers: { authorization: `Bearer ${projectId}`, 'content-type': 'application/json' },
        body: JSON.stringify({ loginId: `graceful${i}@x.test`, password: 'Gracefu1pw' }),
      }),
    );
    // Signal only once the server has received all eight (Argon2id keeps each busy for a while after that).
    const received = () =>
      (child.output().match(/"path":"\/v1\/auth\/password\/signup"[^\n]*"incoming request"/g) ?? []).length;
    while (received() < 8) await new Promise((r) => setTimeout(r, 2));
    child.child.kill('SIGTERM');
    const statuses = (await Promise.all(requests)).map((r) => r.status);
    assert.deepEqual(statuses, Array(8).fill(200));
    assert.equal(await exited(child.child), 0);
  });

  test('a bad setting fails start-up with a message naming the variable', async () => {
    await assert.rejects(
      run(process.execPath, [...cli, 'start'], { env: { ...process.env, PORT: 'eighty' } }),
      (err: { stderr: string; code: number }) => {
        assert.equal(err.code, 1);
        assert.match(err.stderr, /PORT/);
        return true;
      },
    );
    await assert.rejects(
      run(process.execPath, [...cli, 'start'], {
        env: { ...process.env, LATCHKEY_MANAGEMENT_KEY: 'has:colon:inside-long-enough' },
      }),
      (err: { stderr: string }) => /LATCHKEY_MANAGEMENT_KEY/.test(err.stderr),
    );
  });

  test('keys rotate: a new key signs, the old one stays published, old tokens still verify and refresh', async () => {
    const dataDir = tempDir();
    const projectId = 'Protationtest000000000000000';
    const env = { LATCHKEY_DATA_DIR: dataDir, LATCHKEY_PROJECT_ID: projectId };
    const before = await startProcess(env);
    const signup = await fetch(`${before.url}/v1/auth/password/signup`, {
      method: 'POST',
      headers: { authorization: `Bearer ${projectId}`, 'content-type': 'application/json' },
      body: JSON.stringify({ loginId: 'rotate@x.test', password: 'R0tatePass' }),
    });
    const old = (await signup.json()) as { sessionJwt: string; refreshJwt: string };
    before.child.kill('SIGTERM');
    await exited(before.child);

    const rotated = await run(process.execPath, [...cli, 'keys', 'rotate'], {
      env: { ...process.env, ...env },
    });
    const newKid = /new signing key (\S+)/.exec(rotated.stdout)?.[1];
    assert.ok(newKid);

    const afterRotate = await startProcess(env);
    try {
      const jwks = (await (await fetch(`${afterRotate.url}/v2/keys/${projectId}`)).json()) as {
        keys: { kid: string }[];
      };
      const kids = jwks.keys.map((k) => k.kid);
      assert.equal(kids.length, 2);
      assert.ok(kids.includes(newKid));
      assert.ok(
        kids.includes(decodeProtectedHeader(old.sessionJwt).kid!),
        'the retired key is still published',
      );
      await jwtVerify(old.sessionJwt, createLocalJWKSet(jwks as never));
      const refreshed = await fetch(`${afterRotate.url}/v1/auth/refresh`, {
        method: 'POST',
        headers: { authorization: `Bearer ${projectId}:${old.refreshJwt}` },
      });
      assert.equal(refreshed.status, 200);
      const body = (await refreshed.json()) as { sessionJwt: string };
      assert.equal(
        decodeProtectedHeader(body.sessionJwt).kid,
        newKid,
        'new tokens are signed with the new key',
      );
    } finally {
      afterRotate.child.kill('SIGTERM');
      await exited(afterRotate.child);
    }
  });
});

for (const store of STORES) {
  describe(`migrations (${store})`, () => {
    test('run at start, are idempotent, and instances starting together apply them once', async () => {
      const pg = store === 'postgres' ? await createPostgresDatabase() : undefined;
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'latchkey-mig-'));
      const shared = { databaseUrl: pg?.url, dataDir };
      try {
        const [a, b] = await Promise.all([
          startTestServer(store, {}, shared),
          startTestServer(store, {}, shared),
        ]);
        const c = await startTestServer(store, {}, shared);
        for (const s of [a, b, c]) assert.equal((await fetch(`${s.url}/readyz`)).status, 200);
        const rows = (await a.server.store.db
          .selectFrom('kysely_migration' as never)
          .selectAll()
          .execute()) as {
          name: string;
        }[];
        assert.deepEqual(
          rows.map((r) => r.name).sort(),
          migrationNames(store),
          'each migration applied once',
        );
        for (const s of [a, b, c]) await s.server.close();
      } finally {
        await pg?.drop();
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
    });
  });
}
