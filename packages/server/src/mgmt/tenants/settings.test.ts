import assert from 'node:assert/strict';
import { test } from 'node:test';
import { configureSettingsBody, toStoredSettings, toWireSettings } from './settings.ts';

const stored = (input: Record<string, unknown>) =>
  toStoredSettings(configureSettingsBody.parse({ tenantId: 't', ...input }));

test('a value without a unit is in minutes; 0 means not set', () => {
  const s = stored({ sessionTokenExpiration: 5, refreshTokenExpiration: 0 });
  assert.ok(!('error' in s));
  assert.deepEqual(s.sessionToken, { value: 5, unit: 'minutes' });
  assert.equal(s.refreshToken, undefined);
});

test('values above the maxima are refused, each named', () => {
  const s = stored({
    sessionTokenExpiration: 31,
    sessionTokenExpirationUnit: 'days',
    refreshTokenExpiration: 366,
    refreshTokenExpirationUnit: 'days',
  });
  assert.ok('error' in s);
  assert.match(s.error, /sessionTokenExpiration/);
  assert.match(s.error, /refreshTokenExpiration/);
  assert.ok(!('error' in stored({ sessionTokenExpiration: 30, sessionTokenExpirationUnit: 'days' })));
});

test('inactivity: both spellings, and enabling it needs a time', () => {
  const node = stored({ enableInactivity: true, InactivityTime: 2, InactivityTimeUnit: 'hours' });
  const go = stored({ enableInactivity: true, inactivityTime: 2, inactivityTimeUnit: 'hours' });
  assert.deepEqual(node, go);
  assert.ok('error' in stored({ enableInactivity: true }));
});

test('negative values and unknown units fail the schema', () => {
  assert.equal(configureSettingsBody.safeParse({ tenantId: 't', sessionTokenExpiration: -1 }).success, false);
  assert.equal(
    configureSettingsBody.safeParse({ tenantId: 't', sessionTokenExpirationUnit: 'months' }).success,
    false,
  );
});

test('the wire form leaves unset durations out and answers both inactivity spellings', () => {
  const wire = toWireSettings(
    {
      enabled: true,
      settings: {
        domains: [],
        enableInactivity: true,
        inactivity: { value: 3, unit: 'days' },
        JITDisabled: false,
      },
    },
    ['acme.com'],
  );
  assert.equal('sessionTokenExpiration' in wire, false);
  assert.equal((wire as Record<string, unknown>).inactivityTime, 3);
  assert.equal((wire as Record<string, unknown>).InactivityTimeUnit, 'days');
  assert.deepEqual(wire.selfProvisioningDomains, ['acme.com']);
});
