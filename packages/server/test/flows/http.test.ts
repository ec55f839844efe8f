import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { call, mgmt, STORES, startTestServer, type TestServer } from '../support/server.ts';

type Flow = {
  id: string;
  name: string;
  description?: string;
  disabled: boolean;
  etag?: string;
  dsl?: unknown;
};
type Screen = {
  id: string;
  flowId: string;
  htmlTemplate?: unknown;
  inputs?: unknown;
  interactions?: unknown;
};
type FlowResponse = { flow: Flow; screens: Screen[]; errorCode?: string; errorMessage?: string };
type Theme = { id: string; cssTemplate: unknown; version: number };

/** Flows and theme over raw HTTP (reference §3.9): defaults, round trips, bad input, the v2 (Go) paths. */
for (const store of STORES) {
  describe(`flows and theme over HTTP (${store})`, () => {
    let s: TestServer;
    before(async () => {
      s = await startTestServer(store);
    });
    after(() => s.close());

    const list = async (body?: unknown) => {
      const res = await call<{ flows: Flow[]; total: number }>(s, 'POST', '/v1/mgmt/flow/list', {
        auth: s.management,
        ...(body === undefined ? { rawBody: '', headers: { 'content-type': 'application/json' } } : { body }),
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body;
    };
    const exportFlow = async (flowId: string, version = 'v1') => {
      const res = await mgmt<FlowResponse>(s, 'POST', `/${version}/mgmt/flow/export`, { flowId });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body;
    };

    test('concurrent first calls on a new project seed the defaults exactly once', async () => {
      const other = await startTestServer(store);
      try {
        const calls = await Promise.all(
          Array.from({ length: 6 }, (_, i) =>
            call<{ flows?: Flow[] }>(other, 'POST', i % 2 ? '/v1/mgmt/flow/list' : '/v1/mgmt/theme/export', {
              auth: other.management,
              body: {},
            }),
          ),
        );
        assert.deepEqual(
          calls.map((c) => c.status),
          Array(6).fill(200),
        );
        const listed = await call<{ total: number }>(other, 'POST', '/v1/mgmt/flow/list', {
          auth: other.management,
          body: {},
        });
        assert.equal(listed.body.total, 7);
      } finally {
        await other.close();
      }
    });

    test('a new project has the default flows (Go sends no body, Node {}), and the ids filter', async () => {
      const all = await list();
      assert.ok(all.total > 5, `expected more than 5 flows, got ${all.total}`);
      assert.equal(all.flows.length, all.total);
      const main = all.flows.find((f) => f.id === 'sign-up-or-in');
      assert.deepEqual(
        { name: main?.name, disabled: main?.disabled },
        { name: 'Sign Up or In', disabled: false },
      );
      assert.deepEqual(await list({}), all);
      const one = await list({ ids: ['sign-up-or-in'] });
      assert.equal(one.total, 1);
      assert.equal(one.flows[0]!.id, 'sign-up-or-in');
      const exported = await exportFlow('sign-up-or-in');
      assert.ok(exported.screens.length > 1);
      assert.ok(exported.screens.every((sc) => sc.flowId === 'sign-up-or-in' && sc.htmlTemplate));
    });

    test('export → import under a new id → export gives the same document, nested "" and null kept', async () => {
      const original = await exportFlow('sign-up-or-in');
      const dsl = { ...(original.flow.dsl as object), note: '', optional: null, nested: { empty: '' } };
      const imported = await mgmt<FlowResponse>(s, 'POST', '/v1/mgmt/flow/import', {
        flowId: 'copy-of-main',
        flow: { ...original.flow, dsl, name: 'Copy' },
        screens: original.screens,
      });
      assert.equal(imported.status, 200, JSON.stringify(imported.body));
      assert.equal(imported.body.flow.id, 'copy-of-main');
      const again = await exportFlow('copy-of-main');
      assert.deepEqual(again, imported.body);
      assert.deepEqual(again.flow.dsl, dsl);
      assert.equal(again.flow.name, 'Copy');
      assert.deepEqual(
        again.screens.map(({ flowId, ...rest }) => rest),
        original.screens.map(({ flowId, ...rest }) => rest),
      );
      assert.ok(again.screens.every((sc) => sc.flowId === 'copy-of-main'));
      // re-importing the exported flow as is succeeds (the Ruby test) and keeps the etag when nothing changed
      const same = await mgmt<FlowResponse>(s, 'POST', '/v1/mgmt/flow/import', {
        flowId: 'copy-of-main',
        flow: again.flow,
        screens: again.screens,
      });
      assert.equal(same.status, 200);
      assert.equal(same.body.flow.etag, again.flow.etag);
      assert.ok((await list({ ids: ['copy-of-main'] })).total === 1);
    });

    test('v2 (Go): import {flow: {..., flowId}} and export', async () => {
      const res = await mgmt<FlowResponse>(s, 'POST', '/v2/mgmt/flow/import', {
        flow: { flowId: 'go-flow', name: 'Go Flow', dsl: { a: 1 }, disabled: true },
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const out = await exportFlow('go-flow', 'v2');
      assert.equal(out.flow.name, 'Go Flow');
      assert.equal(out.flow.disabled, true);
      assert.deepEqual(out.flow.dsl, { a: 1 });
      assert.deepEqual(out.screens, []);
      // an import without screens keeps the screens the flow has
      await mgmt(s, 'POST', '/v1/mgmt/flow/import', {
        flowId: 'go-flow',
        flow: out.flow,
        screens: [{ id: 's1', htmlTemplate: '<p>1</p>' }],
      });
      await mgmt(s, 'POST', '/v2/mgmt/flow/import', {
        flow: { ...out.flow, flowId: 'go-flow', name: 'Go 2' },
      });
      const kept = await exportFlow('go-flow');
      assert.equal(kept.flow.name, 'Go 2');
      assert.deepEqual(
        kept.screens.map((sc) => sc.id),
        ['s1'],
      );
    });

    test('bad input → 400 with a Descope error body, and nothing changed', async () => {
      const before = await exportFlow('sign-in');
      const cases: [unknown, number, string][] = [
        [{ flowId: 'sign-in' }, 400, 'E011002'],
        [{ flowId: 'sign-in', flow: 'not an object' }, 400, 'E011003'],
        [{ flowId: 'bad id!', flow: { name: 'x' } }, 400, 'E011003'],
        [{ flowId: 'sign-in', flow: { name: 'x' }, screens: [{ htmlTemplate: 'no id' }] }, 400, 'E011003'],
        [{ flowId: 'sign-in', flow: { name: 'x', disabled: 'yes' } }, 400, 'E011003'],
        [{ flowId: 'sign-in', flow: { name: 'x' }, screens: [{ id: 'a' }, { id: 'a' }] }, 400, 'E011004'],
        [{ flowId: 'sign-in', flow: { name: 'x', dsl: 'y'.repeat(600 * 1024) } }, 400, 'E011004'],
      ];
      for (const [body, status, code] of cases) {
        const res = await mgmt<FlowResponse>(s, 'POST', '/v1/mgmt/flow/import', body);
        assert.equal(res.status, status, JSON.stringify(body).slice(0, 200));
        assert.equal(res.body.errorCode, code, JSON.stringify(res.body).slice(0, 300));
        assert.ok(res.body.errorMessage);
      }
      assert.deepEqual(await exportFlow('sign-in'), before);
      const v2 = await mgmt<FlowResponse>(s, 'POST', '/v2/mgmt/flow/import', { flow: { name: 'no id' } });
      assert.equal(v2.status, 400);
      assert.equal(v2.body.errorCode, 'E011002');
      const bare = await call(s, 'POST', '/v1/mgmt/flow/import', { auth: s.management, rawBody: '[1,2]' });
      assert.equal(bare.status, 400);
    });

    test('export of an unknown flow → 404; delete removes flows for good; no management key → 401', async () => {
      const missing = await mgmt<FlowResponse>(s, 'POST', '/v1/mgmt/flow/export', { flowId: 'nope' });
      assert.equal(missing.status, 404);
      assert.equal(missing.body.errorCode, 'E121101');
      assert.equal((await mgmt(s, 'POST', '/v1/mgmt/flow/export', {})).status, 400);

      const total = (await list()).total;
      assert.equal(
        (await mgmt(s, 'POST', '/v1/mgmt/flow/delete', { ids: ['step-up', 'ghost'] })).status,
        200,
      );
      const after = await list();
      assert.equal(after.total, total - 1);
      assert.ok(!after.flows.some((f) => f.id === 'step-up'));
      assert.equal((await mgmt(s, 'POST', '/v1/mgmt/flow/export', { flowId: 'step-up' })).status, 404);
      assert.equal((await mgmt(s, 'POST', '/v1/mgmt/flow/delete', {})).status, 400);

      for (const path of ['/v1/mgmt/flow/list', '/v1/mgmt/theme/export', '/v1/mgmt/flow/delete']) {
        const res = await call(s, 'POST', path, { auth: s.project, body: { ids: ['sign-in'] } });
        assert.equal(res.status, 401, path);
      }
      assert.ok((await list()).flows.some((f) => f.id === 'sign-in'));
    });

    test("concurrent imports of one flow: all succeed, the screens are exactly one import's (never a mix)", async () => {
      const imports = Array.from({ length: 8 }, (_, i) =>
        mgmt(s, 'POST', '/v1/mgmt/flow/import', {
          flowId: 'contended',
          flow: { name: `writer ${i}` },
          screens: [{ id: `w${i}-a` }, { id: `w${i}-b` }, { id: `w${i}-c` }],
        }),
      );
      const statuses = (await Promise.all(imports)).map((r) => r.status);
      assert.deepEqual(statuses, Array(8).fill(200));
      const final = await exportFlow('contended');
      const writer = /^writer (\d)$/.exec(final.flow.name)?.[1];
      assert.deepEqual(
        final.screens.map((sc) => sc.id),
        ['a', 'b', 'c'].map((x) => `w${writer}-${x}`),
      );
    });

    test('theme: export has a CSS template; import returns version + 1 (v1 and v2); bad theme → 400', async () => {
      const first = await mgmt<{ theme: Theme }>(s, 'POST', '/v1/mgmt/theme/export');
      assert.equal(first.status, 200);
      assert.ok(first.body.theme.cssTemplate && Object.keys(first.body.theme.cssTemplate).length > 0);
      const v = first.body.theme.version;
      const imported = await mgmt<{ theme: Theme }>(s, 'POST', '/v1/mgmt/theme/import', first.body);
      assert.equal(imported.status, 200);
      assert.equal(imported.body.theme.version, v + 1);
      assert.deepEqual(imported.body.theme.cssTemplate, first.body.theme.cssTemplate);
      const changed = await mgmt<{ theme: Theme }>(s, 'POST', '/v2/mgmt/theme/import', {
        theme: { id: 'theme', cssTemplate: { light: { colors: { primary: '#000' } } }, version: 99 },
      });
      assert.equal(changed.body.theme.version, v + 2);
      const g = await call<{ theme: Theme }>(s, 'POST', '/v2/mgmt/theme/export', {
        auth: s.management,
        rawBody: '',
        headers: { 'content-type': 'application/json' },
      });
      assert.deepEqual(g.body.theme, changed.body.theme);
      for (const body of [{}, { theme: 'x' }, { theme: { cssTemplate: 'y'.repeat(300 * 1024) } }]) {
        const res = await mgmt<{ errorCode: string }>(s, 'POST', '/v1/mgmt/theme/import', body);
        assert.equal(res.status, 400, JSON.stringify(body).slice(0, 100));
        assert.ok(res.body.errorCode);
      }
      assert.deepEqual(
        (await mgmt<{ theme: Theme }>(s, 'POST', '/v1/mgmt/theme/export')).body.theme,
        g.body.theme,
      );
    });
  });
}
