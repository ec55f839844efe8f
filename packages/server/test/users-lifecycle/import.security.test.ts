import assert from 'node:assert/strict';
import { pbkdf2Sync } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import bcrypt from 'bcryptjs';
import { call, mgmt, STORES, startTestServer, type TestServer } from '../support/server.ts';

/** Imported hashes and passwords never leave the server: not in answers, not in logs, not in error messages. */
for (const store of STORES) {
  describe(`hashed password import: secrets stay secret (${store})`, () => {
    let s: TestServer;
    before(async () => {
      s = await startTestServer(store, {}, undefined, { logLevel: 'trace' });
    });
    after(() => s.close());

    test('hashes, salts and passwords are absent from answers and logs', async () => {
      const bcryptHash = bcrypt.hashSync('Secret-bcrypt-77', 4);
      const salt = Buffer.from('pepper-salt-0042').toString('base64');
      const pbkdf2Hash = pbkdf2Sync(
        'Secret-pbkdf2-77',
        Buffer.from(salt, 'base64'),
        1000,
        32,
        'sha256',
      ).toString('base64');
      const res = await mgmt(s, 'POST', '/v1/mgmt/user/create/batch', {
        users: [
          { loginId: 'sec-a@example.test', hashedPassword: { bcrypt: { hash: bcryptHash } } },
          {
            loginId: 'sec-b@example.test',
            hashedPassword: { pbkdf2: { hash: pbkdf2Hash, salt, iterations: 1000, type: 'sha256' } },
          },
          {
            loginId: 'sec-c@example.test',
            hashedPassword: { pbkdf2: { hash: pbkdf2Hash, salt, iterations: 0, type: 'sha256' } },
          },
        ],
      });
      assert.equal(res.status, 200);
      const bad = await mgmt(s, 'POST', '/v1/mgmt/user/create', {
        loginId: 'sec-d@example.test',
        hashedPassword: { bcrypt: { hash: `${bcryptHash}x` } },
      });
      assert.equal(bad.status, 400);
      for (const [loginId, password] of [
        ['sec-a@example.test', 'Secret-bcrypt-77'],
        ['sec-b@example.test', 'Secret-pbkdf2-77'],
      ] as const) {
        const ok = await call(s, 'POST', '/v1/auth/password/signin', {
          auth: s.project,
          body: { loginId, password },
        });
        assert.equal(ok.status, 200);
      }
      const loaded = await mgmt(s, 'GET', '/v1/mgmt/user?loginId=sec-a@example.test');
      const seen = JSON.stringify([res.body, bad.body, loaded.body]);
      const logs = s.logs();
      assert.ok(logs.length > 0, 'the server logged');
      for (const secret of [
        bcryptHash,
        pbkdf2Hash,
        salt,
        'Secret-bcrypt-77',
        'Secret-pbkdf2-77',
        'argon2id',
      ]) {
        assert.ok(!seen.includes(secret), `answers leak ${secret}`);
        assert.ok(!logs.includes(secret), `logs leak ${secret}`);
      }
    });
  });
}
