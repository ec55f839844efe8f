import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { mgmt, STORES, startTestServer, type TestServer } from '../support/server.ts';
import { clone, seedSchema } from './seed-schema.ts';

type Schema = typeof seedSchema;
type Err = { errorCode: string; errorMessage: string };

for (const store of STORES) {
  describe(`authz schema (${store})`, () => {
    let s: TestServer;
    const load = async () =>
      (await mgmt<{ schema: Schema }>(s, 'POST', '/v1/mgmt/authz/schema/load')).body.schema;
    const nsNames = async () => (await load()).namespaces.map((n) => n.name).sort();

    before(async () => {
      s = await startTestServer(store);
    });
    after(() => s.close());
    beforeEach(async () => {
      assert.equal(
        (await mgmt(s, 'POST', '/v1/mgmt/authz/schema/save', { schema: seedSchema, upgrade: true })).status,
        200,
      );
    });

    test('the seed file-system schema round-trips exactly', async () => {
      assert.deepEqual(await load(), seedSchema);
    });

    test('load and delete accept an empty body (Go) and delete removes schema and relations', async () => {
      await mgmt(s, 'POST', '/v1/mgmt/authz/re/create', {
        relations: [{ resource: 'd1', relationDefinition: 'owner', namespace: 'doc', target: 'u1' }],
      });
      const res = await fetch(`${s.url}/v1/mgmt/authz/schema/delete`, {
        method: 'POST',
        headers: { authorization: s.management, 'content-type': 'application/json' },
      });
      assert.equal(res.status, 200);
      assert.deepEqual((await load()).namespaces, []);
      await mgmt(s, 'POST', '/v1/mgmt/authz/schema/save', { schema: seedSchema });
      const rel = await mgmt<{ relations: unknown[] }>(s, 'POST', '/v1/mgmt/authz/re/resource', {
        resource: 'd1',
      });
      assert.deepEqual(rel.body.relations, []);
    });

    test('upgrade removes namespaces not listed; without it others are kept', async () => {
      const onlyOrg = { name: 'Files', namespaces: [clone(seedSchema.namespaces[0])] };
      await mgmt(s, 'POST', '/v1/mgmt/authz/schema/save', { schema: onlyOrg, upgrade: false });
      assert.deepEqual(await nsNames(), ['doc', 'folder', 'org']);
      await mgmt(s, 'POST', '/v1/mgmt/authz/schema/save', { schema: onlyOrg, upgrade: true });
      assert.deepEqual(await nsNames(), ['org']);
    });

    test('save, rename and delete a namespace; a namespace others use cannot be deleted', async () => {
      const team = { name: 'team', relationDefinitions: [{ name: 'member' }] };
      assert.equal((await mgmt(s, 'POST', '/v1/mgmt/authz/ns/save', { namespace: team })).status, 200);
      assert.deepEqual(await nsNames(), ['doc', 'folder', 'org', 'team']);
      // ns/save keeps relation definitions it does not mention
      await mgmt(s, 'POST', '/v1/mgmt/authz/ns/save', {
        namespace: { name: 'team', relationDefinitions: [{ name: 'lead' }] },
      });
      const t = (await load()).namespaces.find((n) => n.name === 'team');
      assert.deepEqual(t?.relationDefinitions.map((r) => r.name).sort(), ['lead', 'member']);
      await mgmt(s, 'POST', '/v1/mgmt/authz/re/create', {
        relations: [{ resource: 'tm', relationDefinition: 'member', namespace: 'team', target: 'u9' }],
      });
      await mgmt(s, 'POST', '/v1/mgmt/authz/ns/save', {
        namespace: { name: 'squad', relationDefinitions: [] },
        oldName: 'team',
      });
      assert.deepEqual(await nsNames(), ['doc', 'folder', 'org', 'squad']);
      const has = await mgmt<{ relationQueries: { hasRelation: boolean }[] }>(
        s,
        'POST',
        '/v1/mgmt/authz/re/has',
        {
          relationQueries: [
            { resource: 'tm', relationDefinition: 'member', namespace: 'squad', target: 'u9' },
          ],
        },
      );
      assert.equal(has.body.relationQueries[0]?.hasRelation, true, 'relations follow the renamed namespace');
      assert.equal((await mgmt(s, 'POST', '/v1/mgmt/authz/ns/delete', { name: 'squad' })).status, 200);
      assert.deepEqual(await nsNames(), ['doc', 'folder', 'org']);
      const refused = await mgmt<Err>(s, 'POST', '/v1/mgmt/authz/ns/delete', { name: 'folder' });
      assert.equal(refused.status, 400);
      assert.equal(refused.body.errorCode, 'E116101');
      assert.match(refused.body.errorMessage, /doc#owner refers to unknown relation definition folder#owner/);
      assert.deepEqual(await load(), seedSchema);
    });

    test('save, rename (oldName and Ruby old_name) and delete a relation definition', async () => {
      await mgmt(s, 'POST', '/v1/mgmt/authz/rd/save', {
        namespace: 'org',
        relationDefinition: { name: 'admin' },
      });
      await mgmt(s, 'POST', '/v1/mgmt/authz/rd/save', {
        namespace: 'org',
        relationDefinition: { name: 'boss' },
        old_name: 'admin',
      });
      await mgmt(s, 'POST', '/v1/mgmt/authz/rd/save', {
        namespace: 'org',
        relationDefinition: { name: 'chief' },
        oldName: 'boss',
      });
      const rds = async () =>
        (await load()).namespaces.find((n) => n.name === 'org')?.relationDefinitions.map((r) => r.name);
      assert.deepEqual(await rds(), ['parent', 'member', 'chief']);
      await mgmt(s, 'POST', '/v1/mgmt/authz/rd/delete', { namespace: 'org', name: 'chief' });
      assert.deepEqual(await rds(), ['parent', 'member']);
      const missing = await mgmt<Err>(s, 'POST', '/v1/mgmt/authz/rd/delete', {
        namespace: 'org',
        name: 'nope',
      });
      assert.equal(missing.status, 400);
      assert.equal(missing.body.errorCode, 'E116102');
      const usedElsewhere = await mgmt<Err>(s, 'POST', '/v1/mgmt/authz/rd/delete', {
        namespace: 'folder',
        name: 'owner',
      });
      assert.equal(usedElsewhere.status, 400);
      assert.deepEqual(await load(), seedSchema);
    });

    test('bad schemas are refused with 400 and nothing changes', async () => {
      const cases: [string, (x: Schema) => void, RegExp][] = [
        [
          'unknown namespace',
          (x) => {
            (
              x.namespaces[2]!.relationDefinitions[1]!.complexDefinition!.children[1] as {
                expression: Record<string, string>;
              }
            ).expression.targetRelationDefinitionNamespace = 'drive';
          },
          /unknown relation definition drive#owner/,
        ],
        [
          'unknown relation',
          (x) => {
            (
              x.namespaces[2]!.relationDefinitions[3]!.complexDefinition!.children[2] as {
                expression: Record<string, string>;
              }
            ).expression.targetRelationDefinition = 'writer';
          },
          /unknown relation definition doc#writer/,
        ],
        [
          'targetSet cycle',
          (x) => {
            // folder.owner ⊇ folder.viewer, while viewer ⊇ editor ⊇ owner on the same resource: never terminates
            (x.namespaces[1]!.relationDefinitions[1]!.complexDefinition!.children as unknown[]).push({
              nType: 'child',
              expression: {
                neType: 'targetSet',
                targetRelationDefinition: 'viewer',
                targetRelationDefinitionNamespace: 'folder',
              },
            });
          },
          /cycle|each other/,
        ],
        [
          'self-referencing targetSet',
          (x) => {
            x.namespaces[0]!.relationDefinitions[0] = {
              name: 'parent',
              complexDefinition: {
                nType: 'child',
                expression: { neType: 'targetSet', targetRelationDefinition: 'parent' },
              },
            } as never;
          },
          /org#parent -> org#parent/,
        ],
        [
          'union without children',
          (x) => {
            x.namespaces[0]!.relationDefinitions[0] = {
              name: 'parent',
              complexDefinition: { nType: 'union' },
            } as never;
          },
          /needs children/,
        ],
        [
          'duplicate namespace',
          (x) => {
            x.namespaces.push(clone(x.namespaces[0]!));
          },
          /listed twice/,
        ],
      ];
      for (const [label, mutate, message] of cases) {
        const bad = clone(seedSchema);
        mutate(bad);
        for (const upgrade of [true, false]) {
          const res = await mgmt<Err>(s, 'POST', '/v1/mgmt/authz/schema/save', { schema: bad, upgrade });
          assert.equal(res.status, 400, label);
          assert.equal(res.body.errorCode, 'E116101', label);
          assert.match(res.body.errorMessage, message, label);
        }
        assert.deepEqual(await load(), seedSchema, `${label}: nothing changed`);
      }
      const badRd = await mgmt<Err>(s, 'POST', '/v1/mgmt/authz/rd/save', {
        namespace: 'doc',
        relationDefinition: {
          name: 'viewer',
          complexDefinition: {
            nType: 'child',
            expression: { neType: 'targetSet', targetRelationDefinition: 'viewer' },
          },
        },
      });
      assert.equal(badRd.status, 400);
      assert.deepEqual(await load(), seedSchema);
      const badNode = await mgmt<Err>(s, 'POST', '/v1/mgmt/authz/schema/save', {
        schema: {
          namespaces: [
            { name: 'x', relationDefinitions: [{ name: 'r', complexDefinition: { nType: 'xor' } }] },
          ],
        },
      });
      assert.equal(badNode.status, 400);
      assert.deepEqual(await load(), seedSchema);
    });

    test('concurrent relation-definition saves are all kept (two instances on PostgreSQL)', async () => {
      // SQLite serves one instance per data folder; PostgreSQL instances share the store.
      const second = store === 'postgres' ? await startTestServer(store, {}, s.shared) : undefined;
      const other = second ? { ...s, url: second.url } : s;
      try {
        const names = Array.from({ length: 12 }, (_, i) => `extra${i}`);
        const results = await Promise.all(
          names.map((n, i) =>
            mgmt(i % 2 ? other : s, 'POST', '/v1/mgmt/authz/rd/save', {
              namespace: 'org',
              relationDefinition: { name: n },
            }),
          ),
        );
        assert.deepEqual(
          results.map((r) => r.status),
          names.map(() => 200),
        );
        const org = (await load()).namespaces.find((n) => n.name === 'org');
        assert.deepEqual(
          org?.relationDefinitions.map((r) => r.name).sort(),
          ['member', 'parent', ...names].sort(),
        );
      } finally {
        await second?.close();
      }
    });

    test('management key is required', async () => {
      const res = await fetch(`${s.url}/v1/mgmt/authz/schema/load`, {
        method: 'POST',
        headers: { authorization: s.project, 'content-type': 'application/json' },
        body: '{}',
      });
      assert.equal(res.status, 401);
    });
  });
}
