import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { call, mgmt, STORES, startTestServer, type TestServer } from '../support/server.ts';
import { as, configure, fingerprint, okCall } from './support.ts';

type Clone = {
  projectId: string;
  projectName: string;
  environment: string;
  tags: string[];
  managementKey: string;
};
type Files = Record<string, unknown>;
type ErrorBody = { errorCode: string; errorMessage: string };

/** customAttributes.json documents a snapshot import must refuse (each beside valid definitions). */
const badAttributes: [string, unknown][] = [
  [
    'attribute: bad type',
    {
      user: [
        { name: 'ok', type: 'text' },
        { name: 'x', type: 'colour' },
      ],
    },
  ],
  ['attribute: select without options', { user: [{ name: 'tier', type: 'singleSelect' }], tenant: [] }],
  [
    'attribute: duplicate name',
    {
      user: [
        { name: 'plan', type: 1 },
        { name: 'plan', type: 2 },
      ],
    },
  ],
  [
    'attribute: options on a text',
    { tenant: [{ name: 'region', type: 'text', options: [{ value: 'eu' }] }] },
  ],
  ['attribute: bad name', { user: [{ name: '1st', type: 'text' }] }],
  [
    'attribute: default not an option',
    { user: [{ name: 'tier', type: 4, options: [{ value: 'a' }], defaultValue: 'b' }] },
  ],
  ['attribute: not an object', 'x'],
  ['attribute: scope not a list', { user: { name: 'x', type: 'text' } }],
];

