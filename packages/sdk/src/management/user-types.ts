import type { LoginOptions } from '../auth/password.ts';
import type { User } from '../types.ts';

/**
 * A tenant membership to write: the tenant and the roles the user holds in it.
 *
 * @example
 * ```ts
 * const tenants: AssociatedTenant[] = [{ tenantId: 'acme', roleNames: ['editor'] }];
 * ```
 */
export type AssociatedTenant = { tenantId: string; roleNames?: string[] };

/**
 * User fields for create / update / patch (reference §3.2.1), with the wire names.
 *
 * @example
 * ```ts
 * const options: UserOptions = {
 *   email: 'ada@example.com',
 *   displayName: 'Ada Lovelace',
 *   roleNames: ['admin'],
 *   userTenants: [{ tenantId: 'acme', roleNames: ['editor'] }],
 * };
 * ```
 */
export type UserOptions = {
  email?: string;
  /** E.164, e.g. `+14155550100` */
  phone?: string;
  displayName?: string;
  givenName?: string;
  middleName?: string;
  familyName?: string;
  /** project-level roles */
  roleNames?: string[];
  userTenants?: AssociatedTenant[];
  customAttributes?: Record<string, string | number | boolean | (string | number)[]>;
  picture?: string;
  verifiedEmail?: boolean;
  verifiedPhone?: boolean;
  /** login ids besides the main one */
  additionalLoginIds?: string[];
  ssoAppIds?: string[];
  /** an initial (active) password; must meet the password policy */
  password?: string;
  /** a password hash imported from another system (instead of `password`); see {@link HashedPassword} */
  hashedPassword?: HashedPassword;
  status?: 'enabled' | 'disabled' | 'invited';
};

/**
 * A password hash imported from another system: exactly one algorithm, binary values base64. The user
 * signs in with the old password; on the first sign-in the hash is replaced by Argon2id.
 *
 * @example
 * ```ts
 * const hashedPassword: HashedPassword = { bcrypt: { hash: '$2b$10$…' } };
 * const fromFirebase: HashedPassword = {
 *   firebase: { hash, salt, saltSeparator: 'Bw==', signerKey, memory: 14, rounds: 8 },
 * };
 * ```
 */
export type HashedPassword =
  | { bcrypt: { hash: string } }
  | {
      argon2:
        | { hash: string }
        | { hash: string; salt: string; iterations: number; memory: number; threads: number };
    }
  | { pbkdf2: { hash: string; salt: string; iterations: number; type: 'sha1' | 'sha256' | 'sha512' } }
  | {
      firebase: {
        hash: string;
        salt: string;
        saltSeparator: string;
        signerKey: string;
        memory: number;
        rounds: number;
      };
    };

/**
 * How an invitation is sent (reference §3.2.1): email unless `sendMail: false`, a text message with
 * `sendSMS: true`. The link goes to `inviteUrl`, or the project's `passwordless.defaultRedirectUrl`.
 *
 * @example
 * ```ts
 * const invite: InviteOptions = { inviteUrl: 'https://app.example.com/welcome', sendSMS: true };
 * ```
 */
export type InviteOptions = {
  inviteUrl?: string;
  sendMail?: boolean;
  sendSMS?: boolean;
  templateId?: string;
  templateOptions?: Record<string, string>;
  locale?: string;
};

/**
 * Result of a batch patch: each user that could not be patched is listed with the reason.
 *
 * @example
 * ```ts
 * const { patchedUsers, failedUsers } = await client.management.user.patchBatch([{ loginId: 'a@example.com', displayName: 'A' }]);
 * ```
 */
export type BatchPatchResponse = {
  patchedUsers: User[];
  failedUsers: { failure: string; user: Partial<User> }[];
  additionalErrors?: Record<string, string>;
};

