import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTotpRepo } from '../../src/auth/totp/repo.ts';
import { call, STORES, startTestServer, type TestServer } from '../support/server.ts';

/** The storage contract behind replay protection, on each store: a step is claimed once, and only forward. */
for (const store of STORES) {
  describe(`TOTP seed storage (${store})`, () => {
    let s: TestServer;
    const repo = createTotpRepo();
    before(async () => {
      s = await startTestServer(store);
    });
    after(() => s.close());

    let n = 0;
    async function userWithSeed(): Promise<{ userId: string; secret: string }> {
      const loginId = `repo${++n}@example.com`;
      const res = await call<{ key: string }>(s, 'POST', '/v1/auth/totp/signup', {
        auth: s.project,
        body: { loginId },
      });
      assert.equal(res.status, 200);
      const row = await s.server.store.db
        .selectFrom('login_ids')
        .select('user_id')
        .where('project_id', '=', s.projectId)
        .where('login_id', '=', loginId)
        .executeTakeFirstOrThrow();
      return { userId: row.user_id, secret: res.body.key };
    }

    test('sign-up stores the returned key with no step used yet', async () => {
      const { userId, secret } = await userWithSeed();
      assert.deepEqual(await repo.seedOf(s.server.store.db, s.projectId, userId), { secret, lastStep: null });
    });

    test('a step is claimed once; an earlier step after a later one is refused', async () => {
      const db = s.server.store.db;
      const { userId, secret } = await userWithSeed();
      const step = 59_000_000;
      assert.equal(await repo.claimStep(db, s.projectId, userId, secret, step), true);
      assert.equal(await repo.claimStep(db, s.projectId, userId, secret, step), false, 'same step again');
      assert.equal(await repo.claimStep(db, s.projectId, userId, secret, step - 1), false, 'earlier step');
      assert.equal(await repo.claimStep(db, s.projectId, userId, secret, step + 1), true, 'later step');
      assert.equal((await repo.seedOf(db, s.projectId, userId))?.lastStep, step + 1);
    });

    test('concurrent claims of one step: exactly one succeeds', async () => {
      const db = s.server.store.db;
      const { userId, secret } = await userWithSeed();
      const wins = await Promise.all(
        Array.from({ length: 8 }, () => repo.claimStep(db, s.projectId, userId, secret, 1234)),
      );
      assert.equal(wins.filter(Boolean).length, 1, JSON.stringify(wins));
    });

    test('a claim checked against a replaced or removed seed is refused', async () => {
      const db = s.server.store.db;
      const { userId, secret } = await userWithSeed();
      await repo.setSeed(db, s.projectId, userId, 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP');
      assert.equal(await repo.claimStep(db, s.projectId, userId, secret, 10), false, 'old seed');
      assert.equal(
        await repo.claimStep(db, s.projectId, userId, 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', 10),
        true,
      );
      await repo.removeSeed(db, s.projectId, userId);
      assert.equal(await repo.seedOf(db, s.projectId, userId), undefined);
      assert.equal(
        await repo.claimStep(db, s.projectId, userId, 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', 11),
        false,
        'no seed',
      );
    });
  });
}
