import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { AuthzSchema } from '@descope/node-sdk';
import { fails, ok, type SdkServer, startSdkServer } from '../descope-sdk/support.ts';
import { STORES } from '../support/server.ts';
import { rel, seedSchema } from './seed-schema.ts';

const tick = () => new Promise((r) => setTimeout(r, 5));

for (const store of STORES) {
  describe(`Descope SDK: authz getModified and deleteResourceRelationsForResources (${store})`, () => {
    let t: SdkServer;
    before(async () => {
      t = await startSdkServer(store);
    });
    after(() => t.close());
    const authz = () => t.mgmt.management.authz;
    const viewer = async (resource: string, target: string) =>
      (
        await ok(authz().hasRelations([{ resource, relationDefinition: 'viewer', namespace: 'doc', target }]))
      )[0]?.hasRelation;

    test('getModified: what changed at or after the date, over the wire as epoch ms', async () => {
      await tick();
      const since = new Date();
      await tick();
      assert.deepEqual(await ok(authz().getModified(since)), {
        resources: [],
        targets: [],
        schemaChanged: false,
      });
      await ok(authz().saveSchema(seedSchema as AuthzSchema, true));
      await ok(
        authz().createRelations([rel('folder', 'f1', 'owner', 'u1'), rel('doc', 'd1', 'parent', 'f1')]),
      );
      assert.deepEqual(await ok(authz().getModified(since)), {
        resources: ['d1', 'f1'],
        targets: ['f1', 'u1'],
        schemaChanged: true,
      });
      const wire = t.calls.findLast((c) => c.path === '/v1/mgmt/authz/getmodified');
      assert.deepEqual(JSON.parse(wire?.body ?? '{}'), { since: since.getTime() });
      await tick();
      const later = new Date();
      await tick();
      await ok(authz().deleteRelations([rel('doc', 'd1', 'parent', 'f1')]));
      assert.deepEqual(await ok(authz().getModified(later)), {
        resources: ['d1'],
        targets: ['f1'],
        schemaChanged: false,
      });
      const future = await fails(authz().getModified(new Date(Date.now() + 3_600_000)), 400);
      assert.equal(future.errorCode, 'E011004');
      const tooOld = await fails(authz().getModified(new Date(Date.now() - 31 * 86_400_000)), 400);
      assert.match(tooOld.errorMessage ?? '', /older than the 30-day change log/);
    });

    test('deleteResourceRelationsForResources: relations of the resource go, those targeting it stay', async () => {
      await ok(
        authz().createRelations([
          rel('folder', 'f2', 'owner', 'u2'),
          rel('doc', 'd2', 'parent', 'f2'),
          rel('doc', 'd2', 'owner', 'u3'),
        ]),
      );
      assert.equal(await viewer('d2', 'u2'), true);
      await ok(authz().deleteResourceRelationsForResources(['f2']));
      assert.deepEqual(await ok(authz().resourceRelations('f2')), []);
      assert.deepEqual((await ok(authz().resourceRelations('d2'))).length, 2);
      assert.deepEqual(await ok(authz().targetsRelations(['f2'])), [rel('doc', 'd2', 'parent', 'f2')]);
      assert.equal(await viewer('d2', 'u2'), false, 'the check after the write is not stale');
      assert.equal(await viewer('d2', 'u3'), true);
      await fails(authz().deleteResourceRelationsForResources([]), 400);
    });
  });
}
