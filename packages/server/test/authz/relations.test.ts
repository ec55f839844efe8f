import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { mgmt, STORES, startTestServer, type TestServer } from '../support/server.ts';
import { type Rel, rel, seedSchema } from './seed-schema.ts';

type Query = { resource: string; relationDefinition: string; namespace: string; target: string };
type Err = { errorCode: string; errorMessage: string };

/**
 * The seed file system: folder s inside folder r; doc d1 in s, d2 in r, d3 alone; org o2 below o1
 * (stored as o2 --parent--> o1); members of o1 view folder r through a target set.
 */
const relations: Rel[] = [
  rel('folder', 's', 'parent', 'r'),
  rel('doc', 'd1', 'parent', 's'),
  rel('doc', 'd2', 'parent', 'r'),
  rel('folder', 'r', 'owner', 'alice'),
  rel('folder', 's', 'editor', 'bob'),
  rel('doc', 'd1', 'viewer', 'carol'),
  rel('doc', 'd3', 'owner', 'dave'),
  {
    namespace: 'folder',
    resource: 'r',
    relationDefinition: 'viewer',
    targetSetResource: 'o1',
    targetSetRelationDefinition: 'member',
    targetSetRelationDefinitionNamespace: 'org',
  },
  rel('org', 'o2', 'parent', 'o1'),
  rel('org', 'o2', 'member', 'frank'),
  rel('org', 'o1', 'member', 'gina'),
];

const users = ['alice', 'bob', 'carol', 'dave', 'frank', 'gina', 'hank'];
const resources: Record<string, string[]> = {
  org: ['o1', 'o2'],
  folder: ['r', 's'],
  doc: ['d1', 'd2', 'd3'],
};

/** Worked out by hand from the schema (docs/authz.md walks through several of these). */
const expected: Record<string, string[]> = {
  'org/o1/parent': [],
  'org/o1/member': ['frank', 'gina'], // gina directly; frank through relationLeft (o2's parent is o1)
  'org/o2/parent': ['o1'],
  'org/o2/member': ['frank'],
  'folder/r/parent': [],
  'folder/r/owner': ['alice'],
  'folder/r/editor': ['alice'], // owner ⊆ editor
  'folder/r/viewer': ['alice', 'frank', 'gina'], // editors, and members of o1 through the target set
  'folder/s/parent': ['r'],
  'folder/s/owner': ['alice'], // relationRight: owner of the parent folder
  'folder/s/editor': ['alice', 'bob'],
  'folder/s/viewer': ['alice', 'bob', 'frank', 'gina'],
  'doc/d1/parent': ['s'],
  'doc/d1/owner': ['alice'],
  'doc/d1/editor': ['alice', 'bob'],
  'doc/d1/viewer': ['alice', 'bob', 'carol', 'frank', 'gina'],
  'doc/d2/parent': ['r'],
  'doc/d2/owner': ['alice'],
  'doc/d2/editor': ['alice'],
  'doc/d2/viewer': ['alice', 'frank', 'gina'],
  'doc/d3/parent': [],
  'doc/d3/owner': ['dave'],
  'doc/d3/editor': ['dave'],
  'doc/d3/viewer': ['dave'],
};

function allQueries(): Query[] {
  const out: Query[] = [];
  for (const ns of seedSchema.namespaces)
    for (const rd of ns.relationDefinitions)
      for (const resource of resources[ns.name] ?? [])
        for (const target of users)
          out.push({ namespace: ns.name, resource, relationDefinition: rd.name, target });
  return out;
}

