import type { SignUpUser } from '../auth/password.ts';
import type { Http } from '../http.ts';
import type { LoginHistoryRecord, User } from '../types.ts';
import type {
  BatchCreateResponse,
  BatchDeleteResponse,
  BatchPatchResponse,
  BatchUser,
  ContactUpdateOptions,
  EmbeddedSignUpOptions,
  InviteOptions,
  UserNames,
  UserOptions,
  UserSearch,
  UserSearchResult,
} from './user-types.ts';

/**
 * User management (reference §3.2). Needs a management key. Wherever a call takes `loginId`, a user id
 * works too (the server resolves login ids first). Unknown users → 404 `E112102`.
 *
 * @example
 * ```ts
 * const user = await client.management.user.create('ada@example.com', { email: 'ada@example.com' });
 * ```
 */
export type UserApi = {
  /**
   * Creates a user. It loads as `invited` until activated or signed in.
   *
   * @example
   * ```ts
   * const user = await client.management.user.create('ada@example.com', { displayName: 'Ada', roleNames: ['admin'] });
   * ```
   */
  create(loginId: string, options?: UserOptions): Promise<User>;
  /**
   * Creates a test user (`test: true`): left out of normal searches, removable with `deleteAllTestUsers`.
   *
   * @example
   * ```ts
   * await client.management.user.createTestUser('e2e-1@example.com');
   * ```
   */
  createTestUser(loginId: string, options?: UserOptions): Promise<User>;
  /**
   * Creates several users; each failure is reported in `failedUsers` without stopping the batch.
   *
   * @example
   * ```ts
   * const { createdUsers, failedUsers } = await client.management.user.createBatch([{ loginId: 'a@example.com' }]);
   * ```
   */
  createBatch(users: BatchUser[]): Promise<BatchCreateResponse>;
  /**
   * Creates a user with status `invited` and sends the `invite` message (email, and text with `sendSMS`)
   * with a link to `inviteUrl`. Without an invite URL (here or in project settings) → 400, nothing created.
   *
   * @example
   * ```ts
   * await client.management.user.invite('ada@example.com', { email: 'ada@example.com' }, { inviteUrl: 'https://app.example.com/welcome' });
   * ```
   */
  invite(loginId: string, options?: UserOptions, invite?: InviteOptions): Promise<User>;
  /**
   * Creates several users and invites each of them with the same options; failures are per user.
   *
   * @example
   * ```ts
   * await client.management.user.inviteBatch([{ loginId: 'a@example.com', email: 'a@example.com' }], { inviteUrl });
   * ```
   */
  inviteBatch(users: BatchUser[], invite?: InviteOptions): Promise<BatchCreateResponse>;
  /**
   * Patches several users (only the fields given); users that fail are listed with the reason.
   *
   * @example
   * ```ts
   * const { failedUsers } = await client.management.user.patchBatch([{ loginId: 'a@example.com', status: 'disabled' }]);
   * ```
   */
  patchBatch(users: (Partial<BatchUser> & { loginId: string })[]): Promise<BatchPatchResponse>;
  /**
   * Deletes several users by user id (and ends their sessions); ids matching no user come back in `failedUserIds`.
   *
   * @example
   * ```ts
   * await client.management.user.deleteBatch(['U2abc', 'U2def']);
   * ```
   */
  deleteBatch(userIds: string[]): Promise<BatchDeleteResponse>;
  /**
   * Replaces every field of a user: options left out are cleared (roles and tenants included).
   *
   * @example
   * ```ts
   * await client.management.user.update('ada@example.com', { email: 'ada@example.com', roleNames: ['viewer'] });
   * ```
   */
  update(loginId: string, options?: UserOptions): Promise<User>;
  /**
   * Changes only the given fields.
   *
   * @example
   * ```ts
   * await client.management.user.patch('ada@example.com', { givenName: 'Ada' });
   * ```
   */
  patch(loginId: string, options: UserOptions): Promise<User>;
  /**
   * Deletes a user (by login id or user id) and revokes their sessions.
   *
   * @example
   * ```ts
   * await client.management.user.delete('ada@example.com');
   * ```
   */
  delete(loginId: string): Promise<void>;
  /**
   * Deletes a user by user id.
   *
   * @example
   * ```ts
   * await client.management.user.deleteByUserId('U2abc...');
   * ```
   */
  deleteByUserId(userId: string): Promise<void>;
  /**
   * Deletes every test user of the project.
   *
   * @example
   * ```ts
   * await client.management.user.deleteAllTestUsers();
   * ```
   */
  deleteAllTestUsers(): Promise<void>;
  /**
   * Loads a user by login id.
   *
   * @example
   * ```ts
   * const user = await client.management.user.load('ada@example.com');
   * ```
   */
  load(loginId: string): Promise<User>;
  /**
   * Loads a user by user id.
   *
   * @example
   * ```ts
   * const user = await client.management.user.loadByUserId('U2abc...');
   * ```
   */
  loadByUserId(userId: string): Promise<User>;
  /**
   * Searches users (`POST /v2/mgmt/user/search`).
   *
   * @example
   * ```ts
   * const { users, total } = await client.management.user.search({ roleNames: ['admin'] });
   * ```
   */
  search(query?: UserSearch): Promise<UserSearchResult>;
  /**
   * Searches test users only.
   *
   * @example
   * ```ts
   * const { users } = await client.management.user.searchTestUsers();
   * ```
   */
  searchTestUsers(query?: UserSearch): Promise<UserSearchResult>;
  /**
   * Sets status `enabled` (also lifts a password lockout).
   *
   * @example
   * ```ts
   * await client.management.user.activate('ada@example.com');
   * ```
   */
  activate(loginId: string): Promise<User>;
  /**
   * Sets status `disabled`: sign-in is refused and the user's refresh tokens are revoked.
   *
   * @example
   * ```ts
   * await client.management.user.deactivate('ada@example.com');
   * ```
   */
  deactivate(loginId: string): Promise<User>;
  /**
   * Replaces one login id with another; without `newLoginId` it removes it (not the last one).
   *
   * @example
   * ```ts
   * await client.management.user.updateLoginId('ada@example.com', 'ada@new.example');
   * ```
   */
  updateLoginId(loginId: string, newLoginId?: string): Promise<User>;
  /**
   * Sets (or, with `''`/`undefined`, removes) the email address.
   *
   * @example
   * ```ts
   * await client.management.user.updateEmail('ada@example.com', 'ada@new.example', { verified: true });
   * ```
   */
  updateEmail(loginId: string, email: string | undefined, options?: ContactUpdateOptions): Promise<User>;
  /**
   * Sets (or removes) the phone number (E.164).
   *
   * @example
   * ```ts
   * await client.management.user.updatePhone('ada@example.com', '+14155550100');
   * ```
   */
  updatePhone(loginId: string, phone: string | undefined, options?: ContactUpdateOptions): Promise<User>;
  /**
   * Sets the display name only.
   *
   * @example
   * ```ts
   * await client.management.user.updateDisplayName('ada@example.com', 'Ada L.');
   * ```
   */
  updateDisplayName(loginId: string, displayName: string): Promise<User>;
  /**
   * Sets the given name fields; fields left out stay as they are.
   *
   * @example
   * ```ts
   * await client.management.user.updateNames('ada@example.com', { givenName: 'Ada', familyName: 'Lovelace' });
   * ```
   */
  updateNames(loginId: string, names: UserNames): Promise<User>;
  /**
   * Sets (or removes) the picture URL.
   *
   * @example
   * ```ts
   * await client.management.user.updatePicture('ada@example.com', 'https://example.com/ada.png');
   * ```
   */
  updatePicture(loginId: string, picture: string | undefined): Promise<User>;
  /**
   * Sets one custom attribute; `undefined` or `''` removes it.
   *
   * @example
   * ```ts
   * await client.management.user.updateCustomAttribute('ada@example.com', 'plan', 'pro');
   * ```
   */
  updateCustomAttribute(
    loginId: string,
    key: string,
    value: string | number | boolean | (string | number)[] | undefined,
  ): Promise<User>;
  /**
   * Replaces the user's roles: project-level, or inside `tenantId` (the user must be in the tenant).
   *
   * @example
   * ```ts
   * await client.management.user.setRoles('ada@example.com', ['viewer'], 'acme');
   * ```
   */
  setRoles(loginId: string, roleNames: string[], tenantId?: string): Promise<User>;
  /**
   * Adds roles: project-level, or inside `tenantId` (`POST /v2/mgmt/user/update/role/add`).
   *
   * @example
   * ```ts
   * await client.management.user.addRoles('ada@example.com', ['admin']);
   * ```
   */
  addRoles(loginId: string, roleNames: string[], tenantId?: string): Promise<User>;
  /**
   * Removes roles: project-level, or inside `tenantId`.
   *
   * @example
   * ```ts
   * await client.management.user.removeRoles('ada@example.com', ['admin'], 'acme');
   * ```
   */
  removeRoles(loginId: string, roleNames: string[], tenantId?: string): Promise<User>;
  /**
   * Adds the user to a tenant, optionally with roles there.
   *
   * @example
   * ```ts
   * await client.management.user.addTenant('ada@example.com', 'acme', ['editor']);
   * ```
   */
  addTenant(loginId: string, tenantId: string, roleNames?: string[]): Promise<User>;
  /**
   * Removes the user from a tenant.
   *
   * @example
   * ```ts
   * await client.management.user.removeTenant('ada@example.com', 'acme');
   * ```
   */
  removeTenant(loginId: string, tenantId: string): Promise<User>;
  /**
   * Sets a temporary password: signing in with it fails with `E062909` until the user replaces it.
   *
   * @example
   * ```ts
   * await client.management.user.setTemporaryPassword('ada@example.com', 'Temp-Passw0rd');
   * ```
   */
  setTemporaryPassword(loginId: string, password: string): Promise<void>;
  /**
   * Sets a password the user can sign in with.
   *
   * @example
   * ```ts
   * await client.management.user.setActivePassword('ada@example.com', 'Active-Passw0rd');
   * ```
   */
  setActivePassword(loginId: string, password: string): Promise<void>;
  /**
   * Expires the user's password: sign-in fails with `E062909` until it is replaced.
   *
   * @example
   * ```ts
   * await client.management.user.expirePassword('ada@example.com');
   * ```
   */
  expirePassword(loginId: string): Promise<void>;
  /**
   * Signs the user out of every session (all refresh tokens are revoked).
   *
   * @example
   * ```ts
   * await client.management.user.logoutUser('ada@example.com');
   * ```
   */
  logoutUser(loginId: string): Promise<void>;
  /**
   * Signs the user out of every session, by user id.
   *
   * @example
   * ```ts
   * await client.management.user.logoutUserByUserId('U2abc...');
   * ```
   */
  logoutUserByUserId(userId: string): Promise<void>;
  /**
   * Sign-in history of the given users (by user id), newest first.
   *
   * @example
   * ```ts
   * const records = await client.management.user.history([user.userId]);
   * ```
   */
  history(userIds: string[]): Promise<LoginHistoryRecord[]>;
  /**
   * An embedded sign-in link: a token for an existing user (any user, not only test users), sent nowhere,
   * redeemed once with `client.magicLink.verify(token)`. `customClaims` go into the session it opens;
   * `timeoutSeconds` is its lifetime (server default 60).
   *
   * @example
   * ```ts
   * const token = await client.management.user.generateEmbeddedLink('ada@example.com', { org: 'acme' });
   * const { sessionJwt } = await client.magicLink.verify(token);
   * ```
   */
  generateEmbeddedLink(
    loginId: string,
    customClaims?: Record<string, unknown>,
    timeoutSeconds?: number,
  ): Promise<string>;
  /**
   * An embedded sign-up link: a token that creates the user when it is redeemed with
   * `client.magicLink.verify(token)`. An existing login id → 400 `E112103`.
   *
   * @example
   * ```ts
   * const token = await client.management.user.generateSignUpEmbeddedLink(
   *   'ada@example.com',
   *   { name: 'Ada', email: 'ada@example.com' },
   *   { emailVerified: true },
   * );
   * ```
   */
  generateSignUpEmbeddedLink(
    loginId: string,
    user?: SignUpUser,
    options?: EmbeddedSignUpOptions,
  ): Promise<string>;
  /**
   * Removes the user's authenticator (TOTP) seed: TOTP sign-in fails until a new one is added.
   *
   * @example
   * ```ts
   * await client.management.user.removeTotpSeed('ada@example.com');
   * ```
   */
  removeTotpSeed(loginId: string): Promise<void>;
};

