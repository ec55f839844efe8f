import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { clone, seedSchema } from '../../server/test/authz/seed-schema.ts';
import { type AuthzRelation, type AuthzSchema, ERROR_CODES, LatchkeyApiError } from '../src/index.ts';
import { type Harness, rejection, STORES, startHarness } from './support/sdk.ts';

const rel = (namespace: string, resource: string, relationDefinition: string, target: string) => ({
  namespace,
  resource,
  relationDefinition,
  target,
});

for (const store of STORES) {
  describe(`authz (ReBAC) through the SDK (${store})`, () => {
    let h: Harness;
    const authz = () => h.client.management.authz;
    const can = async (target: string, relationDefinition: string, namespace: string, resource: string) => {
      const [answer] = await authz().hasRelations([{ resource, relationDefinition, namespace, target }]);
      assert.ok(answer);
      return answer.hasRelation;
    };
    before(async () => {
      h = await startHarness(store);
    });
    after(() => h.close());

    test('schema: save, load, namespaces and relation definitions, delete', async () => {
      assert.deepEqual((await authz().loadSchema()).namespaces, []);
      await authz().saveSchema(clone(seedSchema) as AuthzSchema);
      const loaded = await authz().loadSchema();
      assert.equal(loaded.name, 'Files');
      assert.deepEqual(
        loaded.namespaces.map((n) => n.name),
        ['org', 'folder', 'doc'],
      );

      await authz().saveNamespace({ name: 'team', relationDefinitions: [{ name: 'member' }] });
      await authz().saveRelationDefinition({ name: 'lead' }, 'team');
      const team = (await authz().loadSchema()).namespaces.find((n) => n.name === 'team');
      assert.deepEqual(team?.relationDefinitions.map((r) => r.name).sort(), ['lead', 'member']);
      await authz().deleteRelationDefinition('lead', 'team');
      await authz().deleteNamespace('team');
      assert.equal(
        (await authz().loadSchema()).namespaces.some((n) => n.name === 'team'),
        false,
      );

      const invalid = await rejection(
        authz().saveSchema({
          namespaces: [{ name: 'x', relationDefinitions: [{ name: 'y' }, { name: 'y' }] }],
        }),
        LatchkeyApiError,
      );
      assert.equal(invalid.errorCode, ERROR_CODES.authzInvalidSchema);

      await authz().deleteSchema();
      assert.deepEqual((await authz().loadSchema()).namespaces, []);
    });

    test('relations: create, check through parents and target sets, query, delete', async () => {
      await authz().saveSchema(clone(seedSchema) as AuthzSchema);
      const relations: AuthzRelation[] = [
        rel('doc', 'doc1', 'owner', 'ada'),
        rel('doc', 'doc1', 'parent', 'folder1'),
        rel('folder', 'folder1', 'viewer', 'bob'),
        rel('doc', 'doc2', 'viewer', 'bob'),
      ];
      await authz().createRelations(relations);

      const unknown = await rejection(
        authz().createRelations([rel('doc', 'doc1', 'admirer', 'eve')]),
        LatchkeyApiError,
      );
      assert.equal(unknown.errorCode, ERROR_CODES.authzUnknownRelation);

      // owner → editor → viewer through target sets
      assert.equal(await can('ada', 'viewer', 'doc', 'doc1'), true);
      // folder viewer sees the document through its parent
      assert.equal(await can('bob', 'viewer', 'doc', 'doc1'), true);
      assert.equal(await can('bob', 'owner', 'doc', 'doc1'), false);
      assert.equal(await can('eve', 'viewer', 'doc', 'doc1'), false);
      const answers = await authz().hasRelations([
        { resource: 'doc1', relationDefinition: 'editor', namespace: 'doc', target: 'ada' },
        { resource: 'doc1', relationDefinition: 'editor', namespace: 'doc', target: 'bob' },
      ]);
      assert.deepEqual(
        answers.map((a) => [a.target, a.hasRelation]),
        [
          ['ada', true],
          ['bob', false],
        ],
      );

      assert.deepEqual((await authz().whoCanAccess('doc1', 'viewer', 'doc')).sort(), ['ada', 'bob']);
      assert.deepEqual(await authz().whoCanAccess('doc1', 'owner', 'doc'), ['ada']);
      assert.deepEqual(
        (await authz().resourceRelations('doc1')).map((r) => `${r.relationDefinition}:${r.target}`).sort(),
        ['owner:ada', 'parent:folder1'],
      );
      assert.deepEqual(
        (await authz().targetsRelations(['bob'])).map((r) => `${r.namespace}:${r.resource}`).sort(),
        ['doc:doc2', 'folder:folder1'],
      );
      assert.deepEqual((await authz().whatCanTargetAccessWithRelation('bob', 'viewer', 'doc')).sort(), [
        'doc1',
        'doc2',
      ]);
      const everything = await authz().whatCanTargetAccess('ada');
      assert.ok(everything.some((r) => r.resource === 'doc1' && r.relationDefinition === 'owner'));
      assert.ok(everything.some((r) => r.resource === 'doc1' && r.relationDefinition === 'viewer'));

      await authz().deleteRelations([rel('folder', 'folder1', 'viewer', 'bob')]);
      assert.equal(await can('bob', 'viewer', 'doc', 'doc1'), false);
      assert.deepEqual(await authz().whoCanAccess('doc1', 'viewer', 'doc'), ['ada']);

      await authz().deleteRelationsForResources(['doc1']);
      assert.equal(await can('ada', 'viewer', 'doc', 'doc1'), false);
      assert.deepEqual(await authz().resourceRelations('doc1'), []);
      assert.equal(await can('bob', 'viewer', 'doc', 'doc2'), true);
    });
  });
}

