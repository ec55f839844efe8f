import assert from 'node:assert/strict';
import { test } from 'node:test';
import { z } from 'zod';
import type { LatchkeyError } from '../errors.ts';
import { dropEmpty, parseInput } from './validate.ts';

test('"" and null are dropped at every depth, arrays keep their items', () => {
  assert.deepEqual(dropEmpty({ a: '', b: null, c: { d: null, e: 1 }, f: ['x', ''] }), {
    c: { e: 1 },
    f: ['x', ''],
  });
});

test('a missing field is E011002; a wrong type is E011003 naming the field', () => {
  const schema = z.object({ name: z.string(), size: z.number().optional() });
  assert.deepEqual(parseInput(schema, { name: 'a', extra: true }), { name: 'a' });
  assert.throws(
    () => parseInput(schema, { name: '' }),
    (e: LatchkeyError) => e.code === 'E011002' && /name/.test(e.message),
  );
  assert.throws(
    () => parseInput(schema, { name: 3 }),
    (e: LatchkeyError) => e.code === 'E011003' && /name/.test(e.message),
  );
  assert.throws(
    () => parseInput(schema, { name: 'a', size: 'big' }),
    (e: LatchkeyError) => e.code === 'E011003' && /size/.test(e.message),
  );
});
