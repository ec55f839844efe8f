import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { mgmt, STORES, startTestServer, type TestServer } from '../support/server.ts';
import { rel, seedSchema } from './seed-schema.ts';

/**
 * The per-project check cache is dropped by any write, on every instance sharing the store: each check
 * reads the project's authz version (bumped in the write's transaction) before it trusts the cache.
 */
for (const store of STORES) {
  describe(`authz cache invalidation across instances (${store})`, () => {
    let a: TestServer;
    let b: TestServer;
    const check = async (s: TestServer, ns: string, res: string, rd: string, target: string) => {
      const r = await mgmt<{ relationQueries: { hasRelation: boolean }[] }>(
        s,
        'POST',
        '/v1/mgmt/authz/re/has',
        {
          relationQueries: [{ namespace: ns, resource: res, relationDefinition: rd, target }],
        },
      );
      assert.equal(r.status, 200);
      return r.body.relationQueries[0]?.hasRelation;
    };
    const post = async (s: TestServer, path: string, body: unknown) => {
      const r = await mgmt(s, 'POST', `/v1/mgmt/authz/${path}`, body);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return r.body;
    };

    before(async () => {
      a = await startTestServer(store);
      const second = await startTestServer(store, {}, a.shared);
      b = { ...second, management: a.management, close: () => second.close() };
      await post(a, 'schema/save', { schema: seedSchema, upgrade: true });
      await post(a, 're/create', {
        relations: [rel('folder', 'sub', 'parent', 'top'), rel('doc', 'doc1', 'parent', 'sub')],
      });
    });
    after(async () => {
      await b.close();
      await a.close();
    });

    test('write on A, the very next check on B sees it; delete on A, B answers false at once', async () => {
      // Warm B's cache with the negative answers first.
      for (let i = 0; i < 3; i++) assert.equal(await check(b, 'doc', 'doc1', 'viewer', 'ann'), false);
      await post(a, 're/create', { relations: [rel('folder', 'top', 'viewer', 'ann')] });
      assert.equal(await check(b, 'doc', 'doc1', 'viewer', 'ann'), true);
      for (let i = 0; i < 3; i++) assert.equal(await check(b, 'doc', 'doc1', 'viewer', 'ann'), true);
      await post(a, 're/delete', { relations: [rel('folder', 'top', 'viewer', 'ann')] });
      assert.equal(await check(b, 'doc', 'doc1', 'viewer', 'ann'), false);
    });

    test('who, targetall and targetwithrelation on B follow writes on A', async () => {
      const who = async () =>
        (
          (await post(b, 're/who', { resource: 'doc1', relationDefinition: 'viewer', namespace: 'doc' })) as {
            targets: string[];
          }
        ).targets;
      const canView = async () =>
        (
          (await post(b, 're/targetwithrelation', {
            target: 'bo',
            relationDefinition: 'viewer',
            namespace: 'doc',
          })) as {
            resources: string[];
          }
        ).resources;
      assert.deepEqual(await who(), []);
      assert.deepEqual(await canView(), []);
      await post(a, 're/create', { relations: [rel('folder', 'sub', 'editor', 'bo')] });
      assert.deepEqual(await who(), ['bo']);
      assert.deepEqual(await canView(), ['doc1']);
      const all = (await post(b, 're/targetall', { target: 'bo' })) as { relations: { resource: string }[] };
      assert.ok(all.relations.some((r) => r.resource === 'doc1'));
      await post(a, 're/deleteresources', { resources: ['sub'] });
      assert.deepEqual(await who(), []);
      assert.deepEqual(await canView(), []);
      assert.deepEqual(
        ((await post(b, 're/targetall', { target: 'bo' })) as { relations: unknown[] }).relations,
        [],
      );
    });

    test('a schema change on A applies to the next check on B', async () => {
      await post(a, 're/create', {
        relations: [rel('folder', 'sub', 'parent', 'top'), rel('folder', 'top', 'owner', 'cy')],
      });
      assert.equal(await check(b, 'folder', 'sub', 'viewer', 'cy'), true);
      const viewer = seedSchema.namespaces[1]!.relationDefinitions.find((rd) => rd.name === 'viewer')!;
      // viewer without inheritance from editors: owners no longer view
      await post(a, 'rd/save', {
        namespace: 'folder',
        relationDefinition: {
          name: 'viewer',
          complexDefinition: { nType: 'child', expression: { neType: 'self' } },
        },
      });
      assert.equal(await check(b, 'folder', 'sub', 'viewer', 'cy'), false);
      await post(a, 'rd/save', { namespace: 'folder', relationDefinition: viewer });
      assert.equal(await check(b, 'folder', 'sub', 'viewer', 'cy'), true);
      await post(a, 'schema/delete', {});
      const gone = await mgmt<{ errorCode: string }>(b, 'POST', '/v1/mgmt/authz/re/has', {
        relationQueries: [
          { namespace: 'folder', resource: 'sub', relationDefinition: 'viewer', target: 'cy' },
        ],
      });
      assert.equal(gone.status, 400);
      assert.equal(gone.body.errorCode, 'E116102');
      await post(a, 'schema/save', { schema: seedSchema, upgrade: true });
    });

    test('checks that start after a write are fresh even while other checks keep version reads in flight', async () => {
      await post(a, 're/create', { relations: [rel('doc', 'doc3', 'parent', 'f3')] });
      let flooding = true;
      const flood = (async () => {
        while (flooding) await Promise.all([1, 2, 3, 4].map(() => check(b, 'doc', 'doc3', 'viewer', 'zed')));
      })();
      let stale = 0;
      for (let i = 0; i < 10; i++) {
        await post(a, 're/create', { relations: [rel('folder', 'f3', 'viewer', `z${i}`)] });
        const after = await Promise.all(
          [1, 2, 3, 4, 5].map(() => check(b, 'doc', 'doc3', 'viewer', `z${i}`)),
        );
        stale += after.filter((v) => v !== true).length;
        await post(a, 're/delete', { relations: [rel('folder', 'f3', 'viewer', `z${i}`)] });
        const gone = await Promise.all([1, 2, 3, 4, 5].map(() => check(b, 'doc', 'doc3', 'viewer', `z${i}`)));
        stale += gone.filter((v) => v !== false).length;
      }
      flooding = false;
      await flood;
      assert.equal(stale, 0);
    });

    test('writes are audited with what changed; checks are not', async () => {
      await post(a, 're/create', { relations: [rel('folder', 'aud', 'viewer', 'audited')] });
      await check(a, 'folder', 'aud', 'viewer', 'audited');
      const found = await mgmt<{ audits: { action: string; data: Record<string, unknown> }[] }>(
        a,
        'POST',
        '/v1/mgmt/audit/search',
        { actions: ['AuthzRelationsCreated'] },
      );
      assert.equal(found.status, 200);
      assert.ok(found.body.audits.some((e) => e.data.count === 1));
      const reads = await mgmt<{ audits: unknown[] }>(a, 'POST', '/v1/mgmt/audit/search', {
        text: 're/has',
      });
      assert.equal(reads.status, 200, JSON.stringify(reads.body));
      assert.deepEqual(reads.body.audits, []);
    });

    test('alternating writes on one instance and checks on the other: never stale', async () => {
      await post(a, 're/create', { relations: [rel('doc', 'doc2', 'parent', 'f2')] });
      let stale = 0;
      const rounds = 25;
      for (let i = 0; i < rounds; i++) {
        const [writer, reader] = i % 2 ? [a, b] : [b, a];
        await post(writer, 're/create', { relations: [rel('folder', 'f2', 'editor', `u${i}`)] });
        if ((await check(reader, 'doc', 'doc2', 'viewer', `u${i}`)) !== true) stale++;
        await post(writer, 're/delete', { relations: [rel('folder', 'f2', 'editor', `u${i}`)] });
        if ((await check(reader, 'doc', 'doc2', 'viewer', `u${i}`)) !== false) stale++;
      }
      assert.equal(stale, 0, `${stale} of ${rounds * 2} checks after a write were stale`);
    });
  });
}
