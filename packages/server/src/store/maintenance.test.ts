import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startTestServer } from '../../test/support/server.ts';
import { pruneExpired } from './maintenance.ts';

test('expired one-time secrets and refresh-token rows are pruned; live ones stay', async () => {
  const s = await startTestServer('sqlite');
  try {
    const db = s.server.store.db;
    const now = 2_000_000_000;
    const secret = (id: string, expires: number) => ({
      project_id: s.projectId,
      id,
      kind: 'otp',
      secret_hash: id,
      login_id: 'x',
      user_id: '',
      method: 'email',
      state: '',
      group_id: '',
      payload_json: '{}',
      attempts: 0,
      expires_time: expires,
      consumed_time: null,
      created_time: 0,
    });
    await db
      .insertInto('one_time_secrets')
      .values([secret('old', now - 90_000), secret('recent', now - 10), secret('live', now + 60)])
      .execute();
    const token = (jti: string, expires: number) => ({
      project_id: s.projectId,
      jti,
      user_id: 'U',
      issued_time: 0,
      expires_time: expires,
      revoked_time: null,
    });
    await db
      .insertInto('refresh_tokens')
      .values([token('gone', now - 90_000), token('kept', now + 60)])
      .execute();
    assert.deepEqual(await pruneExpired(db, now), { secrets: 1, refreshTokens: 1 });
    const ids = (
      await db.selectFrom('one_time_secrets').select('id').where('project_id', '=', s.projectId).execute()
    )
      .map((r) => r.id)
      .sort();
    assert.deepEqual(ids, ['live', 'recent']);
    const jtis = (
      await db.selectFrom('refresh_tokens').select('jti').where('project_id', '=', s.projectId).execute()
    ).map((r) => r.jti);
    assert.deepEqual(jtis, ['kept']);
  } finally {
    await s.close();
  }
});
