import { decodeJwt, type JWTPayload } from 'jose';
import type { AuditEventInput, AuditLog } from '../../audit/types.ts';
import { LatchkeyError } from '../../errors.ts';
import type { Project } from '../../projects/repo.ts';
import type { Db } from '../../store/db.ts';
import { issuerFor, signToken, type TokenKind, verifyToken } from '../../tokens/jwt.ts';
import type { KeyStore } from '../../tokens/keys.ts';
import { actOf, assertCustomClaims, type SessionService } from '../../tokens/sessions.ts';
import { authorizationClaims } from '../../users/authorization.ts';
import type { UserRecord, UserRepo } from '../../users/repo.ts';
import { nowSeconds } from '../../util.ts';

/** The permission an impersonator needs (Descope's name), at project level or in the selected tenant. */
const IMPERSONATION_PERMISSION = 'impersonation';

export type UpdateJwtInput = {
  jwt: string;
  customClaims?: Record<string, unknown>;
  refreshDuration?: number;
};
export type ImpersonateInput = {
  impersonatorId: string;
  loginId: string;
  validateConsent?: boolean;
  customClaims?: Record<string, unknown>;
  selectedTenant?: string;
  refreshDuration?: number;
};
export type StopImpersonationInput = {
  jwt: string;
  customClaims?: Record<string, unknown>;
  selectedTenant?: string;
  refreshDuration?: number;
};
/** The HTTP request (passed through to the audit log, which reads the address and device from it). */
export type RequestInfo = NonNullable<AuditEventInput['request']>;

/** Verifies a session or refresh JWT of this project, whichever it is (`drn`). */
async function verifyEither(keys: KeyStore, projectId: string, jwt: string) {
  let kind: TokenKind;
  try {
    kind = decodeJwt(jwt).drn === 'DSR' ? 'DSR' : 'DS';
  } catch {
    throw new LatchkeyError('invalidArguments', 'jwt is not a JWT');
  }
  return { kind, payload: await verifyToken(keys, projectId, jwt, kind) };
}

/**
 * JWT update and impersonation (reference §3.10). Impersonation issues a real session of the target
 * (a refresh-token row, revocable by logout and logout-all) whose JWTs carry `act: {sub: <impersonator>}`.
 */
