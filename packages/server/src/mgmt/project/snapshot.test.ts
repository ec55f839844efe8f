import assert from 'node:assert/strict';
import { test } from 'node:test';
import { planImport, SNAPSHOT_SCHEMA_VERSION } from './snapshot.ts';

const project = { schemaVersion: SNAPSHOT_SCHEMA_VERSION, name: 'P' };

test('a newer schemaVersion is reported as such, before any other file is read', () => {
  const r = planImport(
    { 'project.json': { schemaVersion: SNAPSHOT_SCHEMA_VERSION + 1 }, 'roles.json': 5 },
    [],
  );
  assert.equal(r.newer, true);
  assert.equal(r.plan, undefined);
  assert.equal(r.failures.length, 1);
});

test('every problem of every file is listed, and no plan is made', () => {
  const r = planImport(
    {
      'project.json': project,
      'roles.json': { roles: [{ name: 'a', permissionNames: ['p'] }, { name: 'a' }] },
      'permissions.json': { permissions: [] },
      'flows/bad id.json': { flow: {} },
      'flows/ok.json': { flow: { name: 'ok' }, screens: [{ id: 's' }, { id: 's' }] },
      'theme.json': { theme: [] },
    },
    [],
  );
  assert.equal(r.plan, undefined);
  const text = r.failures.join('\n');
  for (const needle of [
    'unknown permissions: p',
    'role a appears more than once',
    'flows/bad id.json',
    'screen s appears more than once',
    'theme.json',
  ])
    assert.ok(text.includes(needle), `${needle} in ${text}`);
});

test('excluded parts are neither read nor applied; unknown files are ignored; opaque values are kept', () => {
  const dsl = { a: '', b: null, c: [{ d: '' }] };
  const r = planImport(
    {
      'project.json': project,
      'theme.json': 'not even an object',
      'connectors/x.json': { anything: true },
      'flows/f.json': { flow: { name: 'F', dsl } },
    },
    ['theme', 'lists'],
  );
  assert.deepEqual(r.failures, []);
  assert.equal(r.plan?.theme, undefined);
  assert.deepEqual(r.plan?.flows?.[0]?.flow.dsl, dsl);
});

test('a missing project.json is a failure', () => {
  assert.match(planImport({}, []).failures[0]!, /project\.json: missing/);
});

test('customAttributes.json is read with the create route rules, per scope; excluded → not read', () => {
  const bad = planImport(
    {
      'project.json': project,
      'customAttributes.json': {
        user: [
          { name: 'a', type: 'colour' },
          { name: 's', type: 'singleSelect' },
          { name: 'd', type: 1 },
          { name: 'd', type: 2 },
        ],
      },
    },
    [],
  );
  assert.equal(bad.plan, undefined);
  const text = bad.failures.join('\n');
  for (const needle of [
    'user.0.type',
    'a singleSelect needs options',
    'user attribute d appears more than once',
  ])
    assert.ok(text.includes(needle), `${needle} in ${text}`);
  assert.deepEqual(
    planImport({ 'project.json': project, 'customAttributes.json': 5 }, ['customAttributes']).failures,
    [],
  );
  const ok = planImport(
    {
      'project.json': project,
      'customAttributes.json': { tenant: [{ name: 'tier', type: 5, options: [{ value: 'a' }] }] },
    },
    [],
  );
  assert.deepEqual(ok.failures, []);
  assert.equal(ok.plan?.customAttributes?.user, undefined);
  assert.deepEqual(ok.plan?.customAttributes?.tenant?.[0]?.options, [{ value: 'a', label: 'a' }]);
  assert.equal(planImport({ 'project.json': project }, []).plan?.customAttributes, undefined);
});