for (const store of STORES) {
  describe(`authz relations and checks on the seed schema (${store})`, () => {
    let s: TestServer;
    let s2: TestServer;
    const has = async (server: TestServer, queries: Query[]) => {
      const res = await mgmt<{ relationQueries: (Query & { hasRelation: boolean })[] }>(
        server,
        'POST',
        '/v1/mgmt/authz/re/has',
        { relationQueries: queries },
      );
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body.relationQueries;
    };
    const check = async (ns: string, resource: string, rd: string, target: string, server = s) =>
      (await has(server, [{ namespace: ns, resource, relationDefinition: rd, target }]))[0]?.hasRelation;
    const who = async (ns: string, resource: string, rd: string, server = s) => {
      const res = await mgmt<{ targets: string[] }>(server, 'POST', '/v1/mgmt/authz/re/who', {
        namespace: ns,
        resource,
        relationDefinition: rd,
      });
      assert.equal(res.status, 200);
      return [...res.body.targets].sort();
    };
    const create = (list: Rel[]) => mgmt(s, 'POST', '/v1/mgmt/authz/re/create', { relations: list });
    const remove = (list: Rel[]) => mgmt(s, 'POST', '/v1/mgmt/authz/re/delete', { relations: list });

    before(async () => {
      s = await startTestServer(store);
      // A second instance on the same store, called with the first project's management key.
      const second = await startTestServer(store, {}, s.shared);
      s2 = { ...second, management: s.management, close: () => second.close() };
      assert.equal(
        (await mgmt(s, 'POST', '/v1/mgmt/authz/schema/save', { schema: seedSchema, upgrade: true })).status,
        200,
      );
      assert.equal((await create(relations)).status, 200);
    });
    after(async () => {
      await s2.close();
      await s.close();
    });

    test('the README example: an owner of a doc is also its editor and viewer', async () => {
      assert.equal(await check('doc', 'd3', 'owner', 'dave'), true);
      assert.equal(await check('doc', 'd3', 'editor', 'dave'), true);
      assert.equal(await check('doc', 'd3', 'viewer', 'dave'), true);
      assert.equal(await check('doc', 'd3', 'viewer', 'alice'), false);
    });

    test('a viewer of a folder views the docs inside it, through parent, at any depth', async () => {
      assert.equal(await check('doc', 'd2', 'viewer', 'gina'), true);
      assert.equal(await check('doc', 'd1', 'viewer', 'gina'), true, 'd1 is in s, which is in r');
      assert.equal(await check('doc', 'd1', 'editor', 'gina'), false, 'viewing does not grant editing');
      assert.equal(await check('doc', 'd3', 'viewer', 'gina'), false, 'd3 has no parent');
    });

    test('exhaustive: every relation of every resource for every user, in one batch', async () => {
      const queries = allQueries();
      const answers = await has(s, queries);
      assert.equal(answers.length, queries.length);
      for (const [i, q] of queries.entries()) {
        const a = answers[i]!;
        assert.deepEqual(
          {
            resource: a.resource,
            relationDefinition: a.relationDefinition,
            namespace: a.namespace,
            target: a.target,
          },
          q,
          'answers come back in the order asked',
        );
        const want = (expected[`${q.namespace}/${q.resource}/${q.relationDefinition}`] ?? []).includes(
          q.target,
        );
        assert.equal(
          a.hasRelation,
          want,
          `${q.target} ${q.relationDefinition} of ${q.namespace} ${q.resource}`,
        );
      }
      assert.ok(answers.some((a) => a.hasRelation) && answers.some((a) => !a.hasRelation));
    });

    test('who can access: every resource and relation, computed through the schema', async () => {
      for (const [key, targets] of Object.entries(expected)) {
        const [ns, resource, rd] = key.split('/') as [string, string, string];
        assert.deepEqual(await who(ns, resource, rd), targets, key);
      }
    });

    test('resource and targets relations return stored relations only', async () => {
      const byResource = await mgmt<{ relations: Rel[] }>(s, 'POST', '/v1/mgmt/authz/re/resource', {
        resource: 'r',
      });
      assert.deepEqual(byResource.body.relations, [rel('folder', 'r', 'owner', 'alice'), relations[7]]);
      const noSets = await mgmt<{ relations: Rel[] }>(s, 'POST', '/v1/mgmt/authz/re/resource', {
        resource: 'r',
        ignoreTargetSetRelations: true,
      });
      assert.deepEqual(noSets.body.relations, [rel('folder', 'r', 'owner', 'alice')]);
      const ruby = await mgmt<{ relations: Rel[] }>(s, 'POST', '/v1/mgmt/authz/re/resource', {
        resources: ['d3', 'o2'],
      });
      assert.deepEqual(ruby.body.relations, [
        rel('doc', 'd3', 'owner', 'dave'),
        rel('org', 'o2', 'member', 'frank'),
        rel('org', 'o2', 'parent', 'o1'),
      ]);
      const targets = await mgmt<{ relations: Rel[] }>(s, 'POST', '/v1/mgmt/authz/re/targets', {
        targets: ['alice', 'o1'],
      });
      assert.deepEqual(targets.body.relations, [
        rel('folder', 'r', 'owner', 'alice'),
        rel('org', 'o2', 'parent', 'o1'),
      ]);
      const withSets = await mgmt<{ relations: Rel[] }>(s, 'POST', '/v1/mgmt/authz/re/targets', {
        targets: ['o1'],
        includeTargetSetRelations: true,
      });
      assert.deepEqual(withSets.body.relations, [relations[7], rel('org', 'o2', 'parent', 'o1')]);
    });

    test('what a target can access, with and without a relation', async () => {
      const all = await mgmt<{ relations: Rel[] }>(s, 'POST', '/v1/mgmt/authz/re/targetall', {
        target: 'bob',
      });
      const got = all.body.relations
        .map((r) => `${r.namespace}/${r.resource}/${r.relationDefinition}`)
        .sort();
      const want = Object.entries(expected)
        .filter(([, t]) => t.includes('bob'))
        .map(([k]) => k)
        .sort();
      assert.deepEqual(got, want);
      assert.ok(all.body.relations.every((r) => r.target === 'bob'));
      const viewer = await mgmt<{ resources: string[] }>(s, 'POST', '/v1/mgmt/authz/re/targetwithrelation', {
        target: 'frank',
        relationDefinition: 'viewer',
        namespace: 'doc',
      });
      assert.deepEqual(viewer.body.resources.sort(), ['d1', 'd2']);
    });

    test('removing a relation removes access on the very next check, on this and another instance', async () => {
      const bobEdits = rel('folder', 's', 'editor', 'bob');
      assert.equal(await check('doc', 'd1', 'editor', 'bob'), true);
      assert.equal(await check('doc', 'd1', 'editor', 'bob', s2), true);
      assert.equal((await remove([bobEdits])).status, 200);
      assert.equal(await check('doc', 'd1', 'editor', 'bob'), false);
      assert.equal(await check('doc', 'd1', 'viewer', 'bob', s2), false);
      assert.deepEqual(await who('doc', 'd1', 'editor', s2), ['alice']);
      await create([bobEdits]);
      assert.equal(await check('doc', 'd1', 'viewer', 'bob', s2), true);
      // a target-set member loses access when removed from the org
      await mgmt(s2, 'POST', '/v1/mgmt/authz/re/delete', {
        relations: [rel('org', 'o2', 'member', 'frank')],
      });
      assert.equal(await check('doc', 'd1', 'viewer', 'frank'), false);
      await create([rel('org', 'o2', 'member', 'frank')]);
      assert.equal(await check('doc', 'd1', 'viewer', 'frank'), true);
    });

    test('delete all relations of given resources (as resource or target)', async () => {
      await create([
        rel('doc', 'tmp', 'parent', 'r'),
        rel('doc', 'tmp', 'owner', 'ivan'),
        rel('doc', 'other', 'parent', 'tmp'),
      ]);
      assert.equal(await check('doc', 'tmp', 'viewer', 'alice'), true);
      assert.equal(
        (await mgmt(s, 'POST', '/v1/mgmt/authz/re/deleteresources', { resources: ['tmp'] })).status,
        200,
      );
      assert.equal(await check('doc', 'tmp', 'viewer', 'alice'), false);
      assert.equal(await check('doc', 'tmp', 'owner', 'ivan'), false);
      const left = await mgmt<{ relations: Rel[] }>(s, 'POST', '/v1/mgmt/authz/re/resource', {
        resources: ['tmp', 'other'],
      });
      assert.deepEqual(left.body.relations, []);
    });

    test('relations must name a known relation definition and a target', async () => {
      const unknown = await create([rel('doc', 'x', 'reader', 'u')]);
      assert.equal(unknown.status, 400);
      assert.equal((unknown.body as Err).errorCode, 'E116102');
      const noTarget = await create([{ namespace: 'doc', resource: 'x', relationDefinition: 'owner' }]);
      assert.equal(noTarget.status, 400);
      // the batch is all-or-nothing
      const mixed = await create([rel('doc', 'x', 'owner', 'u'), rel('doc', 'x', 'reader', 'u')]);
      assert.equal(mixed.status, 400);
      assert.equal(await check('doc', 'x', 'owner', 'u'), false);
      const badCheck = await mgmt<Err>(s, 'POST', '/v1/mgmt/authz/re/has', {
        relationQueries: [{ namespace: 'doc', resource: 'x', relationDefinition: 'reader', target: 'u' }],
      });
      assert.equal(badCheck.status, 400);
      assert.equal(badCheck.body.errorCode, 'E116102');
    });

    test('cyclic data terminates; a chain deeper than the limit is a clear 400', async () => {
      await create([
        rel('folder', 'ca', 'parent', 'cb'),
        rel('folder', 'cb', 'parent', 'ca'),
        rel('folder', 'cb', 'owner', 'kim'),
      ]);
      assert.equal(await check('folder', 'ca', 'owner', 'kim'), true);
      assert.equal(await check('folder', 'ca', 'viewer', 'lee'), false);
      const chain: Rel[] = [rel('folder', 'f0', 'owner', 'root-owner')];
      for (let i = 1; i <= 70; i++) chain.push(rel('folder', `f${i}`, 'parent', `f${i - 1}`));
      await create(chain);
      assert.equal(await check('folder', 'f10', 'owner', 'root-owner'), true);
      const deep = await mgmt<Err>(s, 'POST', '/v1/mgmt/authz/re/has', {
        relationQueries: [
          { namespace: 'folder', resource: 'f70', relationDefinition: 'owner', target: 'root-owner' },
        ],
      });
      assert.equal(deep.status, 400);
      assert.equal(deep.body.errorCode, 'E116103');
      assert.match(deep.body.errorMessage, /more than 64 nested checks/);
    });
  });
}
