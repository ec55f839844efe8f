import assert from 'node:assert/strict';
import { test } from 'node:test';
import { passwordPolicySchema } from '../../projects/settings.ts';
import { checkPasswordPolicy } from './policy.ts';

const strict = passwordPolicySchema.parse({ minLength: 10, nonAlphanumeric: true });

test('accepts a password meeting every rule', () => {
  assert.doesNotThrow(() => checkPasswordPolicy(strict, 'Abcdefgh1!'));
});

test('names each unmet rule', () => {
  assert.throws(
    () => checkPasswordPolicy(strict, 'abc'),
    (e: Error) =>
      /10 characters/.test(e.message) &&
      /uppercase/.test(e.message) &&
      /digit/.test(e.message) &&
      /non-alphanumeric/.test(e.message),
  );
  assert.throws(() => checkPasswordPolicy(strict, 'ABCDEFGH1!'), /lowercase/);
});

test('counts characters, not UTF-16 units, and understands non-Latin letters', () => {
  const policy = passwordPolicySchema.parse({ minLength: 4, nonAlphanumeric: false });
  assert.doesNotThrow(() => checkPasswordPolicy(policy, 'Éé1ß'));
  assert.throws(() => checkPasswordPolicy(policy, '😀A1'), /4 characters/);
});