for (const store of STORES) {
  describe(`authz getModified and deleteResourceRelationsForResources through the SDK (${store})`, () => {
    let h: Harness;
    const authz = () => h.client.management.authz;
    before(async () => {
      h = await startHarness(store);
      await authz().saveSchema(clone(seedSchema) as AuthzSchema, true);
    });
    after(() => h.close());

    test('getModified reports what changed since the given date', async () => {
      await new Promise((r) => setTimeout(r, 5));
      const since = new Date();
      await new Promise((r) => setTimeout(r, 5));
      assert.deepEqual(await authz().getModified(since), {
        resources: [],
        targets: [],
        schemaChanged: false,
      });
      await authz().createRelations([rel('folder', 'g1', 'owner', 'ann'), rel('doc', 'gd', 'parent', 'g1')]);
      await authz().saveRelationDefinition({ name: 'tagged' }, 'doc');
      assert.deepEqual(await authz().getModified(since), {
        resources: ['g1', 'gd'],
        targets: ['ann', 'g1'],
        schemaChanged: true,
      });
      assert.deepEqual((await authz().getModified()).resources, ['g1', 'gd'], 'no date: the whole log');
      const future = await rejection(authz().getModified(new Date(Date.now() + 3_600_000)), LatchkeyApiError);
      assert.equal(future.errorCode, ERROR_CODES.invalidArguments);
      const old = await rejection(
        authz().getModified(new Date(Date.now() - 40 * 86_400_000)),
        LatchkeyApiError,
      );
      assert.equal(old.errorCode, ERROR_CODES.invalidArguments);
    });

    test('deleteResourceRelationsForResources keeps relations where the id is only the target', async () => {
      await authz().createRelations([rel('folder', 'h1', 'owner', 'bea'), rel('doc', 'hd', 'parent', 'h1')]);
      const [before] = await authz().hasRelations([
        { resource: 'hd', relationDefinition: 'viewer', namespace: 'doc', target: 'bea' },
      ]);
      assert.equal(before?.hasRelation, true);
      await authz().deleteResourceRelationsForResources(['h1']);
      assert.deepEqual(await authz().resourceRelations('h1'), []);
      assert.deepEqual(await authz().resourceRelations('hd'), [rel('doc', 'hd', 'parent', 'h1')]);
      const [after] = await authz().hasRelations([
        { resource: 'hd', relationDefinition: 'viewer', namespace: 'doc', target: 'bea' },
      ]);
      assert.equal(after?.hasRelation, false);
      const bad = await rejection(authz().deleteResourceRelationsForResources([]), LatchkeyApiError);
      assert.equal(bad.errorCode, ERROR_CODES.invalidRequest);
    });
  });
}
