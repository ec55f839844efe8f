import assert from 'node:assert/strict';
import { test } from 'node:test';
import pino from 'pino';
import { startTestServer } from '../../test/support/server.ts';
import { searchAuditRows } from './repo.ts';
import { createAuditLog, redact, sortableId } from './service.ts';

test('secrets are redacted from data at any depth; other values stay', () => {
  assert.deepEqual(
    redact({
      password: 'p',
      nested: { refreshJwt: 'x', code: '1', count: 2 },
      list: [{ apiKey: 'k' }],
      name: 'n',
    }),
    {
      password: '[redacted]',
      nested: { refreshJwt: '[redacted]', code: '[redacted]', count: 2 },
      list: [{ apiKey: '[redacted]' }],
      name: 'n',
    },
  );
});

test('ids sort like time, then order of recording', () => {
  const a = sortableId(1000);
  const b = sortableId(1000);
  const c = sortableId(999);
  assert.ok(a < b && c < a);
});

test('record queues without waiting; flush writes in batches; unknown projects are dropped; close flushes', async () => {
  const s = await startTestServer('sqlite');
  try {
    const db = s.server.store.db;
    const log = createAuditLog({
      db,
      logger: pino({ level: 'silent' }),
      batchSize: 50,
      flushIntervalMs: 60_000,
      projectExists: async (id) => id === s.projectId,
    });
    const window = { from: 0, to: Date.now() + 60_000, size: 1000, page: 0 };
    for (let i = 0; i < 120; i++) await log.record({ projectId: s.projectId, action: 'Bulk', data: { i } });
    await log.record({ projectId: 'Pnope', action: 'Bulk' });
    await log.record({ projectId: s.projectId, action: 'Last' });
    await log.flush();
    const found = await searchAuditRows(db, s.projectId, { ...window, actions: ['Bulk', 'Last'] });
    assert.equal(found.total, 121);
    assert.equal(found.rows[0]!.action, 'Last');
    assert.equal((await searchAuditRows(db, 'Pnope', window)).total, 0);
    await log.record({ projectId: s.projectId, action: 'AtClose' });
    await log.close();
    assert.equal((await searchAuditRows(db, s.projectId, { ...window, actions: ['AtClose'] })).total, 1);
    // a broken event is swallowed, never thrown into the caller
    await log.record(undefined as never);
  } finally {
    await s.close();
  }
});
