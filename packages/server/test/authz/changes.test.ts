import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CHANGE_RETENTION_MS, MAX_MODIFIED, pruneChanges } from '../../src/authz/changes.ts';
import { call, mgmt, STORES, startTestServer, type TestServer } from '../support/server.ts';
import { type Rel, rel, seedSchema } from './seed-schema.ts';

type Modified = { resources: string[]; targets: string[]; schemaChanged: boolean };
type Err = { errorCode: string; errorDescription: string; errorMessage: string };

const tick = () => new Promise((r) => setTimeout(r, 5));

for (const store of STORES) {
  describe(`authz getmodified and deleteresourcesrelations (${store})`, () => {
    let s: TestServer;
    let s2: TestServer;
    const post = <T = Record<string, unknown>>(path: string, body: unknown, server = s) =>
      mgmt<T>(server, 'POST', path, body);
    const modified = async (since: number | undefined, server = s) => {
      const res = await post<Modified>(
        '/v1/mgmt/authz/getmodified',
        since === undefined ? {} : { since },
        server,
      );
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body;
    };
    const create = async (list: Rel[]) =>
      assert.equal((await post('/v1/mgmt/authz/re/create', { relations: list })).status, 200);
    const stored = async (resource: string) =>
      (await post<{ relations: Rel[] }>('/v1/mgmt/authz/re/resource', { resource })).body.relations;
    const targets = async (target: string) =>
      (await post<{ relations: Rel[] }>('/v1/mgmt/authz/re/targets', { targets: [target] })).body.relations;
    const check = async (ns: string, resource: string, rd: string, target: string, server = s) => {
      const res = await post<{ relationQueries: { hasRelation: boolean }[] }>(
        '/v1/mgmt/authz/re/has',
        { relationQueries: [{ namespace: ns, resource, relationDefinition: rd, target }] },
        server,
      );
      assert.equal(res.status, 200);
      return res.body.relationQueries[0]?.hasRelation;
    };
    /** A point in time strictly after every write so far and before every later one. */
    const mark = async () => {
      await tick();
      const t = Date.now();
      await tick();
      return t;
    };

    before(async () => {
      s = await startTestServer(store);
      const second = await startTestServer(store, {}, s.shared);
      s2 = { ...second, management: s.management, close: () => second.close() };
    });
    after(async () => {
      await s2.close();
      await s.close();
    });

    test('schema saves, relation creates and deletes are reported from `since` on, and only then', async () => {
      const t0 = await mark();
      assert.deepEqual(await modified(t0), { resources: [], targets: [], schemaChanged: false });
      const save = await post('/v1/mgmt/authz/schema/save', { schema: seedSchema, upgrade: true });
      assert.equal(save.status, 200);
      const t1 = await mark();
      await create([
        rel('folder', 'f1', 'owner', 'u1'),
        rel('doc', 'd1', 'parent', 'f1'),
        {
          namespace: 'folder',
          resource: 'f2',
          relationDefinition: 'viewer',
          targetSetResource: 'o1',
          targetSetRelationDefinition: 'member',
          targetSetRelationDefinitionNamespace: 'org',
        },
      ]);
      assert.deepEqual(await modified(t0), {
        resources: ['d1', 'f1', 'f2'],
        targets: ['f1', 'o1', 'u1'],
        schemaChanged: true,
      });
      assert.deepEqual(
        await modified(t1),
        { resources: ['d1', 'f1', 'f2'], targets: ['f1', 'o1', 'u1'], schemaChanged: false },
        'the target-set resource stands for the targets of a target-set relation',
      );
      const t2 = await mark();
      assert.deepEqual(await modified(t2), { resources: [], targets: [], schemaChanged: false });
      // Creating what exists and deleting what does not change nothing.
      await create([rel('folder', 'f1', 'owner', 'u1')]);
      const none = await post('/v1/mgmt/authz/re/delete', {
        relations: [rel('doc', 'zz', 'owner', 'nobody')],
      });
      assert.equal(none.status, 200);
      // Saving the same schema again is not a schema change.
      await post('/v1/mgmt/authz/schema/save', { schema: seedSchema, upgrade: true });
      assert.deepEqual(await modified(t2), { resources: [], targets: [], schemaChanged: false });
      const del = await post('/v1/mgmt/authz/re/delete', { relations: [rel('doc', 'd1', 'parent', 'f1')] });
      assert.equal(del.status, 200);
      assert.deepEqual(await modified(t2), { resources: ['d1'], targets: ['f1'], schemaChanged: false });
      assert.deepEqual(await modified(t2, s2), await modified(t2), 'every instance reads the same log');
      assert.deepEqual(
        (await modified(0)).resources,
        ['d1', 'f1', 'f2'],
        'since 0 (the node SDK without a date): the whole retention window',
      );
      assert.deepEqual(await modified(undefined), await modified(0), 'a missing since is 0');
      assert.equal(
        (await post('/v1/mgmt/authz/getmodified', { since: null })).status,
        200,
        'null is missing',
      );
    });

    test('relations pruned by deleteresources, definition deletes and renames are reported', async () => {
      for (const name of ['tagged', 'labelled'])
        assert.equal(
          (await post('/v1/mgmt/authz/rd/save', { namespace: 'doc', relationDefinition: { name } })).status,
          200,
        );
      await create([
        rel('doc', 'p1', 'tagged', 'x1'),
        rel('doc', 'p2', 'labelled', 'x2'),
        rel('doc', 'p3', 'owner', 'p9'),
      ]);
      const t0 = await mark();
      await post('/v1/mgmt/authz/re/deleteresources', { resources: ['p9'] });
      assert.deepEqual(
        await modified(t0),
        {
          resources: ['p3'],
          targets: ['p9'],
          schemaChanged: false,
        },
        'deleteresources removes relations where the id is only the target, and reports them',
      );
      const t1 = await mark();
      const rdDelete = await post('/v1/mgmt/authz/rd/delete', { name: 'tagged', namespace: 'doc' });
      assert.equal(rdDelete.status, 200, JSON.stringify(rdDelete.body));
      const m1 = await modified(t1);
      assert.equal(m1.schemaChanged, true);
      assert.ok(m1.resources.includes('p1') && m1.targets.includes('x1'), JSON.stringify(m1));
      assert.ok(!m1.resources.includes('p2'), 'p2 has no tagged relation: untouched');
      assert.deepEqual(await stored('p1'), [], 'the pruned relation is gone');
      const t2 = await mark();
      const rename = await post('/v1/mgmt/authz/rd/save', {
        namespace: 'doc',
        relationDefinition: { name: 'marked' },
        oldName: 'labelled',
      });
      assert.equal(rename.status, 200, JSON.stringify(rename.body));
      const m2 = await modified(t2);
      assert.deepEqual(m2, { resources: ['p2'], targets: ['x2'], schemaChanged: true });
      // Restore the seed schema for the next tests (relations on removed definitions are pruned).
      await post('/v1/mgmt/authz/schema/save', { schema: seedSchema, upgrade: true });
    });

    test('deleteresourcesrelations deletes relations of the resources only, and checks see it at once', async () => {
      await create([
        rel('folder', 'k1', 'owner', 'ann'),
        rel('folder', 'k1', 'viewer', 'ben'),
        rel('doc', 'kd', 'parent', 'k1'),
        rel('doc', 'kd', 'owner', 'cat'),
        {
          namespace: 'folder',
          resource: 'k2',
          relationDefinition: 'viewer',
          targetSetResource: 'k1',
          targetSetRelationDefinition: 'owner',
          targetSetRelationDefinitionNamespace: 'folder',
        },
      ]);
      // Warm both instances' caches.
      assert.equal(await check('doc', 'kd', 'viewer', 'ann'), true);
      assert.equal(await check('doc', 'kd', 'viewer', 'ann', s2), true);
      assert.equal(await check('folder', 'k2', 'viewer', 'ann', s2), true);
      const t0 = await mark();
      const res = await post('/v1/mgmt/authz/re/deleteresourcesrelations', {
        resources: ['k1', 'nothing-here'],
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(res.body, {});
      assert.deepEqual(await stored('k1'), [], 'relations on k1 are gone');
      assert.deepEqual(
        await targets('k1'),
        [rel('doc', 'kd', 'parent', 'k1')],
        'relations where k1 is only the target stay',
      );
      assert.equal((await stored('k2')).length, 1, 'a target set naming k1 stays');
      assert.equal((await stored('kd')).length, 2);
      assert.equal(await check('doc', 'kd', 'viewer', 'ann'), false, 'not stale on this instance');
      assert.equal(await check('doc', 'kd', 'viewer', 'ann', s2), false, 'not stale on another instance');
      assert.equal(await check('folder', 'k2', 'viewer', 'ann', s2), false);
      assert.equal(await check('doc', 'kd', 'viewer', 'cat', s2), true);
      assert.deepEqual(await modified(t0), {
        resources: ['k1'],
        targets: ['ann', 'ben'],
        schemaChanged: false,
      });
      const audits = await post<{ audits: { action: string; data?: Record<string, unknown> }[] }>(
        '/v1/mgmt/audit/search',
        { actions: ['AuthzRelationsDeleted'] },
      );
      assert.equal(audits.status, 200);
      assert.ok(
        audits.body.audits.some((a) => a.data?.path === '/v1/mgmt/authz/re/deleteresourcesrelations'),
        JSON.stringify(audits.body.audits),
      );
    });

    test('bad input is a 400 with a Descope error body and changes nothing', async () => {
      const before = await modified(0);
      const kept = await stored('kd');
      for (const body of [
        {},
        { resources: [] },
        { resources: 'kd' },
        { resources: [''] },
        { resources: [7] },
        [],
      ]) {
        const res = await post<Err>('/v1/mgmt/authz/re/deleteresourcesrelations', body);
        assert.equal(res.status, 400, JSON.stringify(body));
        assert.ok(
          res.body.errorCode && res.body.errorDescription && res.body.errorMessage,
          JSON.stringify(res.body),
        );
      }
      assert.deepEqual(await stored('kd'), kept);
      const now = Date.now();
      for (const since of [
        -1,
        1.5,
        'yesterday',
        true,
        '0',
        now + 3_600_000,
        now - CHANGE_RETENTION_MS - 60_000,
      ]) {
        const res = await post<Err>('/v1/mgmt/authz/getmodified', { since });
        assert.equal(res.status, 400, `since ${since}: ${JSON.stringify(res.body)}`);
        assert.ok(res.body.errorCode && res.body.errorMessage);
      }
      const old = await post<Err>('/v1/mgmt/authz/getmodified', {
        since: now - CHANGE_RETENTION_MS - 60_000,
      });
      assert.equal(old.body.errorCode, 'E011004');
      assert.match(old.body.errorMessage, /older than the 30-day change log/);
      const future = await post<Err>('/v1/mgmt/authz/getmodified', { since: now + 3_600_000 });
      assert.match(future.body.errorMessage, /future/);
      assert.deepEqual(await modified(0), before);
      // A clock a few seconds ahead of the server's is not refused.
      assert.equal((await post('/v1/mgmt/authz/getmodified', { since: Date.now() + 5_000 })).status, 200);
    });

    test('both calls need the management key', async () => {
      for (const path of ['/v1/mgmt/authz/getmodified', '/v1/mgmt/authz/re/deleteresourcesrelations']) {
        const res = await call(s, 'POST', path, {
          body: { since: 0, resources: ['kd'] },
          auth: `Bearer ${s.projectId}`,
        });
        assert.equal(res.status, 401, path);
      }
      assert.equal((await stored('kd')).length, 2);
    });

    test(`more than ${MAX_MODIFIED} changed resources is refused with a clear error, then pruned past retention`, async () => {
      const t0 = await mark();
      const many = Array.from({ length: MAX_MODIFIED + 1 }, (_, i) =>
        rel('doc', `bulk${i}`, 'owner', 'bulk-user'),
      );
      for (let i = 0; i < many.length; i += 1000) await create(many.slice(i, i + 1000));
      const res = await post<Err>('/v1/mgmt/authz/getmodified', { since: t0 });
      assert.equal(res.status, 400);
      assert.equal(res.body.errorCode, 'E011004');
      assert.match(res.body.errorMessage, /More than 10000 resources changed/);
      const t1 = await mark();
      await create([rel('doc', 'late', 'owner', 'bulk-user')]);
      assert.deepEqual((await modified(t1)).resources, ['late']);
      // Retention: entries older than the window go; a prune "a window from now" removes all of them.
      const removed = await pruneChanges(s.server.store.db, Date.now() + CHANGE_RETENTION_MS + 1000);
      assert.ok(removed > MAX_MODIFIED, `removed ${removed}`);
      assert.deepEqual(await modified(0), { resources: [], targets: [], schemaChanged: false });
    });
  });
}
