import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseAuthorization } from './request-auth.ts';

const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln';

test('parses every header shape the SDKs send (reference §1.3)', () => {
  assert.deepEqual(parseAuthorization('Bearer P1'), { projectId: 'P1', jwts: [], keys: [] });
  assert.deepEqual(parseAuthorization('Bearer P1:'), { projectId: 'P1', jwts: [], keys: [] });
  assert.deepEqual(parseAuthorization('Bearer P1:KEY'), { projectId: 'P1', jwts: [], keys: ['KEY'] });
  assert.deepEqual(parseAuthorization(`Bearer P1:${jwt}`), { projectId: 'P1', jwts: [jwt], keys: [] });
  assert.deepEqual(parseAuthorization(`Bearer P1:${jwt}:AUTHMK`), {
    projectId: 'P1',
    jwts: [jwt],
    keys: ['AUTHMK'],
  });
  assert.deepEqual(parseAuthorization('bearer   P1:KEY'), { projectId: 'P1', jwts: [], keys: ['KEY'] });
});

test('refuses missing, non-bearer and project-less headers', () => {
  assert.equal(parseAuthorization(undefined), undefined);
  assert.equal(parseAuthorization(''), undefined);
  assert.equal(parseAuthorization('Basic abc'), undefined);
  assert.equal(parseAuthorization('Bearer :KEY'), undefined);
});
