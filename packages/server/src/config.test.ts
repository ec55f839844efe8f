import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { ConfigError, loadConfig } from './config.ts';

test('documented defaults', () => {
  const c = loadConfig({});
  assert.equal(c.port, 4000);
  assert.equal(c.host, '127.0.0.1');
  assert.equal(c.dataDir, path.resolve('./.latchkey'));
  assert.equal(c.databaseUrl, undefined);
  assert.ok(Object.isFrozen(c));
});

test('empty variables count as unset', () => {
  assert.equal(loadConfig({ PORT: '', DATABASE_URL: '' }).port, 4000);
});

test('a bad value names the variable to fix', () => {
  assert.throws(
    () => loadConfig({ PORT: 'x' }),
    (e: Error) => e instanceof ConfigError && /PORT/.test(e.message),
  );
  assert.throws(() => loadConfig({ DATABASE_URL: 'mysql://x' }), /DATABASE_URL/);
  assert.throws(
    () => loadConfig({ LATCHKEY_PROJECT_ID: 'P1234', LATCHKEY_MANAGEMENT_KEY: 'short' }),
    /LATCHKEY_MANAGEMENT_KEY/,
  );
  assert.throws(
    () => loadConfig({ LATCHKEY_MANAGEMENT_KEY: 'a-long-enough-management-key' }),
    /LATCHKEY_PROJECT_ID/,
  );
});