export function createUserApi(http: Http): UserApi {
  const post = async <T = { user: User }>(path: string, body: unknown) =>
    http.request<T>('POST', path, { auth: 'management', body });
  const postUser = async (path: string, body: unknown) => (await post(path, body)).user;
  const postVoid = async (path: string, body: unknown) => {
    await post(path, body);
  };
  const load = async (query: Record<string, string>) =>
    (await http.request<{ user: User }>('GET', '/v1/mgmt/user', { auth: 'management', query })).user;
  const search = (path: string, query: UserSearch = {}) =>
    http.request<UserSearchResult>('POST', path, { auth: 'management', body: query });

  return {
    create: (loginId, options = {}) => postUser('/v1/mgmt/user/create', { ...options, loginId }),
    createTestUser: (loginId, options = {}) =>
      postUser('/v1/mgmt/user/create/test', { ...options, loginId, test: true }),
    createBatch: (users) =>
      http.request('POST', '/v1/mgmt/user/create/batch', { auth: 'management', body: { users } }),
    invite: (loginId, options = {}, invite = {}) =>
      postUser('/v1/mgmt/user/create', { ...options, ...invite, loginId, invite: true }),
    inviteBatch: (users, invite = {}) =>
      http.request('POST', '/v1/mgmt/user/create/batch', {
        auth: 'management',
        body: { ...invite, users, invite: true },
      }),
    patchBatch: (users) =>
      http.request('PATCH', '/v1/mgmt/user/patch/batch', { auth: 'management', body: { users } }),
    deleteBatch: (userIds) =>
      http.request('POST', '/v1/mgmt/user/delete/batch', { auth: 'management', body: { userIds } }),
    update: (loginId, options = {}) => postUser('/v1/mgmt/user/update', { ...options, loginId }),
    async patch(loginId, options) {
      return (
        await http.request<{ user: User }>('PATCH', '/v1/mgmt/user/patch', {
          auth: 'management',
          body: { ...options, loginId },
        })
      ).user;
    },
    delete: (loginId) => postVoid('/v1/mgmt/user/delete', { loginId }),
    deleteByUserId: (userId) => postVoid('/v1/mgmt/user/delete', { userId }),
    async deleteAllTestUsers() {
      await http.request('DELETE', '/v1/mgmt/user/test/delete/all', { auth: 'management' });
    },
    load: (loginId) => load({ loginId }),
    loadByUserId: (userId) => load({ userId }),
    search: (query) => search('/v2/mgmt/user/search', query),
    searchTestUsers: (query) =>
      search('/v2/mgmt/user/search/test', { ...query, withTestUser: true, testUsersOnly: true }),
    activate: (loginId) => postUser('/v1/mgmt/user/update/status', { loginId, status: 'enabled' }),
    deactivate: (loginId) => postUser('/v1/mgmt/user/update/status', { loginId, status: 'disabled' }),
    updateLoginId: (loginId, newLoginId) => postUser('/v1/mgmt/user/update/loginid', { loginId, newLoginId }),
    updateEmail: (loginId, email, options = {}) =>
      postUser('/v1/mgmt/user/update/email', { ...options, loginId, email }),
    updatePhone: (loginId, phone, options = {}) =>
      postUser('/v1/mgmt/user/update/phone', { ...options, loginId, phone }),
    updateDisplayName: (loginId, displayName) =>
      postUser('/v1/mgmt/user/update/name', { loginId, displayName }),
    updateNames: (loginId, names) => postUser('/v1/mgmt/user/update/name', { ...names, loginId }),
    updatePicture: (loginId, picture) => postUser('/v1/mgmt/user/update/picture', { loginId, picture }),
    updateCustomAttribute: (loginId, attributeKey, attributeValue) =>
      postUser('/v1/mgmt/user/update/customAttribute', { loginId, attributeKey, attributeValue }),
    setRoles: (loginId, roleNames, tenantId) =>
      postUser('/v1/mgmt/user/update/role/set', { loginId, roleNames, tenantId }),
    addRoles: (loginId, roleNames, tenantId) =>
      postUser('/v2/mgmt/user/update/role/add', { loginId, roleNames, tenantId }),
    removeRoles: (loginId, roleNames, tenantId) =>
      postUser('/v1/mgmt/user/update/role/remove', { loginId, roleNames, tenantId }),
    addTenant: (loginId, tenantId, roleNames) =>
      postUser('/v1/mgmt/user/update/tenant/add', { loginId, tenantId, roleNames }),
    removeTenant: (loginId, tenantId) =>
      postUser('/v1/mgmt/user/update/tenant/remove', { loginId, tenantId }),
    setTemporaryPassword: (loginId, password) =>
      postVoid('/v1/mgmt/user/password/set/temporary', { loginId, password, setActive: false }),
    setActivePassword: (loginId, password) =>
      postVoid('/v1/mgmt/user/password/set/active', { loginId, password, setActive: true }),
    expirePassword: (loginId) => postVoid('/v1/mgmt/user/password/expire', { loginId }),
    logoutUser: (loginId) => postVoid('/v1/mgmt/user/logout', { loginId }),
    logoutUserByUserId: (userId) => postVoid('/v1/mgmt/user/logout', { userId }),
    // Node and Go post a bare JSON array of user ids.
    history: (userIds) =>
      http.request('POST', '/v1/mgmt/user/history', { auth: 'management', body: userIds }),
    generateEmbeddedLink: async (loginId, customClaims, timeoutSeconds) =>
      (
        await post<{ token: string }>('/v1/mgmt/user/signin/embeddedlink', {
          loginId,
          customClaims,
          timeout: timeoutSeconds,
        })
      ).token,
    generateSignUpEmbeddedLink: async (loginId, user, options = {}) =>
      (await post<{ token: string }>('/v1/mgmt/user/signup/embeddedlink', { ...options, loginId, user }))
        .token,
    removeTotpSeed: (loginId) => postVoid('/v1/mgmt/user/totp/delete', { loginId }),
  };
}
