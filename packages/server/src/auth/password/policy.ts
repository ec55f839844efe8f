import { LatchkeyError } from '../../errors.ts';
import type { PasswordPolicy } from '../../projects/settings.ts';

export function checkPasswordPolicy(policy: PasswordPolicy, password: string): void {
  const problems: string[] = [];
  if ([...password].length < policy.minLength) problems.push(`at least ${policy.minLength} characters`);
  if (policy.lowercase && !/\p{Ll}/u.test(password)) problems.push('a lowercase letter');
  if (policy.uppercase && !/\p{Lu}/u.test(password)) problems.push('an uppercase letter');
  if (policy.number && !/\p{Nd}/u.test(password)) problems.push('a digit');
  if (policy.nonAlphanumeric && !/[^\p{L}\p{Nd}]/u.test(password))
    problems.push('a non-alphanumeric character');
  if (password.length > 256) problems.push('at most 256 characters');
  if (problems.length > 0)
    throw new LatchkeyError('passwordPolicy', `Password must contain ${problems.join(', ')}`);
}

export const publicPolicy = (policy: PasswordPolicy) => ({
  minLength: policy.minLength,
  lowercase: policy.lowercase,
  uppercase: policy.uppercase,
  number: policy.number,
  nonAlphanumeric: policy.nonAlphanumeric,
});
