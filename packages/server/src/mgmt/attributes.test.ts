import assert from 'node:assert/strict';
import { test } from 'node:test';
import { matchesAttributes } from './attributes.ts';

test('every key must match; a list means any of its values; list attributes match by membership', () => {
  const attrs = { plan: 'pro', seats: 5, tags: ['a', 'b'] };
  assert.ok(matchesAttributes(attrs, undefined));
  assert.ok(matchesAttributes(attrs, { plan: 'pro' }));
  assert.ok(matchesAttributes(attrs, { plan: ['free', 'pro'], seats: 5 }));
  assert.ok(matchesAttributes(attrs, { tags: 'b' }));
  assert.ok(!matchesAttributes(attrs, { plan: 'free' }));
  assert.ok(!matchesAttributes(attrs, { plan: 'pro', missing: 'x' }));
});