/**
 * Result of a batch delete: the users deleted, and the ids that matched no user.
 *
 * @example
 * ```ts
 * const { deletedUserIds, failedUserIds } = await client.management.user.deleteBatch(['U2abc']);
 * ```
 */
export type BatchDeleteResponse = { deletedUserIds: string[]; failedUserIds: string[] };

/**
 * One user of a batch create: its login id plus {@link UserOptions}.
 *
 * @example
 * ```ts
 * const users: BatchUser[] = [{ loginId: 'a@example.com' }, { loginId: 'b@example.com', roleNames: ['viewer'] }];
 * ```
 */
export type BatchUser = UserOptions & {
  loginId: string;
  test?: boolean;
  /** a TOTP authenticator seed (base32) to import */
  seed?: string;
  status?: 'enabled' | 'disabled' | 'invited' | 'expired';
};

/**
 * Result of a batch create: users that failed are listed with the reason; the others were created.
 *
 * @example
 * ```ts
 * const { createdUsers, failedUsers } = await client.management.user.createBatch(users);
 * ```
 */
export type BatchCreateResponse = {
  createdUsers: User[];
  failedUsers: { failure: string; user: Partial<User> }[];
  additionalErrors?: Record<string, string>;
};

/**
 * User search filters (reference §3.2.2, wire names). Test users are left out unless `withTestUser`.
 * `limit` 0 means the server's default page size; `page` is zero-based; times are epoch milliseconds.
 *
 * @example
 * ```ts
 * const { users, total } = await client.management.user.search({ tenantIds: ['acme'], limit: 50 });
 * ```
 */
export type UserSearch = {
  loginIds?: string[];
  userIds?: string[];
  tenantIds?: string[];
  roleNames?: string[];
  text?: string;
  emails?: string[];
  phones?: string[];
  statuses?: ('enabled' | 'disabled' | 'invited' | 'expired')[];
  customAttributes?: Record<string, unknown>;
  ssoAppIds?: string[];
  withTestUser?: boolean;
  testUsersOnly?: boolean;
  limit?: number;
  page?: number;
  sort?: { field: string; desc?: boolean }[];
  fromCreatedTime?: number;
  toCreatedTime?: number;
  fromModifiedTime?: number;
  toModifiedTime?: number;
  tenantRoleNames?: Record<string, { values?: string[]; and?: boolean }>;
};

/**
 * A page of users and the number of users matching in total.
 *
 * @example
 * ```ts
 * const page: UserSearchResult = await client.management.user.search({ page: 1 });
 * ```
 */
export type UserSearchResult = { users: User[]; total: number };

/**
 * Name fields for `updateNames`: fields left out stay unchanged, `''` clears one.
 *
 * @example
 * ```ts
 * await client.management.user.updateNames('ada@example.com', { givenName: 'Ada', familyName: 'Lovelace' });
 * ```
 */
export type UserNames = {
  displayName?: string;
  givenName?: string;
  middleName?: string;
  familyName?: string;
};

/**
 * Options of `updateEmail` / `updatePhone`.
 *
 * @example
 * ```ts
 * await client.management.user.updateEmail('ada@example.com', 'ada@new.example', { verified: true, failOnConflict: true });
 * ```
 */
export type ContactUpdateOptions = {
  /** mark the new address verified (the server's default is `true`) */
  verified?: boolean;
  /** refuse when another user already has this address */
  failOnConflict?: boolean;
};

/**
 * Options of a sign-up embedded link: addresses the caller vouches for (marked verified on redemption),
 * options for the first session, and the link's lifetime.
 *
 * @example
 * ```ts
 * const options: EmbeddedSignUpOptions = { emailVerified: true, loginOptions: { customClaims: { source: 'invite' } } };
 * ```
 */
export type EmbeddedSignUpOptions = {
  emailVerified?: boolean;
  phoneVerified?: boolean;
  loginOptions?: LoginOptions;
  /** seconds the token stays valid (server default 60) */
  timeout?: number;
};