/** Projects over raw HTTP (reference §3.13): rename, clone, snapshot export / import / validate. */
for (const store of STORES) {
  describe(`projects over HTTP (${store})`, () => {
    let s: TestServer;
    let fresh: TestServer;
    before(async () => {
      s = await startTestServer(store);
      fresh = await startTestServer(store);
      await configure(as(s, s.projectId, s.managementKey), '');
    });
    after(async () => {
      await s.close();
      await fresh.close();
    });
    const source = () => as(s, s.projectId, s.managementKey);
    const exportFiles = async (server = s) =>
      (await okCall<{ files: Files }>(mgmt(server, 'POST', '/v1/mgmt/project/snapshot/export', {}))).files;

    test('rename: the new name is the project name; a missing name → 400', async () => {
      await okCall(mgmt(s, 'POST', '/v1/mgmt/project/update/name', { name: 'Renamed' }));
      assert.equal(((await exportFiles())['project.json'] as { name: string }).name, 'Renamed');
      const bad = await mgmt<ErrorBody>(s, 'POST', '/v1/mgmt/project/update/name', { name: '  ' });
      assert.equal(bad.status, 400);
      assert.equal(((await exportFiles())['project.json'] as { name: string }).name, 'Renamed');
      assert.equal(
        (await call(s, 'POST', '/v1/mgmt/project/update/name', { auth: s.project, body: { name: 'x' } }))
          .status,
        401,
      );
    });

    test('clone: same configuration, own keys and management key; no users, tenants, access keys or relations', async () => {
      // custom attribute definitions (configure made some) travel with a clone; fingerprint compares them
      const { customAttributes } = await fingerprint(source());
      assert.equal(customAttributes.user.length, 2);
      assert.equal(customAttributes.tenant.length, 1);
      const res = await mgmt<Clone>(s, 'POST', '/v1/mgmt/project/clone', {
        name: 'Staging',
        environment: 'production',
        tags: ['eu'],
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const clone = res.body;
      assert.match(clone.projectId, /^P[A-Za-z0-9]{27}$/);
      assert.notEqual(clone.projectId, s.projectId);
      assert.deepEqual(
        { n: clone.projectName, e: clone.environment, t: clone.tags },
        { n: 'Staging', e: 'production', t: ['eu'] },
      );
      const c = as(s, clone.projectId, clone.managementKey);
      assert.deepEqual(await fingerprint(c), await fingerprint(source()));
      // the source's management key does not manage the clone, nor the clone's the source
      assert.equal(
        (await as(s, clone.projectId, s.managementKey)('POST', '/v1/mgmt/flow/list', {})).status,
        401,
      );
      assert.equal(
        (await as(s, s.projectId, clone.managementKey)('POST', '/v1/mgmt/flow/list', {})).status,
        401,
      );
      // data is not configuration
      assert.deepEqual((await okCall<{ users: unknown[] }>(c('POST', '/v2/mgmt/user/search', {}))).users, []);
      assert.deepEqual((await okCall<{ tenants: unknown[] }>(c('GET', '/v1/mgmt/tenant/all'))).tenants, []);
      assert.deepEqual(
        (await okCall<{ keys: unknown[] }>(c('POST', '/v1/mgmt/accesskey/search', {}))).keys,
        [],
      );
      assert.deepEqual(
        (await okCall<{ relations: unknown[] }>(c('POST', '/v1/mgmt/authz/re/resource', { resource: 'd1' })))
          .relations,
        [],
      );
      assert.equal(
        (await okCall<{ roles: { tenantId: string }[] }>(c('GET', '/v1/mgmt/role/all'))).roles.filter(
          (r) => r.tenantId,
        ).length,
        0,
      );
      // its own signing keys
      const jwks = async (projectId: string) =>
        (
          (await (await fetch(`${s.url}/v2/keys/${projectId}`)).json()) as { keys: { kid: string }[] }
        ).keys.map((k) => k.kid);
      const mine = await jwks(clone.projectId);
      assert.ok(mine.length > 0);
      for (const kid of await jwks(s.projectId)) assert.ok(!mine.includes(kid));
      // a change in the clone leaves the source alone
      await okCall(c('POST', '/v1/mgmt/flow/delete', { ids: ['sign-in'] }));
      assert.equal((await mgmt(s, 'POST', '/v1/mgmt/flow/export', { flowId: 'sign-in' })).status, 200);
      // Ruby sends one `tag`; a bad body → 400 and no project
      const ruby = await mgmt<Clone>(s, 'POST', '/v1/mgmt/project/clone', { name: 'Ruby', tag: 'qa' });
      assert.deepEqual(ruby.body.tags, ['qa']);
      assert.equal((await mgmt(s, 'POST', '/v1/mgmt/project/clone', {})).status, 400);
      assert.equal(
        (await mgmt(s, 'POST', '/v1/mgmt/project/clone', { name: 'x', environment: 'moon' })).status,
        400,
      );
    });

    test('export → import into a fresh server: same roles, permissions, flows, theme, authz schema and settings', async () => {
      const files = await exportFiles();
      assert.equal((files['project.json'] as { schemaVersion: number }).schemaVersion, 1);
      for (const f of [
        'settings.json',
        'roles.json',
        'permissions.json',
        'theme.json',
        'authz.json',
        'customAttributes.json',
        'flows/custom.json',
      ])
        assert.ok(files[f], f);
      // definitions in the list route's wire form: user and tenant scopes, a select with options, includeInJwt
      const attrs = files['customAttributes.json'] as Record<'user' | 'tenant', Record<string, unknown>[]>;
      assert.deepEqual(attrs.user[0], {
        name: 'plan',
        type: 4,
        typeName: 'singleSelect',
        displayName: 'Plan',
        options: [
          { value: 'free', label: 'free' },
          { value: 'pro', label: 'Pro' },
        ],
        includeInJwt: true,
        defaultValue: 'free',
        viewPermissions: [],
        editPermissions: [],
      });
      assert.deepEqual(
        attrs.user.map((a) => [a.name, a.typeName]),
        [
          ['plan', 'singleSelect'],
          ['seats', 'number'],
        ],
      );
      assert.deepEqual(
        attrs.tenant.map((a) => [a.name, a.typeName]),
        [['region', 'text']],
      );
      assert.ok(
        !('delivery' in (files['settings.json'] as object)),
        'delivery settings (secrets) are not exported',
      );
      const target = as(fresh, fresh.projectId, fresh.managementKey);
      assert.deepEqual((await fingerprint(target)).customAttributes, { user: [], tenant: [] });
      const valid = await okCall<{ ok: boolean; failures?: string[] }>(
        target('POST', '/v1/mgmt/project/snapshot/validate', { files }),
      );
      assert.deepEqual(valid, { ok: true });
      const beforeVersion = (
        await okCall<{ theme: { version: number } }>(target('POST', '/v1/mgmt/theme/export', {}))
      ).theme.version;
      const importedAt = Date.now();
      await okCall(target('POST', '/v1/mgmt/project/snapshot/import', { files }));
      assert.deepEqual(await fingerprint(target), await fingerprint(source()));
      // an imported ReBAC schema is a schema change for getmodified, as a save through the authz routes is
      const modified = await okCall<{ schemaChanged: boolean }>(
        target('POST', '/v1/mgmt/authz/getmodified', { since: importedAt }),
      );
      assert.equal(modified.schemaChanged, true);
      const after = (
        await okCall<{ theme: { version: number } }>(target('POST', '/v1/mgmt/theme/export', {}))
      ).theme.version;
      assert.equal(after, beforeVersion + 1);
      // the Ruby path re-imports the same files (idempotent)
      await okCall(
        target('POST', '/v1/mgmt/project/import', {
          files: (await okCall<{ files: Files }>(source()('POST', '/v1/mgmt/project/export', {}))).files,
        }),
      );
      assert.deepEqual((await fingerprint(target)).flows, (await fingerprint(source())).flows);
    });

    test('a newer schemaVersion or a malformed file → 400, nothing changed; validate lists the failures', async () => {
      const target = as(fresh, fresh.projectId, fresh.managementKey);
      await okCall(target('POST', '/v1/mgmt/flow/import', { flowId: 'marker', flow: { name: 'Marker' } }));
      const before = await fingerprint(target);
      const good = await exportFiles();
      const newer = {
        ...good,
        'project.json': { schemaVersion: 2 },
        'roles.json': { roles: [{ name: 'zzz' }] },
      };
      const res = await target<ErrorBody>('POST', '/v1/mgmt/project/snapshot/import', { files: newer });
      assert.equal(res.status, 400);
      assert.equal(res.body.errorCode, 'E122102');
      assert.match(res.body.errorMessage, /schemaVersion 2 is newer/);
      const broken: [string, Files][] = [
        ['no project.json', { ...good, 'project.json': undefined }],
        ['bad role', { ...good, 'roles.json': { roles: [{ name: 'r', permissionNames: ['ghost'] }] } }],
        [
          'bad flow',
          { ...good, 'flows/x.json': { flow: { name: 'x' }, screens: [{ htmlTemplate: 'no id' }] } },
        ],
        ['bad flow name', { ...good, 'flows/../x.json': { flow: {} } }],
        ['bad settings', { ...good, 'settings.json': { sessionTokenExpiration: 1 } }],
        ['bad authz', { ...good, 'authz.json': { schema: { namespaces: [{ name: 'a' }, { name: 'a' }] } } }],
        ['bad theme', { ...good, 'theme.json': { theme: 'x' } }],
        ...badAttributes.map(([label, doc]): [string, Files] => [
          label,
          { ...good, 'customAttributes.json': doc },
        ]),
        // passes the file checks; refused inside the import transaction, after settings.json was applied
        [
          'role with a permission neither in the snapshot nor in the project',
          {
            ...good,
            'permissions.json': undefined,
            'settings.json': { ...(good['settings.json'] as object), sessionTokenExpiration: 999 },
            'roles.json': { roles: [{ name: 'late', permissionNames: ['not-here'] }] },
          },
        ],
      ];
      for (const [label, files] of broken) {
        const bad = await target<ErrorBody>('POST', '/v1/mgmt/project/snapshot/import', { files });
        assert.equal(bad.status, 400, label);
        assert.equal(bad.body.errorCode, 'E122101', label);
        const v = await okCall<{ ok: boolean; failures: string[] }>(
          target('POST', '/v1/mgmt/project/snapshot/validate', { files }),
        );
        assert.equal(v.ok, false, label);
        assert.ok(v.failures.length > 0, label);
      }
      for (const body of [{}, { files: [] }, { files: 'x' }]) {
        const bad = await target<ErrorBody>('POST', '/v1/mgmt/project/snapshot/import', body);
        assert.equal(bad.status, 400, JSON.stringify(body));
      }
      assert.deepEqual(await fingerprint(target), before);
    });

    test('custom attribute definitions: bad ones are listed and change nothing', async () => {
      const target = as(fresh, fresh.projectId, fresh.managementKey);
      const before = await fingerprint(target);
      const good = await exportFiles();
      const expected = [
        /user\.1\.type: must be one of/,
        /user: Attribute tier: a singleSelect needs options/,
        /user attribute plan appears more than once/,
        /tenant: Attribute region: only select types take options/,
        /user\.0\.name: must start with a letter/,
        /user\.0\.defaultValue|defaultValue must be one of/,
        /customAttributes\.json/,
        /customAttributes\.json/,
      ];
      for (const [i, [label, doc]] of badAttributes.entries()) {
        const files = { ...good, 'customAttributes.json': doc };
        const bad = await target<ErrorBody>('POST', '/v1/mgmt/project/snapshot/import', { files });
        assert.equal(bad.status, 400, label);
        assert.equal(bad.body.errorCode, 'E122101', label);
        assert.match(bad.body.errorMessage, expected[i]!, label);
        const v = await okCall<{ ok: boolean; failures: string[] }>(
          target('POST', '/v1/mgmt/project/snapshot/validate', { files }),
        );
        assert.equal(v.ok, false, label);
        assert.match(v.failures.join('\n'), expected[i]!, label);
      }
      assert.deepEqual(await fingerprint(target), before);
    });

    test('custom attribute definitions: replaced by the snapshot; absent file or scope, or excluded → untouched', async () => {
      const target = as(fresh, fresh.projectId, fresh.managementKey);
      const files = await exportFiles();
      const wanted = (await fingerprint(source())).customAttributes;
      const extra = (scope: string) =>
        okCall(
          target('POST', `/v1/mgmt/${scope}/customattribute/create`, {
            attributes: [{ name: 'only-here', type: 'boolean' }],
          }),
        );
      const names = async (scope: string) =>
        (await okCall<{ data: { name: string }[] }>(target('GET', `/v1/mgmt/${scope}/customattributes`))).data
          .map((d) => d.name)
          .sort();
      await extra('user');
      await extra('tenant');
      // an older snapshot (no customAttributes.json) and an excluded part leave the definitions alone
      const { 'customAttributes.json': _a, ...older } = files;
      await okCall(target('POST', '/v1/mgmt/project/snapshot/import', { files: older }));
      await okCall(
        target('POST', '/v1/mgmt/project/snapshot/import', { files, excludes: ['customAttributes'] }),
      );
      assert.deepEqual(await names('user'), ['only-here', 'plan', 'seats']);
      assert.deepEqual(await names('tenant'), ['only-here', 'region']);
      // a scope the file leaves out is left alone; a scope it holds is replaced
      const userOnly = { user: (files['customAttributes.json'] as { user: unknown[] }).user };
      await okCall(
        target('POST', '/v1/mgmt/project/snapshot/import', {
          files: { ...files, 'customAttributes.json': userOnly },
        }),
      );
      assert.deepEqual(await names('user'), ['plan', 'seats']);
      assert.deepEqual(await names('tenant'), ['only-here', 'region']);
      await okCall(target('POST', '/v1/mgmt/project/snapshot/import', { files }));
      assert.deepEqual((await fingerprint(target)).customAttributes, wanted);
      // the imported definitions are enforced: a tenant write with an undefined key is refused
      const tenant = await target<ErrorBody>('POST', '/v1/mgmt/tenant/create', {
        name: 'Typed',
        customAttributes: { 'only-here': true },
      });
      assert.equal(tenant.status, 400);
      assert.equal(tenant.body.errorCode, 'E118102');
      // an empty scope clears it
      await okCall(
        target('POST', '/v1/mgmt/project/snapshot/import', {
          files: { ...files, 'customAttributes.json': { user: [], tenant: [] } },
        }),
      );
      assert.deepEqual((await fingerprint(target)).customAttributes, { user: [], tenant: [] });
      await okCall(target('POST', '/v1/mgmt/project/snapshot/import', { files }));
    });

    test('excludes: the parts named are left as they are', async () => {
      const target = as(fresh, fresh.projectId, fresh.managementKey);
      await okCall(
        target('POST', '/v1/mgmt/flow/import', { flowId: 'only-here', flow: { name: 'Only here' } }),
      );
      const files = await exportFiles();
      await okCall(target('POST', '/v1/mgmt/project/import', { files, excludes: ['flows', 'lists'] }));
      assert.equal((await target('POST', '/v1/mgmt/flow/export', { flowId: 'only-here' })).status, 200);
      await okCall(target('POST', '/v1/mgmt/project/import', { files }));
      assert.equal((await target('POST', '/v1/mgmt/flow/export', { flowId: 'only-here' })).status, 404);
    });
  });
}
