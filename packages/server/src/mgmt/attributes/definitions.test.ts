import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LatchkeyError } from '../../errors.ts';
import { matchesAttributes } from '../attributes.ts';
import { type AttributeDefinition, checkAgainst, valueProblem } from './definitions.ts';

const def = (
  name: string,
  type: AttributeDefinition['type'],
  options: string[] = [],
): AttributeDefinition => ({
  name,
  type,
  displayName: name,
  options: options.map((value) => ({ value, label: value })),
  includeInJwt: false,
  viewPermissions: [],
  editPermissions: [],
});
const defs = [
  def('plan', 'singleSelect', ['free', 'pro']),
  def('seats', 'number'),
  def('beta', 'boolean'),
  def('since', 'date'),
  def('tags', 'multiSelect', ['a', 'b', 'c']),
  def('note', 'text'),
];

test('values must fit their type', () => {
  const fits = { plan: 'pro', seats: 5, beta: false, since: '2024-02-29', tags: ['a', 'c'], note: 'x' };
  for (const [k, v] of Object.entries(fits))
    assert.equal(valueProblem(defs.find((d) => d.name === k)!, v), undefined, k);
  const wrong: [string, unknown][] = [
    ['plan', 'gold'],
    ['seats', '5'],
    ['seats', Number.NaN],
    ['beta', 'true'],
    ['since', '2023-02-29'],
    ['since', '31/05/2024'],
    ['tags', 'a'],
    ['tags', ['a', 'z']],
    ['note', 7],
  ];
  for (const [k, v] of wrong)
    assert.ok(valueProblem(defs.find((d) => d.name === k)!, v), `${k}=${String(v)}`);
  assert.equal(valueProblem(def('at', 'date'), '2024-05-31T12:30:00Z'), undefined);
});

test('with definitions, unknown keys are refused; without any, everything is accepted', () => {
  assert.throws(
    () => checkAgainst(defs, 'user', { unknown: 1 }),
    (e: unknown) => e instanceof LatchkeyError && e.code === 'E118102',
  );
  assert.doesNotThrow(() => checkAgainst(defs, 'user', { plan: null }));
  assert.doesNotThrow(() => checkAgainst([], 'user', { anything: { nested: true } }));
});

test('typed search: number and boolean equality, multiSelect containment', () => {
  const attrs = { seats: 5, beta: true, tags: ['a', 'b'] };
  assert.ok(matchesAttributes(attrs, { seats: 5 }, defs));
  assert.ok(matchesAttributes(attrs, { seats: '5' }, defs));
  assert.ok(!matchesAttributes(attrs, { seats: 50 }, defs));
  assert.ok(matchesAttributes(attrs, { beta: true }, defs));
  assert.ok(!matchesAttributes(attrs, { beta: false }, defs));
  assert.ok(matchesAttributes(attrs, { tags: 'b' }, defs));
  assert.ok(matchesAttributes(attrs, { tags: ['c', 'a'] }, defs));
  assert.ok(!matchesAttributes(attrs, { tags: 'c' }, defs));
});
