import assert from 'node:assert/strict';
import { test } from 'node:test';
import { invalidIpEntries, ipPermitted } from '../../src/mgmt/accesskeys/store.ts';

test('permittedIps: IPv4 and IPv6 addresses and CIDR blocks', () => {
  assert.equal(ipPermitted([], '203.0.113.9'), true, 'an empty list permits every address');
  assert.equal(ipPermitted(['203.0.113.9'], '203.0.113.9'), true);
  assert.equal(ipPermitted(['203.0.113.9'], '203.0.113.10'), false);
  assert.equal(ipPermitted(['10.0.0.0/8'], '10.200.1.1'), true);
  assert.equal(ipPermitted(['10.0.0.0/8'], '11.0.0.1'), false);
  assert.equal(ipPermitted(['2001:db8::/32'], '2001:db8:abcd::1'), true);
  assert.equal(ipPermitted(['2001:db8::/32'], '2001:db9::1'), false);
  assert.equal(ipPermitted(['::1'], '::1'), true);
  assert.equal(
    ipPermitted(['127.0.0.0/8'], '::ffff:127.0.0.1'),
    true,
    'IPv4-mapped IPv6 clients match IPv4 rules',
  );
  assert.equal(ipPermitted(['10.0.0.0/8'], '::ffff:127.0.0.1'), false);
  assert.deepEqual(
    invalidIpEntries([
      '1.2.3.4',
      '1.2.3.0/24',
      '::1/128',
      'x',
      '1.2.3.4/33',
      '::/129',
      '1.2.3.4/8/1',
      '1.2.3.4/',
    ]),
    ['x', '1.2.3.4/33', '::/129', '1.2.3.4/8/1', '1.2.3.4/'],
  );
});
