import type { JWTPayload } from 'jose';
import { LatchkeyError } from '../errors.ts';
import { type SessionPolicy, sessionPolicyFor } from '../mgmt/tenants/settings.ts';
import type { Project } from '../projects/repo.ts';
import type { Db } from '../store/db.ts';
import { attributeClaims, withTenantAttributes } from '../users/attribute-claims.ts';
import { authorizationClaims } from '../users/authorization.ts';
import type { UserRecord, UserRepo } from '../users/repo.ts';
import { toWireUser, type WireUser } from '../users/wire.ts';
import { newId, nowSeconds } from '../util.ts';
import { issuerFor, RESERVED_CLAIMS, signToken, verifyToken } from './jwt.ts';
import type { KeyStore } from './keys.ts';

export type JwtResponse = {
  sessionJwt: string;
  refreshJwt: string;
  cookieDomain: string;
  cookiePath: string;
  cookieMaxAge: number;
  cookieExpiration: number;
  sessionExpiration: number;
  user: WireUser;
  firstSeen: boolean;
};

export type IssuedSession = { body: JwtResponse; cookies: string[] };

export type IssueOptions = {
  amr: string[];
  firstSeen?: boolean;
  dct?: string;
  customClaims?: Record<string, unknown>;
  /** keep using this refresh token instead of minting one (refresh without rotation) */
  reuseRefresh?: { token: string; exp: number };
  /** impersonation: the actor behind the session (RFC 8693 `act`) */
  act?: { sub: string };
  /** a shorter refresh lifetime asked for (seconds); never longer than the session policy's */
  refreshLifetime?: number;
  /**
   * step-up of a live session (`loginOptions.stepup`, reference §1.13): the session JWT carries `su: true`
   * and lives for the step-up lifetime (docs/tenant-settings.md); the refresh JWT does not carry `su`.
   */
  stepup?: boolean;
  /** the session policy already read for this user (a refresh reads it to check inactivity): not read again */
  policy?: SessionPolicy;
};

export type RefreshContext = {
  project: Project;
  user: UserRecord;
  payload: JWTPayload & { sub: string };
  token: string;
  /** the user's session policy, as read while checking the token */
  policy?: SessionPolicy;
  /** when the session was last active (its last refresh, else its issue), epoch seconds */
  lastActive?: number;
};

/**
 * A refresh without rotation records its time (`last_active_time`) for the tenant inactivity timeout. Without
 * an inactivity policy the time is written only once it moved by this much (inactivity is set in minutes), so
 * a session refreshed in a loop does not write on every refresh; under a policy it is written every time.
 */
const ACTIVITY_GRANULARITY = 60;

export function customClaimsOf(payload: JWTPayload): Record<string, unknown> {
  return Object.fromEntries(Object.entries(payload).filter(([k]) => !RESERVED_CLAIMS.has(k)));
}

/** The impersonation actor of a token, carried from token to token until impersonation stops. */
export function actOf(payload: JWTPayload): { sub: string } | undefined {
  const act = payload.act as { sub?: unknown } | undefined;
  return act && typeof act.sub === 'string' ? { sub: act.sub } : undefined;
}

export function assertCustomClaims(claims: Record<string, unknown> | undefined): void {
  const reserved = Object.keys(claims ?? {}).filter((k) => RESERVED_CLAIMS.has(k));
  if (reserved.length > 0) {
    throw new LatchkeyError(
      'invalidArguments',
      `Custom claims may not set reserved claims: ${reserved.join(', ')}`,
    );
  }
  if (JSON.stringify(claims ?? {}).length > 8192) {
    throw new LatchkeyError('invalidArguments', 'Custom claims are larger than 8 KiB');
  }
}

/**
 * Issues, refreshes and revokes sessions. Every refresh token has a row (its `jti`) so that logout,
 * logout-all and management logout revoke it; a refresh token without a live row never refreshes.
 */
