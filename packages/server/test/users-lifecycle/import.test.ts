import assert from 'node:assert/strict';
import { pbkdf2Sync, randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { hash as argon2Hash } from '@node-rs/argon2';
import bcrypt from 'bcryptjs';
import { disableRateLimits, fails, ok, type SdkServer, startSdkServer, uid } from '../descope-sdk/support.ts';
import { call, mgmt, STORES } from '../support/server.ts';

// github.com/firebase/scrypt README vector: password "user1password".
const FIREBASE = {
  hash: 'lSrfV15cpx95/sZS2W9c9Kp6i/LVgQNDNC/qzrCnh1SAyZvqmZqAjTdn3aoItz+VHjoZilo78198JAdRuid5lQ==',
  salt: '42xEC+ixf3L2lw==',
  saltSeparator: 'Bw==',
  signerKey: 'jxspr8Ki0RYycVU8zykbdLGjFQ3McFUH0uiiTvC8pVMXAn210wjLNmdZJzxUECKbm0QsEmYUSDzZvpjeJ9WmXA==',
  rounds: 8,
  memory: 14,
};

type Batch = {
  createdUsers: { loginIds: string[]; userId: string; status: string }[];
  failedUsers: { failure: string; user: { loginIds: string[] } }[];
  additionalErrors: Record<string, string>;
};

/** Hashed-password import: users keep their old password, sign in without a reset, and are rehashed. */
for (const store of STORES) {
  describe(`hashed password import (${store})`, () => {
    let t: SdkServer;
    const storedHash = async (userId: string) =>
      (
        await t.s.server.store.db
          .selectFrom('users')
          .select('password_hash')
          .where('project_id', '=', t.s.projectId)
          .where('id', '=', userId)
          .executeTakeFirstOrThrow()
      ).password_hash;
    const signIn = (loginId: string, password: string) =>
      call(t.s, 'POST', '/v1/auth/password/signin', { auth: t.s.project, body: { loginId, password } });

    before(async () => {
      t = await startSdkServer(store);
      await disableRateLimits(t.s);
    });
    after(() => t.close());

    test('bcrypt, argon2 (PHC and parameters), pbkdf2 and firebase users sign in over HTTP, then are rehashed', async () => {
      const salt = randomBytes(16);
      const phc = await argon2Hash('Argon-Old-pass1', { memoryCost: 4096, timeCost: 3, parallelism: 1 });
      const [, , , , phcSalt, phcHash] = phc.split('$');
      const raw = await argon2Hash('Argon-Raw-pass1', { memoryCost: 8192, timeCost: 2, parallelism: 2 });
      const [, , , , rawSalt, rawHash] = raw.split('$');
      const cases: { loginId: string; password: string; hashedPassword: Record<string, unknown> }[] = [
        {
          loginId: uid('bc-'),
          password: 'Bcrypt-Old-pass1',
          hashedPassword: { bcrypt: { hash: bcrypt.hashSync('Bcrypt-Old-pass1', 6) } },
        },
        { loginId: uid('a2-'), password: 'Argon-Old-pass1', hashedPassword: { argon2: { hash: phc } } },
        {
          loginId: uid('a2raw-'),
          password: 'Argon-Raw-pass1',
          hashedPassword: {
            argon2: { hash: `${rawHash}=`, salt: rawSalt, iterations: 2, memory: 8192, threads: 2 },
          },
        },
        {
          loginId: uid('pb-'),
          password: 'Pbkdf2-Old-pass1',
          hashedPassword: {
            pbkdf2: {
              hash: pbkdf2Sync('Pbkdf2-Old-pass1', salt, 4096, 32, 'sha256').toString('base64'),
              salt: salt.toString('base64'),
              iterations: 4096,
              type: 'sha256',
            },
          },
        },
        { loginId: uid('fb-'), password: 'user1password', hashedPassword: { firebase: FIREBASE } },
      ];
      assert.ok(phcSalt && phcHash);
      const res = await mgmt<Batch>(t.s, 'POST', '/v1/mgmt/user/create/batch', {
        users: cases.map((c) => ({ loginId: c.loginId, hashedPassword: c.hashedPassword })),
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(res.body.failedUsers, []);
      assert.equal(res.body.createdUsers.length, cases.length);
      for (const c of cases) {
        const user = res.body.createdUsers.find((u) => u.loginIds[0] === c.loginId)!;
        const before = await storedHash(user.userId);
        assert.ok(before && !before.startsWith('$argon2id$v=19$m=19456,t=2,p=1$'), c.loginId);
        assert.equal((await signIn(c.loginId, `${c.password}x`)).status, 401, `${c.loginId}: wrong password`);
        const good = await signIn(c.loginId, c.password);
        assert.equal(good.status, 200, `${c.loginId}: ${JSON.stringify(good.body)}`);
        const after = await storedHash(user.userId);
        assert.match(
          after ?? '',
          /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/,
          `${c.loginId} rehashed to Argon2id`,
        );
        assert.equal((await signIn(c.loginId, c.password)).status, 200, `${c.loginId}: after rehash`);
        assert.equal((await signIn(c.loginId, `${c.password}x`)).status, 401);
      }
    });

    test('a single create imports a hash; the Descope SDK signs the user in', async () => {
      const loginId = uid('single-');
      const created = await ok(
        t.mgmt.management.user.create(loginId, {
          hashedPassword: { bcrypt: { hash: bcrypt.hashSync('Imported-pass9', 6) } },
        } as never),
      );
      assert.equal(created.loginIds[0], loginId);
      const session = await ok(t.auth.password.signIn(loginId, 'Imported-pass9'));
      assert.equal(session.user?.loginIds?.[0], loginId);
      await fails(t.auth.password.signIn(loginId, 'imported-pass9'), 401, 'E062901');
    });

    test('invalid hash shapes: 400 on create, failedUsers in a batch, and nothing stored for that user', async () => {
      const loginId = uid('bad-');
      const single = await mgmt(t.s, 'POST', '/v1/mgmt/user/create', {
        loginId,
        hashedPassword: { pbkdf2: { hash: 'aGk=', salt: 'aGk=', iterations: 10, type: 'md5' } },
      });
      assert.equal(single.status, 400);
      assert.equal(single.body.errorCode, 'E011004');
      assert.equal((await mgmt(t.s, 'GET', `/v1/mgmt/user?loginId=${loginId}`)).status, 404);

      const good = uid('good-');
      const res = await mgmt<Batch>(t.s, 'POST', '/v1/mgmt/user/create/batch', {
        users: [
          { loginId: good, hashedPassword: { bcrypt: { hash: bcrypt.hashSync('Good-pass1', 4) } } },
          { loginId: `${loginId}-1`, hashedPassword: { bcrypt: { hash: 'plain' } } },
          { loginId: `${loginId}-2`, hashedPassword: { sha: { hash: 'aGk=' } } },
          { loginId: `${loginId}-3`, hashedPassword: { firebase: { ...FIREBASE, rounds: 0 } } },
          {
            loginId: `${loginId}-4`,
            password: 'Both-pass1',
            hashedPassword: { bcrypt: { hash: bcrypt.hashSync('x', 4) } },
          },
        ],
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(
        res.body.createdUsers.map((u) => u.loginIds[0]),
        [good],
      );
      assert.deepEqual(
        res.body.failedUsers.map((f) => f.user.loginIds[0]),
        [1, 2, 3, 4].map((i) => `${loginId}-${i}`),
      );
      for (const f of res.body.failedUsers) assert.match(f.failure, /hashedPassword|password/);
      for (const i of [1, 2, 3, 4])
        assert.equal((await mgmt(t.s, 'GET', `/v1/mgmt/user?loginId=${loginId}-${i}`)).status, 404);
    });
  });
}
