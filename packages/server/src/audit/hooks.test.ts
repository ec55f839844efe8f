import assert from 'node:assert/strict';
import { test } from 'node:test';
import Fastify from 'fastify';
import pino from 'pino';
import { startTestServer } from '../../test/support/server.ts';
import { installAuditHooks, trackExplicit } from './hooks.ts';
import { searchAuditRows } from './repo.ts';
import { createAuditLog } from './service.ts';

test('routes enrich the central event with req.audit, or record their own (then the hook adds nothing)', async () => {
  const s = await startTestServer('sqlite');
  const log = createAuditLog({ db: s.server.store.db, logger: pino({ level: 'silent' }) });
  const audit = trackExplicit(log);
  const app = Fastify();
  installAuditHooks(app, audit);
  app.post('/v1/mgmt/widget/create', async (req) => {
    req.audit = { userId: 'U-enriched', data: { widget: 'w1' } };
    return { id: 'W1' };
  });
  app.post('/v1/mgmt/gadget/create', async () => {
    // a service deep in the call: no request passed, still tied to it
    await audit.record({ projectId: s.projectId, action: 'GadgetBuilt', actorId: 'management' });
    return {};
  });
  try {
    const headers = {
      authorization: s.management,
      'content-type': 'application/json',
      'user-agent': 'curl/8',
    };
    for (const url of ['/v1/mgmt/widget/create', '/v1/mgmt/gadget/create'])
      assert.equal((await app.inject({ method: 'POST', url, headers, payload: '{}' })).statusCode, 200);
    await log.flush();
    const window = { from: 0, to: Date.now() + 1000, size: 100, page: 0 };
    const { rows } = await searchAuditRows(s.server.store.db, s.projectId, window);
    const actions = rows.map((r) => r.action).sort();
    assert.deepEqual(actions, ['GadgetBuilt', 'WidgetCreated']);
    const widget = rows.find((r) => r.action === 'WidgetCreated')!;
    assert.equal(widget.user_id, 'U-enriched');
    assert.deepEqual(JSON.parse(widget.data_json), {
      path: '/v1/mgmt/widget/create',
      createdId: 'W1',
      widget: 'w1',
    });
    const gadget = rows.find((r) => r.action === 'GadgetBuilt')!;
    assert.equal(gadget.remote_address, '127.0.0.1', 'the request is found through the async scope');
    assert.equal(gadget.device, 'Unknown');
  } finally {
    await app.close();
    await log.close();
    await s.close();
  }
});
