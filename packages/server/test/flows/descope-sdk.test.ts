import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fails, ok, type SdkServer, startSdkServer } from '../descope-sdk/support.ts';
import { STORES } from '../support/server.ts';

/** Flows and theme driven only through the official `@descope/node-sdk` (`management.flow.*`, `management.theme.*`). */
for (const store of STORES) {
  describe(`Descope SDK: flows and theme (${store})`, () => {
    let t: SdkServer;
    before(async () => {
      t = await startSdkServer(store);
    });
    after(() => t.close());

    test('list, export, re-import (the Ruby integration expectations, through Node), delete', async () => {
      const { flows, total } = await ok(t.mgmt.management.flow.list());
      assert.ok(total > 5);
      const main = flows.find((f) => f.id === 'sign-up-or-in');
      assert.equal(main?.name, 'Sign Up or In');
      const exported = await ok(t.mgmt.management.flow.export('sign-up-or-in'));
      assert.ok(exported.screens.length > 1);
      const reimported = await ok(
        t.mgmt.management.flow.import('sign-up-or-in', exported.flow, exported.screens),
      );
      assert.deepEqual(reimported, exported);

      const copy = await ok(
        t.mgmt.management.flow.import('sdk-copy', { ...exported.flow, name: 'SDK copy' }, exported.screens),
      );
      assert.equal(copy.flow.id, 'sdk-copy');
      assert.equal(copy.screens.length, exported.screens.length);
      assert.ok((await ok(t.mgmt.management.flow.list())).flows.some((f) => f.id === 'sdk-copy'));
      await ok(t.mgmt.management.flow.delete(['sdk-copy']));
      await fails(t.mgmt.management.flow.export('sdk-copy'), 404, 'E121101');
      await fails(t.mgmt.management.flow.import('bad id', exported.flow), 400);
      await fails(t.client({ managementKey: 'Kwrong' }).management.flow.list(), 401, 'E011103');
    });

    test('theme: the exported theme re-imports with version + 1', async () => {
      const { theme } = await ok(t.mgmt.management.theme.export());
      assert.ok(theme.cssTemplate);
      const version = (theme as unknown as { version: number }).version;
      const imported = await ok(t.mgmt.management.theme.import(theme));
      assert.equal((imported.theme as unknown as { version: number }).version, version + 1);
      assert.deepEqual(imported.theme.cssTemplate, theme.cssTemplate);
    });
  });
}