export function createJwtService(deps: {
  db: Db;
  keys: KeyStore;
  users: UserRepo;
  sessions: SessionService;
  audit: AuditLog;
  publicUrl: () => string;
}) {
  const { db, keys, users, sessions, audit } = deps;

  async function requireUser(project: Project, idOrLoginId: string, field: string): Promise<UserRecord> {
    const userId = await users.resolveUserId(db, project.id, idOrLoginId);
    const user = userId ? await users.load(db, project.id, userId) : undefined;
    if (!user) throw new LatchkeyError('managementUserNotFound', `${field}: user ${idOrLoginId} not found`);
    if (user.status === 'disabled') throw new LatchkeyError('userDisabled', `${field}: user is disabled`);
    return user;
  }

  function checkTenant(user: UserRecord, tenantId: string | undefined, who: string): void {
    if (tenantId && !user.tenants.some((t) => t.tenantId === tenantId)) {
      throw new LatchkeyError('tenantNotAssociated', `The ${who} is not a member of tenant ${tenantId}`);
    }
  }

  async function checkMayImpersonate(
    impersonator: UserRecord,
    target: UserRecord,
    selectedTenant?: string,
  ): Promise<void> {
    const claims = await authorizationClaims(db, impersonator);
    if (claims.permissions.includes(IMPERSONATION_PERMISSION)) return;
    if (selectedTenant && claims.tenants[selectedTenant]?.permissions.includes(IMPERSONATION_PERMISSION)) {
      // The session issued carries all of the target's authorization: a tenant's admin may not use it to
      // reach another tenant's data, nor the target's project-level roles.
      const elsewhere = target.tenants.filter((t) => t.tenantId !== selectedTenant).map((t) => t.tenantId);
      if (elsewhere.length > 0 || target.roleNames.length > 0) {
        throw new LatchkeyError(
          'impersonationDenied',
          `User ${impersonator.userId} may impersonate only in tenant ${selectedTenant}, but the target also has ${
            elsewhere.length > 0 ? `tenants ${elsewhere.join(', ')}` : 'project-level roles'
          }: that needs the project-level "${IMPERSONATION_PERMISSION}" permission`,
        );
      }
      return;
    }
    throw new LatchkeyError(
      'impersonationDenied',
      selectedTenant
        ? `User ${impersonator.userId} has no "${IMPERSONATION_PERMISSION}" permission in the project or in tenant ${selectedTenant}`
        : `User ${impersonator.userId} has no project-level "${IMPERSONATION_PERMISSION}" permission`,
    );
  }

  /** A refresh JWT whose session was logged out is not given a new life by re-signing it. */
  async function checkSessionLive(project: Project, payload: JWTPayload): Promise<void> {
    const row = await db
      .selectFrom('refresh_tokens')
      .select('revoked_time')
      .where('project_id', '=', project.id)
      .where('jti', '=', String(payload.jti ?? ''))
      .executeTakeFirst();
    if (!row) throw new LatchkeyError('invalidToken', 'Refresh token is not recognized');
    if (row.revoked_time !== null)
      throw new LatchkeyError('tokenRevoked', 'Refresh token was revoked by logout');
  }

  return {
    /**
     * Re-signs a session or refresh JWT of this project with custom claims merged at the top level. Every
     * other claim (sub, drn, jti, roles...) is kept; `refreshDuration` > 0 sets a new expiry from now.
     */
    async update(project: Project, input: UpdateJwtInput): Promise<{ jwt: string }> {
      assertCustomClaims(input.customClaims);
      const { kind, payload } = await verifyEither(keys, project.id, input.jwt);
      if (kind === 'DSR') await checkSessionLive(project, payload);
      const now = nowSeconds();
      const { iss: _iss, iat: _iat, exp, ...kept } = payload as JWTPayload & { sub: string };
      // No token outlives the project's refresh lifetime: it bounds how long signing keys stay published.
      const lifetime = input.refreshDuration
        ? Math.min(input.refreshDuration, project.settings.refreshTokenExpiration)
        : Math.max(1, (exp ?? now) - now);
      if (kind === 'DSR' && input.refreshDuration) {
        // The refresh token's row decides whether it still refreshes: move its expiry along.
        await db
          .updateTable('refresh_tokens')
          .set({ expires_time: now + lifetime })
          .where('project_id', '=', project.id)
          .where('jti', '=', String(payload.jti ?? ''))
          .execute();
      }
      const claims = { ...kept, ...input.customClaims };
      const jwt = await signToken(
        keys,
        project,
        issuerFor(deps.publicUrl(), project.id),
        claims,
        lifetime,
        now,
      );
      return { jwt };
    },

    async impersonate(
      project: Project,
      input: ImpersonateInput,
      stepup: boolean,
      request: RequestInfo,
    ): Promise<{ jwt: string }> {
      assertCustomClaims(input.customClaims);
      // Latchkey keeps no record of users' consent to be impersonated: asking to check it cannot succeed.
      if (input.validateConsent) {
        throw new LatchkeyError(
          'consentUnavailable',
          'validateConsent is not supported: Latchkey keeps no consent records; send validateConsent: false',
        );
      }
      const impersonator = await requireUser(project, input.impersonatorId, 'impersonatorId');
      const target = await requireUser(project, input.loginId, 'loginId');
      if (impersonator.userId === target.userId) {
        throw new LatchkeyError('invalidArguments', 'A user cannot impersonate themselves');
      }
      checkTenant(target, input.selectedTenant, 'impersonated user');
      await checkMayImpersonate(impersonator, target, input.selectedTenant);
      const issued = await sessions.issue(project, target, {
        amr: ['impersonation'],
        dct: input.selectedTenant,
        customClaims: input.customClaims,
        act: { sub: impersonator.userId },
        refreshLifetime: input.refreshDuration,
      });
      await audit.record({
        projectId: project.id,
        action: 'Impersonate',
        type: 'warn',
        actorId: impersonator.userId,
        userId: target.userId,
        loginIds: target.loginIds,
        tenants: input.selectedTenant ? [input.selectedTenant] : [],
        data: {
          impersonatorId: impersonator.userId,
          impersonatorLoginIds: impersonator.loginIds,
          impersonatedUserId: target.userId,
          impersonatedLoginIds: target.loginIds,
          stepup,
        },
        request,
      });
      return { jwt: stepup ? issued.body.sessionJwt : issued.body.refreshJwt };
    },

    /**
     * Ends an impersonation: the impersonation JWT's session is revoked (when it is a refresh JWT) and a new
     * refresh JWT of the original actor (`act.sub`) is returned.
     */
    async stopImpersonation(
      project: Project,
      input: StopImpersonationInput,
      request: RequestInfo,
    ): Promise<{ jwt: string }> {
      assertCustomClaims(input.customClaims);
      const { kind, payload } = await verifyEither(keys, project.id, input.jwt);
      if (kind === 'DSR') await checkSessionLive(project, payload);
      const act = actOf(payload);
      if (!act)
        throw new LatchkeyError('invalidArguments', 'jwt is not an impersonation token (no act claim)');
      const actor = await requireUser(project, act.sub, 'act.sub');
      checkTenant(actor, input.selectedTenant, 'impersonator');
      if (kind === 'DSR' && typeof payload.jti === 'string') await sessions.revoke(project.id, payload.jti);
      const issued = await sessions.issue(project, actor, {
        amr: ['impersonation'],
        dct: input.selectedTenant,
        customClaims: input.customClaims,
        refreshLifetime: input.refreshDuration,
      });
      await audit.record({
        projectId: project.id,
        action: 'StopImpersonation',
        actorId: actor.userId,
        userId: payload.sub,
        loginIds: actor.loginIds,
        tenants: input.selectedTenant ? [input.selectedTenant] : [],
        data: { impersonatorId: actor.userId, impersonatedUserId: payload.sub },
        request,
      });
      return { jwt: issued.body.refreshJwt };
    },
  };
}

export type JwtService = ReturnType<typeof createJwtService>;