export function createSessionService(deps: {
  db: Db;
  keys: KeyStore;
  users: UserRepo;
  publicUrl: () => string;
  cookieDomain: string;
}) {
  const { db, keys, users } = deps;
  const issuer = (projectId: string) => issuerFor(deps.publicUrl(), projectId);

  function cookies(body: JwtResponse, sessionMaxAge: number): string[] {
    const secure = deps.publicUrl().startsWith('https:') ? '; Secure' : '';
    const domain = body.cookieDomain ? `; Domain=${body.cookieDomain}` : '';
    const common = `; Path=/; HttpOnly; SameSite=Strict${secure}${domain}`;
    return [
      `DS=${body.sessionJwt}; Max-Age=${sessionMaxAge}${common}`,
      `DSR=${body.refreshJwt}; Max-Age=${body.cookieMaxAge}${common}`,
    ];
  }

  async function issue(project: Project, user: UserRecord, options: IssueOptions): Promise<IssuedSession> {
    assertCustomClaims(options.customClaims);
    const now = nowSeconds();
    // Tenant session policy (docs/tenant-settings.md): the stricter of the project's and the user's tenants'.
    const policy =
      options.policy ??
      (await sessionPolicyFor(
        db,
        project,
        user.tenants.map((t) => t.tenantId),
      ));
    const sessionTokenExpiration = policy.sessionSeconds;
    const refreshTokenExpiration = options.refreshLifetime
      ? Math.min(options.refreshLifetime, policy.refreshSeconds)
      : policy.refreshSeconds;
    const authz = await authorizationClaims(db, user);
    const base: Record<string, unknown> = {
      ...options.customClaims,
      sub: user.userId,
      amr: options.amr,
      ...authz,
      tenants: await withTenantAttributes(db, project.id, authz.tenants),
      ...(await attributeClaims(db, user)),
      ...(options.dct ? { dct: options.dct } : {}),
      ...(options.act ? { act: options.act } : {}),
    };
    let refreshJwt = options.reuseRefresh?.token;
    let refreshExp = options.reuseRefresh?.exp ?? now + refreshTokenExpiration;
    if (!refreshJwt) {
      const jti = newId.jti();
      refreshExp = now + refreshTokenExpiration;
      await db
        .insertInto('refresh_tokens')
        .values({
          project_id: project.id,
          jti,
          user_id: user.userId,
          issued_time: now,
          expires_time: refreshExp,
          revoked_time: null,
        })
        .execute();
      refreshJwt = await signToken(
        keys,
        project,
        issuer(project.id),
        { ...base, drn: 'DSR', jti },
        refreshTokenExpiration,
        now,
      );
    }
    // A step-up session lives for the step-up lifetime (Descope: "valid for the duration of the Step Up Token
    // Timeout"), and a session never outlives the refresh token that produced it.
    const wanted = options.stepup ? policy.stepupSeconds : sessionTokenExpiration;
    const sessionLifetime = Math.max(1, Math.min(wanted, refreshExp - now));
    const sessionJwt = await signToken(
      keys,
      project,
      issuer(project.id),
      {
        ...base,
        drn: 'DS',
        rexp: new Date(refreshExp * 1000).toISOString(),
        ...(options.stepup ? { su: true } : {}),
      },
      sessionLifetime,
      now,
    );
    const body: JwtResponse = {
      sessionJwt,
      refreshJwt,
      cookieDomain: deps.cookieDomain,
      cookiePath: '/',
      cookieMaxAge: Math.max(0, refreshExp - now),
      cookieExpiration: refreshExp,
      sessionExpiration: now + sessionLifetime,
      user: toWireUser(user),
      firstSeen: options.firstSeen ?? false,
    };
    return { body, cookies: cookies(body, sessionLifetime) };
  }

  /** Checks a refresh token end to end: signature, type, issuer, expiry, revocation, and the user's state. */
  async function authenticateRefresh(project: Project, token: string): Promise<RefreshContext> {
    const payload = await verifyToken(keys, project.id, token, 'DSR');
    const jti = typeof payload.jti === 'string' ? payload.jti : '';
    const row = await db
      .selectFrom('refresh_tokens')
      .select(['revoked_time', 'expires_time', 'user_id', 'issued_time', 'last_active_time'])
      .where('project_id', '=', project.id)
      .where('jti', '=', jti)
      .executeTakeFirst();
    if (!row || row.user_id !== payload.sub)
      throw new LatchkeyError('invalidToken', 'Refresh token is not recognized');
    if (row.revoked_time !== null)
      throw new LatchkeyError('tokenRevoked', 'Refresh token was revoked by logout');
    if (row.expires_time <= nowSeconds()) throw new LatchkeyError('invalidToken', 'Refresh token expired');
    const user = await users.load(db, project.id, payload.sub);
    if (!user) throw new LatchkeyError('invalidToken', 'The user of this token no longer exists');
    if (user.status === 'disabled') throw new LatchkeyError('userDisabled');
    const policy = await sessionPolicyFor(
      db,
      project,
      user.tenants.map((t) => t.tenantId),
    );
    const { inactivitySeconds } = policy;
    const lastActive = row.last_active_time ?? row.issued_time;
    if (inactivitySeconds && nowSeconds() - lastActive > inactivitySeconds) {
      await revoke(project.id, jti);
      throw new LatchkeyError(
        'sessionInactive',
        'The session was inactive for longer than the tenant allows',
      );
    }
    return { project, user, payload, token, policy, lastActive };
  }

  async function revoke(projectId: string, jti: string): Promise<void> {
    await db
      .updateTable('refresh_tokens')
      .set({ revoked_time: nowSeconds() })
      .where('project_id', '=', projectId)
      .where('jti', '=', jti)
      .where('revoked_time', 'is', null)
      .execute();
  }

  /** A refresh without rotation keeps its row: remember it was used (tenant inactivity timeout). */
  async function touch(projectId: string, jti: string): Promise<void> {
    await db
      .updateTable('refresh_tokens')
      .set({ last_active_time: nowSeconds() })
      .where('project_id', '=', projectId)
      .where('jti', '=', jti)
      .execute();
  }

  async function revokeAll(projectId: string, userId: string): Promise<void> {
    await db
      .updateTable('refresh_tokens')
      .set({ revoked_time: nowSeconds() })
      .where('project_id', '=', projectId)
      .where('user_id', '=', userId)
      .where('revoked_time', 'is', null)
      .execute();
  }

  return {
    issue,
    authenticateRefresh,
    revoke,
    revokeAll,

    async refresh(ctx: RefreshContext): Promise<IssuedSession> {
      const { project, user, payload, token, policy, lastActive } = ctx;
      const rotate = project.settings.refreshTokenRotation;
      const options: IssueOptions = {
        amr: Array.isArray(payload.amr) ? (payload.amr as string[]) : [],
        dct:
          typeof payload.dct === 'string' && user.tenants.some((t) => t.tenantId === payload.dct)
            ? payload.dct
            : undefined,
        customClaims: customClaimsOf(payload),
        reuseRefresh: rotate ? undefined : { token, exp: payload.exp ?? 0 },
        act: actOf(payload),
        policy,
      };
      const issued = await issue(project, user, options);
      if (rotate) await revoke(project.id, String(payload.jti));
      else if (
        !policy ||
        lastActive === undefined ||
        policy.inactivitySeconds ||
        nowSeconds() - lastActive >= ACTIVITY_GRANULARITY
      )
        await touch(project.id, String(payload.jti));
      return issued;
    },

    async selectTenant(ctx: RefreshContext, tenantId: string | undefined): Promise<IssuedSession> {
      const { project, user, payload } = ctx;
      if (tenantId && !user.tenants.some((t) => t.tenantId === tenantId)) {
        throw new LatchkeyError('tenantNotAssociated', `User is not a member of tenant ${tenantId}`);
      }
      const issued = await issue(project, user, {
        amr: Array.isArray(payload.amr) ? (payload.amr as string[]) : [],
        dct: tenantId,
        customClaims: customClaimsOf(payload),
        act: actOf(payload),
        policy: ctx.policy,
      });
      if (project.settings.refreshTokenRotation) await revoke(project.id, String(payload.jti));
      return issued;
    },

    async logout(ctx: RefreshContext): Promise<void> {
      await revoke(ctx.project.id, String(ctx.payload.jti));
    },

    expiredCookies(): string[] {
      const domain = deps.cookieDomain ? `; Domain=${deps.cookieDomain}` : '';
      return [`DS=; Max-Age=0; Path=/; HttpOnly${domain}`, `DSR=; Max-Age=0; Path=/; HttpOnly${domain}`];
    },
  };
}

export type SessionService = ReturnType<typeof createSessionService>;
