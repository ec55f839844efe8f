import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import DescopeClient from '@descope/node-sdk';
import { fails, ok, type SdkServer, startSdkServer } from '../descope-sdk/support.ts';
import { STORES, startTestServer, type TestServer } from '../support/server.ts';
import { as, configure, fingerprint } from './support.ts';

/** Projects driven only through the official `@descope/node-sdk` (`management.project.*`). */
for (const store of STORES) {
  describe(`Descope SDK: projects (${store})`, () => {
    let t: SdkServer;
    let fresh: TestServer;
    before(async () => {
      t = await startSdkServer(store);
      fresh = await startTestServer(store);
      await configure(as(t.s, t.s.projectId, t.s.managementKey), '-sdk');
    });
    after(async () => {
      await t.close();
      await fresh.close();
    });
    const sdkFor = (url: string, projectId: string, managementKey: string) =>
      DescopeClient({ projectId, baseUrl: url, managementKey });

    test('updateName, clone (the clone is managed with the key it returns)', async () => {
      await ok(t.mgmt.management.project.updateName('SDK project'));
      const clone = await ok(t.mgmt.management.project.clone('SDK clone', 'production', ['a', 'b']));
      assert.equal(clone.projectName, 'SDK clone');
      assert.equal(clone.environment, 'production');
      assert.deepEqual(clone.tags, ['a', 'b']);
      const key = (clone as unknown as { managementKey: string }).managementKey;
      const cloned = sdkFor(t.s.url, clone.projectId, key);
      const flows = await ok(cloned.management.flow.list());
      assert.ok(flows.flows.some((f) => f.id === 'custom-sdk'));
      assert.deepEqual(
        await fingerprint(as(t.s, clone.projectId, key)),
        await fingerprint(as(t.s, t.s.projectId, t.s.managementKey)),
      );
      await fails(t.mgmt.management.project.clone(''), 400);
    });

    test('exportSnapshot → validateSnapshot / importSnapshot into a fresh server; export / import (files only)', async () => {
      const { files } = await ok(t.mgmt.management.project.exportSnapshot());
      const target = sdkFor(fresh.url, fresh.projectId, fresh.managementKey);
      assert.deepEqual(await ok(target.management.project.validateSnapshot({ files })), { ok: true });
      await ok(target.management.project.importSnapshot({ files }));
      const source = as(t.s, t.s.projectId, t.s.managementKey);
      const dest = as(fresh, fresh.projectId, fresh.managementKey);
      assert.deepEqual(await fingerprint(dest), await fingerprint(source));
      // custom attribute definitions travel in customAttributes.json and read back through the SDK
      assert.ok(files['customAttributes.json']);
      const attributes = await ok(target.management.user.getCustomAttributes());
      assert.deepEqual(
        attributes.map((a) => [a.name, a.type]),
        [
          ['plan-sdk', 4],
          ['seats-sdk', 2],
        ],
      );

      const plain = await ok(t.mgmt.management.project.export());
      assert.ok(plain['project.json']);
      await ok(target.management.project.import(plain));

      const newer = { ...files, 'project.json': { schemaVersion: 99 } };
      await fails(target.management.project.importSnapshot({ files: newer }), 400, 'E122102');
      const invalid = await ok(target.management.project.validateSnapshot({ files: newer }));
      assert.equal(invalid.ok, false);
      assert.match(invalid.failures?.[0] ?? '', /newer/);
    });

    test('delete: afterwards the project and its management key are gone', async () => {
      const clone = await ok(t.mgmt.management.project.clone('to delete'));
      const doomed = sdkFor(
        t.s.url,
        clone.projectId,
        (clone as unknown as { managementKey: string }).managementKey,
      );
      await ok(doomed.management.project.delete());
      await fails(doomed.management.flow.list(), 401);
      await ok(t.mgmt.management.flow.list());
    });
  });
}
