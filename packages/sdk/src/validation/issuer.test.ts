import assert from 'node:assert/strict';
import { test } from 'node:test';
import { issuerNamesProject } from './issuer.ts';

test('issuer rule of the Node SDK: the project id, or the last or second-to-last path segment', () => {
  const p = 'P2abc';
  assert.equal(issuerNamesProject(p, p), true);
  assert.equal(issuerNamesProject(`https://auth.example.com/${p}`, p), true);
  assert.equal(issuerNamesProject(`https://auth.example.com/${p}/`, p), true);
  assert.equal(issuerNamesProject(`https://host/x/${p}/mcp`, p), true);
  assert.equal(issuerNamesProject(`https://host/${p}/a/b`, p), false, 'third from the end');
  assert.equal(issuerNamesProject(`https://${p}/x`, p), false, 'the host is not a path segment');
  assert.equal(issuerNamesProject(`a/${p}`, p), true, 'slash-separated, not a URL');
  assert.equal(issuerNamesProject('https://auth.example.com/P2other', p), false);
  assert.equal(issuerNamesProject(`${p}x`, p), false);
  assert.equal(issuerNamesProject(undefined, p), false);
  assert.equal(issuerNamesProject(42, p), false);
  assert.equal(issuerNamesProject('', p), false);
});
