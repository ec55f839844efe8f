import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../../server/test/support/server.ts';
import { createLatchkeyClient, ERROR_CODES, LatchkeyApiError } from '../src/index.ts';
import { type Harness, rejection, STORES, startHarness } from './support/sdk.ts';

for (const store of STORES) {
  describe(`flows, theme and projects through the SDK (${store})`, () => {
    let h: Harness;
    let fresh: TestServer;
    before(async () => {
      h = await startHarness(store);
      fresh = await startTestServer(store);
    });
    after(async () => {
      await h.close();
      await fresh.close();
    });
    const m = () => h.client.management;

    test('flows: list, export, import a copy, delete; unknown flow → E121101', async () => {
      const { flows, total } = await m().flow.list();
      assert.ok(total > 5);
      assert.equal(flows.find((f) => f.id === 'sign-up-or-in')?.name, 'Sign Up or In');
      assert.deepEqual(
        (await m().flow.list(['sign-in'])).flows.map((f) => f.id),
        ['sign-in'],
      );
      const { flow, screens } = await m().flow.export('sign-up-or-in');
      assert.ok(screens.length > 1);
      const copy = await m().flow.import('sdk-copy', { ...flow, name: 'Copy' }, screens);
      assert.equal(copy.flow.name, 'Copy');
      assert.deepEqual(
        copy.screens.map((s) => s.id),
        screens.map((s) => s.id),
      );
      const renamed = await m().flow.import('sdk-copy', { name: 'Renamed' });
      assert.equal(renamed.screens.length, screens.length, 'screens kept when not sent');
      await m().flow.delete(['sdk-copy']);
      const err = await rejection(m().flow.export('sdk-copy'), LatchkeyApiError);
      assert.equal(err.status, 404);
      assert.equal(err.errorCode, ERROR_CODES.flowNotFound);
    });

    test('theme: import answers version + 1', async () => {
      const { theme } = await m().theme.export();
      const next = await m().theme.import({ ...theme, cssTemplate: { brand: 'sdk' } });
      assert.equal(next.version, theme.version + 1);
      assert.deepEqual(next.cssTemplate, { brand: 'sdk' });
    });

    test('projects: rename, clone (with its own key), snapshot to a fresh server, newer version refused, delete', async () => {
      await m().role.create('sdk-role');
      await m().project.updateName('SDK');
      const clone = await m().project.clone('SDK clone', { tags: ['t'] });
      assert.deepEqual(clone.tags, ['t']);
      const cloned = createLatchkeyClient({
        projectId: clone.projectId,
        baseUrl: h.server.url,
        managementKey: clone.managementKey,
      });
      assert.ok((await cloned.management.role.loadAll()).some((r) => r.name === 'sdk-role'));
      assert.deepEqual(
        (await cloned.management.theme.export()).theme.cssTemplate,
        (await m().theme.export()).theme.cssTemplate,
      );

      const files = await m().project.exportSnapshot();
      const target = createLatchkeyClient({
        projectId: fresh.projectId,
        baseUrl: fresh.url,
        managementKey: fresh.managementKey,
      });
      assert.deepEqual(await target.management.project.validateSnapshot(files), { ok: true });
      await target.management.project.importSnapshot(files);
      assert.ok((await target.management.role.loadAll()).some((r) => r.name === 'sdk-role'));
      assert.deepEqual(await target.management.theme.export().then((t) => t.theme.cssTemplate), {
        brand: 'sdk',
      });

      const newer = { ...files, 'project.json': { schemaVersion: 2 } };
      const refused = await rejection(target.management.project.importSnapshot(newer), LatchkeyApiError);
      assert.equal(refused.errorCode, ERROR_CODES.snapshotVersionUnsupported);
      const { ok, failures } = await target.management.project.validateSnapshot({
        ...files,
        'roles.json': { roles: 'x' },
      });
      assert.equal(ok, false);
      assert.ok(failures?.some((f) => f.startsWith('roles.json')));

      await cloned.management.project.delete();
      const gone = await rejection(cloned.management.role.loadAll(), LatchkeyApiError);
      assert.equal(gone.status, 401);
    });
  });
}
