import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { AuthzSchema } from '@descope/node-sdk';
import { ok, type SdkServer, startSdkServer } from '../descope-sdk/support.ts';
import { STORES } from '../support/server.ts';
import { seedSchema } from './seed-schema.ts';

for (const store of STORES) {
  describe(`Descope SDK: ReBAC authz (${store})`, () => {
    let t: SdkServer;
    before(async () => {
      t = await startSdkServer(store);
    });
    after(() => t.close());
    const authz = () => t.mgmt.management.authz;

    test('schema, relations and every query, through @descope/node-sdk', async () => {
      await ok(authz().saveSchema(seedSchema as AuthzSchema, true));
      assert.deepEqual(await ok(authz().loadSchema()), seedSchema);
      await ok(authz().saveRelationDefinition({ name: 'auditor' }, 'doc'));
      await ok(authz().saveRelationDefinition({ name: 'reviewer' }, 'doc', 'auditor'));
      const doc = (await ok(authz().loadSchema())).namespaces.find((n) => n.name === 'doc');
      assert.ok(doc?.relationDefinitions.some((r) => r.name === 'reviewer'));
      assert.ok(!doc?.relationDefinitions.some((r) => r.name === 'auditor'));

      await ok(
        authz().createRelations([
          { resource: 'f1', relationDefinition: 'owner', namespace: 'folder', target: 'u1' },
          { resource: 'some-doc', relationDefinition: 'parent', namespace: 'doc', target: 'f1' },
          { resource: 'other-doc', relationDefinition: 'owner', namespace: 'doc', target: 'u2' },
        ]),
      );
      const answers = await ok(
        authz().hasRelations([
          { resource: 'some-doc', relationDefinition: 'viewer', namespace: 'doc', target: 'u1' },
          { resource: 'some-doc', relationDefinition: 'viewer', namespace: 'doc', target: 'u2' },
        ]),
      );
      assert.deepEqual(
        answers.map((a) => a.hasRelation),
        [true, false],
      );
      assert.deepEqual(await ok(authz().whoCanAccess('some-doc', 'editor', 'doc')), ['u1']);
      assert.deepEqual(await ok(authz().resourceRelations('other-doc')), [
        { resource: 'other-doc', relationDefinition: 'owner', namespace: 'doc', target: 'u2' },
      ]);
      assert.deepEqual(await ok(authz().targetsRelations(['u1'])), [
        { resource: 'f1', relationDefinition: 'owner', namespace: 'folder', target: 'u1' },
      ]);
      const all = await ok(authz().whatCanTargetAccess('u2'));
      assert.deepEqual(all.map((r) => r.relationDefinition).sort(), ['editor', 'owner', 'viewer']);
      assert.deepEqual(await ok(authz().whatCanTargetAccessWithRelation('u1', 'viewer', 'doc')), [
        { resource: 'some-doc' },
      ]);
      await ok(authz().deleteRelationsForResources(['f1']));
      assert.deepEqual(await ok(authz().whoCanAccess('some-doc', 'viewer', 'doc')), []);
      await ok(authz().deleteSchema());
      assert.deepEqual((await ok(authz().loadSchema())).namespaces, []);
    });
  });
}
