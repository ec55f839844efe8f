import { hash, verify } from '@node-rs/argon2';
import { isImportedHash, verifyImported } from '../../users/password-import.ts';

// `Algorithm` is an ambient const enum (unusable under verbatimModuleSyntax): 2 is Argon2id.
const ARGON2ID = 2;

// OWASP's Argon2id baseline (m=19 MiB, t=2, p=1).
const OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (password: string): Promise<string> => hash(password, OPTIONS);

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  if (isImportedHash(stored)) return verifyImported(stored, password);
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

/**
 * Imported hashes (bcrypt, PBKDF2, Firebase scrypt, Argon2 with other parameters) are replaced by an
 * Argon2id hash with the current parameters after the first successful sign-in.
 */
export const needsRehash = (stored: string): boolean =>
  !stored.startsWith(
    `$argon2id$v=19$m=${OPTIONS.memoryCost},t=${OPTIONS.timeCost},p=${OPTIONS.parallelism}$`,
  );

let dummyHash: Promise<string> | undefined;
/** Spends the same time as a real check when the user does not exist, so timing does not reveal accounts. */
export async function burnVerify(password: string): Promise<void> {
  dummyHash ??= hashPassword('latchkey-timing-equalizer');
  await verifyPassword(await dummyHash, password);
}
