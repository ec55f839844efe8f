import { z } from 'zod';
import { LatchkeyError } from '../../errors.ts';
import type { RoutePlugin } from '../../http/app.ts';
import { parseAuthorization } from '../../http/request-auth.ts';
import { parseInput } from '../../http/validate.ts';
import {
  customClaimsOfKey,
  ipPermitted,
  keyTenantsOf,
  permittedIpsOf,
  roleNamesOf,
} from '../../mgmt/accesskeys/store.ts';
import { sessionPolicyFor } from '../../mgmt/tenants/settings.ts';
import { issuerFor, signToken } from '../../tokens/jwt.ts';
import { assertCustomClaims } from '../../tokens/sessions.ts';
import { withTenantAttributes } from '../../users/attribute-claims.ts';
import { authorizationClaimsFor } from '../../users/authorization.ts';
import { newId, nowSeconds, sha256Hex } from '../../util.ts';

const exchangeBody = z.object({
  loginOptions: z
    .object({
      customClaims: z.record(z.string().min(1).max(128), z.unknown()).optional(),
      selectedTenant: z.string().optional(),
    })
    .optional(),
  audience: z.string().optional(),
});

/**
 * `POST /v1/auth/accesskey/exchange` (reference §2.13): `Bearer <projectId>:<accessKey>[:<authManagementKey>]`.
 * Answers `{keyId, sessionJwt, refreshJwt, expiration}`. The refresh JWT exists only because the Ruby SDK
 * refuses a response without one; it has no stored row, so `/v1/auth/refresh` never accepts it.
 */
export const accessKeyExchangeRoutes: RoutePlugin = (
  app,
  { store, auth, users, keys, limits, publicUrl },
) => {
  const db = store.db;

  app.post('/v1/auth/accesskey/exchange', async (req) => {
    const project = await auth.project(req);
    await limits.enforce(project, 'signIn', { ip: req.ip });
    const body = parseInput(exchangeBody, req.body);
    const cleartext = parseAuthorization(req.headers.authorization)?.keys[0];
    if (!cleartext)
      throw new LatchkeyError(
        'accessKeyInvalid',
        'An access key is required: "Bearer <projectId>:<accessKey>"',
      );
    const row = await db
      .selectFrom('access_keys')
      .selectAll()
      .where('project_id', '=', project.id)
      .where('key_hash', '=', sha256Hex(cleartext))
      .executeTakeFirst();
    if (!row) throw new LatchkeyError('accessKeyInvalid', 'The access key is unknown or was deleted');
    if (row.status !== 'active')
      throw new LatchkeyError('accessKeyInactive', `Access key ${row.id} is deactivated`);
    const now = nowSeconds();
    if (row.expire_time !== 0 && row.expire_time <= now)
      throw new LatchkeyError('accessKeyExpired', `Access key ${row.id} expired`);
    if (!ipPermitted(permittedIpsOf(row), req.ip))
      throw new LatchkeyError(
        'accessKeyIpNotPermitted',
        `Access key ${row.id} may not be used from ${req.ip}`,
      );

    const requested = body.loginOptions?.customClaims;
    await auth.checkCustomClaimsAllowed(req, requested);
    assertCustomClaims(requested);

    // A key bound to a user carries that user's roles and tenants; otherwise its own.
    let roleNames = roleNamesOf(row);
    let tenants = keyTenantsOf(row);
    if (row.bound_user_id) {
      const user = await users.load(db, project.id, row.bound_user_id);
      if (!user)
        throw new LatchkeyError(
          'accessKeyInvalid',
          `The user access key ${row.id} is bound to no longer exists`,
        );
      if (user.status === 'disabled') throw new LatchkeyError('userDisabled', 'The bound user is disabled');
      roleNames = user.roleNames;
      tenants = user.tenants;
    }
    const selected = body.loginOptions?.selectedTenant;
    if (selected && !tenants.some((t) => t.tenantId === selected))
      throw new LatchkeyError(
        'tenantNotAssociated',
        `Access key ${row.id} is not associated with tenant ${selected}`,
      );

    const authz = await authorizationClaimsFor(db, project.id, roleNames, tenants);
    const claims: Record<string, unknown> = {
      ...requested,
      // the key's own claims, set by an administrator, win over claims asked for at exchange
      ...customClaimsOfKey(row),
      sub: row.id,
      amr: ['accesskey'],
      ...authz,
      tenants: await withTenantAttributes(db, project.id, authz.tenants),
      ...(selected ? { dct: selected } : {}),
    };
    // The same rule as users' sessions (docs/tenant-settings.md): the stricter of the project's lifetimes and
    // every enabled override among the key's tenants (or its bound user's), whichever is selected.
    const policy = await sessionPolicyFor(
      db,
      project,
      tenants.map((t) => t.tenantId),
    );
    // No token outlives its key.
    const cap = (lifetime: number) =>
      Math.max(1, row.expire_time === 0 ? lifetime : Math.min(lifetime, row.expire_time - now));
    const sessionLifetime = cap(policy.sessionSeconds);
    const issuer = issuerFor(publicUrl(), project.id);
    const sessionJwt = await signToken(keys, project, issuer, { ...claims, drn: 'DS' }, sessionLifetime, now);
    const refreshJwt = await signToken(
      keys,
      project,
      issuer,
      { ...claims, drn: 'DSR', jti: newId.jti() },
      cap(policy.refreshSeconds),
      now,
    );
    return { keyId: row.id, sessionJwt, refreshJwt, expiration: now + sessionLifetime };
  });
};
